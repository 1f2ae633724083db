"""Turns as plain JSON-ready dicts and back, for the store, exports and resuming.

A record holds everything needed to show, audit and re-score a turn without the
session that made it. ``transcript_digest`` is what certification records sign: any
edit to a stored turn's words, scores or state changes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict, cast, get_args

from trainer.content.models import Move
from trainer.engine.assessment import Assessment, Usage
from trainer.engine.ports import EndedBy
from trainer.engine.session import Turn
from trainer.engine.state import BuyerState, StateChange, StateField

MOVES = frozenset(get_args(Move))
ENDED_BY_VALUES = frozenset(get_args(EndedBy))


class BadRecord(ValueError):
    """A stored turn is missing fields or has values the engine cannot accept."""


# The records' shapes, key for key in the order they are written (a dict keeps its
# insertion order, and the store writes it as it is): TypedDicts, not classes, because a
# record *is* the JSON object on disk and in the ledger's digests, so typing it adds no
# conversion that could reorder, drop or coerce a key. A record read back from a file
# is a claim until ``turn_from_record`` has checked it.


class UsageRecord(TypedDict):
    prompt_tokens: int
    completion_tokens: int


class AssessmentRecord(TypedDict):
    move: Move
    good_use: int
    criteria: dict[str, int | None]
    evidence: list[str]
    tip: str
    reason: str
    relevant_pitch: bool
    proposes_next_step: bool
    recap: bool
    words: int
    source: str
    flags: list[str]
    verdicts: dict[str, int | None]
    usage: UsageRecord


class ChangeRecord(TypedDict):
    field: StateField
    delta: int
    cause: str


class StateRecord(TypedDict):
    patience: int
    openness: int
    disclosed: list[str]
    owed: NotRequired[list[str]]
    """Written only when a fact is owed (see ``state_record``)."""


class TurnRecord(TypedDict):
    """One committed turn as the engine writes it; the store adds its own keys
    (``STORE_KEYS`` in ``store/repository.py``) in front when it stores it."""

    index: int
    seller: str
    buyer: str
    assessment: AssessmentRecord
    changes: list[ChangeRecord]
    state: StateRecord
    disclosed_now: list[str]
    withheld_topic: bool
    ended_by: EndedBy | None
    elapsed: float
    usage: UsageRecord
    flags: list[str]


def ended_by_value(value: object) -> EndedBy | None:
    """A stored ending checked against the engine's: ``BadRecord`` for anything else (a
    hand-edited file may hold any value there)."""
    if value is None:
        return None
    if isinstance(value, str) and value in ENDED_BY_VALUES:
        return cast(EndedBy, value)
    raise BadRecord(f"unknown ending {value!r}")


def assessment_record(a: Assessment) -> AssessmentRecord:
    return {
        "move": a.move,
        "good_use": a.good_use,
        "criteria": dict(a.criteria),
        "evidence": list(a.evidence),
        "tip": a.tip,
        "reason": a.reason,
        "relevant_pitch": a.relevant_pitch,
        "proposes_next_step": a.proposes_next_step,
        "recap": a.recap,
        "words": a.words,
        "source": a.source,
        "flags": list(a.flags),
        "verdicts": dict(a.verdicts),
        "usage": usage_record(a.usage),
    }


def usage_record(usage: Usage) -> UsageRecord:
    return {"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens}


def usage_from_record(data: UsageRecord | dict[str, Any] | None) -> Usage:
    data = data or {}
    return Usage(int(data.get("prompt_tokens", 0)), int(data.get("completion_tokens", 0)))


def turn_record(turn: Turn) -> TurnRecord:
    return {
        "index": turn.index,
        "seller": turn.seller,
        "buyer": turn.buyer,
        "assessment": assessment_record(turn.assessment),
        "changes": [{"field": c.field, "delta": c.delta, "cause": c.cause} for c in turn.changes],
        "state": state_record(turn.state),
        "disclosed_now": list(turn.disclosed_now),
        "withheld_topic": turn.withheld_topic,
        "ended_by": turn.ended_by,
        "elapsed": round(turn.elapsed, 3),
        "usage": usage_record(turn.usage),
        "flags": list(turn.flags),
    }


def state_record(state: BuyerState) -> StateRecord:
    """The state after a turn. ``owed`` is written only when a fact is owed, so the
    records (and digests) of sessions that owe nothing read as they always have."""
    record: StateRecord = {
        "patience": state.patience,
        "openness": state.openness,
        "disclosed": list(state.disclosed),
    }
    if state.owed:
        record["owed"] = list(state.owed)
    return record


def assessment_from_record(data: Mapping[str, Any]) -> Assessment:
    move = data["move"]
    if move not in MOVES:
        raise BadRecord(f"unknown move {move!r}")
    return Assessment(
        move=cast(Move, move),
        good_use=int(data["good_use"]),
        criteria={str(k): None if v is None else int(v) for k, v in data["criteria"].items()},
        evidence=tuple(str(e) for e in data["evidence"]),
        tip=str(data["tip"]),
        reason=str(data["reason"]),
        relevant_pitch=bool(data.get("relevant_pitch", False)),
        proposes_next_step=bool(data.get("proposes_next_step", False)),
        recap=bool(data.get("recap", False)),
        words=int(data.get("words", 0)),
        source=str(data.get("source", "offline")),
        flags=tuple(str(f) for f in data.get("flags", ())),
        verdicts={
            str(k): None if v is None else int(v) for k, v in data.get("verdicts", {}).items()
        },
        usage=usage_from_record(data.get("usage")),
    )


def turn_from_record(data: Mapping[str, Any]) -> Turn:
    """The turn a record describes; ``BadRecord`` if it is not one."""
    try:
        changes = []
        for change in data["changes"]:
            if change["field"] not in ("patience", "openness"):
                raise BadRecord(f"unknown state field {change['field']!r}")
            changes.append(
                StateChange(
                    cast(StateField, change["field"]), int(change["delta"]), change["cause"]
                )
            )
        ended_by = ended_by_value(data.get("ended_by"))
        state = data["state"]
        return Turn(
            index=int(data["index"]),
            seller=str(data["seller"]),
            buyer=str(data["buyer"]),
            assessment=assessment_from_record(data["assessment"]),
            changes=tuple(changes),
            state=BuyerState(
                int(state["patience"]),
                int(state["openness"]),
                tuple(str(f) for f in state["disclosed"]),
                tuple(str(f) for f in state.get("owed", ())),
            ),
            disclosed_now=tuple(str(f) for f in data["disclosed_now"]),
            withheld_topic=bool(data["withheld_topic"]),
            ended_by=ended_by,
            elapsed=float(data["elapsed"]),
            usage=usage_from_record(data.get("usage")),
            flags=tuple(str(f) for f in data.get("flags", ())),
        )
    except BadRecord:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadRecord(f"not a turn record ({type(exc).__name__}: {exc})") from None


def canonical_json(value: Any) -> bytes:
    """One byte sequence per value: sorted keys, no spaces, UTF-8. Hashes are taken of it."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def transcript_digest(opening: str, turns: Sequence[TurnRecord] | Sequence[dict[str, Any]]) -> str:
    """SHA-256 of the opening and the turn records, in order."""
    return hashlib.sha256(canonical_json({"opening": opening, "turns": list(turns)})).hexdigest()
