"""The team host's web server: textual-serve's ``Server``, with a personal link per trainee.

textual-serve (Textualize's own server) runs one app process per browser websocket and
relays its screen; this subclass keeps its page, its static files, its downloads
(``/download/{key}``: how Textual's ``deliver_text`` reaches the browser) and its message
loop, and changes what a connection may start:

- The page is ``/t/{token}`` and its websocket ``/t/{token}/ws``. The token is looked up
  in the invites file (hashed, constant-time) on every request: an unknown or revoked one
  gets a short refusal page (403) and starts no process.
- At most ``max_sessions`` app processes run at once; the next page or websocket gets
  "The host is full" (503) and starts nothing.
- The app is ``python -m trainer.tui`` with the trainee's name, the hosted flag and the
  host's store and content in its environment, started without a shell (so the name is
  never parsed by one, and a signal reaches the app itself) in its own session (so the
  terminal's Ctrl+C reaches the host, which ends its apps in order).
- The token is in no command line, environment or log line, and on no page but the link's
  own: the access log is off, and the host logs trainee names and counts only.
- Shutdown (SIGINT or SIGTERM) stops accepting, asks every app to quit (Textual's ``quit``
  packet), waits for each process, and only then lets the server go: the engine commits a
  turn only once its reply is whole, so an app ending loses no completed turn.
- A host that dies at once (``kill -9``) cannot end its apps: each one's web driver
  (``driver.py``) sees its pipes close and quits as Ctrl+Q does, so its call is left
  ``interrupted`` and resumable rather than held ``in progress`` by an orphan.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import shlex
import signal
import sys
from asyncio.subprocess import PIPE, Process
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from trainer.config import CONTENT, HOSTED, STORE, TRAINEE
from trainer.errors import TrainerError
from trainer.host.invites import Invites, token_hash

log = logging.getLogger("trainer.host")


APP_COMMAND: tuple[str, ...] = (sys.executable, "-m", "trainer.tui")
"""The app, as the web driver runs it (bare ``trainer`` opens the TUI only on a terminal)."""
DRIVER = "trainer.host.driver:HostedWebDriver"
"""Textual's web driver, made to quit its app when the host dies (``driver.py``)."""

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 20
QUIT_GRACE = 10.0
REVOKE_CHECK = 5.0
"""How often (seconds) the host looks for running sessions whose link no longer works."""
"""Seconds an app has to quit when asked, then to end on SIGTERM, before it is killed."""

PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
"""The link's page holds its token: never cached, never sent on as a referrer."""


def app_environment(store: Path, content: list[Path] | None) -> dict[str, str]:
    """The host's settings an app process needs beyond the host's own environment (which
    it inherits, with the config file it names): the store the host was told to use, and
    its content folders."""
    environment = {STORE.name: str(Path(store).expanduser().resolve())}
    if content:
        environment[CONTENT.name] = os.pathsep.join(str(Path(c).resolve()) for c in content)
    return environment


class HostedAppService(AppService):
    """One trainee's app process: textual-serve's ``AppService`` with the trainee in the
    environment, no shell, its own session, and an end that waits for the process."""

    def __init__(self, trainee: str, environment: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(shlex.join(APP_COMMAND), **kwargs)
        self.trainee = trainee
        self._extra_environment = dict(environment)

    @property
    def process(self) -> Process | None:
        process: Process | None = self._process
        return process

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment: dict[str, str] = super()._build_environment(width=width, height=height)
        environment.update(self._extra_environment)
        environment["TEXTUAL_DRIVER"] = DRIVER
        environment[TRAINEE.name] = self.trainee
        environment[HOSTED.name] = "1"
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *APP_COMMAND,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
        )
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the app; when it ends (quit, crash, failed start), close the browser's
        websocket too, so the session's slot is freed and the page says it disconnected."""
        await super().run()
        await self.remote_close()

    async def end(self, grace: float = QUIT_GRACE) -> None:
        """Ask the app to quit and wait for its process; SIGTERM after ``grace`` seconds
        (the web driver exits cleanly on it too), SIGKILL after another ``grace``."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop(), grace)
        process = self.process
        if process is None or process.returncode is not None:
            return
        for ending in (process.terminate, process.kill):
            try:
                await asyncio.wait_for(process.wait(), grace)
                return
            except TimeoutError:
                try:
                    ending()
                except ProcessLookupError:
                    return
        await process.wait()


@dataclass(frozen=True)
class HostedSession:
    """A running app: whose it is, the hash of the link it was opened with (never the
    token), and the service that relays it."""

    trainee: str
    link: str
    service: HostedAppService


class HostServer(Server):
    """textual-serve's server with personal links, a session limit and an orderly end."""

    def __init__(
        self,
        invites: Invites,
        environment: Mapping[str, str],
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        public_url: str | None = None,
        grace: float = QUIT_GRACE,
        revoke_check: float = REVOKE_CHECK,
    ) -> None:
        super().__init__(
            shlex.join(APP_COMMAND), host=host, port=port, title="Trainer", public_url=public_url
        )
        self.invites = invites
        self.environment = dict(environment)
        self.max_sessions = max_sessions
        self.grace = grace
        self.sessions: dict[str, HostedSession] = {}
        """Running apps by service id; a slot is taken before the process starts."""
        self.started = 0
        """App processes started since the host began (the tests count refusals by it)."""
        self.accepting = True
        self.revoke_check = revoke_check
        """Seconds between looks for running sessions whose link was revoked or replaced."""
        self._watch: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._public_url_given = public_url is not None

    # ---------------------------------------------------------------- running

    def initialize_logging(self) -> None:
        """Plain lines on stderr: the host's own (names and counts, never a token) and
        textual-serve's warnings. aiohttp's access log, which would print every link,
        is never started (``access_log=None``)."""
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("trainer host: %(message)s"))
        for name, level in (("trainer.host", logging.INFO), ("textual-serve", logging.WARNING)):
            logger = logging.getLogger(name)
            logger.setLevel(level)
            logger.addHandler(handler)
            logger.propagate = False

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT or SIGTERM, then end every app and return."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self.serve_until_signalled())

    async def serve_until_signalled(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await self.start()
        log.info(
            "serving on %s (at most %d sessions at once; Ctrl+C stops)",
            self.public_url,
            self.max_sessions,
        )
        await stop.wait()
        await self.close()

    async def start(self) -> None:
        """Listen on ``host:port`` (port 0: any free port, which ``port`` then holds)."""
        app = await self._make_app()
        self._runner = runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        if self.port == 0:
            server = site._server
            sockets = getattr(server, "sockets", None) or []
            self.port = int(sockets[0].getsockname()[1])
            if not self._public_url_given:
                self.public_url = f"http://{self.host}:{self.port}"
        self._watch = asyncio.create_task(self._end_revoked_sessions())

    async def _end_revoked_sessions(self) -> None:
        """A revoke (or a new invite, which replaces the link) ends the sessions already
        running on the old link within ``revoke_check`` seconds, not only new ones: the
        app is asked to quit, so its call is left interrupted and nothing played is lost."""
        while True:
            await asyncio.sleep(self.revoke_check)
            if not self.sessions:
                continue
            try:
                valid = self.invites.link_hashes()
            except TrainerError as error:
                log.warning("cannot check the links of running sessions: %s", error)
                continue
            for session in list(self.sessions.values()):
                if session.link not in valid:
                    log.info("session of %s ended: its link was revoked", session.trainee)
                    await session.service.end(self.grace)

    async def close(self) -> None:
        """Stop listening, end every app (``on_shutdown``), wait for the handlers."""
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def on_startup(self, app: web.Application) -> None:
        """(textual-serve prints a banner here; the host logs one line in ``serve``.)"""

    async def on_shutdown(self, app: web.Application) -> None:
        """Refuse new sessions and end every running app, waiting for each process."""
        self.accepting = False
        running = list(self.sessions.values())
        if running:
            log.info("stopping: ending %d session(s)", len(running))
        await asyncio.gather(*(s.service.end(self.grace) for s in running))

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_root, name="index"),
                web.get("/t/{token}", self.handle_link, name="link"),
                web.get("/t/{token}/ws", self.handle_link_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    # ---------------------------------------------------------------- pages

    async def handle_root(self, request: web.Request) -> web.Response:
        return _page(
            200,
            "Trainer",
            "This is a Trainer host. Open the personal link your manager sent you.",
        )

    async def handle_link(self, request: web.Request) -> web.StreamResponse:
        trainee = self._trainee(request)
        if trainee is None:
            return _refused()
        if not self._has_room():
            return _full()
        token = request.match_info["token"]
        router = request.app.router
        socket_url = f"{self.public_url}{router['websocket'].url_for(token=token)}"
        scheme = "wss:" if socket_url.startswith("https:") else "ws:"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": scheme + socket_url.split(":", 1)[1],
            "config": {"static": {"url": f"{self.public_url}/static/"}},
            "application": {"name": "Trainer"},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers.update(PAGE_HEADERS)
        return response

    async def handle_link_websocket(self, request: web.Request) -> web.StreamResponse:
        """The app for the link's trainee, or a refusal before the websocket opens."""
        trainee = self._trainee(request)
        if trainee is None:
            return _refused()
        if not self._has_room():
            return _full()
        websocket = web.WebSocketResponse(heartbeat=15)
        service = HostedAppService(
            trainee,
            self.environment,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        # The slot is taken before the first await, so two connections cannot both see
        # the last free one.
        link = token_hash(request.match_info["token"])
        self.sessions[service.app_service_id] = HostedSession(trainee, link, service)
        try:
            await websocket.prepare(request)
            if not self.accepting:  # the host began to stop while the socket opened
                await websocket.close()
                return websocket
            await service.start(
                to_int(request.query.get("width", "80"), 80),
                to_int(request.query.get("height", "24"), 24),
            )
            self.started += 1
            log.info("session started: %s (%d running)", trainee, len(self.sessions))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # a broken client must not take the host down
            log.warning("session of %s ended on an error: %s", trainee, type(error).__name__)
        finally:
            await service.end(self.grace)
            self.sessions.pop(service.app_service_id, None)
            log.info("session ended: %s (%d running)", trainee, len(self.sessions))
        return websocket

    def _trainee(self, request: web.Request) -> str | None:
        """The link's trainee; None (refused) for a wrong token, and also when the invites
        cannot be read, which is logged (the file's problem, never the token)."""
        try:
            return self.invites.trainee_for(request.match_info["token"])
        except TrainerError as error:
            log.warning("refused a link: %s", error)
            return None

    def _has_room(self) -> bool:
        return self.accepting and len(self.sessions) < self.max_sessions


def _page(status: int, title: str, message: str) -> web.Response:
    body = (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;background:#0c181f;color:#eee;"
        "display:flex;align-items:center;justify-content:center;height:90vh}"
        "main{max-width:32em;text-align:center}</style></head>\n"
        f"<body><main><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></main>"
        "</body></html>\n"
    )
    return web.Response(
        status=status, text=body, content_type="text/html", headers=dict(PAGE_HEADERS)
    )


def _refused() -> web.Response:
    return _page(
        403,
        "This link does not open a session",
        "It may have been mistyped, replaced by a newer link, or revoked. "
        "Ask your manager for a new one.",
    )


def _full() -> web.Response:
    response = _page(
        503,
        "The host is full",
        "The host is full, try again in a minute.",
    )
    response.headers["Retry-After"] = "60"
    return response
