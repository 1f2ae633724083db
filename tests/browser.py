"""A real headless Chromium driving a Textual app served to the browser (textual-serve, and
``trainer host`` on top of it), for the tests that must prove what a trainee sees there.

How the screen is read: textual-serve's page (``static/js/textual.js``) draws the terminal
with xterm.js on a WebGL canvas, so the DOM holds no text, and the xterm ``Terminal`` object
lives in a closure, never on ``window``; the accessibility tree exists only in xterm's
screen-reader mode, which the page does not turn on. So an init script, run before the page's
own code, puts a setter for the property ``terminal`` on ``Object.prototype``: when the
page's client does ``this.terminal = new Terminal(...)``, the setter turns it back into a
plain own property (the page sees no difference) and keeps the object that has an xterm
``buffer`` as ``window.__trainerTerminal``, then removes itself. The screen is then read from
``terminal.buffer.active``, one ``translateToString`` per visible row: exactly the cells the
trainee sees, with no OCR and no dependence on the renderer. The property name is the
source-level name in textual-serve's client (a property, so the minifier keeps it); if a
release renames it, :meth:`TerminalPage.open` fails saying so instead of timing out.

Keys go through Playwright's keyboard into xterm's focused textarea, so the app receives
the same escape sequences as from a person's browser. Every request that is not for the
served origin is refused (the page asks Google for a font), so the tests are hermetic and
``load`` never waits on the network.

No browser is downloaded: the tests use Debian's ``chromium`` package (``.ci/run`` installs
it); without it they skip, saying so.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_CANDIDATES = (Path("/usr/lib/chromium/chromium"),)
"""Debian's binary itself: its ``/usr/bin/chromium`` wrapper prints a shell error first."""

DEFAULT_TIMEOUT = 15.0
"""Seconds to wait for text; a trainer screen appears in about 1-2 s on this 2-core machine,
so this only bites when something is really wrong (and the failure shows the screen)."""

VIEWPORT = {"width": 1200, "height": 800}
"""Wide enough for the library's columns: 133 x 44 cells at the page's 16 px font."""

CAPTURE_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer && typeof value.write === "function") {
      window.__trainerTerminal = value;
      delete Object.prototype.terminal;  // caught: every other object as it was
    }
  },
});
"""

READ_SCREEN = """() => {
  const terminal = window.__trainerTerminal;
  if (!terminal) return null;
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""

SCREEN_HAS = """(text) => {
  const terminal = window.__trainerTerminal;
  if (!terminal) return false;
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n").includes(text);
}"""

_MODIFIERS = {"ctrl": "Control", "shift": "Shift", "alt": "Alt", "meta": "Meta"}
_KEYS = {
    "enter": "Enter",
    "escape": "Escape",
    "tab": "Tab",
    "space": "Space",
    "backspace": "Backspace",
    "delete": "Delete",
    "up": "ArrowUp",
    "down": "ArrowDown",
    "left": "ArrowLeft",
    "right": "ArrowRight",
    "home": "Home",
    "end": "End",
    "pageup": "PageUp",
    "pagedown": "PageDown",
}


def chromium() -> Path | None:
    """The Chromium binary to drive, or None when this machine has none."""
    for candidate in CHROMIUM_CANDIDATES:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def playwright_key(key: str) -> str:
    """A key as Textual names it (``ctrl+e``, ``escape``, ``f1``, ``a``) in Playwright's
    spelling (``Control+e``, ``Escape``, ``F1``), so the tests read like the app's bindings."""
    *modifiers, base = key.split("+")
    if len(base) > 1 and base[0] == "f" and base[1:].isdigit():
        name = base.upper()
    else:
        name = _KEYS.get(base, base)
    return "+".join([*(_MODIFIERS[m] for m in modifiers), name])


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now (other servers share this machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Served:
    """A server process listening on ``url``; ``output`` holds what it printed so far."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def serving(
    argv: Sequence[str],
    port: int,
    env: Mapping[str, str],
    log: Path,
    *,
    cwd: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Iterator[Served]:
    """Run ``argv`` (a server that listens on ``port`` of 127.0.0.1) until the block ends.

    Waits until the port accepts a connection; fails with the server's output if the
    process exits first or never listens. Stops it with SIGTERM (what a service manager
    sends), then kills it if it does not stop."""
    with log.open("wb") as sink:
        process = subprocess.Popen(
            list(argv), env=dict(env), cwd=cwd, stdout=sink, stderr=subprocess.STDOUT
        )
    served = Served(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited ({process.returncode}):\n{served.output}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not listen within {timeout} s:\n{served.output}")
                time.sleep(0.05)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def textual_serve_argv(command: str, port: int) -> list[str]:
    """Plain textual-serve serving ``command`` (one process per browser websocket)."""
    script = (
        "from textual_serve.server import Server; "
        f"Server({command!r}, host='127.0.0.1', port={port}).serve()"
    )
    return [sys.executable, "-c", script]


@contextmanager
def launched() -> Iterator[Browser]:
    """Headless Chromium, or a skip that says why there is none."""
    binary = chromium()
    if binary is None:
        pytest.skip(
            "no Chromium at "
            + ", ".join(map(str, CHROMIUM_CANDIDATES))
            + " (Debian: apt-get install chromium; .ci/run installs it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(binary), args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Download:
    """A file the app delivered to the browser, as the browser saved it."""

    filename: str
    url: str
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


class TerminalPage:
    """One browser tab on a served Textual app: read its screen, type, press keys."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    @contextmanager
    def opened(cls, browser: Browser, url: str, *, terminal: bool = True) -> Iterator[TerminalPage]:
        """A fresh browser context (no shared cookies or downloads) on ``url``, closed at
        the end of the block, which ends the app's websocket and so its process.
        ``terminal=False`` for a page that must start no app (a refusal, "the host is
        full"): it is loaded but not waited on for a terminal; read it with :meth:`text`."""
        origin = url.split("/", 3)[:3]
        prefix = "/".join(origin) + "/"
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)  # type: ignore[arg-type]
        try:
            context.route(lambda address: not address.startswith(prefix), lambda r: r.abort())
            context.add_init_script(CAPTURE_TERMINAL)
            page = context.new_page()
            opened = cls(page)
            if terminal:
                opened.open(url)
            else:
                page.goto(url)
            yield opened
        finally:
            context.close()

    def open(self, url: str) -> None:
        """Load ``url`` and wait until the page has made its terminal."""
        self.page.goto(url)
        try:
            self.page.wait_for_function("() => !!window.__trainerTerminal", timeout=5000)
        except Exception as error:
            raise AssertionError(
                "the page made no xterm Terminal that the harness could capture (did "
                "textual-serve's client stop assigning `this.terminal`?); the page says:\n"
                + self.page.inner_text("body")
            ) from error

    def text(self) -> str:
        """The page's visible text outside any terminal (a refusal page's message)."""
        return self.page.inner_text("body")

    def has_terminal(self) -> bool:
        """Whether the page made a terminal (an app page) at all."""
        return bool(self.page.evaluate("() => !!window.__trainerTerminal"))

    def screen(self) -> str:
        """The text on the terminal's visible rows, one line per row, trailing blanks cut."""
        text = self.page.evaluate(READ_SCREEN)
        return "" if text is None else str(text)

    def wait_for(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Wait until ``text`` is on the screen; returns the screen. On timeout, fails with
        the screen as it was, which is what one needs to see to fix the test."""
        try:
            self.page.wait_for_function(SCREEN_HAS, arg=text, timeout=timeout * 1000)
        except Exception as error:
            raise AssertionError(
                f"{text!r} did not appear within {timeout} s; the screen:\n{self.screen()}"
            ) from error
        return self.screen()

    def wait_until_gone(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Wait until ``text`` has left the screen (a screen was dismissed); returns it."""
        try:
            self.page.wait_for_function(
                f"(text) => !({SCREEN_HAS})(text)", arg=text, timeout=timeout * 1000
            )
        except Exception as error:
            raise AssertionError(
                f"{text!r} was still on the screen after {timeout} s:\n{self.screen()}"
            ) from error
        return self.screen()

    def focus(self) -> None:
        """Give xterm's textarea the keyboard, as a click on the terminal would."""
        self.page.focus(".xterm-helper-textarea")

    def type(self, text: str) -> None:
        """Type ``text`` as key presses (the app sees each character arrive)."""
        self.focus()
        self.page.keyboard.type(text)

    def press(self, *keys: str) -> None:
        """Press keys named as Textual names them: ``enter``, ``escape``, ``ctrl+e``, ``f1``."""
        self.focus()
        for key in keys:
            self.page.keyboard.press(playwright_key(key))

    def download(self, action: Callable[[], None], timeout: float = DEFAULT_TIMEOUT) -> Download:
        """Run ``action`` (say, press the export key) and catch the file the app delivers.

        textual-serve's client opens ``/download/{key}`` with ``window.open``; Chromium
        reports that attachment as a download of this page (checked: not of the popup), so
        Playwright's ``expect_download`` on the page catches it."""
        try:
            with self.page.expect_download(timeout=timeout * 1000) as caught:
                action()
        except Exception as error:
            raise AssertionError(
                f"no download within {timeout} s; the screen:\n{self.screen()}"
            ) from error
        download = caught.value
        content = Path(download.path()).read_bytes()
        return Download(download.suggested_filename, download.url, content)

    def settle(self, quiet: float = 0.3, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Wait until the screen has not changed for ``quiet`` seconds; returns it. Text
        appears before a screen has finished painting (the footer's keys follow the focus),
        so a screenshot taken at the first sight of a title shows a half-drawn frame."""
        deadline = time.monotonic() + timeout
        last = self.screen()
        since = time.monotonic()
        while time.monotonic() - since < quiet:
            if time.monotonic() > deadline:
                raise AssertionError(f"the screen kept changing for {timeout} s:\n{last}")
            self.page.wait_for_timeout(50)
            now = self.screen()
            if now != last:
                last, since = now, time.monotonic()
        return last

    def screenshot(self, path: Path) -> Path:
        """A PNG of the page as the trainee sees it, once the screen has settled and the
        page's fade-in is over (two animation frames more, for xterm's renderer to paint)."""
        self.settle()
        self.page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.textual-terminal')).opacity === '1'"
        )
        self.page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path))
        return path
