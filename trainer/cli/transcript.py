"""What a played session prints: the transcript as text, or one JSON document
(``play``, ``certify`` and ``resume`` print the same)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from trainer.cli.render import describe_certification, describe_outcome, describe_turn, header
from trainer.cli.scripts import ScriptLine
from trainer.engine.records import usage_record
from trainer.engine.session import Session, Turn
from trainer.sessions.recording import Recording
from trainer.text import printable


@dataclass
class PlayResult:
    session: Session
    unplayed: list[ScriptLine] = field(default_factory=list)
    recording: Recording | None = None
    """Where the session is saved; None with ``--no-record``."""


def turn_document(turn: Turn) -> dict[str, Any]:
    a = turn.assessment
    return {
        "seller": turn.seller,
        "buyer": turn.buyer,
        "move": a.move,
        "good_use": a.good_use,
        "criteria": dict(a.criteria),
        "evidence": list(a.evidence),
        "tip": a.tip,
        "patience": turn.state.patience,
        "openness": turn.state.openness,
        "disclosed": list(turn.disclosed_now),
        "owed": list(turn.state.owed),
        "cause": turn.cause,
        "changes": [{"field": c.field, "delta": c.delta, "cause": c.cause} for c in turn.changes],
        "usage": usage_record(turn.usage),
        "verdicts": {
            "offline": a.verdicts.get("offline", a.good_use),
            "judge": a.verdicts.get("judge"),
        },
        "flags": list(turn.flags),
    }


def play_document(result: PlayResult) -> dict[str, Any]:
    session = result.session
    breakdown = session.score()
    document: dict[str, Any] = {
        "scenario": session.setup.scenario.id,
        "mode": session.mode,
        "session": session.id,
        "backend": session.buyer.name,
        "opening": session.opening,
        "turns": [turn_document(t) for t in session.turns],
        "outcome": {
            "ended_by": session.ended_by,
            "score": breakdown.score,
            "quality": breakdown.turns_part,
            "outcomes": breakdown.outcomes_part,
            "objectives": [o.record() for o in breakdown.objectives],
            "adjustments": [a.record() for a in breakdown.adjustments],
            "disclosed": list(session.state.disclosed),
            "missed": [f.id for f in session.missed_facts],
            "criteria": {c.id: breakdown.criteria.get(c.id) for c in session.setup.rubric.criteria},
            "criteria_turns": breakdown.applied,
        },
        "unplayed": [{"line": line.number, "seller": line.text} for line in result.unplayed],
    }
    recording = result.recording
    if recording is not None:
        document["trainee"] = recording.trainee
        document["store"] = str(recording.saved_in)
        certification = recording.certification
        if certification is not None:
            document["certification"] = certification.record()
    return document


def print_transcript(result: PlayResult) -> None:
    session = result.session
    out = sys.stdout
    out.write(header(session.setup) + "\n\n")
    out.write(printable(f"{session.setup.persona.name.split()[0]}: {session.opening}") + "\n\n")
    for turn in session.turns:
        out.write(describe_turn(session.setup, turn, feedback=True) + "\n\n")
    out.write(describe_outcome(session) + "\n")
    certification = result.recording.certification if result.recording else None
    if certification is not None:
        out.write(describe_certification(certification) + "\n")
    if result.unplayed:
        numbers = ", ".join(str(line.number) for line in result.unplayed)
        out.write(
            f"\n{len(result.unplayed)} line(s) not played (script lines {numbers}): "
            "the call had already ended.\n"
        )
