"""SVG snapshots of every trainer screen at 80x24 and 120x40 (pytest-textual-snapshot).

Deterministic by construction: a fresh store in ``tmp_path`` for every test, the offline
buyer with a fixed seed, a fixed monotonic clock and a fixed wall clock for stored
timestamps, the same turns every run, and no blinking cursors. The test changes into
its own ``tmp_path`` and names the store and the config file relatively, so the settings
screen shows the same paths on every machine and from any working directory.

Update the baselines after an intended change with
``pytest tests/test_tui_snapshots.py --snapshot-update`` and review the SVGs in
``tests/__snapshots__/test_tui_snapshots/``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from trainer.config import Settings
from trainer.llm.settings import LlmSettings
from trainer.tui.app import TrainerApp
from trainer.tui.context import AppContext
from trainer.tui.screens.branches import BranchesScreen
from trainer.tui.screens.briefing import BriefingScreen
from trainer.tui.screens.conversation import ConversationScreen, SellerInput
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.screens.help import HelpScreen
from trainer.tui.screens.history import HistoryScreen, TranscriptScreen
from trainer.tui.screens.library import LibraryScreen
from trainer.tui.screens.settings import SettingsScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
SEED = 7
CERTIFICATION_SEED = 2**62 + 7
"""What every certification attempt "draws" here, so its buyer's lines stay the same."""
NOW = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
TURNS = [
    "Thanks for taking the call, Dana. Do you have two minutes, and tell me if it isn't relevant?",
    "How are inbound trucks at Savannah scheduled today, now that the second dock is open?",
]

RunBefore = Callable[[Pilot[None]], Awaitable[None]]


class SnapCompare(Protocol):
    def __call__(
        self,
        app: TrainerApp,
        *,
        terminal_size: tuple[int, int],
        run_before: RunBefore | None = None,
    ) -> bool: ...


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TrainerApp:
    """A trainer with a fresh store and everything that could vary pinned down."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRAINER_CONFIG", "config.toml")  # shown on the settings screen
    settings = Settings(
        store=Path("store"),
        trainee="Ana",
        org_key=None,
        xapi_homepage="https://x.invalid",
        exports=Path("exports"),  # relative, like the store: the same on every machine
    )
    context = AppContext(
        settings=settings,
        llm=LlmSettings("offline"),
        seed=SEED,
        draw_seed=lambda: CERTIFICATION_SEED,
        clock=lambda: 1000.0,
        now=lambda: NOW,
    )
    return TrainerApp(context)


# ---------------------------------------------------------------- driving the app


async def steady(pilot: Pilot[None]) -> None:
    """Stop every cursor blinking (on all stacked screens) and let the app settle."""
    for screen in pilot.app.screen_stack:
        for box in screen.query(Input):
            box.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False
    await pilot.pause()


async def press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def say(pilot: Pilot[None], text: str) -> None:
    """Type a turn into the input, send it, and wait until the reply is committed."""
    screen = pilot.app.screen
    assert isinstance(screen, ConversationScreen)
    screen.query_one(SellerInput).text = text
    await press(pilot, "enter")
    if screen.turn_worker is not None:
        await screen.turn_worker.wait()
    await pilot.pause()


async def start_call(pilot: Pilot[None], mode: str = "practice") -> ConversationScreen:
    await pilot.pause()
    assert isinstance(pilot.app.screen, LibraryScreen)
    await press(pilot, "c" if mode == "certification" else "enter")
    assert isinstance(pilot.app.screen, BriefingScreen)
    await press(pilot, "enter")
    if mode == "certification":
        await press(pilot, "y")  # start the attempt
    screen = pilot.app.screen
    assert isinstance(screen, ConversationScreen) and screen.mode == mode
    return screen


async def practice_and_end(pilot: Pilot[None]) -> None:
    """Two practice turns, then end the call: the debrief."""
    await start_call(pilot)
    for text in TURNS:
        await say(pilot, text)
    await press(pilot, "ctrl+e")
    assert isinstance(pilot.app.screen, DebriefScreen)


async def to_history(pilot: Pilot[None]) -> None:
    await practice_and_end(pilot)
    await press(pilot, "escape")
    assert isinstance(pilot.app.screen, LibraryScreen)
    await press(pilot, "h")
    assert isinstance(pilot.app.screen, HistoryScreen)


# ---------------------------------------------------------------- the screens


@pytest.mark.parametrize("size", SIZES)
def test_library(app: TrainerApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_briefing(app: TrainerApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await press(pilot, "enter")
        assert isinstance(pilot.app.screen, BriefingScreen)
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_conversation_practice_after_two_turns(
    app: TrainerApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        screen = await start_call(pilot)
        for text in TURNS:
            await say(pilot, text)
        assert len(screen.session.turns) == 2
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_conversation_certification_after_one_turn(
    app: TrainerApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        screen = await start_call(pilot, "certification")
        await say(pilot, TURNS[1])
        assert len(screen.session.turns) == 1
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_debrief(app: TrainerApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await practice_and_end(pilot)
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_history(app: TrainerApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await to_history(pilot)
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_transcript_read_only(
    app: TrainerApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await to_history(pilot)
        await press(pilot, "enter")
        assert isinstance(pilot.app.screen, TranscriptScreen)
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_settings(app: TrainerApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await press(pilot, "s")
        assert isinstance(pilot.app.screen, SettingsScreen)
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_settings_hosted(app: TrainerApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Hosted (``trainer host``): the name read-only, no path of the host's."""
    app.context.settings = replace(app.context.settings, hosted=True)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await press(pilot, "s")
        assert isinstance(pilot.app.screen, SettingsScreen)
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_debrief_hosted(app: TrainerApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Hosted: the missed facts as a count and their hints, never their words."""
    app.context.settings = replace(app.context.settings, hosted=True)

    async def run_before(pilot: Pilot[None]) -> None:
        await practice_and_end(pilot)
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(app: TrainerApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await press(pilot, "f1")
        assert isinstance(pilot.app.screen, HelpScreen)
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_abandoned_lines(app: TrainerApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        screen = await start_call(pilot)
        await say(pilot, TURNS[0])
        await say(pilot, "Our platform is the leading AI dock scheduler. Want a demo?")
        await press(pilot, "ctrl+z")
        await say(pilot, TURNS[1])
        await press(pilot, "ctrl+b")
        assert isinstance(pilot.app.screen, BranchesScreen) and screen.session.branches
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize(
    ("image", "snapshot"),
    [
        ("conversation.svg", "test_conversation_practice_after_two_turns[120x40].svg"),
        ("debrief.svg", "test_debrief[120x40].svg"),
    ],
)
def test_the_readme_shows_the_current_screens(image: str, snapshot: str) -> None:
    """The README's pictures are copies of the snapshots; after --snapshot-update, copy
    them again (cp tests/__snapshots__/test_tui_snapshots/<snapshot> docs/images/<image>)."""
    repo = Path(__file__).resolve().parents[1]
    shown = (repo / "docs" / "images" / image).read_bytes()
    assert (
        shown == (repo / "tests" / "__snapshots__" / "test_tui_snapshots" / snapshot).read_bytes()
    )
