"""The certification ledger: append-only, hash-chained, optionally signed.

Each record holds the hash of the one before it (``prev``) and its own ``hash`` over its
canonical JSON, so editing or deleting a record breaks the chain where it happened. With
an organisation key each record also carries an HMAC, so an editor who recomputes the
hashes still cannot produce a valid signature. ``head.json`` names the last record, so
dropping records from the end is caught too. Records are never updated: a rescore is a
new record that ``supersedes`` the old one.

Before a record is chained (and, through ``prepare``, before a certification attempt
starts) the head is checked against the chain's last record. A head a kill left one
behind is moved on; a missing, unreadable or mismatched head is rebuilt from the chain
and says so in a signed ``rebuilt`` list that ``verify`` reports (a rebuild cannot vouch
for records removed from the end before it); a chain whose end is missing (a ledger file
removed or quarantined) or unreadable takes no record until the file is restored.

The ledger is split into files of ``LEDGER_SEGMENT_SIZE`` records, so an append costs
the same with ten records or a hundred thousand.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from tinydb import TinyDB
from tinydb.table import Document

from trainer.engine.records import canonical_json
from trainer.store.atomic import (
    AtomicJSONStorage,
    UnreadableFile,
    read_json_file,
    write_json_atomically,
)
from trainer.store.errors import LedgerDamaged, NewerStore, StoreError
from trainer.store.migrations import SCHEMA_VERSION, Record, upgrade
from trainer.store.records import CertificationBody, HeadRecord, LedgerRecord, Rebuild
from trainer.store.repository import timestamp
from trainer.store.shard import locked, remove_stale_temp_files

if TYPE_CHECKING:
    from trainer.store.repository import Store

GENESIS = "0" * 64
UNHASHED = ("hash", "signature")


def record_hash(record: LedgerRecord | Mapping[str, object]) -> str:
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
    rebuilt: tuple[Rebuild, ...] = ()
    """Each time the head was rebuilt from the chain: when, after which record, why."""


def head_value(head: Head) -> str:
    """What the head's signature covers: the last record, and every rebuild, so that a
    rebuild's mark cannot be removed without the key."""
    value = f"{head.seq}:{head.hash}"
    if head.rebuilt:
        value += ":" + canonical_json(list(head.rebuilt)).decode()
    return value


class Ledger:
    """The certification records of one store."""

    def __init__(self, store: Store, key: bytes | None) -> None:
        self.store = store
        self.layout = store.layout
        self.key = key

    # ---------------------------------------------------------------- writing

    def prepare(self) -> Head:
        """Check, before a certification attempt starts, that its record can be chained:
        the head is repaired or rebuilt if it needs to be, and a chain whose end is
        missing or unreadable raises ``LedgerDamaged``, so no attempt is started (and
        counted) that could not be recorded."""
        with locked(self.layout.ledger_lock):
            return self._chain_end_locked()

    def append(self, body: CertificationBody | Record) -> LedgerRecord:
        """Chain, sign and store a record; returns it as stored (with id, seq, hash)."""
        with locked(self.layout.ledger_lock):
            remove_stale_temp_files(self.layout.ledger_dir)
            head = self._chain_end_locked()
            given = cast(Mapping[str, Any], body)  # a rescore may name its id and time
            record: Record = {
                "v": SCHEMA_VERSION,
                "id": given.get("id") or uuid.uuid4().hex,
                **{k: v for k, v in given.items() if k not in ("id", "at")},
                "at": given.get("at") or timestamp(self.store.now()),
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
                raise self.store.set_aside(path, exc.reason) from None
            finally:
                db.close()
            self._write_head(Head(record["seq"], record["hash"], rebuilt=head.rebuilt))
        return cast(LedgerRecord, record)

    def _write_head(self, head: Head) -> None:
        data: HeadRecord = {
            "v": SCHEMA_VERSION,
            "seq": head.seq,
            "hash": head.hash,
            "signature": sign(self.key, head_value(head)) if self.key else None,
        }
        if head.rebuilt:
            data["rebuilt"] = list(head.rebuilt)
        write_json_atomically(self.layout.ledger_head, data)

    def read_head(self) -> Head | None:
        data = read_json_file(self.layout.ledger_head)
        return None if data is None else self._parsed_head(data)

    def _parsed_head(self, data: Record) -> Head:
        data = upgrade("head", data, str(self.layout.ledger_head))
        rebuilt = data.get("rebuilt") or []
        return Head(
            int(data["seq"]),
            str(data["hash"]),
            data.get("signature"),
            tuple(cast(Rebuild, dict(r)) for r in rebuilt if isinstance(r, dict)),
        )

    def _chain_end_locked(self) -> Head:
        """The head the next record chains onto, checked against the chain's last
        record (see the module's docstring for each case)."""
        head, problem = self._stored_head()
        last = self._last_record()
        path = self.layout.ledger_head
        if head is None and problem is None:
            if last is None:
                return Head(0, GENESIS)
            if last["seq"] == 1 and last.get("prev") == GENESIS:
                # A kill before the very first head write, not a loss.
                return self._moved_on(Head(1, str(last.get("hash"))))
            problem = "was missing"
        elif head is not None:
            last_seq = int(last["seq"]) if last is not None else 0
            empty = last is None and head.seq == 0
            if empty or (
                last is not None and (last_seq, last.get("hash")) == (head.seq, head.hash)
            ):
                return head
            if last is not None and last_seq == head.seq + 1 and last.get("prev") == head.hash:
                # A kill between writing the record and the head.
                return self._moved_on(Head(last_seq, str(last["hash"]), rebuilt=head.rebuilt))
            if last_seq < head.seq:
                raise LedgerDamaged(
                    f"the certification ledger ends at #{last_seq} but {path} names "
                    f"#{head.seq}: a ledger file was removed or moved to quarantine/. Restore "
                    f"it from a backup, or delete {path} to go on without it (verify will "
                    "keep reporting the loss)"
                )
            problem = f"named #{head.seq}, which does not match the chain's last record"
        rebuild: Rebuild = {
            "at": timestamp(self.store.now()),
            "after": int(last["seq"]) if last is not None else 0,
            "why": str(problem),  # set on every path that reaches here
        }
        rebuilt = (*(head.rebuilt if head is not None else ()), rebuild)
        new = (
            Head(int(last["seq"]), str(last["hash"]), rebuilt=rebuilt)
            if last is not None
            else Head(0, GENESIS, rebuilt=rebuilt)
        )
        self._write_head(new)
        self.store.notices.append(
            f"the certification ledger's head {path} {problem}; it was rebuilt from the "
            f"chain, which ends at #{new.seq} (`trainer verify` will report that records "
            "removed from the end before now cannot be ruled out)"
        )
        return new

    def _moved_on(self, head: Head) -> Head:
        self._write_head(head)
        return head

    def _stored_head(self) -> tuple[Head | None, str | None]:
        """The head as stored; or None and why it cannot be used (then it is moved to
        quarantine/); or None, None when there is none."""
        try:
            data = read_json_file(self.layout.ledger_head)
        except UnreadableFile as exc:
            reason = exc.reason
        else:
            if data is None:
                return None, None
            try:
                return self._parsed_head(data), None
            except NewerStore:
                raise
            except (StoreError, KeyError, TypeError, ValueError):
                reason = "it does not name a record"
        self.store.notices.append(str(self.store.set_aside(self.layout.ledger_head, reason)))
        return None, f"was unreadable ({reason})"

    def _last_record(self) -> Record | None:
        """The highest-numbered record in the files: where the chain ends now. A file
        that will not read is moved aside, and nothing is chained until it is back."""
        for path in reversed(self.layout.ledger_segments()):
            try:
                data = read_json_file(path) or {}
                docs = data.get("records", {})
                if not isinstance(docs, dict):
                    raise UnreadableFile(path, "its records are not a JSON object")
            except UnreadableFile as exc:
                moved = self.store.set_aside(path, exc.reason)
                raise LedgerDamaged(
                    f"the certification ledger cannot take a record: {moved}"
                ) from None
            numbered = [r for r in docs.values() if isinstance(r, dict) and _is_seq(r.get("seq"))]
            if numbered:
                return dict(max(numbered, key=lambda r: int(r["seq"])))
        return None

    # ---------------------------------------------------------------- reading

    def records(self, raw: bool = False) -> Iterator[LedgerRecord]:
        """Every record in sequence order; unreadable segments are moved aside and noted.

        Records are never rewritten, not even by a store upgrade (that would break their
        hashes): an old record is upgraded in memory, and ``raw`` gives it as stored,
        which is what verification hashes."""
        for path in self.layout.ledger_segments():
            try:
                data = read_json_file(path) or {}
            except UnreadableFile as exc:
                self.store.notices.append(str(self.store.set_aside(path, exc.reason)))
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
                kept = dict(record) if raw else upgrade("certification", dict(record), str(path))
                yield cast(LedgerRecord, kept)  # checked by signed.py before it is believed

    def find(self, record_id: str) -> LedgerRecord | None:
        return next((r for r in self.records() if r.get("id") == record_id), None)

    def for_session(self, session_id: str) -> list[LedgerRecord]:
        return [r for r in self.records() if r.get("session") == session_id]


def _record_order(item: tuple[str, object]) -> tuple[int, str]:
    """Records by sequence number; malformed keys last, so they can be named, not crash."""
    number = item[0]
    numeric = number.isascii() and number.isdigit()
    return (int(number), "") if numeric else (2**63, number)


def _is_seq(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
