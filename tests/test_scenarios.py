"""Every starter scenario behaves as its point of view promises: a feature dump gets the
buyer off the phone within a few turns, and good discovery and insight keep them
talking and earn most of what they hide."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from trainer.content.library import Library, load_library
from trainer.engine.session import Session
from trainer.offline.assessor import OfflineAssessor
from trainer.offline.buyer import OfflineBuyer

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = Path(__file__).parent / "data" / "scripts"
SCENARIOS = sorted(p.stem for p in (REPO / "scenarios").glob("*.yaml"))
PITCH_ENDS_BY = 4
"""A pitch-only seller is hung up on within this many turns."""


def script(scenario: str, kind: str) -> list[str]:
    lines = (SCRIPTS / scenario / f"{kind}.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()]


def play(library: Library, scenario: str, lines: list[str], seed: int = 0) -> Session:
    async def run() -> Session:
        session = Session(library.resolve(scenario), OfflineBuyer(seed), OfflineAssessor())
        await session.start()
        for line in lines:
            if session.over:
                break
            await session.play(line)
        return session

    return asyncio.run(run())


def test_there_are_six_distinct_starter_scenarios() -> None:
    library = load_library([REPO])
    assert len(SCENARIOS) >= 6
    personas = {library.resolve(s).persona.id for s in SCENARIOS}
    assert len(personas) == len(SCENARIOS)
    for sid in SCENARIOS:
        assert len(library.resolve(sid).persona.hidden_facts) >= 4, sid
    settings = {library.resolve(s).scenario.setting for s in SCENARIOS}
    assert {"cold_call", "end_of_quarter", "follow_up", "renewal", "discovery_meeting"} <= settings


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_pitching_gets_the_buyer_off_the_phone(library: Library, scenario: str) -> None:
    session = play(library, scenario, script(scenario, "pitch"))
    assert session.ended_by == "buyer", [t.cause for t in session.turns]
    assert len(session.turns) <= PITCH_ENDS_BY
    assert session.turns[-1].state.patience == 0
    assert all(t.assessment.good_use <= 2 for t in session.turns)
    assert session.score().score < 30


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_discovery_and_insight_keep_them_talking(library: Library, scenario: str) -> None:
    session = play(library, scenario, script(scenario, "discovery"))
    facts = session.setup.persona.hidden_facts
    disclosed = session.state.disclosed
    report = [(t.assessment.move, t.assessment.good_use, t.cause) for t in session.turns]
    assert session.ended_by != "buyer", report
    assert len(disclosed) > len(facts) / 2, report
    assert session.score().score >= 60, report


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_fifteen_turns_without_a_repeated_reply(library: Library, scenario: str) -> None:
    lines = script(scenario, "discovery")
    questions = [
        "What does a normal week look like for you right now?",
        "Who else feels this problem most?",
        "What would good look like by the end of the year?",
        "What have you already ruled out, and why?",
        "How do you measure progress on that today?",
    ]
    padded = (lines[:-1] + questions * 3)[:15]
    session = play(library, scenario, padded)
    replies = [t.buyer for t in session.turns]
    assert len(replies) == len(set(replies)), replies


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_same_seed_gives_the_same_session(library: Library, scenario: str) -> None:
    lines = script(scenario, "discovery")
    first = play(library, scenario, lines, seed=7)
    second = play(library, scenario, lines, seed=7)
    assert [t.buyer for t in first.turns] == [t.buyer for t in second.turns]
