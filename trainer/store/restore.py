"""Turning a stored session back into engine turns, to resume, close or re-score it."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.engine.ports import EndedBy
from trainer.engine.records import BadRecord, turn_from_record
from trainer.engine.session import Branch, Turn
from trainer.store.errors import StoreError
from trainer.store.ledger import Ledger
from trainer.store.recorder import StoreRecorder, stored_turn_records
from trainer.store.records import SessionHeader
from trainer.store.repository import Store, StoredSession


def stored_turns(stored: StoredSession) -> tuple[list[Turn], list[Branch]]:
    """The main line and the abandoned branches, as the engine's own objects."""
    try:
        turns = [turn_from_record(r) for r in stored_turn_records(stored)]
        branches = [
            Branch(
                int(records[0]["index"]) - 1,
                [turn_from_record(r) for r in records],
            )
            for _, records in sorted(stored.branches().items())
        ]
    except BadRecord as exc:
        raise StoreError(f"{stored.path}: a stored turn cannot be read back: {exc}") from None
    return turns, branches


@dataclass
class Claimed:
    """An interrupted session taken over by this process, read back as the engine's
    turns: what ``trainer resume``, ``trainer close`` and the TUI's History go on from."""

    recorder: StoreRecorder
    stored: StoredSession
    turns: list[Turn]
    branches: list[Branch]
    ended_by: EndedBy | None
    seed: int

    @property
    def header(self) -> SessionHeader:
        return self.stored.header


def claim(store: Store, ledger: Ledger, stored: StoredSession) -> Claimed:
    """Claim the session (under the trainee's lock: of two processes resuming at once,
    the second stops here, before it reads or plays anything), then read it as it is now
    that it is ours."""
    header = stored.header
    seed = int(header.get("seed") or 0)
    recorder = StoreRecorder(
        store, ledger, str(header["trainee"]), dict(header.get("backend") or {}), seed
    )
    recorder.resume(header)
    stored = store.load(stored.path)
    turns, branches = stored_turns(stored)
    return Claimed(recorder, stored, turns, branches, ended_before(ledger, stored, turns), seed)


def ended_before(ledger: Ledger, stored: StoredSession, turns: list[Turn]) -> EndedBy | None:
    """How the call ended, if it did before the process died: a kill can land after the
    call ended but before the session was marked finished. The last turn says so, or (a
    certification) the ledger already holds its result."""
    ended_by = turns[-1].ended_by if turns else None
    if stored.header.get("mode") == "certification":
        scored = [r for r in ledger.for_session(stored.id) if r.get("kind") == "certification"]
        if scored:
            ended_by = scored[-1].get("ended_by")
    return ended_by
