"""Turning a stored session back into engine turns, to resume, close or re-score it."""

from __future__ import annotations

from trainer.engine.records import BadRecord, turn_from_record
from trainer.engine.session import Branch, Turn
from trainer.store.errors import StoreError
from trainer.store.recorder import stored_turn_records
from trainer.store.repository import StoredSession


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
