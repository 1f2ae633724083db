"""The turn pipeline, independent of any particular buyer or assessor."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import pytest

from tests.fakes import ChunkedBuyer, ScriptedAssessor, assessment
from trainer.content.library import Library
from trainer.engine.session import (
    Assessed,
    InvalidTurn,
    NotAllowed,
    ReplyChunk,
    Session,
    SessionOver,
    TurnCommitted,
)
from trainer.engine.state import BuyerState, StateChange

SCENARIO = "cold-call-cold-chain"


def make(library: Library, *verdicts, clock=None) -> Session:  # type: ignore[no-untyped-def]
    kwargs = {"clock": clock} if clock else {}
    return Session(library.resolve(SCENARIO), ChunkedBuyer(), ScriptedAssessor(*verdicts), **kwargs)


async def test_events_come_in_pipeline_order(library: Library) -> None:
    session = make(library)
    await session.start()
    events = [event async for event in session.take_turn("How do Mondays look at Savannah?")]
    assert isinstance(events[0], Assessed)
    assert all(isinstance(e, ReplyChunk) for e in events[1:-1])
    assert isinstance(events[-1], TurnCommitted)
    assert events[-1].turn.buyer == "reply to turn 1"


async def test_every_state_change_carries_its_cause(library: Library) -> None:
    persona = library.resolve(SCENARIO).persona
    session = make(
        library, assessment("pitch", 1, reason="product pitch before learning their priorities")
    )
    await session.start()
    turn = await session.play("DockWise is the leading platform.")
    rule = persona.reactions.pitch
    expected_patience = rule.patience - 2 * persona.sensitivity.patience
    assert (
        StateChange("patience", expected_patience, "product pitch before learning their priorities")
        in turn.changes
    )
    assert turn.state.patience == persona.patience + expected_patience
    assert "patience " in turn.cause and "product pitch" in turn.cause


async def test_relevant_pitch_uses_its_own_rule(library: Library) -> None:
    persona = library.resolve(SCENARIO).persona
    session = make(library, assessment("pitch", 4, relevant_pitch=True))
    await session.start()
    turn = await session.play("Since detention is the issue: carriers book their own slots.")
    expected = persona.reactions.relevant_pitch.patience + persona.sensitivity.patience
    assert turn.state.patience == persona.patience + expected
    assert expected > 0


async def test_patience_running_out_ends_the_call(library: Library) -> None:
    session = make(library, *[assessment("pressure", 1)] * 5)
    await session.start()
    turns = 0
    while not session.over:
        await session.play("Sign today for 20% off.")
        turns += 1
    assert session.ended_by == "buyer"
    assert session.turns[-1].state.patience == 0
    assert turns <= 3
    with pytest.raises(SessionOver):
        await session.play("Hello?")


async def test_turn_limit_ends_the_call(library: Library) -> None:
    setup = library.resolve(SCENARIO)
    session = make(library, *[assessment("agenda", 3)] * 40)
    await session.start()
    for _ in range(setup.scenario.limits.turns):
        await session.play("Okay.")
    assert session.ended_by == "limit"
    assert len(session.turns) == setup.scenario.limits.turns


async def test_time_limit_uses_the_injected_clock(library: Library) -> None:
    setup = library.resolve(SCENARIO)
    limited = setup.scenario.model_copy(
        update={"limits": setup.scenario.limits.model_copy(update={"minutes": 5})}
    )
    now = [1000.0]
    session = Session(
        setup.__class__(
            limited, setup.persona, setup.rubric, setup.scenario_source, setup.persona_source
        ),
        ChunkedBuyer(),
        ScriptedAssessor(),
        clock=lambda: now[0],
    )
    await session.start()
    await session.play("First question?")
    assert not session.over
    now[0] += 301
    await session.play("Second question?")
    assert session.ended_by == "limit"


async def test_agreement_needs_openness_and_facts(library: Library) -> None:
    setup = library.resolve(SCENARIO)
    step = assessment("agenda", 5, proposes_next_step=True)
    early = make(library, step)
    await early.start()
    turn = await early.play("Shall we book thirty minutes next week?")
    assert turn.ended_by is None  # not earned yet
    session = make(library, step)
    session.turns.append(
        turn.__class__(
            **{**turn.__dict__, "state": BuyerState(80, 90, ("detention-bill", "peak-overtime"))}
        )
    )
    turn = await session.play("Shall we book thirty minutes next week with your Savannah numbers?")
    assert turn.ended_by == "agreement" and session.ended_by == "agreement"
    assert setup.scenario.next_step.facts <= 2


async def test_cancelled_reply_changes_nothing(library: Library) -> None:
    session = make(library)
    await session.start()
    before = session.state
    stream = session.take_turn("What does detention cost you at Savannah?")
    async for event in stream:
        if isinstance(event, ReplyChunk):
            break
    assert isinstance(stream, AsyncGenerator)  # so it can be closed mid-reply
    await stream.aclose()
    assert session.turns == []
    assert session.state == before
    turn = await session.play("What does detention cost you at Savannah?")
    assert turn.index == 1


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("hello \x1b[31mred", "control character"),
        ("x" * 50_000, "at most"),
    ],
)
async def test_invalid_turns_are_refused_before_anything_happens(
    library: Library, text: str, fragment: str
) -> None:
    assessor = ScriptedAssessor()
    session = Session(library.resolve(SCENARIO), ChunkedBuyer(), assessor)
    await session.start()
    with pytest.raises(InvalidTurn, match=fragment):
        await session.play(text)
    assert assessor.contexts == [] and session.turns == []


async def test_markup_is_just_text(library: Library) -> None:
    session = make(library)
    await session.start()
    turn = await session.play("[bold]Hi[/] [/] {braces} <b>tag</b>")
    assert turn.seller == "[bold]Hi[/] [/] {braces} <b>tag</b>"


async def test_rewind_keeps_the_abandoned_branch(library: Library) -> None:
    session = make(
        library, assessment("discovery", 5), assessment("pitch", 1), assessment("pitch", 1)
    )
    await session.start()
    await session.play("Good question?")
    await session.play("Our platform.")
    await session.play("Our platform again.")
    state_after_first = session.turns[0].state
    abandoned = await session.rewind(1)
    assert [t.index for t in abandoned] == [2, 3]
    assert session.state == state_after_first
    assert session.branches[0].from_index == 1
    turn = await session.play("Another good question?")
    assert turn.index == 2


async def test_certification_cannot_be_rewound(library: Library) -> None:
    session = make(library, assessment("discovery", 5), assessment("pitch", 1))
    session.mode = "certification"
    await session.start()
    await session.play("Good question?")
    await session.play("Our platform.")
    with pytest.raises(NotAllowed):
        await session.rewind(1)
    assert len(session.turns) == 2 and not session.branches


async def test_history_given_to_backends_is_bounded(library: Library) -> None:
    assessor = ScriptedAssessor()
    buyer = ChunkedBuyer()
    setup = library.resolve(SCENARIO)
    session = Session(setup, buyer, assessor)
    await session.start()
    for n in range(12):
        await session.play(f"Question number {n}?")
        if session.over:
            break
    assert max(len(c.history) for c in assessor.contexts) <= 6


async def test_buyer_gets_only_earned_facts(library: Library) -> None:
    buyer = ChunkedBuyer()
    session = Session(library.resolve(SCENARIO), buyer, ScriptedAssessor())
    await session.start()
    await session.play("What does truck detention cost you at Savannah?")
    for context in buyer.contexts:
        assert {f.id for f in context.earned_facts} == set(context.state.disclosed)


async def test_seller_can_end_the_call(library: Library) -> None:
    session = make(library)
    await session.start()
    await session.play("Thanks for your time today?")
    await session.end_by_seller()
    assert session.ended_by == "seller"
    assert session.score().score >= 0
