"""``trainer doctor --call SCENARIO`` against the fake OpenAI server: a well-behaved model
is fit; each misbehaviour breaks exactly its own check and the verdict names it; an
endpoint that cannot be used is one line and exit 2.

The scenario is the starter cold call with its own small set of scripted sellers (a
pitch, pressure, good questions), so what the offline judge reads in each turn is plain."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import run
from tests.fake_openai import FakeOpenAI, Status
from tests.fakes import assessment
from trainer.content.library import Library, ResolvedScenario
from trainer.content.models import HiddenFact
from trainer.engine.ports import ReplyContext
from trainer.engine.session import Session
from trainer.engine.state import BuyerState
from trainer.llm.call_check import (
    Played,
    RecordingBuyer,
    judge_replies,
    out_of_character,
    unearned_said,
    warms_to,
)
from trainer.offline.assessor import OfflineAssessor
from trainer.offline.buyer import OfflineBuyer

pytest_plugins = ["tests.fake_openai"]

PITCH = (
    "Hi Dana, this is Kevin from DockWise. We're the leading dock appointment scheduling "
    "platform for warehouses, and I'd love to tell you a little about what we do."
)
PITCH_2 = (
    "DockWise is an AI-powered, end-to-end solution: carriers book their own slots through "
    "our carrier portal, and your team gets real-time visibility on a single dashboard."
)
PRESSURE = "If I can get you 30% off, can you sign today?"
QUESTIONS = (
    "Hi Dana, it's Sam Patel with DockWise. I know I'm calling out of the blue, so I'll be "
    "brief: I saw Savannah opened a second dock in March for port traffic. Do you have two "
    "minutes, and if it isn't relevant, just tell me?",
    "The reason I'm calling is that cold-storage sites adding a dock often find the trucks "
    "still arrive in bunches. How are inbound trucks at Savannah scheduled today, now that "
    "the second dock is open?",
    "Which days or times of the week are hardest on the dock, and how does that show up in "
    "overtime for your crews?",
)
SCRIPTS = f"""
tests:
- name: a feature dump
  seller: [{PITCH!r}, {PITCH_2!r}]
  expect: {{}}
- name: a discount
  seller: [{PRESSURE!r}]
  expect: {{}}
- name: good questions
  seller: {list(QUESTIONS)!r}
  expect: {{}}
"""
CALM = "Go on. What is it you want to know about the dock?"


@pytest.fixture
def scenario(content_dir: Path) -> Path:
    """The starter scenario file with the scripts above instead of its own."""
    path = content_dir / "scenarios" / "cold-call-cold-chain.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\ntests:")] + SCRIPTS, encoding="utf-8")
    return path


def seller_said(body: dict[str, Any]) -> str:
    """The seller's turn in a buyer request (the last message, after its marker)."""
    return str(body["messages"][-1]["content"]).rsplit("The seller just said:", 1)[-1]


def is_pitch(body: dict[str, Any]) -> bool:
    said = seller_said(body)
    return any(part[:40] in said for part in (PITCH, PITCH_2, PRESSURE))


def call(
    capsys: pytest.CaptureFixture[str], url: str, scenario: Path | str
) -> tuple[int, str, str]:
    return run(
        capsys, "doctor", "--call", str(scenario), "--base-url", url, "--model", "buyer-model"
    )


def check_lines(out: str) -> dict[str, str]:
    """Each check's summary mark ("ok" or "FAIL"), by its title's first word."""
    section = out.split("\nchecks:\n", 1)[1].split("\n\nverdict:", 1)[0]
    marks: dict[str, str] = {}
    for line in section.splitlines():
        mark, _, rest = line.strip().partition(" ")
        if mark in ("ok", "FAIL"):
            marks[rest.strip().split()[0]] = mark
    return marks


ALL_OK = {"stayed": "ok", "kept": "ok", "less": "ok", "stated": "ok"}


def test_a_well_behaved_model_is_fit(
    fake_openai: FakeOpenAI, scenario: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_openai.buyer_text = CALM + "\x1b[2J"
    code, out, err = call(capsys, fake_openai.url, scenario)
    assert code == 0, out + err
    assert "the offline judge assesses" in out
    assert "\na feature dump\n" in out and "\ngood questions\n" in out
    assert "  turn  1  pitch 1 " in out and f" ok  {CALM}" in out
    assert "\x1b" not in out  # the reply is cleaned before it is printed
    assert check_lines(out) == ALL_OK
    assert out.rstrip().endswith("verdict: fit for trainees")


@pytest.mark.parametrize(
    ("reply", "check", "verdict"),
    [
        ("As an AI language model, I can't discuss that.", "stayed", "out of character"),
        (
            " ".join(["Well, I could go on about the dock and the crews all day."] * 8),
            "kept",
            "over the word budget",
        ),
        (
            "We paid about 410,000 in detention last year.",
            "stated",
            "stated a hidden fact unearned",
        ),
    ],
    ids=["says-it-is-an-ai", "rambles", "states-a-hidden-figure"],
)
def test_each_misbehaviour_breaks_its_own_check(
    fake_openai: FakeOpenAI,
    scenario: Path,
    capsys: pytest.CaptureFixture[str],
    reply: str,
    check: str,
    verdict: str,
) -> None:
    fake_openai.buyer_text = reply
    code, out, _ = call(capsys, fake_openai.url, scenario)
    assert code == 1
    assert check_lines(out) == {**ALL_OK, check: "FAIL"}
    assert f"verdict: not fit: {verdict} in " in out
    assert "FAIL " in out.split("\nchecks:")[0]  # the replies that failed are marked


def test_gushing_at_a_pitch_breaks_the_patience_check(
    fake_openai: FakeOpenAI, scenario: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_openai.buyer = lambda body: "Sounds great, let's book a demo." if is_pitch(body) else CALM
    code, out, _ = call(capsys, fake_openai.url, scenario)
    assert code == 1
    assert check_lines(out) == {**ALL_OK, "less": "FAIL"}
    assert "says 'sounds great' to a pitch" in out
    assert (
        "verdict: not fit: warmed to pitch or pressure in 3 of 3 pitch or pressure replies" in out
    )


def test_talking_longer_to_a_pitch_breaks_the_patience_check(
    fake_openai: FakeOpenAI, scenario: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No gushing word, but a buyer that gives a pitch three times the words it gives a
    good question is not less patient with it."""
    long = (
        "Right. Carriers, docks, crews, schedules: I hear about all of it every week from vendors."
    )
    long = f"{long} {long} {long}"
    fake_openai.buyer = lambda body: long if is_pitch(body) else "Go on. What else?"
    code, out, _ = call(capsys, fake_openai.url, scenario)
    assert code == 1
    assert check_lines(out) == {**ALL_OK, "less": "FAIL"}
    assert "replies to pitch and pressure averaged 45 words, to good questions 4" in out


def test_an_endpoint_that_cannot_be_used_is_one_line(
    fake_openai: FakeOpenAI, scenario: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = call(capsys, f"http://127.0.0.1:{port}/v1", scenario)
    assert code == 3
    assert err.count("\n") == 1 and "cannot reach http://127.0.0.1" in err
    fake_openai.push(*[Status(429)] * 3)  # the first try and two retries
    code, _, err = call(capsys, fake_openai.url, scenario)
    assert code == 3 and err.count("\n") == 1 and "rate-limiting us (429)" in err
    fake_openai.api_key = "the-right-key"
    code, _, err = call(capsys, fake_openai.url, scenario)
    assert code == 3 and err.count("\n") == 1 and "refused the API key (401)" in err


def test_offline_says_what_call_needs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "doctor", "--call", "cold-call-cold-chain")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "--call checks a model" in err and "--base-url URL --model NAME" in err


def test_an_unknown_scenario_lists_the_known_ones(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = call(capsys, fake_openai.url, "cold-call-cold-chian")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "no scenario 'cold-call-cold-chian'" in err and "cold-call-cold-chain" in err
    assert "Known scenarios:" in err
    assert fake_openai.chat_requests() == []


def test_the_starter_cold_call_is_fit_with_a_calm_model(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_openai.buyer_text = CALM
    code, out, _ = call(capsys, fake_openai.url, "cold-call-cold-chain")
    assert code == 0 and "verdict: fit for trainees" in out


# ------------------------------------------------------------------ the word lists


@pytest.mark.parametrize(
    "reply",
    [
        "I'm losing patience with vendors who call at six.",
        "My assistant books the carriers; talk to her.",
        "Worst-case scenario, the trucks sit all morning.",
        "AI-powered. Sure. Everyone's AI-powered.",
        "Our forklift trainer is out this week.",
        "The supplier scorecard says the carriers are late.",
        "That's not the rule here; the dock decides.",
        "This is not a good use of my time.",
    ],
)
def test_what_a_buyer_says_naturally_stays_in_character(reply: str) -> None:
    assert out_of_character(reply) is None


@pytest.mark.parametrize(
    "reply",
    [
        "As an AI, I can't share that.",
        "My patience is at 40 right now.",
        "Openness: 20/100.",
        "I'm not allowed to break character or talk about the rubric.",
        "This simulation won't let me say.",
        "My instructions say I can't tell you.",
    ],
)
def test_the_machinery_takes_a_reply_out_of_character(reply: str) -> None:
    assert out_of_character(reply) is not None


def test_warming_to_a_pitch_unless_negated() -> None:
    assert warms_to("Sounds great! Send me the contract.") == "sounds great"
    assert warms_to("I'd love to see it.") == "i'd love to"
    assert warms_to("That's not exactly amazing, is it?") is None
    assert warms_to("I wouldn't love to, no.") is None
    assert warms_to("You're reading me a brochure.") is None


# ------------------------------------------------------------------ the fact check


async def test_the_offline_buyer_passes_every_check(library: Library) -> None:
    """The persona's own lines, as the offline buyer speaks them, are the standard: the
    checks must not fail them (no false alarm from one earned fact's words or numbers
    taken for another's)."""
    setup = library.resolve("cold-call-cold-chain")
    played: list[Played] = []
    assessor = OfflineAssessor()
    for test in setup.scenario.tests:
        session = Session(setup, RecordingBuyer(OfflineBuyer(0), test.name, played), assessor)
        await session.start()
        for line in test.seller:
            if session.over:
                break
            await session.play(line)
    report = judge_replies(played)
    assert report.fit, [r.failed for r in report.replies if r.failed]


def test_a_number_the_buyer_was_given_is_not_another_fact(library: Library) -> None:
    setup = library.resolve("cold-call-cold-chain")
    facts = {f.id: f for f in setup.persona.hidden_facts}
    detention = facts["detention-bill"]
    unearned = reply_context(setup, ())
    assert unearned_said(unearned, "We paid about 410,000 in detention.") == ["detention-bill"]
    assert unearned_said(unearned, "Four hundred ten grand, give or take.") == ["detention-bill"]
    assert unearned_said(unearned, "One site, two docks, eleven doors.") == []
    # the seller said the number first: the buyer repeating it says nothing hidden
    echoed = reply_context(setup, (), seller="Is detention near $410,000 a year for you?")
    assert unearned_said(echoed, "410,000? Could be.") == []
    # a figure inside an earned fact is the buyer's to say
    shared = reply_context(setup, (detention,))
    assert unearned_said(shared, detention.reveal) == []


def reply_context(
    setup: ResolvedScenario, earned: tuple[HiddenFact, ...], seller: str = "How is the dock?"
) -> ReplyContext:
    return ReplyContext(
        setup=setup,
        seller_text=seller,
        turn_index=2,
        assessment=assessment(),
        state=BuyerState(50, 30),
        earned_facts=earned,
        new_facts=earned,
        withheld_topic=False,
        ending=None,
        history=[],
    )
