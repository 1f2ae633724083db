"""The app as ``trainer host`` runs it for one trainee in a browser (issue 15, parts 3 and
5): the trainee is who the host says, nothing to read but the call (no unearned fact in
the debrief, a hint or an export; no host path on any screen), exports downloaded, only
the trainee's own History, an idle timeout that leaves the call resumable, and one
certification attempt in progress per trainee (hosted only; see the last test)."""

from __future__ import annotations

import asyncio
import io
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from tests.test_hardening_store import DEAD_PID, interrupted
from tests.test_tui import TURNS, context, say
from trainer.config import ConfigError, resolve_settings
from trainer.content.finder import open_library
from trainer.content.models import HiddenFact
from trainer.engine.scoring import fact_label
from trainer.sessions.opening import open_session
from trainer.sessions.results import Results
from trainer.store.errors import AttemptInProgress
from trainer.store.ledger import Ledger
from trainer.store.repository import Store
from trainer.tui.app import TrainerApp
from trainer.tui.context import AppContext
from trainer.tui.screens.briefing import BriefingScreen
from trainer.tui.screens.conversation import ConversationScreen
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.screens.history import HistoryScreen
from trainer.tui.screens.library import LibraryScreen
from trainer.tui.screens.settings import SettingsScreen

SCENARIO = "cold-call-cold-chain"  # the first in the library: Enter and c pick it


class Clock:
    """A monotonic clock a test moves on by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def hosted(tmp_path: Path, clock: Clock | None = None, **extra: Any) -> AppContext:
    made = context(tmp_path, **extra)
    if clock is not None:
        made.clock = clock
    made.settings = replace(made.settings, hosted=True, idle_minutes=1.0)
    return made


def facts() -> list[HiddenFact]:
    return open_library(None).resolve(SCENARIO).persona.hidden_facts


def fact_words(fact: HiddenFact) -> list[str]:
    """Every way a fact's words could reach a page: whole, its label, how it is said."""
    return [fact.fact, fact_label(fact), fact.reveal.strip()]


def shown(app: TrainerApp) -> str:
    """Everything the screen on top shows in its static text."""
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


def no_unearned(text: str, earned: set[str]) -> list[str]:
    """The unearned facts whose words are in ``text`` (should be none)."""
    return [
        f"{fact.id}: {words!r}"
        for fact in facts()
        if fact.id not in earned
        for words in fact_words(fact)
        if words in text
    ]


class Downloads:
    """What the app handed to ``deliver_text`` (the web driver turns it into a download)."""

    def __init__(self, app: TrainerApp) -> None:
        self.sent: list[tuple[str, str, str]] = []
        app.deliver_text = self.deliver  # type: ignore[method-assign,assignment]

    def deliver(self, file: io.StringIO, **options: Any) -> str:
        self.sent.append((options["save_filename"], options["mime_type"], file.getvalue()))
        return "key"


async def debrief_after(pilot: Any, *lines: str) -> DebriefScreen:
    """Practice on the first scenario: play ``lines``, end the call, open the debrief."""
    await pilot.press("enter", "enter")
    await pilot.pause()
    for line in lines:
        await say(pilot, line)
    await pilot.press("ctrl+e")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DebriefScreen)
    return screen


# ------------------------------------------------------------------ settings


def test_hosted_settings_come_from_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_HOSTED", "1")
    monkeypatch.setenv("TRAINER_TRAINEE", "ana")
    monkeypatch.setenv("TRAINER_IDLE_MINUTES", "5")
    settings = resolve_settings(trainee="someone-else")
    assert settings.hosted and settings.trainee == "ana" and settings.idle_minutes == 5
    monkeypatch.delenv("TRAINER_IDLE_MINUTES")
    assert resolve_settings().idle_minutes == 20
    for bad in ("0", "-3", "soon", "inf"):
        monkeypatch.setenv("TRAINER_IDLE_MINUTES", bad)
        with pytest.raises(ConfigError, match="TRAINER_IDLE_MINUTES"):
            resolve_settings()
    monkeypatch.delenv("TRAINER_IDLE_MINUTES")
    monkeypatch.delenv("TRAINER_TRAINEE")  # hosted, never the login name or the config file
    with pytest.raises(ConfigError, match="TRAINER_TRAINEE"):
        resolve_settings()
    monkeypatch.delenv("TRAINER_HOSTED")
    assert not resolve_settings().hosted


# ------------------------------------------------------------------ who is training


async def test_the_settings_screen_shows_the_name_read_only_and_no_host_path(
    tmp_path: Path,
) -> None:
    app = TrainerApp(hosted(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert not app.screen.query(Input)
        text = shown(app)
        assert "Ana" in text and "cannot be changed" in text
        for path in (str(tmp_path), "store", "config", ".toml", "Endpoint"):
            assert path not in text, path
        assert not app.screen.check_action("check", ())
        await pilot.press("B", "o", "enter", "f5")
        await pilot.pause()
        assert app.context.trainee == "Ana"
        assert "Checking" not in shown(app)


async def test_the_command_palette_offers_no_way_to_change_the_name(tmp_path: Path) -> None:
    app = TrainerApp(hosted(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.run_action("settings")  # the palette's Settings command
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen) and not app.screen.query(Input)
    assert app.context.trainee == "Ana"


async def test_outside_hosted_mode_the_name_can_still_be_changed(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.query(Input)


# ------------------------------------------------------------------ nothing to read but the call


async def test_a_hosted_debrief_counts_missed_facts_and_gives_hints_not_facts(
    tmp_path: Path,
) -> None:
    app = TrainerApp(hosted(tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await debrief_after(pilot, TURNS[0], TURNS[2])
        earned = {f.id for f in screen.session.earned_facts}
        assert earned and len(earned) < len(facts())  # some earned, some missed
        text = shown(app)
        assert f"Facts you learned: {len(earned)} of {len(facts())}" in text
        assert not no_unearned(text, earned), no_unearned(text, earned)
        for fact in facts():
            if fact.id not in earned and fact.hint:
                assert fact.hint in text
        assert "not learned: a fact you did not find out" in text


async def test_a_debrief_on_the_trainees_own_machine_still_names_missed_facts(
    tmp_path: Path,
) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await debrief_after(pilot, TURNS[0])
        earned = {f.id for f in screen.session.earned_facts}
        assert no_unearned(shown(app), earned)  # the control: the words are there


async def test_a_hosted_practice_hint_is_a_hint_not_a_fact(tmp_path: Path) -> None:
    app = TrainerApp(hosted(tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        await say(pilot, TURNS[0])
        await pilot.press("ctrl+t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        hint = str(screen.query_one("#hint", Static).render())
        assert hint.startswith("Hint: ") and len(hint) > len("Hint: ")
        earned = {f.id for f in screen.session.earned_facts}
        assert not no_unearned(hint, earned), hint


async def test_a_hosted_certification_debrief_gives_no_reason_with_a_fact_in_it(
    tmp_path: Path,
) -> None:
    app = TrainerApp(hosted(tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("c", "enter", "y")
        await pilot.pause()
        await say(pilot, TURNS[1])
        await pilot.press("ctrl+e", "ctrl+e")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        text = shown(app)
        assert "Certification: NOT PASSED" in text
        assert "a required fact was not learned: a fact you did not find out" in text
        earned = {f.id for f in screen.session.earned_facts}
        assert not no_unearned(text, earned), no_unearned(text, earned)


async def test_hosted_exports_are_downloads_and_name_no_unearned_fact(tmp_path: Path) -> None:
    """The grep test: a hosted debrief, a hint and both exports hold no unearned fact."""
    app = TrainerApp(hosted(tmp_path))
    downloads = Downloads(app)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        await say(pilot, TURNS[0])
        await say(pilot, TURNS[2])
        await pilot.press("ctrl+t")
        await pilot.pause()
        hint = str(app.screen.query_one("#hint", Static).render())
        await pilot.press("ctrl+e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        debrief = shown(app)
        await pilot.press("m", "j")
        await pilot.pause()
        earned = {f.id for f in screen.session.earned_facts}
    assert [(name[-3:], mime) for name, mime, _ in downloads.sent] == [
        (".md", "text/markdown"),
        ("son", "application/json"),
    ]
    markdown, document = downloads.sent[0][2], downloads.sent[1][2]
    assert "## Conversation" in markdown and TURNS[2] in markdown
    assert "- missed: a fact you did not find out (hint: " in markdown
    assert '"format": "trainer-session"' in document
    everything = "\n".join([debrief, hint, markdown, document])
    assert not no_unearned(everything, earned), no_unearned(everything, earned)
    for fact in facts():  # what was earned is still there to read
        if fact.id in earned:
            assert fact.fact in markdown
    assert not (tmp_path / "exports").exists()
    assert not any(Path.home().rglob("trainer-*.md"))  # nothing saved on the host


async def test_outside_hosted_mode_an_export_is_still_saved_with_every_fact(
    tmp_path: Path,
) -> None:
    made = context(tmp_path)
    made.settings = replace(made.settings, exports=tmp_path / "exports")
    app = TrainerApp(made)
    downloads = Downloads(app)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await debrief_after(pilot, TURNS[0])
        await pilot.press("m")
        await pilot.pause()
        earned = {f.id for f in screen.session.earned_facts}
    assert not downloads.sent
    (saved,) = (tmp_path / "exports").glob("*.md")
    assert no_unearned(saved.read_text(encoding="utf-8"), earned)


async def test_a_hosted_library_names_no_content_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "personas").mkdir(parents=True)
    (content / "personas" / "broken.yaml").write_text("name: [", encoding="utf-8")
    app = TrainerApp(hosted(tmp_path, content=[content]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        text = str(app.screen.query_one("#problems", Static).render())
        assert "1 file(s) could not be loaded" in text
        assert "broken.yaml" not in text and str(content) not in text


# ------------------------------------------------------------------ history


async def test_hosted_history_shows_only_this_trainees_sessions(tmp_path: Path) -> None:
    await asyncio.to_thread(interrupted, tmp_path / "store", "Bo", TURNS[:1])
    mine = await asyncio.to_thread(interrupted, tmp_path / "store", "Ana", TURNS[:1])
    app = TrainerApp(hosted(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == mine


# ------------------------------------------------------------------ idle timeout


async def test_a_key_or_the_mouse_keeps_a_hosted_session_alive(tmp_path: Path) -> None:
    clock = Clock()
    app = TrainerApp(hosted(tmp_path, clock=clock))
    async with app.run_test(size=(100, 30)) as pilot:
        clock.now += 50
        await pilot.press("down")
        clock.now += 50
        assert not app.end_if_idle()
        await pilot.hover("#scenarios")
        clock.now += 50
        assert not app.end_if_idle()
        clock.now += 11
        assert app.end_if_idle()
        await pilot.pause()
    assert not app.is_running


async def test_an_idle_timeout_leaves_the_call_interrupted_and_resumable(tmp_path: Path) -> None:
    """As a closed terminal leaves it: the turns on disk, the call open for History."""
    clock = Clock()
    store = Store.open(tmp_path / "store", pid=DEAD_PID)  # the process "gone" once it ends
    app = TrainerApp(hosted(tmp_path, clock=clock, _store=store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        await say(pilot, TURNS[0])
        await say(pilot, TURNS[1])
        session_id = app.screen.session.id  # type: ignore[attr-defined]
        clock.now += 61
        assert app.end_if_idle()
        await pilot.pause()
    reader = Store.open(tmp_path / "store", read_only=True)
    stored = reader.find_session(session_id, "Ana")
    assert reader.live_status(stored.header) == "interrupted" and len(stored.main_line()) == 2
    again = TrainerApp(hosted(tmp_path))
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.press("h", "r")
        await pilot.pause()
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, ConversationScreen) and screen.session.id == session_id
        assert len(screen.session.turns) == 2


async def test_an_idle_certification_attempt_counts_and_resumes_as_after_a_closed_terminal(
    tmp_path: Path,
) -> None:
    clock = Clock()
    store = Store.open(tmp_path / "store", pid=DEAD_PID)
    app = TrainerApp(hosted(tmp_path, clock=clock, _store=store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "enter", "y")
        await pilot.pause()
        await say(pilot, TURNS[1])
        session_id = app.screen.session.id  # type: ignore[attr-defined]
        clock.now += 61
        assert app.end_if_idle()
        await pilot.pause()
    reader = Store.open(tmp_path / "store", read_only=True)
    (summary,) = reader.sessions("Ana")
    assert summary["mode"] == "certification" and summary["attempt"] == 1
    assert summary["status"] == "interrupted" and summary["id"] == session_id
    again = TrainerApp(hosted(tmp_path))
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")  # the attempt used shows in the briefing
        await pilot.pause()
        assert isinstance(again.screen, BriefingScreen)
        assert "Attempt 2 of 3" in shown(again)
        await pilot.press("escape", "h", "r")
        await pilot.pause()
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, ConversationScreen) and screen.mode == "certification"
        assert screen.session.id == session_id and len(screen.session.turns) == 1


# ------------------------------------------------------------------ one attempt at a time


def attempt_elsewhere(root: Path, trainee: str, pid: int) -> str:
    """A certification attempt started by another process (``pid``), still open."""
    other = Store.open(root, pid=pid)
    results = Results(other, Ledger(other, None), trainee)
    setup = open_library(None).resolve(SCENARIO)
    session = open_session(setup, "certification", 2**62 + 1, results=results)
    asyncio.run(session.start())
    return session.id


async def test_a_second_attempt_while_one_is_in_progress_elsewhere_is_refused(
    tmp_path: Path,
) -> None:
    live = os.getppid()  # a process that is alive and is not this one
    busy = await asyncio.to_thread(attempt_elsewhere, tmp_path / "store", "Ana", live)
    app = TrainerApp(hosted(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)  # no question, no attempt
        said = [n.message for n in app._notifications]
        assert any("already has a certification attempt in progress" in m for m in said), said
        assert any(busy[:8] in m for m in said)
        await pilot.press("escape", "enter", "enter")  # practice still starts
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen) and app.screen.mode == "practice"
    assert len(Store.open(tmp_path / "store", read_only=True).sessions("Ana")) == 2


async def test_the_store_refuses_the_second_attempt_under_its_lock(tmp_path: Path) -> None:
    """Two browsers pressing at once: the check before the call is not the last word."""
    live = os.getppid()
    await asyncio.to_thread(attempt_elsewhere, tmp_path / "store", "Ana", live)
    store = Store.open(tmp_path / "store")
    results = Results(store, Ledger(store, None), "Ana", one_attempt_at_a_time=True)
    setup = open_library(None).resolve(SCENARIO)
    with pytest.raises(AttemptInProgress, match="one attempt at a time"):
        open_session(setup, "certification", 2**62 + 2, results=results)
    store.attempt_in_progress = lambda trainee: None  # type: ignore[method-assign]
    session = open_session(setup, "certification", 2**62 + 2, results=results)
    with pytest.raises(AttemptInProgress):
        await session.start()
    # another trainee, practice, and an attempt whose process is gone are not held up
    for trainee, mode in (("Bo", "certification"), ("Ana", "practice")):
        other = Results(store, Ledger(store, None), trainee, one_attempt_at_a_time=True)
        await open_session(setup, mode, 2**62 + 3, results=other).start()  # type: ignore[arg-type]


async def test_an_interrupted_attempt_does_not_block_a_new_one(tmp_path: Path) -> None:
    await asyncio.to_thread(attempt_elsewhere, tmp_path / "store", "Ana", DEAD_PID)
    store = Store.open(tmp_path / "store")
    assert store.attempt_in_progress("Ana") is None
    results = Results(store, Ledger(store, None), "Ana", one_attempt_at_a_time=True)
    setup = open_library(None).resolve(SCENARIO)
    session = open_session(setup, "certification", 2**62 + 4, results=results)
    await session.start()
    assert session.recorder.header["attempt"] == 2  # type: ignore[attr-defined]


async def test_on_a_trainees_own_machine_two_attempts_may_run_at_once(tmp_path: Path) -> None:
    """Not hosted, the rule does not apply: the attempt limit, counted under the lock,
    is what holds processes racing on a shared store (tests/test_store_durability.py)."""
    live = os.getppid()
    await asyncio.to_thread(attempt_elsewhere, tmp_path / "store", "Ana", live)
    store = Store.open(tmp_path / "store")
    results = Results(store, Ledger(store, None), "Ana")
    setup = open_library(None).resolve(SCENARIO)
    session = open_session(setup, "certification", 2**62 + 5, results=results)
    await session.start()
    assert session.recorder.header["attempt"] == 2  # type: ignore[attr-defined]
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "enter", "y")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen) and app.screen.mode == "certification"
