"""The TUI's idioms: navigation by messages the app handles (no screen imported inside a
function, no import cycle), a transcript that does not pull a reader back down, a typed
pending turn, and help built from the live bindings."""

from __future__ import annotations

import ast
import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import ClassVar, cast

import pytest
from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tests.test_tui import REPO, context
from trainer.content.library import ResolvedScenario
from trainer.engine.ports import Assessor, Buyer, ReplyContext
from trainer.offline.assessor import OfflineAssessor
from trainer.tui import app as app_module
from trainer.tui.app import TrainerApp
from trainer.tui.screens.briefing import BriefingScreen
from trainer.tui.screens.conversation import ConversationScreen, PendingTurn, SellerInput
from trainer.tui.screens.help import HelpScreen
from trainer.tui.screens.history import HistoryScreen
from trainer.tui.screens.library import LibraryScreen
from trainer.tui.screens.settings import SettingsScreen
from trainer.tui.widgets.transcript import Transcript, Utterance

TUI = REPO / "trainer" / "tui"


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts)


def imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [node.module or ""]


# ---------------------------------------------------------------- navigation


def test_no_tui_module_is_imported_inside_a_function() -> None:
    """Screens go to other screens by posting a message, not by importing them late."""
    late = []
    for path in sorted(TUI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    late += [
                        f"{path.name}:{node.lineno} {name}"
                        for name in imported(node)
                        if name.startswith("trainer.tui")
                    ]
    assert late == []


def test_the_tui_modules_import_each_other_without_a_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for path in sorted(TUI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module_name(path)] = {
            name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for name in imported(node)
            if name.startswith("trainer.tui")
        }
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for other in graph.get(module, ()):
            visit(other, (*path, module))
        done.add(module)

    for module in graph:
        visit(module, ())
    # Only the app knows every screen; no screen reaches back up to it.
    screens = {m for m in graph if m.startswith("trainer.tui.screens.")}
    for module in screens:
        assert "trainer.tui.app" not in graph[module]
        assert graph[module] & screens <= {"trainer.tui.screens.confirm"}, module


# ---------------------------------------------------------------- the transcript


class FedBuyer:
    """A buyer whose reply is whatever the test puts in its queue, until ``None``."""

    name = "fed"

    def __init__(self) -> None:
        self.chunks: asyncio.Queue[str | None] = asyncio.Queue()

    async def opening(self, setup: ResolvedScenario) -> str:
        return "Hello?"

    async def reply(self, context: ReplyContext) -> AsyncIterator[str]:
        while (chunk := await self.chunks.get()) is not None:
            yield chunk


async def feed(pilot: object, buyer: FedBuyer, chunks: int) -> None:
    for number in range(chunks):
        buyer.chunks.put_nowait(f"sentence {number} of a long and careful answer. ")
        await pilot.pause()  # type: ignore[attr-defined]


async def test_a_reader_who_scrolls_up_during_a_reply_is_not_pulled_down(
    tmp_path: Path,
) -> None:
    buyer = FedBuyer()

    def fed(setup: ResolvedScenario, seed: int) -> tuple[Buyer, Assessor]:
        return buyer, OfflineAssessor()

    app = TrainerApp(context(tmp_path, backends=fed))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        transcript = screen.query_one(Transcript)
        screen.query_one(SellerInput).text = "What does a late truck cost you?"
        await pilot.press("enter")
        await feed(pilot, buyer, 40)
        # The reply overflows the view, and the view follows it.
        assert transcript.max_scroll_y > 5
        assert transcript.scroll_y == transcript.max_scroll_y

        # The pending turn is typed while the reply streams.
        pending = screen.pending
        assert isinstance(pending, PendingTurn)
        assert pending.text == "What does a late truck cost you?"
        assert isinstance(pending.theirs, Utterance) and "sentence 39" in pending.theirs.words
        with pytest.raises(dataclasses.FrozenInstanceError):
            pending.text = "changed"  # type: ignore[misc]

        await pilot.press("pageup")  # the trainee scrolls up to reread
        await pilot.pause()
        held, end = transcript.scroll_y, transcript.max_scroll_y
        assert held < end
        await feed(pilot, buyer, 20)
        assert transcript.max_scroll_y > end  # the reply went on growing below
        assert transcript.scroll_y == held  # and the reader stayed where they were

        transcript.scroll_end(animate=False, immediate=True)  # back down to the end
        await pilot.pause()
        await feed(pilot, buyer, 10)
        assert transcript.scroll_y == transcript.max_scroll_y  # following again

        buyer.chunks.put_nowait(None)
        assert screen.turn_worker is not None
        await screen.turn_worker.wait()
        await pilot.pause()
        assert screen.pending is None and len(screen.session.turns) == 1

        # The trainee's own next turn brings the newest line back into view.
        await pilot.press("pageup")
        await pilot.pause()
        assert transcript.scroll_y < transcript.max_scroll_y
        screen.query_one(SellerInput).text = "And at Savannah?"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert transcript.scroll_y == transcript.max_scroll_y
        buyer.chunks.put_nowait(None)
        await screen.turn_worker.wait()


# ---------------------------------------------------------------- help


def help_shown(app: TrainerApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    return str(app.screen.query_one(Static).render())


class LibraryWithAKey(LibraryScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "app.bell", "Ring the bell")]


async def test_help_lists_a_binding_added_to_a_screen(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = await help_for(pilot, app)
        assert "Ring the bell" not in shown
        assert "Certify" in shown and "Practise" in shown and "Open the command palette" in shown
        assert "Cursor up" not in shown  # the table's own keys are Textual's, not ours
        await app.push_screen(LibraryWithAKey())
        await pilot.pause()
        shown = await help_for(pilot, app)
        assert "Ring the bell" in shown and "Certify" in shown


async def help_for(pilot: object, app: TrainerApp) -> str:
    await pilot.press("f1")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    shown = help_shown(app)
    await pilot.press("escape")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return shown


@pytest.mark.parametrize("mode", ["practice", "certification"])
async def test_help_in_a_call_lists_what_the_call_allows(tmp_path: Path, mode: str) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter" if mode == "practice" else "c", "enter")
        await pilot.pause()
        if mode == "certification":
            await pilot.press("y")
            await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        shown = await help_for(pilot, app)
        assert "End the call" in shown and "Send" in shown and "New line" in shown
        assert "Scroll the transcript" in shown
        assert ("A hint" in shown) == (mode == "practice")  # no hints in an attempt
        assert "The debrief" not in shown  # not before the call is over


async def test_the_command_palette_navigates_through_the_app(tmp_path: Path) -> None:
    """The palette's entries post the same messages as the screens' keys."""
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        scenario_id = sorted(app.context.library.scenarios)[0]
        app_module._start(cast("App[object]", app), scenario_id, "certification")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen) and app.screen.mode == "certification"
        await app.run_action("history")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await app.run_action("settings")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert len(app.screen_stack) == 5  # default, library, briefing, history, settings


async def test_a_line_typed_in_one_burst_with_its_enter_is_sent_whole(tmp_path: Path) -> None:
    """A fast typist, or a pasted line ending in Enter: the keys reach the app in one
    burst. Enter must be handled after the characters before it (a priority binding ran
    first and sent an empty turn, found by hand in tmux)."""
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        line = "How are trucks booked?"
        for character in line:
            app.post_message(events.Key(character, character))
        app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        await pilot.pause()
        assert screen.session.turns and screen.session.turns[0].seller == line
        assert screen.query_one(SellerInput).text == ""
