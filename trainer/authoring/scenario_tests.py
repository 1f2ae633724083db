"""Running a scenario's scripted sellers and checking what happened against what the
author expected, with a message that says what to change when it does not match.

The script is played through the real engine, exactly as a trainee's session would be,
with the offline backend by default (deterministic) or a model. A script that runs out
before the call ends is the seller leaving the call, as in ``trainer play``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from trainer.content.library import ResolvedScenario
from trainer.content.models import ScenarioTest
from trainer.engine.ports import Assessor, Buyer
from trainer.engine.session import Session, Turn
from trainer.sessions.backends import close_backends, make_backends
from trainer.words import plural

Backends = Callable[[ResolvedScenario], tuple[Buyer, Assessor]]


def offline_backends(setup: ResolvedScenario) -> tuple[Buyer, Assessor]:
    return make_backends(None, 0)


@dataclass(frozen=True)
class Check:
    """One expectation: passed or not, what happened, and (on failure) what to change."""

    name: str
    passed: bool
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class TestRun:
    scenario: str
    test: str
    checks: tuple[Check, ...]
    session: Session

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


async def run_scenario_test(
    setup: ResolvedScenario, test: ScenarioTest, backends: Backends = offline_backends
) -> TestRun:
    buyer, assessor = backends(setup)
    session = Session(setup, buyer, assessor)
    await session.start()
    try:
        for line in test.seller:
            if session.over:
                break
            await session.play(line)
        if not session.over:
            await session.end_by_seller()
    finally:
        await close_backends(buyer)
    return TestRun(setup.scenario.id, test.name, tuple(checks_for(setup, test, session)), session)


def _hung_up_at(session: Session) -> Turn | None:
    return session.turns[-1] if session.ended_by == "buyer" and session.turns else None


def _main_move(session: Session) -> str:
    moves = Counter(t.assessment.move for t in session.turns)
    return moves.most_common(1)[0][0] if moves else "other"


def checks_for(setup: ResolvedScenario, test: ScenarioTest, session: Session) -> list[Check]:
    """Each of the test's expectations, checked against the played session."""
    expect = test.expect
    persona = setup.persona
    checks: list[Check] = []
    hung_up = _hung_up_at(session)
    played = len(session.turns)
    state = session.state

    if expect.buyer_ends_by_turn is not None:
        limit = expect.buyer_ends_by_turn
        if hung_up is not None and hung_up.index <= limit:
            checks.append(
                Check(f"the buyer ends the call by turn {limit}", True, f"at turn {hung_up.index}")
            )
        else:
            move = _main_move(session)
            rule = getattr(persona.reactions, move, None)
            now = f" (now {rule.patience:+d})" if rule is not None else ""
            happened = (
                f"hung up only at turn {hung_up.index}"
                if hung_up is not None
                else f"was still on the call after {plural(played, 'turn')}, "
                f"patience {state.patience}"
            )
            checks.append(
                Check(
                    f"the buyer ends the call by turn {limit}",
                    False,
                    f"the buyer {happened}",
                    f"make reactions.{move}.patience in personas/{persona.id}.yaml more "
                    f"negative{now}, or start with less patience (now {persona.patience})",
                )
            )
    if expect.buyer_stays is True:
        if hung_up is None:
            checks.append(
                Check("the buyer stays on the call", True, f"{plural(played, 'turn')} played")
            )
        else:
            move = hung_up.assessment.move
            rule = getattr(persona.reactions, move, None)
            now = f" (now {rule.patience:+d})" if rule is not None else ""
            checks.append(
                Check(
                    "the buyer stays on the call",
                    False,
                    f"the buyer hung up at turn {hung_up.index} after a {move} turn "
                    f"({hung_up.assessment.reason})",
                    f"soften reactions.{move}.patience in personas/{persona.id}.yaml{now}, "
                    f"start with more patience (now {persona.patience}), or change the script "
                    f"if that turn deserved it",
                )
            )
    if expect.agreement is not None:
        agreed = session.ended_by == "agreement"
        want = "agrees" if expect.agreement else "does not agree"
        next_step = setup.scenario.next_step
        fix = (
            f"an agreement needs openness {next_step.openness} and {next_step.facts} facts "
            f"disclosed (reached {state.openness} and {len(state.disclosed)}); lower "
            "next_step in the scenario, or make the script earn it"
            if expect.agreement
            else "raise next_step.openness or next_step.facts in the scenario"
        )
        checks.append(
            Check(
                f"the buyer {want} a next step",
                agreed == expect.agreement,
                f"the call ended: {session.ended_by or 'not ended'}",
                "" if agreed == expect.agreement else fix,
            )
        )
    for fact_id in expect.disclosed:
        fact = next((f for f in persona.hidden_facts if f.id == fact_id), None)
        if fact is None:
            continue
        got = fact_id in state.disclosed
        topics = ", ".join(fact.topics[:4])
        needs = f"openness {fact.when.openness}" + (
            f" and a question about {topics}" if fact.when.on_topic else ""
        )
        checks.append(
            Check(
                f"the seller learns {fact_id}",
                got,
                "disclosed" if got else f"not disclosed (openness reached {state.openness})",
                ""
                if got
                else f"{fact_id} needs {needs}: lower hidden_facts {fact_id} when.openness "
                "in the persona, or add a turn that asks about it",
            )
        )
    for fact_id in expect.not_disclosed:
        got = fact_id in state.disclosed
        at = next((t.index for t in session.turns if fact_id in t.disclosed_now), None)
        checks.append(
            Check(
                f"the seller does not learn {fact_id}",
                not got,
                "not disclosed" if not got else f"disclosed at turn {at}",
                ""
                if not got
                else f"raise hidden_facts {fact_id} when.openness in the persona, or set "
                "when.on_topic: true so only a question about it earns it",
            )
        )
    if expect.score is not None:
        score = session.score().score
        band = expect.score
        inside = band.min <= score <= band.max
        verdicts = ", ".join(str(t.assessment.good_use) for t in session.turns)
        checks.append(
            Check(
                f"the score is {band.min}-{band.max}",
                inside,
                f"scored {score} (turn verdicts {verdicts})",
                ""
                if inside
                else "if the script deserves that score, move the band; if not, the rubric "
                "weights or the persona's reactions reward the wrong thing",
            )
        )
    for number, move in sorted(expect.moves.items()):
        if number > played:
            checks.append(
                Check(
                    f"turn {number} is read as {move}",
                    False,
                    f"the call ended after {plural(played, 'turn')}",
                    "the expectations for earlier turns show why it ended",
                )
            )
            continue
        turn = session.turns[number - 1]
        read = turn.assessment.move
        checks.append(
            Check(
                f"turn {number} is read as {move}",
                read == move,
                f"read as {read} ({turn.assessment.reason})",
                ""
                if read == move
                else "reword the turn so it plainly does what you meant, or expect what the "
                "assessor reads",
            )
        )
    if not checks:
        checks.append(
            Check("the script plays", True, f"{plural(played, 'turn')}, ended: {session.ended_by}")
        )
    return checks
