"""A trainee's browser, minus the browser: a websocket client of ``trainer host serve`` that
speaks textual-serve's protocol (what textual.js sends: a resize, keys as ``["stdin",
data]`` with a terminal's escape sequences) and reads the app's screen by feeding its
output to a ``pyte`` terminal. Used by the load benchmark (``benchmarks/bench_host.py``)
and the kill test (``tests/test_host_kill.py``), which both run the real command.

What a client counts as *answered* is the call's turn counter ("Turn N/15"): the screen
counts a turn only once the store has it, so a turn seen answered must be in the store.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pyte

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "tests" / "data" / "scripts" / "cold-call-cold-chain" / "discovery.txt"
WIDTH, HEIGHT = 100, 30

LIBRARY = "Cold call to a cold-chain operations director"
"""The library's first row (the highlighted one), as the app's first screen draws it."""
BRIEFING = "Your situation"
ENTER = "\r"
CTRL_E = "\x05"
DEBRIEF = "Export Markdown"
"""In the debrief's footer: the call is over and its outcome stored."""


def script_lines(count: int | None = None) -> list[str]:
    """The seller's side of a good discovery call, one turn a line."""
    lines = [line for line in SCRIPT.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[:count] if count is not None else lines


def counter(turns: int) -> str:
    return f"Turn {turns}/"


# ---------------------------------------------------------------------- the host


@dataclass
class Host:
    """``trainer host serve`` as a process on 127.0.0.1, on any free port."""

    process: subprocess.Popen[bytes]
    base: str
    first_line: bytes

    @property
    def pid(self) -> int:
        return self.process.pid

    def children(self) -> list[int]:
        """The app processes (the host's children), from ``/proc``."""
        found: list[int] = []
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            text = (task / "children").read_text(encoding="ascii").split()
            found.extend(int(child) for child in text)
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_host(
    store: Path,
    max_sessions: int,
    timeout: float = 60.0,
    environment: Mapping[str, str] | None = None,
) -> Host:
    """Start the host on the store (in ``environment``, else this process's); it reads
    its invites file on every request, so trainees may be invited before or after."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trainer",
            "host",
            "serve",
            "--port",
            "0",
            "--max-sessions",
            str(max_sessions),
            "--store",
            str(store),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=None if environment is None else dict(environment),
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    address = re.search(rb"serving on (http://127\.0\.0\.1:\d+)", line)
    if address is None:
        process.kill()
        process.wait(timeout)
        raise RuntimeError(f"the host did not start: {line!r}")
    return Host(process, address.group(1).decode(), line)


# ---------------------------------------------------------------------- a client


class ScreenClosed(Exception):
    """The websocket ended (the app quit, or the host went away)."""


@dataclass
class Client:
    """One trainee's session: the page, its websocket, and the screen it draws."""

    http: aiohttp.ClientSession
    base: str
    token: str
    screen: pyte.Screen = field(default_factory=lambda: pyte.Screen(WIDTH, HEIGHT))
    socket: aiohttp.ClientWebSocketResponse | None = None

    def __post_init__(self) -> None:
        self._stream = pyte.ByteStream(self.screen)

    async def open(self) -> None:
        """What a browser does with the link: load the page, then open its websocket
        with the window's size, and send a resize (textual.js does both)."""
        async with self.http.get(f"{self.base}/t/{self.token}") as page:
            if page.status != 200:
                raise RuntimeError(f"the link's page answered {page.status}")
            await page.read()
        self.socket = await self.http.ws_connect(
            f"{self.base}/t/{self.token}/ws?width={WIDTH}&height={HEIGHT}"
        )
        await self.send("resize", {"width": WIDTH, "height": HEIGHT})

    async def send(self, kind: str, data: object) -> None:
        assert self.socket is not None
        await self.socket.send_str(json.dumps([kind, data]))

    async def keys(self, data: str) -> None:
        await self.send("stdin", data)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def shows(self, text: str) -> bool:
        return any(text in row for row in self.screen.display)

    async def until(self, done: Callable[[], bool], timeout: float = 60.0) -> None:
        """Read the app's output until ``done()`` holds of the screen."""
        assert self.socket is not None
        async with asyncio.timeout(timeout):
            while not done():
                message = await self.socket.receive()
                if message.type == aiohttp.WSMsgType.BINARY:
                    self._stream.feed(message.data)
                elif message.type != aiohttp.WSMsgType.TEXT:
                    raise ScreenClosed(f"the websocket ended: {message.type.name}")

    async def until_shown(self, text: str, timeout: float = 60.0) -> None:
        await self.until(lambda: self.shows(text), timeout)

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()


@dataclass
class Call:
    """One client's scripted practice call, as it went."""

    to_library: float = 0.0
    """Seconds from opening the link to the library on screen."""
    turns: list[float] = field(default_factory=list)
    """Seconds from each Enter to that turn counted on screen (its reply answered)."""
    ended: bool = False
    error: str | None = None

    @property
    def answered(self) -> int:
        return len(self.turns)


async def play_call(
    client: Client, lines: list[str], call: Call, *, end: bool = True, timeout: float = 60.0
) -> Call:
    """Open the link, start the library's first scenario, play ``lines`` a turn each
    (typed, then Enter, then wait for the turn to be counted), then end the call (Ctrl+E)
    and wait for the debrief. ``call`` is filled as it goes, so a caller whose host dies
    mid-call still knows which turns were answered. ``timeout``: for each screen."""
    started = time.perf_counter()
    await client.open()
    await client.until_shown(LIBRARY, timeout)
    call.to_library = time.perf_counter() - started
    await client.keys(ENTER)  # the highlighted scenario: practise it
    await client.until_shown(BRIEFING, timeout)
    await client.keys(ENTER)  # start the call
    await client.until_shown(counter(0), timeout)
    for number, line in enumerate(lines, start=1):
        await client.keys(line)
        sent = time.perf_counter()
        await client.keys(ENTER)
        await client.until_shown(counter(number), timeout)
        call.turns.append(time.perf_counter() - sent)
    if end:
        await client.keys(CTRL_E)
        await client.until_shown(DEBRIEF, timeout)
        call.ended = True
    return call


# ---------------------------------------------------------------------- memory


def rss_kib(pid: int) -> int | None:
    """A process's resident set, from ``/proc`` (None once it has gone)."""
    return _proc_field(f"/proc/{pid}/status", "VmRSS:")


def pss_kib(pid: int) -> int | None:
    """A process's proportional set (shared pages divided among their users): what one
    more app process costs, where RSS counts the interpreter's shared pages in each."""
    return _proc_field(f"/proc/{pid}/smaps_rollup", "Pss:")


def _proc_field(path: str, name: str) -> int | None:
    try:
        text = Path(path).read_text(encoding="ascii")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    for row in text.splitlines():
        if row.startswith(name):
            return int(row.split()[1])
    return None
