"""A fact counts as learned only when the buyer said it, and a certification attempt
coaches nothing live.

The offline buyer always says the fact a turn earns (a closing line included); a model
buyer's reply is checked for it, against the fake OpenAI server, and a reply that leaves
it out credits nothing and the fact is offered again on the next turn.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, Literal

import pytest
from textual.widgets import Static

from tests.cli_helpers import REPO, SCENARIO
from tests.fake_openai import FakeOpenAI
from tests.fakes import ScriptedAssessor, assessment
from tests.test_llm_backend import fake as fake  # the fixture: a judge that says discovery
from tests.test_llm_backend import llm_flags
from tests.test_tui import TURNS, say
from tests.test_tui import context as tui_context
from trainer.content.library import Library, ResolvedScenario
from trainer.engine.records import turn_from_record, turn_record
from trainer.engine.session import Session, Turn
from trainer.offline.assessor import OfflineAssessor
from trainer.offline.buyer import OfflineBuyer
from trainer.store.repository import Store
from trainer.tui.app import TrainerApp
from trainer.tui.screens.conversation import ConversationScreen, why
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.widgets.meters import Meter
from trainer.tui.widgets.transcript import Transcript

pytest_plugins = ["tests.fake_openai"]

SCRIPTS = REPO / "tests" / "data" / "scripts"
STARTERS = sorted(p.name for p in SCRIPTS.iterdir() if (p / "discovery.txt").is_file())


def said_in(turn: Turn, setup: ResolvedScenario) -> list[str]:
    """The facts this turn credited whose reveal is not in the buyer's reply."""
    facts = {f.id: f for f in setup.persona.hidden_facts}
    return [f for f in turn.disclosed_now if facts[f].reveal not in turn.buyer]


# ------------------------------------------------------------------ the call screen


async def open_call(pilot: Any, mode: Literal["practice", "certification"]) -> ConversationScreen:
    """The call screen for the cold-call scenario, pushed directly (the briefing's keys for
    starting an attempt are another test's subject)."""
    app = pilot.app
    setup = app.context.library.resolve(SCENARIO)
    await app.push_screen(ConversationScreen(setup, mode))
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ConversationScreen) and screen.mode == mode
    return screen


def shown_outside_the_transcript(screen: ConversationScreen) -> str:
    """Every piece of text the screen shows, less the conversation itself."""
    transcript = screen.query_one(Transcript)
    parts = []
    for widget in screen.query(Static):
        if widget.display and transcript not in widget.ancestors_with_self:
            parts.append(str(widget.render()))
    return "\n".join(parts)


async def test_a_certification_attempt_shows_no_meter_cause_or_learned_fact(
    tmp_path: Path,
) -> None:
    app = TrainerApp(tui_context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_call(pilot, "certification")
        facts = screen.setup.persona.hidden_facts
        for text in TURNS[:4]:
            await say(pilot, text)
            assert not screen.query(Meter)
            for hidden in ("#patience", "#openness", "#cause", "#verdict", "#learned", "#hint"):
                assert not screen.query(hidden), hidden
            shown = shown_outside_the_transcript(screen)
            for word in ("Patience", "Openness", "Why", "What you have learned", "Good use"):
                assert word.lower() not in shown.lower(), (word, shown)
            for fact in facts:
                assert fact.fact not in shown
            assert f"Turn {len(screen.session.turns)}/" in shown  # the turn count stays
        session = screen.session
        assert session.state.disclosed, "the turns learned facts, none of them shown"
        assert any(t.changes for t in session.turns), "the state moved, unshown"
        # the debrief shows what the call kept back
        await pilot.press("ctrl+e", "ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        debrief = str(app.screen.query_one("#turn-by-turn", Static).render())
        learned = {f.id: f.fact for f in facts}
        for fact_id in session.state.disclosed:
            assert f"learned: {learned[fact_id]}" in debrief
        assert "patience" in debrief and "openness" in debrief
        assert why(session.turns[0]) in debrief


async def test_practice_still_coaches_live(tmp_path: Path) -> None:
    app = TrainerApp(tui_context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_call(pilot, "practice")
        for text in TURNS[:4]:
            await say(pilot, text)
        session = screen.session
        assert len(screen.query(Meter)) == 2
        shown = shown_outside_the_transcript(screen)
        assert "Patience" in shown and "Openness" in shown and "Why:" in shown
        learned = str(screen.query_one("#learned", Static).render())
        assert session.earned_facts
        for fact in session.earned_facts:
            assert fact.fact in learned
        assert not screen.query("#withheld")


def test_a_typed_certification_prints_no_coaching_until_the_call_ends(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    library: Library,
) -> None:
    from tests.cli_helpers import DISCOVERY, run

    monkeypatch.setenv("TRAINER_STORE", str(tmp_path / "store"))

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    lines = ["y", *DISCOVERY.read_text().splitlines()[:5], "/end"]  # y: start the attempt
    monkeypatch.setattr("sys.stdin", Terminal("\n".join(lines) + "\n"))
    code, out, err = run(capsys, "certify", SCENARIO, "--trainee", "Ana")
    assert code == 0, err
    during, _, after = out.partition("Outcome:")
    for word in ("patience", "openness", "why:", "learned:", "tip:", "good use"):
        assert word not in during.lower(), word
    facts = {f.id: f.fact for f in library.resolve(SCENARIO).persona.hidden_facts}
    (summary,) = Store.open(tmp_path / "store").sessions("Ana")
    stored = Store.open(tmp_path / "store").find_session(str(summary["id"]))
    learned = [facts[f] for turn in stored.main_line() for f in turn["disclosed_now"]]
    assert learned, "the attempt learned facts"
    # the debrief gives what the call held back: each turn's state, cause and fact
    assert "How each turn landed:" in after
    assert after.count("why:") == 5 and after.count("patience ") >= 5
    flat = " ".join(after.split())
    for fact in learned:
        assert f"learned: {fact}" in flat


# ------------------------------------------------------------------ the offline buyer


def test_the_starter_scenarios_are_all_here() -> None:
    assert len(STARTERS) == 12


@pytest.mark.parametrize("scenario", STARTERS)
@pytest.mark.parametrize("seed", [0, 1, 7])
async def test_every_learned_fact_is_in_an_offline_reply(
    library: Library, scenario: str, seed: int
) -> None:
    setup = library.resolve(scenario)
    session = Session(setup, OfflineBuyer(seed=seed), OfflineAssessor())
    await session.start()
    for line in (SCRIPTS / scenario / "discovery.txt").read_text().splitlines():
        if session.over:
            break
        if line.strip():
            turn = await session.play(line)
            assert said_in(turn, setup) == [], (turn.index, turn.buyer)
    learned = [f for t in session.turns for f in t.disclosed_now]
    assert learned, "the discovery script learns something"
    assert sorted(learned) == sorted(session.state.disclosed)
    assert session.state.owed == ()


DIFFERENT_QUESTIONS = (
    "What does a late truck cost you?",
    "What does a truck waiting at the dock cost you in detention?",
    "When does the dock get busiest, and what happens to overtime then?",
    "How do your pharma customers check temperatures at the dock?",
    "Which site has the worst dwell time for carriers?",
    "What have you tried before to schedule inbound trucks?",
)
"""Good questions that each ask something new: the same question again earns no openness."""


async def test_a_closing_line_still_says_the_fact_it_earns(library: Library) -> None:
    """The agreement line used to replace the reveal, yet the fact was listed as learned."""
    setup = library.resolve(SCENARIO)
    step = setup.scenario.next_step
    assessor = ScriptedAssessor()  # a good question (discovery, 4) each turn
    session = Session(setup, OfflineBuyer(), assessor)
    await session.start()
    questions = iter(DIFFERENT_QUESTIONS)
    while len(session.state.disclosed) < step.facts and not session.over:
        await session.play(next(questions))
    assert not session.over
    # a next step proposed in words that touch a fact the buyer is now open enough to tell
    state = session.state
    fact = next(
        f
        for f in setup.persona.hidden_facts
        if f.id not in state.disclosed and f.when.openness <= state.openness
    )
    assessor.verdicts.append(assessment("agenda", 5, proposes_next_step=True))
    closing_text = f"Shall we book thirty minutes next Tuesday to look at {fact.topics[0]}?"
    assert not session.over
    before = set(session.state.disclosed)
    closing_turn = await session.play(closing_text)
    assert closing_turn.ended_by == "agreement"
    assert closing_turn.disclosed_now == (fact.id,)
    assert set(closing_turn.state.disclosed) - before == set(closing_turn.disclosed_now)
    assert said_in(closing_turn, setup) == []
    agreement_lines = setup.persona.lines.agreement
    assert any(line in closing_turn.buyer for line in agreement_lines)


async def test_a_reply_that_leaves_the_fact_out_credits_nothing(library: Library) -> None:
    """Any buyer's reply is checked, not only a model's: a buyer that ignores what it was
    told to share earns the seller no fact, and is told to share it again."""
    from tests.fakes import ChunkedBuyer

    setup = library.resolve(SCENARIO)
    buyer = ChunkedBuyer()
    session = Session(setup, buyer, ScriptedAssessor(*[assessment("discovery", 5)] * 8))
    await session.start()
    first = None
    for question in DIFFERENT_QUESTIONS:
        turn = await session.play(question)
        if buyer.contexts[-1].new_facts:
            first = buyer.contexts[-1].new_facts[0]
            break
    assert first is not None
    assert turn.disclosed_now == () and first.id not in turn.state.disclosed
    assert turn.state.owed == (first.id,)
    await session.play("Tell me more about the dock.")
    assert first in buyer.contexts[-1].new_facts  # offered again
    assert first.id not in session.state.disclosed


async def test_an_owed_fact_survives_a_stored_record(library: Library) -> None:
    from tests.fakes import ChunkedBuyer

    setup = library.resolve(SCENARIO)
    session = Session(setup, ChunkedBuyer(), ScriptedAssessor(*[assessment("discovery", 5)] * 8))
    await session.start()
    questions = iter(DIFFERENT_QUESTIONS)
    turn = await session.play(next(questions))
    while not turn.state.owed:
        turn = await session.play(next(questions))
    record = turn_record(turn)
    assert record["state"]["owed"] == list(turn.state.owed)
    assert turn_from_record(record).state == turn.state
    # a state that owes nothing is written as it always was (stored digests unchanged)
    clean = turn_record(session.turns[0]) if not session.turns[0].state.owed else None
    if clean is not None:
        assert "owed" not in clean["state"]


# ------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("reply", "carried"),
    [
        ("Between us, detention cost us a bit over four hundred thousand last year.", True),
        ("We paid about $410,000 in carrier fees last year.", True),
        ("Detention? 410k, give or take. Mostly one site.", True),
        ("Detention is a pain, sure. What are you proposing?", False),
        ("Look, I run Meridian's distribution centres. Get to the point.", False),
        ("We paid carriers their fees, like everyone does.", False),
    ],
)
def test_the_rule_for_a_fact_in_a_reply(library: Library, reply: str, carried: bool) -> None:
    from trainer.engine.said import carries, public_stems

    setup = library.resolve(SCENARIO)
    (fact,) = [f for f in setup.persona.hidden_facts if f.id == "detention-bill"]
    public = public_stems(setup, "What does a truck waiting at the gate cost you in detention?")
    assert carries(fact, reply, public) is carried


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a bit over four hundred thousand", [400000.0]),
        ("$3.4 million", [3400000.0]),
        ("410k", [410000.0]),
        ("twelve point four percent", [12.4]),
        ("from nine to twenty-two percent", [9.0, 22.0]),
        ("a hundred and twenty thousand", [120000.0]),
        ("three hundred and ten thousand", [310000.0]),
        ("forty-one, then fifty eight", [41.0, 58.0]),
        ("no numbers here", []),
    ],
)
def test_numbers_in_digits_and_in_words(text: str, expected: list[float]) -> None:
    from trainer.engine.said import numbers

    assert numbers(text) == pytest.approx(expected)


def test_every_starter_fact_can_be_told_in_other_words(library: Library) -> None:
    """Each fact's reveal, read without the word-for-word shortcut, carries the fact by
    its particulars; and echoing the fact's topics does not."""
    from trainer.engine.said import carries, public_stems

    for scenario in STARTERS:
        setup = library.resolve(scenario)
        for fact in setup.persona.hidden_facts:
            reworded = fact.model_copy(update={"reveal": "(never said word for word)"})
            assert carries(reworded, fact.reveal, public_stems(setup, "")), fact.id
            question = "Tell me about " + " and ".join(fact.topics) + "?"
            echo = "Well, " + ", ".join(fact.topics) + ": what about it?"
            assert not carries(reworded, echo, public_stems(setup, question)), fact.id


# ------------------------------------------------------------------ a model buyer


def told_to_share(body: dict[str, Any] | None) -> list[str]:
    """The fact statements a buyer request asks the model to share now."""
    text = json.dumps(body)
    user = json.loads(text)["messages"][-1]["content"]
    return [
        line[2:].removesuffix(" (share this one now, in your own words)")
        for line in user.splitlines()
        if line.endswith("(share this one now, in your own words)")
    ]


async def test_a_model_reply_is_checked_for_the_fact(fake: FakeOpenAI, library: Library) -> None:
    from trainer.engine.checked import CheckedAssessor
    from trainer.llm.buyer import LlmBuyer
    from trainer.llm.endpoint import Endpoint
    from trainer.llm.judge import LlmJudge
    from trainer.llm.settings import resolve_llm

    setup = library.resolve(SCENARIO)
    facts = {f.fact: f for f in setup.persona.hidden_facts}
    endpoint = Endpoint(resolve_llm(backend="llm", base_url=fake.url, model="buyer-model"))
    session = Session(
        setup, LlmBuyer(endpoint), CheckedAssessor(LlmJudge(endpoint), OfflineAssessor())
    )
    await session.start()
    lines = (SCRIPTS / SCENARIO / "discovery.txt").read_text().splitlines()
    omitted = None
    try:
        for line in lines:
            if session.over:
                break
            turn = await session.play(line)
            buyer_requests = fake.chat_requests("buyer")
            asked = told_to_share(buyer_requests[-1].body)
            if omitted is None:
                assert turn.disclosed_now == ()  # the default reply carries no fact
                if asked:
                    omitted = facts[asked[0]]
                    assert turn.state.owed == (omitted.id,)
                    assert omitted.id not in session.state.disclosed
                continue
            # the next turn: offered again, and this time the reply says it
            assert omitted.fact in asked
            break
        assert omitted is not None, "the script earns a fact"
    finally:
        await endpoint.close()


def test_a_model_reply_that_says_the_fact_credits_it(
    fake: FakeOpenAI,
    library: Library,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Scripted play with a buyer model that tells each fact it is asked to share (or not,
    on the first turn it is asked): --json shows each credited fact in that turn's reply."""
    from tests.cli_helpers import run

    setup = library.resolve(SCENARIO)
    by_statement = {f.fact: f for f in setup.persona.hidden_facts}
    skipped: list[str] = []
    asked_in: list[list[str]] = []  # per buyer request, the fact ids it asked to share

    def buyer_text(body: dict[str, Any]) -> str:
        asked = [by_statement[statement].id for statement in told_to_share(body)]
        asked_in.append(asked)
        if not asked:
            return "Go on."
        if asked[0] not in skipped:
            skipped.append(asked[0])
            return "Hm. Go on."  # leaves it out: not credited, asked again next turn
        return f"Fine. {by_statement_id[asked[0]].fact}"

    by_statement_id = {f.id: f for f in setup.persona.hidden_facts}
    original = fake._default_text

    def default_text(kind: Any, body: dict[str, Any]) -> str:
        return buyer_text(body) if kind == "buyer" else original(kind, body)

    monkeypatch.setattr(fake, "_default_text", default_text)
    script = SCRIPTS / SCENARIO / "discovery.txt"
    code, out, err = run(
        capsys, "play", SCENARIO, "--script", str(script), "--json", *llm_flags(fake)
    )
    assert code == 0, err
    turns = json.loads(out)["turns"]
    assert len(asked_in) == len(turns)
    credited = [(t["buyer"], f) for t in turns for f in t["disclosed"]]
    assert len(credited) >= 2, "the model said facts"
    for reply, fact_id in credited:
        assert by_statement_id[fact_id].fact in reply
    assert len(skipped) >= 2
    for fact_id in skipped:
        first = next(i for i, asked in enumerate(asked_in) if fact_id in asked)
        assert fact_id not in turns[first]["disclosed"] and fact_id in turns[first]["owed"]
        if first + 1 < len(turns):
            assert fact_id in asked_in[first + 1], "offered again on the next turn"
    outcome = json.loads(out)["outcome"]["disclosed"]
    assert sorted(outcome) == sorted(f for _, f in credited)
