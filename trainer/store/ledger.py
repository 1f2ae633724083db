"""The certification ledger: append-only, hash-chained, optionally signed.

Each record holds the hash of the one before it (``prev``) and its own ``hash`` over its
canonical JSON, so editing or deleting a record breaks the chain where it happened. With
an organisation key each record also carries an HMAC, so an editor who recomputes the
hashes still cannot produce a valid signature. ``head.json`` names the last record, so
dropping records from the end is caught too. Records are never updated: a rescore is a
new record that ``supersedes`` the old one.

The ledger is split into files of ``LEDGER_SEGMENT_SIZE`` records, so an append costs
the same with ten records or a hundred thousand.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tinydb import TinyDB
from tinydb.table import Document

from trainer.engine.records import canonical_json
from trainer.store.atomic import (
    AtomicJSONStorage,
    UnreadableFile,
    read_json_file,
    write_json_atomically,
)
from trainer.store.migrations import SCHEMA_VERSION, Record, upgrade
from trainer.store.repository import timestamp
from trainer.store.shard import QuarantinedFile, locked, quarantine, remove_stale_temp_files

if TYPE_CHECKING:
    from trainer.store.repository import Store

GENESIS = "0" * 64
UNHASHED = ("hash", "signature")


def record_hash(record: Record) -> str:
    body = {k: v for k, v in record.items() if k not in UNHASHED}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def sign(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """A name for the key that reveals nothing about it: which key signed a record."""
    return sign(key, "trainer key id")[:12]


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    signature: str | None = None


class Ledger:
    """The certification records of one store."""

    def __init__(self, store: Store, key: bytes | None) -> None:
        self.store = store
        self.layout = store.layout
        self.key = key

    # ---------------------------------------------------------------- writing

    def append(self, body: Record) -> Record:
        """Chain, sign and store a record; returns it as stored (with id, seq, hash)."""
        with locked(self.layout.ledger_lock):
            remove_stale_temp_files(self.layout.ledger_dir)
            head = self._current_head_locked()
            record: Record = {
                "v": SCHEMA_VERSION,
                "id": body.get("id") or uuid.uuid4().hex,
                **{k: v for k, v in body.items() if k not in ("id", "at")},
                "at": body.get("at") or timestamp(self.store.now()),
                "seq": head.seq + 1,
                "prev": head.hash,
                "key_id": key_id(self.key) if self.key else None,
            }
            record["hash"] = record_hash(record)
            record["signature"] = sign(self.key, record["hash"]) if self.key else None
            path = self.layout.ledger_segment(record["seq"])
            db = TinyDB(path, storage=AtomicJSONStorage)
            try:
                db.table("records").insert(Document(record, doc_id=record["seq"]))
            except UnreadableFile as exc:
                moved = quarantine(self.store.root, path, exc.reason)
                raise QuarantinedFile(path, moved, exc.reason) from None
            finally:
                db.close()
            self._write_head(Head(record["seq"], record["hash"]))
        return record

    def _write_head(self, head: Head) -> None:
        value = f"{head.seq}:{head.hash}"
        write_json_atomically(
            self.layout.ledger_head,
            {
                "v": SCHEMA_VERSION,
                "seq": head.seq,
                "hash": head.hash,
                "signature": sign(self.key, value) if self.key else None,
            },
        )

    def read_head(self) -> Head | None:
        data = read_json_file(self.layout.ledger_head)
        if data is None:
            return None
        data = upgrade("head", data, str(self.layout.ledger_head))
        return Head(int(data["seq"]), str(data["hash"]), data.get("signature"))

    def _current_head_locked(self) -> Head:
        """The head, repaired if a crash came between writing a record and the head."""
        try:
            head = self.read_head() or Head(0, GENESIS)
        except UnreadableFile as exc:
            moved = quarantine(self.store.root, self.layout.ledger_head, exc.reason)
            raise QuarantinedFile(self.layout.ledger_head, moved, exc.reason) from None
        following = self._record_at(head.seq + 1)
        if following is not None and following.get("prev") == head.hash:
            head = Head(int(following["seq"]), str(following["hash"]))
            self._write_head(head)
        return head

    def _record_at(self, seq: int) -> Record | None:
        path = self.layout.ledger_segment(seq)
        data = read_json_file(path)
        if data is None:
            return None
        record = data.get("records", {}).get(str(seq))
        return dict(record) if record else None

    # ---------------------------------------------------------------- reading

    def records(self, raw: bool = False) -> Iterator[Record]:
        """Every record in sequence order; unreadable segments are moved aside and noted.

        Records are never rewritten, not even by a store upgrade (that would break their
        hashes): an old record is upgraded in memory, and ``raw`` gives it as stored,
        which is what verification hashes."""
        for path in self.layout.ledger_segments():
            try:
                data = read_json_file(path) or {}
            except UnreadableFile as exc:
                moved = quarantine(self.store.root, path, exc.reason)
                self.store.notices.append(str(QuarantinedFile(path, moved, exc.reason)))
                continue
            docs = data.get("records", {}) if isinstance(data, dict) else None
            if not isinstance(docs, dict):
                self.store.notices.append(f"{path}: its records are not a table; none were read")
                continue
            for number, record in sorted(docs.items(), key=_record_order):
                numeric = number.isascii() and number.isdigit()
                if not numeric or not isinstance(record, dict):
                    what = "is not a number" if not numeric else "is not a record"
                    self.store.notices.append(
                        f"{path}: the entry {number[:20]!r} {what}; it was skipped"
                    )
                    continue
                yield dict(record) if raw else upgrade("certification", dict(record), str(path))

    def find(self, record_id: str) -> Record | None:
        return next((r for r in self.records() if r.get("id") == record_id), None)

    def for_session(self, session_id: str) -> list[Record]:
        return [r for r in self.records() if r.get("session") == session_id]


def _record_order(item: tuple[str, object]) -> tuple[int, str]:
    """Records by sequence number; malformed keys last, so they can be named, not crash."""
    number = item[0]
    numeric = number.isascii() and number.isdigit()
    return (int(number), "") if numeric else (2**63, number)
