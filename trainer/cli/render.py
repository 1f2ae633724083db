"""Plain-text renderings of sessions for the terminal: transcript lines, verdicts and the
outcome. Nothing here interprets markup, and every rendering passes ``printable``: a
model's reply, tip or cause, and content text, reach the terminal without a control
character or escape sequence."""

from __future__ import annotations

import textwrap

from trainer.content.library import ResolvedScenario
from trainer.engine.ports import ENDINGS
from trainer.engine.score_words import score_parts
from trainer.engine.session import Session, Turn
from trainer.sessions.outcome import CertificationOutcome
from trainer.text import criterion_average, printable
from trainer.words import flag_notes, plural


def header(setup: ResolvedScenario) -> str:
    persona = setup.persona
    scenario = setup.scenario
    return printable(
        f"{scenario.title}\n"
        f"{persona.name}, {persona.role}, {persona.organisation} · "
        f"{scenario.setting.replace('_', ' ')} · {scenario.difficulty} · "
        f"up to {scenario.limits.turns} turns"
    )


def _wrap(text: str, indent: str, first: str | None = None) -> str:
    return textwrap.fill(
        printable(text), width=92, initial_indent=first or indent, subsequent_indent=indent
    )


CUT_OFF = " [the reply was cut off]"


def describe_turn(
    setup: ResolvedScenario, turn: Turn, feedback: bool, echo_seller: bool = True
) -> str:
    first = setup.persona.name.split()[0]
    lines = []
    if echo_seller:
        lines.append(_wrap(f"You: {turn.seller}", "   ", first=f"{turn.index:>2} "))
    cut = CUT_OFF if "incomplete_reply" in turn.flags else ""
    lines.append(_wrap(f"{first}: {turn.buyer}{cut}", "   "))
    if feedback:
        lines.append(describe_feedback(setup, turn))
    return printable("\n".join(lines))


def describe_feedback(setup: ResolvedScenario, turn: Turn) -> str:
    """How the turn landed: verdict, state, causes, what was learned, the tip."""
    lines = []
    a = turn.assessment
    lines.append(
        f"   -> {a.move}, good use {a.good_use}/5 · patience {turn.state.patience} · "
        f"openness {turn.state.openness}"
    )
    lines.append(_wrap(f"why: {turn.cause}", "      "))
    if turn.disclosed_now:
        lines.append(
            _wrap(
                "learned: "
                + "; ".join(
                    f.fact for f in setup.persona.hidden_facts if f.id in turn.disclosed_now
                ),
                "      ",
            )
        )
    lines.append(_wrap(f"tip: {a.tip}", "      "))
    notes = flag_notes(turn.flags)
    if notes:
        lines.append(_wrap("note: " + "; ".join(notes), "      "))
    return printable("\n".join(lines))


def describe_withheld(session: Session) -> str:
    """After a certification attempt: the feedback held back during it, turn by turn."""
    lines = ["How each turn landed:"]
    for turn in session.turns:
        lines.append(_wrap(f"You: {turn.seller}", "   ", first=f"{turn.index:>2} "))
        lines.append(describe_feedback(session.setup, turn))
    return printable("\n".join(lines))


def describe_outcome(session: Session) -> str:
    breakdown = session.score()
    turns = len(session.turns)
    lines = [
        f"Outcome: {ENDINGS[session.ended_by]} after {plural(turns, 'turn')}.",
        f"Session score: {breakdown.score}/100",
        *(
            _wrap(line.strip(), "        ", first="      ")
            if line.startswith("  ")
            else _wrap(line, "    ", first="  ")
            for line in score_parts(breakdown)
        ),
    ]
    if session.turns:
        lines.append(
            "Criteria: "
            + ", ".join(
                f"{c.name} "
                + criterion_average(breakdown.criteria.get(c.id), breakdown.applied.get(c.id, 0))
                for c in session.setup.rubric.criteria
            )
        )
    earned = session.earned_facts
    missed = session.missed_facts
    lines.append(f"Learned {len(earned)} of {len(earned) + len(missed)} hidden facts.")
    for fact in missed:
        hint = f" ({fact.hint})" if fact.hint else ""
        lines.append(_wrap(f"missed: {fact.fact}{hint}", "  "))
    return printable("\n".join(lines))


def describe_certification(outcome: CertificationOutcome) -> str:
    """The verdict on a certification attempt, with every reason it failed."""
    verdict = "PASSED" if outcome.passed else "NOT PASSED"
    attempt, allowed = outcome.attempt, outcome.attempts_allowed
    counted = f" · attempt {attempt} of {allowed}" if attempt and allowed else ""
    lines = [
        f"Certification: {verdict} · score {outcome.score} (pass mark {outcome.pass_mark})"
        f"{counted} · record {outcome.record_id[:12]}"
    ]
    lines += [f"  - {reason}" for reason in outcome.reasons]
    return printable("\n".join(lines))
