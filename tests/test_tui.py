"""The Textual trainer, driven by Pilot like a trainee at the keyboard, on the offline buyer
(or a slow scripted one), with a temporary store."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from tests.fakes import ChunkedBuyer
from trainer.config import Settings
from trainer.content.library import ResolvedScenario
from trainer.engine.ports import Assessor, Buyer
from trainer.llm.settings import LlmSettings
from trainer.offline.assessor import OfflineAssessor
from trainer.store.repository import Store
from trainer.tui.app import TrainerApp
from trainer.tui.context import AppContext
from trainer.tui.screens.briefing import BriefingScreen
from trainer.tui.screens.conversation import ConversationScreen, SellerInput
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.screens.history import HistoryScreen, TranscriptScreen
from trainer.tui.screens.library import LibraryScreen
from trainer.tui.widgets.transcript import Transcript, Utterance

REPO = Path(__file__).resolve().parents[1]
TURNS = [
    "Thanks for taking the call, Dana. Do you have two minutes, and tell me if it isn't relevant?",
    "How are inbound trucks at Savannah scheduled today, now that the second dock is open?",
    "What does a truck waiting at the gate cost you in detention?",
    "What have you tried before to smooth out the arrivals?",
    "When is the dock busiest, and what does that do to overtime?",
]


def context(tmp_path: Path, content: list[Path] | None = None, **extra: object) -> AppContext:
    settings = Settings(
        store=tmp_path / "store", trainee="Ana", org_key=None, xapi_homepage="https://x.invalid"
    )
    return AppContext(
        settings=settings,
        llm=LlmSettings("offline"),
        content=content,
        clock=lambda: 1000.0,
        **extra,  # type: ignore[arg-type]
    )


async def say(pilot: object, text: str) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    app.screen.query_one(SellerInput).text = text
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    if isinstance(screen, ConversationScreen) and screen.turn_worker is not None:
        await screen.turn_worker.wait()
        await pilot.pause()  # type: ignore[attr-defined]


def utterances(app: TrainerApp) -> list[str]:
    return [str(u.render_text()) for u in app.screen.query(Utterance)]


async def test_a_whole_practice_session_from_the_keyboard(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.query_one(DataTable).row_count == 12
        await pilot.press("enter")
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        screen = app.screen
        for text in TURNS:
            await say(pilot, text)
            if screen.session.over:
                break
        session = screen.session
        verdict = str(screen.query_one("#verdict", Static).render())
        assert "Good use" in verdict and "Tip:" in verdict
        if session.over:
            # The last reply stays on screen; Enter opens the debrief.
            assert "Press Enter for the debrief" in str(screen.query(Static).last().render())
            await pilot.press("enter")
        else:
            await pilot.press("ctrl+e")
        await pilot.pause()
        turns_played = len(session.turns)
        assert isinstance(app.screen, DebriefScreen)
        assert "Session score" in str(app.screen.query_one("#score", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
    (summary,) = Store.open(tmp_path / "store").sessions("Ana")
    assert summary["status"] == "ended" and summary["turns"] == turns_played >= 4


async def test_markup_in_the_input_is_shown_as_typed(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        await say(pilot, "[bold]What[/] does a bad [/] night cost you? [link=x]y[/link]")
        assert "You: [bold]What[/] does a bad [/] night cost you? [link=x]y[/link]" in utterances(
            app
        )
        await say(pilot, "Hello \x1b[31mred")
        assert app.screen.query_one(SellerInput).text == "Hello \x1b[31mred"
        assert len(app.screen.session.turns) == 1  # type: ignore[attr-defined]


async def test_certification_hides_feedback_and_hints(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "enter", "y")  # y: use the attempt
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen) and screen.mode == "certification"
        await say(pilot, TURNS[1])
        assert not screen.query("#verdict") and not screen.query("#cause")
        await pilot.press("ctrl+t")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(screen.session.turns) == 1 and not screen.session.branches


async def test_rewind_keeps_the_abandoned_branch(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        await say(pilot, TURNS[0])
        await say(pilot, "Our platform is the leading AI dock scheduler, want a demo?")
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(screen.session.turns) == 1 and len(screen.session.branches) == 1
        assert not any("leading AI" in line for line in utterances(app))
        await say(pilot, TURNS[1])
        assert len(screen.session.turns) == 2
        await pilot.press("ctrl+b")
        await pilot.pause()
        shown = str(app.screen.query_one(Static).render())
        assert "After turn 1" in shown and "leading AI dock scheduler" in shown


async def test_a_broken_scenario_file_is_listed_not_hidden(
    tmp_path: Path, content_dir: Path
) -> None:
    (content_dir / "scenarios" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    app = TrainerApp(context(tmp_path, content=[content_dir]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        problems = str(app.screen.query_one("#problems", Static).render())
        assert "1 file(s) could not be loaded" in problems and "broken.yaml:" in problems
        assert app.screen.query_one(DataTable).row_count == 1


async def test_a_slow_reply_streams_and_the_keys_still_work(tmp_path: Path) -> None:
    hold = asyncio.Event()  # the reply stops after its first word until the test says

    def held(setup: ResolvedScenario, seed: int) -> tuple[Buyer, Assessor]:
        return ChunkedBuyer(hold=hold), OfflineAssessor()

    app = TrainerApp(context(tmp_path, backends=held))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        screen.query_one(SellerInput).text = TURNS[1]
        await pilot.press("enter")
        for _ in range(100):  # until the first word is on screen, however busy the machine
            await pilot.pause(0.05)
            if utterances(app)[-1].startswith("Dana: reply"):
                break
        partial = utterances(app)[-1]
        assert partial.startswith("Dana: reply") and len(partial) < len("Dana: reply to turn 1")
        await pilot.press("f1")  # a key during the reply is handled at once
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.turn_worker is not None
        hold.set()
        await screen.turn_worker.wait()
        await pilot.pause()
        assert utterances(app)[-1] == "Dana: reply to turn 1"


async def test_esc_cancels_a_reply_and_gives_the_words_back(tmp_path: Path) -> None:
    never = asyncio.Event()  # the reply stops after its first word: Esc comes mid-reply

    def held(setup: ResolvedScenario, seed: int) -> tuple[Buyer, Assessor]:
        return ChunkedBuyer(hold=never), OfflineAssessor()

    app = TrainerApp(context(tmp_path, backends=held))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        screen.query_one(SellerInput).text = TURNS[1]
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert screen.turn_worker is not None and screen.turn_worker.is_running
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert screen.session.turns == []
        assert screen.query_one(SellerInput).text == TURNS[1]
        assert len(screen.query_one(Transcript).query(Utterance)) == 1  # the opening only
    assert Store.open(tmp_path / "store").find_session(screen.session.id).turns == []


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_screen_fits(tmp_path: Path, size: tuple[int, int]) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        await say(pilot, TURNS[0])
        assert app.screen.query_one("#say").region.height >= 3
        assert app.screen.query_one("#side").region.width >= 30


async def test_the_trainee_name_can_be_changed_in_settings(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        from textual.widgets import Input

        box = app.screen.query_one(Input)
        assert box.value == "Ana"
        box.value = "Ana López"
        await pilot.press("enter")
        await pilot.pause()
        assert app.context.trainee == "Ana López"
        assert "Ana López" in str(app.screen.query_one("#current", Static).render())


async def test_when_the_buyer_ends_the_call_the_last_reply_stays_until_enter(
    tmp_path: Path,
) -> None:
    pitch = (REPO / "tests/data/scripts/cold-call-cold-chain/pitch.txt").read_text().splitlines()
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        for line in pitch:
            await say(pilot, line)
            if screen.session.over:
                break
        assert screen.session.ended_by == "buyer"
        still_on_the_call = app.screen is screen  # (a variable: `is` would narrow screen)
        assert still_on_the_call
        last_reply = screen.session.turns[-1].buyer
        assert any(last_reply in line for line in utterances(app))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


async def test_a_hint_shows_in_the_side_panel(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        hint = app.screen.query_one("#hint", Static)
        assert not hint.display
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert hint.display and str(hint.render()).startswith("Hint: Ask")
        await say(pilot, TURNS[1])
        assert not hint.display


class DeadEndpoint(ChunkedBuyer):
    async def reply(self, context: object) -> AsyncIterator[str]:
        from trainer.llm.endpoint import EndpointError

        raise EndpointError("http://127.0.0.1:9/v1 refused the API key (401): check OPENAI_API_KEY")
        yield ""  # pragma: no cover - makes this an async generator


def dead(setup: ResolvedScenario, seed: int) -> tuple[Buyer, Assessor]:
    return DeadEndpoint(), OfflineAssessor()


async def test_a_failing_endpoint_gives_the_words_back(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path, backends=dead))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        await say(pilot, TURNS[1])
        assert screen.query_one(SellerInput).text == TURNS[1]
        assert screen.session.turns == []
        messages = [n.message for n in app._notifications]
        assert any("refused the API key (401)" in m for m in messages)
        assert app.screen is screen  # still in the call, free to retry or end it


@pytest.mark.parametrize("forged", [97, "abc"])
async def test_history_shows_a_certification_as_the_ledger_has_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forged: object
) -> None:
    """An index edited to say "passed, 97" (or nonsense) shows no score in the history
    screen: a certification's score is the ledger's, and one that disagrees with it is
    marked, not shown."""
    from trainer.cli import main

    store = tmp_path / "store"
    script = str(REPO / "tests" / "data" / "scripts" / "cold-call-cold-chain" / "pitch.txt")
    argv = ["certify", "cold-call-cold-chain", "--script", script, "--json"]
    # the CLI runs its own event loop: in a thread, beside the test's
    assert await asyncio.to_thread(main, [*argv, "--store", str(store), "--trainee", "Ana"]) == 0
    (index,) = store.rglob("index.json")
    data = json.loads(index.read_text())
    (summary,) = data["sessions"].values()
    summary.update(score=forged, passed=True)
    index.write_text(json.dumps(data))

    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        (row,) = [table.get_row_at(i) for i in range(table.row_count)]
        assert (str(row[-3]), str(row[-1])) == ("not confirmed", "-")
        progress = str(app.screen.query_one("#progress-label", Static).render())
        assert progress.endswith(": -") and str(forged) not in progress
