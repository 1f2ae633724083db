"""The engine's ``Recorder`` over the store: a session is on disk as it is played.

File writes run in a thread so a front end's event loop keeps drawing while a turn is
fsynced. A thread cannot be cancelled half-way, which is what we want: once started,
a write finishes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from trainer.engine.certification import CertificationResult, judge_attempt
from trainer.engine.records import TurnRecord, transcript_digest, turn_record
from trainer.engine.scoring import ScoreBreakdown
from trainer.engine.session import Branch, Session, Turn
from trainer.store.errors import StoreError
from trainer.store.ledger import Ledger
from trainer.store.migrations import Record
from trainer.store.records import (
    AttemptResult,
    CertificationBody,
    NewSession,
    OutcomeRecord,
    SessionEnd,
    SessionHeader,
    Status,
)
from trainer.store.repository import Store, StoredSession


def outcome_record(session: Session) -> OutcomeRecord:
    return outcome_from(
        session.score(),
        len(session.turns),
        list(session.state.disclosed),
        [f.id for f in session.missed_facts],
    )


def outcome_from(
    breakdown: ScoreBreakdown, turns: int, disclosed: list[str], missed: list[str]
) -> OutcomeRecord:
    return {
        "score": breakdown.score,
        "turns_part": breakdown.turns_part,
        "outcomes_part": breakdown.outcomes_part,
        "objectives": [o.record() for o in breakdown.objectives],
        "adjustments": [a.record() for a in breakdown.adjustments],
        "adjustment": breakdown.adjustment,
        "adjustment_reason": breakdown.adjustment_reason,
        "criteria": breakdown.criteria,
        "criteria_turns": breakdown.applied,
        "turns": turns,
        "disclosed": disclosed,
        "missed": missed,
    }


def certification_body(
    header: SessionHeader,
    result: CertificationResult,
    criteria: dict[str, float],
    turns: Sequence[TurnRecord] | Sequence[Record],
    content_hashes: dict[str, str],
    supersedes: str | None = None,
) -> CertificationBody:
    """What a certification record says, before the ledger chains and signs it."""
    return {
        "kind": "rescore" if supersedes else "certification",
        "trainee": header["trainee"],
        "scenario": header["scenario"],
        "session": header["id"],
        "attempt": header.get("attempt"),
        "seed": header.get("seed"),
        "mode": "certification",
        "score": result.score,
        "passed": result.passed,
        "pass_mark": result.pass_mark,
        "required": {
            r.criterion: {"minimum": r.minimum, "got": r.got, "met": r.met} for r in result.required
        },
        "reasons": list(result.reasons),
        "requirements": [r.record() for r in result.requirements],
        "criteria": criteria,
        "ended_by": header.get("ended_by"),
        "turns": len(turns),
        "content_hashes": content_hashes,
        "backend": header["backend"],
        "transcript_sha256": transcript_digest(header.get("opening", ""), turns),
        "supersedes": supersedes,
    }


def stored_turn_records(stored: StoredSession) -> list[Record]:
    """The main-line turn records as the engine wrote them, without the store's own keys."""
    return stored.engine_records()


@dataclass
class StoreRecorder:
    """Records one session for one trainee. ``certification`` is set when a
    certification attempt ends, for the front end to report."""

    store: Store
    ledger: Ledger
    trainee: str
    backend: dict[str, Any]
    seed: int | None = None
    header: SessionHeader = field(default_factory=lambda: cast(SessionHeader, {}))
    certification: AttemptResult | None = None
    one_attempt_at_a_time: bool = False
    """Hosted: the store refuses an attempt while another of the trainee's is live."""

    async def session_started(self, session: Session) -> None:
        setup = session.setup
        header: NewSession = {
            "id": session.id,
            "trainee": self.trainee,
            "mode": session.mode,
            "scenario": setup.scenario.id,
            "title": setup.scenario.title,
            "persona": setup.persona.id,
            "content_hashes": setup.content_hashes,
            "backend": self.backend,
            "seed": self.seed,
            "opening": session.opening,
            "ended_by": None,
            "ended_at": None,
            "attempt": None,
            "outcome": None,
            "certification": None,
        }
        limit = setup.scenario.certification.attempts if session.mode == "certification" else None
        if session.mode == "certification":
            # An attempt whose record could not be chained would be counted and lost:
            # the ledger is checked (its head rebuilt if need be) before it is counted.
            try:
                await asyncio.to_thread(self.ledger.prepare)
            except StoreError as exc:
                raise StoreError(f"{str(exc).rstrip('.')}; no attempt was started") from None
        self.header = await asyncio.to_thread(
            self.store.begin_session, header, limit, self.one_attempt_at_a_time
        )

    def resume(self, header: SessionHeader | Record) -> None:
        """Attach to a stored session being continued (its header is already stored):
        claim it (refused if another live process has), and for a certification attempt
        check that the ledger can take its record before anything is played."""
        self.header = {**self.store.claim(self.trainee, str(header["id"])), "resumed": True}
        if self.header.get("mode") == "certification":
            self.ledger.prepare()

    async def turn_committed(self, session: Session, turn: Turn) -> None:
        await asyncio.to_thread(
            self.store.append_turn, self.trainee, session.id, {**turn_record(turn)}
        )

    async def rewound(self, session: Session, branch: Branch) -> None:
        await asyncio.to_thread(self.store.mark_branch, self.trainee, session.id, branch.from_index)

    async def session_ended(self, session: Session) -> None:
        await asyncio.to_thread(self.finish, session, "ended")

    def finish(self, session: Session, status: Status) -> SessionHeader:
        """End the stored session; for certification, chain a record into the ledger
        first (found again, not duplicated, if an earlier run got that far)."""
        changes: SessionEnd = {
            "status": status,
            "ended_by": session.ended_by,
            "outcome": outcome_record(session),
        }
        if session.mode == "certification":
            rules = session.setup.scenario.certification
            result = judge_attempt(
                session.score(),
                session.setup.scenario,
                len(session.turns),
                session.ended_by,
                {c.id: c.name for c in session.setup.rubric.criteria},
            )
            turns = [turn_record(t) for t in session.turns]
            existing = (
                [r for r in self.ledger.for_session(session.id) if r.get("kind") == "certification"]
                if self.header.get("resumed")
                else []
            )
            body = certification_body(
                {**self.header, "ended_by": session.ended_by},
                result,
                session.score().criteria,
                turns,
                self.header["content_hashes"],
            )
            record = existing[-1] if existing else self.ledger.append(body)
            self.certification = {
                "passed": bool(record["passed"]),
                "record": record["id"],
                "score": record["score"],
                "pass_mark": record["pass_mark"],
                "attempt": record.get("attempt"),
                "attempts_allowed": rules.attempts,
                "reasons": list(record.get("reasons", [])),
                "requirements": list(record.get("requirements", [])),
            }
            changes["certification"] = {"passed": record["passed"], "record": record["id"]}
        self.header = self.store.finish_session(self.trainee, session.id, changes)
        return self.header
