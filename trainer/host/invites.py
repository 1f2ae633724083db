"""Invites: a personal link per trainee, whose secret token the host maps to the trainee.

The token is drawn with ``secrets.token_urlsafe(32)`` and shown once, in the link that
``trainer host invite`` prints. Only its SHA-256 is kept, with the trainee's name and when
the invite was made, in ``invites.json`` in the host's folder (written atomically under a
lock, as the store writes its files), so a copy of that file opens no session. A link is
checked by hashing what was presented and comparing it with every stored hash in constant
time (``hmac.compare_digest``), so neither a wrong token nor the place it differs can be
timed. Nothing here logs or returns a token except ``invite``'s result.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypedDict

from trainer.errors import InputError
from trainer.store.atomic import UnreadableFile, read_json_file, write_json_atomically
from trainer.store.layout import trainee_key
from trainer.store.repository import timestamp, utc_now
from trainer.store.shard import locked
from trainer.text import name_problem, one_line

FILE_NAME = "invites.json"
LOCK_NAME = "invites.json.lock"
FORMAT = "trainer-host-invites"
VERSION = 1
TOKEN_BYTES = 32
"""``token_urlsafe(32)``: 256 random bits, 43 characters in the link."""
HOST_FOLDER = "host"


class InviteError(InputError):
    """An invite cannot be made, revoked or read; the message says why (never a token)."""


class InviteRecord(TypedDict):
    """One trainee's invite as stored: no token, only its hash."""

    name: str
    token_sha256: str
    created: str


@dataclass(frozen=True)
class Invite:
    """What ``list`` shows of an invite: whose it is and since when (never the token)."""

    name: str
    created: str


@dataclass(frozen=True)
class NewInvite:
    """``invite``'s result: the only place a token exists outside the trainee's link."""

    name: str
    token: str
    replaced: bool
    """The trainee had a link already; it no longer opens anything."""


def host_folder(store: Path) -> Path:
    """The host's own folder, beside the store (``host/`` next to ``store/`` in the data
    folder): invites are the host's, not results, so ``verify`` and the reports never
    read them, and a store copied for an audit carries no link."""
    return Path(store).parent / HOST_FOLDER


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Invites:
    """The invites file of one host folder. Every change is a read-modify-write under the
    file's lock; every check reads the file afresh, so a revoke made by ``trainer host
    revoke`` while the host runs refuses that link from its next request on."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / FILE_NAME
        self.lock_path = self.folder / LOCK_NAME

    def invite(self, name: str, now: datetime | None = None) -> NewInvite:
        """A new link for ``name`` (a second invite replaces the first link)."""
        name = _checked(name)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        record: InviteRecord = {
            "name": name,
            "token_sha256": token_hash(token),
            "created": timestamp(now or utc_now()),
        }
        with self._locked():
            records = self._read()
            replaced = trainee_key(name) in records
            records[trainee_key(name)] = record
            self._write(records)
        return NewInvite(name=name, token=token, replaced=replaced)

    def revoke(self, name: str) -> Invite:
        """End ``name``'s link; ``InviteError`` if the trainee has none."""
        problem = name_problem(name)
        if problem is not None:
            raise InviteError(problem)
        with self._locked():
            records = self._read()
            record = records.pop(trainee_key(name), None)
            if record is None:
                raise InviteError(f"{one_line(name)} has no invite (trainer host list shows them)")
            self._write(records)
        return Invite(name=record["name"], created=record["created"])

    def list(self) -> list[Invite]:
        """Every invite, by name."""
        records = self._read()
        return sorted(
            (Invite(name=r["name"], created=r["created"]) for r in records.values()),
            key=lambda invite: trainee_key(invite.name),
        )

    def trainee_for(self, token: str) -> str | None:
        """The trainee whose link holds ``token``, or None. Every stored hash is compared,
        each in constant time, so the answer takes as long for any wrong token."""
        presented = token_hash(token)
        found: str | None = None
        for record in self._read().values():
            if hmac.compare_digest(presented, record["token_sha256"]):
                found = record["name"]
        return found

    def link_hashes(self) -> frozenset[str]:
        """The hashes of the links that open a session now (for the host to end the
        sessions of a link revoked or replaced while they run)."""
        return frozenset(record["token_sha256"] for record in self._read().values())

    # ---------------------------------------------------------------- the file

    def _locked(self) -> AbstractContextManager[None]:
        self._make_folder()
        return locked(self.lock_path)

    def _make_folder(self) -> None:
        """The folder is the host's alone (0700): it holds who may open a session."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise InviteError(f"cannot create {self.folder}: {exc.strerror or exc}") from None

    def _read(self) -> dict[str, InviteRecord]:
        try:
            data = read_json_file(self.path)
        except UnreadableFile as exc:
            raise InviteError(f"{exc.path}: {exc.reason}; it is not an invites file") from None
        if data is None:
            return {}
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise InviteError(f"{self.path}: not a version {VERSION} invites file")
        invites = data.get("invites")
        if not isinstance(invites, dict):
            raise InviteError(f"{self.path}: its invites are not a table")
        records: dict[str, InviteRecord] = {}
        for key, value in invites.items():
            record = _record(value)
            if record is None:
                raise InviteError(f"{self.path}: an invite is damaged; revoke and invite again")
            records[key] = record
        return records

    def _write(self, records: dict[str, InviteRecord]) -> None:
        write_json_atomically(
            self.path, {"format": FORMAT, "version": VERSION, "invites": dict(records)}
        )
        os.chmod(self.path, 0o600)


def _record(value: object) -> InviteRecord | None:
    if not isinstance(value, dict):
        return None
    name, digest, created = value.get("name"), value.get("token_sha256"), value.get("created")
    if not (isinstance(name, str) and isinstance(digest, str) and isinstance(created, str)):
        return None
    return {"name": name, "token_sha256": digest, "created": created}


def _checked(name: str) -> str:
    problem = name_problem(name)
    if problem is not None:
        raise InviteError(problem)
    return name.strip()
