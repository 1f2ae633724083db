"""The browser harness (tests/browser.py) proven against plain textual-serve: a real headless
Chromium plays the trainer's TUI from the library to the debrief, and catches a file a
Textual app delivers. The host's own browser tests (issue 15) are these steps behind a
trainee's link."""

from __future__ import annotations

import os
import shlex
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests import browser as browser_harness
from tests import deliver_app
from tests.browser import (
    Served,
    TerminalPage,
    free_port,
    launched,
    playwright_key,
    serving,
    textual_serve_argv,
)
from trainer.config import STORE, TRAINEE

REPO = Path(__file__).resolve().parents[1]
TITLE = "Cold call to a cold-chain operations director"
OPENING = (
    "Thanks for taking the call, Dana. Do you have two minutes, and tell me if it isn't relevant?"
)
TRAINER = (
    "from trainer.tui.app import TrainerApp; from trainer.tui.context import AppContext; "
    "TrainerApp(AppContext.from_environment()).run()"
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the file (about 0.5 s to start); each test gets its own context."""
    with launched() as browser:
        yield browser


def python_command(*arguments: str) -> str:
    """A shell command line running this interpreter (textual-serve runs it with a shell)."""
    return shlex.join([sys.executable, *arguments])


@pytest.fixture
def trainer_served(tmp_path: Path) -> Iterator[Served]:
    """The trainer's TUI behind textual-serve, with a fresh store and the isolated HOME."""
    env = dict(os.environ, **{STORE.name: str(tmp_path / "store"), TRAINEE.name: "Ana"})
    port = free_port()
    argv = textual_serve_argv(python_command("-c", TRAINER), port)
    with serving(argv, port, env, tmp_path / "server.log", cwd=REPO) as served:
        yield served


def test_keys_are_named_as_textual_names_them() -> None:
    assert playwright_key("enter") == "Enter"
    assert playwright_key("escape") == "Escape"
    assert playwright_key("ctrl+e") == "Control+e"
    assert playwright_key("f1") == "F1"
    assert playwright_key("ctrl+shift+up") == "Control+Shift+ArrowUp"
    assert playwright_key("h") == "h"


def test_no_chromium_is_a_skip_that_says_how_to_get_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser_harness, "CHROMIUM_CANDIDATES", (tmp_path / "chromium",))
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"), launched():
        pass


def test_a_practice_call_in_the_browser(
    browser: Browser, trainer_served: Served, tmp_path: Path
) -> None:
    started = time.monotonic()
    with TerminalPage.opened(browser, trainer_served.url) as terminal:
        library = terminal.wait_for(TITLE)
        assert "Dana Okafor" in library and "Practise" in library
        shot = terminal.screenshot(tmp_path / "library.png")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        to_library = time.monotonic() - started

        terminal.press("f1")
        assert "Keys on this screen" in terminal.wait_for("Trainer — help")
        terminal.press("escape")
        terminal.wait_until_gone("Trainer — help")

        terminal.press("enter")
        briefing = terminal.wait_for("Start the call")
        assert "What you sell: DockWise" in briefing
        terminal.press("enter")
        terminal.wait_for("Say something to the buyer")

        terminal.type(OPENING)
        terminal.press("enter")
        call = terminal.wait_for("Good use")  # the turn's verdict: the judge saw the turn
        assert "Thanks for taking the call, Dana." in call
        terminal.wait_for("Dana:")  # the buyer answered

        terminal.press("ctrl+e")
        debrief = terminal.wait_for("Session score")
        assert "/100" in debrief
    print(f"library after {to_library:.2f} s, whole call {time.monotonic() - started:.2f} s")


def test_a_delivered_file_is_downloaded_by_the_browser(browser: Browser, tmp_path: Path) -> None:
    port = free_port()
    argv = textual_serve_argv(python_command("-m", "tests.deliver_app"), port)
    with (
        serving(argv, port, os.environ, tmp_path / "server.log", cwd=REPO) as served,
        TerminalPage.opened(browser, served.url) as terminal,
    ):
        terminal.wait_for("Press d to download the notes")
        download = terminal.download(lambda: terminal.press("d"))
        assert download.filename == deliver_app.FILENAME
        assert download.text == deliver_app.CONTENT
        assert f"{served.url}/download/" in download.url
        terminal.wait_for("Delivered")


def test_a_missing_text_fails_showing_the_screen_and_a_page_without_an_app_is_read(
    browser: Browser, tmp_path: Path
) -> None:
    port = free_port()
    argv = textual_serve_argv(python_command("-m", "tests.deliver_app"), port)
    with (
        serving(argv, port, os.environ, tmp_path / "server.log", cwd=REPO) as served,
        TerminalPage.opened(browser, served.url) as terminal,
    ):
        terminal.wait_for("Press d")
        with pytest.raises(AssertionError) as failure:
            terminal.wait_for("not on any screen", timeout=0.5)
        with TerminalPage.opened(browser, f"{served.url}/no-such-page", terminal=False) as page:
            assert "404" in page.text() and not page.has_terminal()
    assert "'not on any screen' did not appear within 0.5 s" in str(failure.value)
    assert "Press d to download the notes" in str(failure.value)
