"""A real xAPI Learning Record Store (Ralph) on 127.0.0.1, for tests of the xAPI export.

Ralph lives in its own virtualenv, never in the project's: `.ci/setup-ralph` makes it (at
`.ci/.ralph-venv`) and prints the path of its `ralph` executable. The fixtures look for ralph
at `$TRAINER_RALPH`, else at `.ci/.ralph-venv/bin/ralph`; without it the tests that use them
are skipped, or fail if `TRAINER_REQUIRE_LRS=1`.

To use it in a test module (importing the fixtures instead trips ruff's F811, and importing
this module before pytest_plugins does stops pytest from rewriting its asserts)::

    if TYPE_CHECKING:
        from tests.lrs_server import Lrs

    pytest_plugins = ["tests.lrs_server"]

    def test_export(ralph_lrs: Lrs) -> None:
        status, ids = ralph_lrs.request("POST", ralph_lrs.statements_url, [statement])
        assert [s["id"] for s in ralph_lrs.statements()] == [...]

One server runs per test session (`ralph_lrs_server`, about 3 s to set up: 1.3 s for
`ralph auth`, 2 s for the server to answer); `ralph_lrs` empties its statements store before
each test, so every test starts with an empty LRS. Ralph's filesystem backend keeps them all
in one file, `fs_lrs.jsonl` in `RalphServer.store`, read anew on every request.

The server is Ralph's own `ralph runserver` with its filesystem backend, changed in one
respect: Ralph's filesystem LRS backend (5.1.0, and 4.x and 5.0 alike) creates its statements
file on the first write and refuses every later write with HTTP 500 ("Statements bulk
indexation failed"; its log says the file "already exists and overwrite is not allowed").
A `sitecustomize.py` put on the server's PYTHONPATH makes that backend append instead, as a
database-backed LRS would. Everything else (validation, duplicate-id handling, enrichment
of `stored`, `timestamp` and `authority`, paging) is Ralph's unchanged.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.browser import free_port

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RALPH = REPO / ".ci" / ".ralph-venv" / "bin" / "ralph"
XAPI_VERSION = "1.0.3"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

# Straight to 127.0.0.1, whatever http_proxy and no_proxy say.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))

_SITECUSTOMIZE = '''\
"""Written by tests/lrs_server.py: make Ralph's filesystem LRS backend append statements.

Without this it creates its statements file on the first write and refuses every later
one ("already exists and overwrite is not allowed with operation_type create or index").
"""

try:
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend
except ImportError:  # not Ralph's interpreter
    pass
else:
    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
'''


@dataclass(frozen=True)
class Lrs:
    """A running LRS and the credentials of a user allowed everything ("all" scope).

    `url` is the server's root, without a trailing slash: http://127.0.0.1:PORT. The xAPI
    endpoint, the base URL an LRS gives its clients, is `endpoint` (url + "/xAPI"), so
    statements are at url + "/xAPI/statements" == `statements_url`.
    """

    url: str
    username: str
    password: str
    log: Path = field(compare=False)

    @property
    def endpoint(self) -> str:
        """The xAPI endpoint: resources such as "statements" are relative to it."""
        return self.url + "/xAPI"

    @property
    def statements_url(self) -> str:
        return self.endpoint + "/statements"

    @property
    def headers(self) -> dict[str, str]:
        """Basic authentication and the xAPI version header, for every request."""
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode("ascii")
        return {"Authorization": f"Basic {token}", "X-Experience-API-Version": XAPI_VERSION}

    def request(self, method: str, url: str, body: object = None) -> tuple[int, Any]:
        """Send `body` (if not None) as JSON to `url` (absolute, or relative to `self.url`),
        with the credentials and version header. Returns the status and the parsed JSON
        answer (None if empty); HTTP errors are returned, not raised."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = self.headers
        if data is not None:
            headers["Content-Type"] = "application/json"
        target = urllib.parse.urljoin(self.url, url)
        request = urllib.request.Request(target, data=data, headers=headers, method=method)
        try:
            with _DIRECT.open(request, timeout=10) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        return status, json.loads(raw) if raw else None

    def statements(self) -> list[dict[str, Any]]:
        """Every statement stored, following the `more` links from page to page.

        Ralph returns them oldest first (in the order they were stored), 100 a page.
        """
        found: list[dict[str, Any]] = []
        url: str | None = self.statements_url
        seen: set[str] = set()
        while url:
            if url in seen:
                raise AssertionError(f"the LRS's `more` links go round in a circle at {url}")
            seen.add(url)
            status, page = self.request("GET", url)
            if status != 200:
                raise AssertionError(f"GET {url} answered {status}: {page}")
            found.extend(page["statements"])
            more = page.get("more")
            url = urllib.parse.urljoin(self.url, more) if more else None
        return found


@dataclass(frozen=True)
class RalphServer:
    """The session's Ralph process; `store` is the directory holding its statements."""

    lrs: Lrs
    store: Path

    def clear(self) -> None:
        """Forget every statement: Ralph's FS backend reads its file anew on each request."""
        for path in self.store.iterdir():
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


def _unavailable(message: str) -> NoReturn:
    if os.environ.get("TRAINER_REQUIRE_LRS") == "1":
        pytest.fail(f"{message} (TRAINER_REQUIRE_LRS=1 requires the LRS)", pytrace=False)
    pytest.skip(message)


def find_ralph() -> Path:
    """The ralph executable, or skip (fail with TRAINER_REQUIRE_LRS=1) without one."""
    hint = "run .ci/setup-ralph to install Ralph, the xAPI LRS these tests need"
    configured = os.environ.get("TRAINER_RALPH")
    ralph = Path(configured) if configured else DEFAULT_RALPH
    if not (ralph.is_file() and os.access(ralph, os.X_OK)):
        where = f"TRAINER_RALPH={configured}" if configured else str(ralph)
        _unavailable(f"no ralph executable at {where}: {hint}")
    return ralph


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _environment(root: Path) -> dict[str, str]:
    """A clean environment: nothing of the caller's Ralph settings, HOME or Python paths."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(root / "home"),
        "TMPDIR": str(root / "tmp"),
        "RALPH_APP_DIR": str(root / "app"),
        "RALPH_AUTH_FILE": str(root / "app" / "auth.json"),
        "RALPH_HISTORY_FILE": str(root / "app" / "history.json"),
        # `ralph auth` imports the API, which fails unless the backend it names is installed
        "RALPH_RUNSERVER_BACKEND": "fs",
    }
    for name in ("home", "tmp", "app"):
        (root / name).mkdir(exist_ok=True)
    return env


def _write_credentials(ralph: Path, env: dict[str, str], username: str, password: str) -> None:
    command = [str(ralph), "auth", "-u", username, "-p", password, "-s", "all"]
    command += ["-M", "mailto:trainer-tests@example.com", "-w"]
    done = subprocess.run(
        command,
        env=env,
        cwd=env["HOME"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0 or not Path(env["RALPH_AUTH_FILE"]).is_file():
        pytest.fail(
            f"`ralph auth` failed with exit code {done.returncode}:\n{done.stdout}{done.stderr}",
            pytrace=False,
        )


def _answers(lrs: Lrs) -> bool:
    try:
        status, _ = lrs.request("GET", lrs.statements_url + "?limit=1")
    except OSError:  # refused, reset or timed out
        return False
    return status == 200


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server's process group (runserver, its reloader's worker), then kill."""

    def signal_group(signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signum)

    if process.poll() is None:
        signal_group(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            signal_group(signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT)
    signal_group(signal.SIGKILL)  # whatever of the group outlived runserver


def _start(
    ralph: Path, root: Path, env: dict[str, str], username: str, password: str
) -> tuple[subprocess.Popen[bytes], Lrs]:
    """Start `ralph runserver` on a free port and wait until it answers an authenticated GET."""
    log = root / "ralph.log"
    log.touch()
    for _attempt in range(3):  # another process may take the free port before Ralph does
        port = free_port()
        lrs = Lrs(f"http://127.0.0.1:{port}", username, password, log)
        command = [str(ralph), "runserver", "-b", "fs", "--fs-default-directory-path"]
        command += [str(root / "store"), "-h", "127.0.0.1", "-p", str(port)]
        logged = log.stat().st_size
        with log.open("ab") as out:
            out.write(f"$ {' '.join(command)}\n".encode())
            out.flush()
            process = subprocess.Popen(
                command,
                env=env,
                cwd=root / "run",  # its reloader watches the working directory for .py files
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # one process group to stop at the end
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if _answers(lrs):
                return process, lrs
            time.sleep(0.1)
        _stop(process)
        with log.open("rb") as written:
            written.seek(logged)
            if b"address already in use" not in written.read().lower():
                break
    if process.returncode is not None and process.returncode >= 0:
        what = f"exited with code {process.returncode} before answering on {lrs.url}"
    else:
        what = f"did not answer on {lrs.url} within {START_TIMEOUT:.0f} s"
    pytest.fail(f"Ralph {what}; the end of {log}:\n{_tail(log)}", pytrace=False)


@pytest.fixture(scope="session")
def ralph_lrs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RalphServer]:
    """One Ralph LRS for the session. Tests should use `ralph_lrs`, which empties it first."""
    ralph = find_ralph()
    root = tmp_path_factory.mktemp("ralph")
    for name in ("store", "run", "patch"):
        (root / name).mkdir()
    (root / "patch" / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    env = _environment(root)
    username, password = "trainer", secrets.token_urlsafe(16)
    _write_credentials(ralph, env, username, password)
    env["PYTHONPATH"] = str(root / "patch")
    process, lrs = _start(ralph, root, env, username, password)
    try:
        yield RalphServer(lrs=lrs, store=root / "store")
    finally:
        _stop(process)


@pytest.fixture
def ralph_lrs(ralph_lrs_server: RalphServer) -> Lrs:
    """The session's Ralph LRS, holding no statements at the start of each test."""
    ralph_lrs_server.clear()
    return ralph_lrs_server.lrs
