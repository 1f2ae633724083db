"""The store's records, typed: what each kind holds, key for key, in the order written.

Every kind in ``migrations.KINDS`` has a ``TypedDict`` here (turn records are the
engine's, ``engine/records.TurnRecord``, with the store's own keys in front). They are
TypedDicts rather than dataclasses with ``record()``/``from_record()`` because a record
*is* the JSON object on disk, and the ledger hashes ``canonical_json`` of it: a TypedDict
is a plain dict at run time, so typing a writer changes no key, no key order and no value,
and there is no conversion step that could coerce or drop what a hand-edited file holds.
Strict mypy sees the keys of every record a writer builds and a reader looks up.

The types say what this trainer *writes*. A file read back is a claim: an index or a
session header sits in a folder its trainee can write, so any field may hold any type. The
readers that decide something from such a field (a listing's cell, a report's verdict, the
ending a rescore judges) take it through the checked readers below, which answer ``None``
(or an empty mapping) for a value of the wrong type instead of raising or passing it on;
``store/signed.py`` compares what is claimed with the ledger and reports a difference as a
finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypedDict, cast

from trainer.engine.ports import EndedBy, Mode
from trainer.engine.records import ENDED_BY_VALUES, TurnRecord

Status = Literal["open", "ended", "closed"]


class TraineeRecord(TypedDict):
    """The one record of an index's ``trainee`` table."""

    v: int
    name: str


class Owner(TypedDict):
    """The process that plays an open session (``claim`` takes it over)."""

    host: str
    pid: int


class OutcomeRecord(TypedDict):
    """A finished session's score, as ``recorder.outcome_from`` writes it."""

    score: int
    turns_part: float
    outcomes_part: float | None
    objectives: list[dict[str, object]]
    adjustments: list[dict[str, object]]
    adjustment: int
    adjustment_reason: str
    criteria: dict[str, float]
    criteria_turns: dict[str, int]
    turns: int
    disclosed: list[str]
    missed: list[str]


class CertificationRef(TypedDict):
    """Where a finished certification's verdict is: its ledger record."""

    passed: bool
    record: str


class NewSession(TypedDict):
    """What a recorder hands ``Store.begin_session``: the session as it starts."""

    id: str
    trainee: str
    mode: Mode
    scenario: str
    title: str
    persona: str
    content_hashes: dict[str, str]
    backend: dict[str, Any]
    seed: int | None
    opening: str
    ended_by: EndedBy | None
    ended_at: str | None
    attempt: int | None
    outcome: OutcomeRecord | None
    certification: CertificationRef | None


class SessionHeader(NewSession):
    """A session file's header (its ``session`` table's one record): the recorder's
    fields, then what the store adds when it begins the session."""

    v: int
    status: Status
    started_at: str
    owner: Owner
    resumed: NotRequired[bool]
    """In memory only, on a header a recorder resumed; never written."""
    rescored_with: NotRequired[dict[str, str]]
    """The content hashes a kept rescore scored it under (``trainer rescore --record``)."""


class SessionEnd(TypedDict):
    """What ``Store.finish_session`` sets on a header."""

    status: Status
    ended_by: EndedBy | None
    outcome: OutcomeRecord
    certification: NotRequired[CertificationRef]
    ended_at: NotRequired[str]


class SummaryRecord(TypedDict):
    """An index entry: what history and reports read of a session without opening it
    (``repository.summary_of``, in ``SUMMARY_FIELDS`` order, then the outcome's)."""

    v: int
    id: str
    trainee: str
    mode: Mode
    scenario: str
    title: str
    started_at: str
    ended_at: str | None
    status: str
    """``open``/``ended``/``closed`` as stored; ``in progress`` or ``interrupted`` as
    ``Store.sessions`` gives an open one."""
    ended_by: EndedBy | None
    attempt: int | None
    owner: Owner
    score: int | None
    turns: int
    criteria: dict[str, float]
    criteria_turns: dict[str, int]
    passed: bool | None
    record: str | None


class StoredTurn(TurnRecord):
    """A turn as a session file holds it: the store's keys first (``STORE_KEYS``), then
    the engine's record."""

    v: int
    seq: int
    branch: int | None


class RequiredCriterion(TypedDict):
    minimum: float
    got: float | None
    met: bool


class CertificationBody(TypedDict):
    """A certification record as ``recorder.certification_body`` makes it, before the
    ledger chains and signs it."""

    kind: Literal["certification", "rescore"]
    trainee: str
    scenario: str
    session: str
    attempt: int | None
    seed: int | None
    mode: Literal["certification"]
    score: int
    passed: bool
    pass_mark: int
    required: dict[str, RequiredCriterion]
    reasons: list[str]
    requirements: list[dict[str, object]]
    criteria: dict[str, float]
    ended_by: EndedBy | None
    turns: int
    content_hashes: dict[str, str]
    backend: dict[str, Any]
    transcript_sha256: str
    supersedes: str | None


class AttemptResult(TypedDict):
    """What the recorder keeps of an attempt's ledger record when the call ends, for the
    front end to report (``sessions/outcome.CertificationOutcome`` is its typed reading)."""

    passed: bool
    record: str
    score: int
    pass_mark: int
    attempt: int | None
    attempts_allowed: int
    reasons: list[str]
    requirements: list[dict[str, object]]


class LedgerRecord(CertificationBody):
    """A record as the ledger stores it: ``v`` and ``id`` first, the body, then its
    place in the chain (``Ledger.append`` builds it in that order)."""

    v: int
    id: str
    at: str
    seq: int
    prev: str
    key_id: str | None
    hash: str
    signature: str | None


class Rebuild(TypedDict):
    """One rebuild of the ledger's head from the chain: when, after which record, why."""

    at: str
    after: int
    why: str


class HeadRecord(TypedDict):
    """``head.json``: the chain's last record, signed, and every rebuild."""

    v: int
    seq: int
    hash: str
    signature: str | None
    rebuilt: NotRequired[list[Rebuild]]


# ---------------------------------------------------------------- checked readers


def claimed_int(value: object) -> int | None:
    """An integer a file claims (a score, an attempt); ``None`` for anything else, a
    ``bool`` included (``True`` is not a score of 1)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def claimed_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def claimed_mapping(value: object) -> Mapping[str, Any]:
    """A nested record a file claims (an outcome, a certification reference); an empty
    one for anything that is not an object, so an edited file does not crash a reader."""
    return value if isinstance(value, dict) else {}


def claimed_ending(value: object) -> EndedBy | None:
    """How a session ended as a file claims it, if it is one the engine knows; ``None``
    (ended by nobody: no agreement, no limit) for anything else."""
    if isinstance(value, str) and value in ENDED_BY_VALUES:
        return cast(EndedBy, value)
    return None


__all__ = [
    "CertificationBody",
    "CertificationRef",
    "HeadRecord",
    "LedgerRecord",
    "NewSession",
    "OutcomeRecord",
    "Owner",
    "Rebuild",
    "SessionEnd",
    "SessionHeader",
    "StoredTurn",
    "SummaryRecord",
    "TraineeRecord",
    "claimed_ending",
    "claimed_int",
    "claimed_mapping",
    "claimed_text",
]
