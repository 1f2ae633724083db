"""The team host (issue 15): invites with hashed tokens, and the server on 127.0.0.1 driven
by a real aiohttp client speaking textual-serve's protocol (no browser needed).

What must hold: a link's token is stored only as a hash and compared in constant time; a
wrong or revoked token gets a refusal page and starts no process; a full host says so and
starts nothing; a good link starts ``python -m trainer.tui`` as its trainee, whose first
screen reaches the websocket; shutdown waits for every app; and the token is in no file of
the host or the store and in no log line.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.cli_helpers import run
from trainer.config import HOSTED, STORE, TRAINEE
from trainer.host.invites import InviteError, Invites, host_folder
from trainer.host.server import HostServer, app_environment

# ---------------------------------------------------------------------- invites


def test_an_invite_stores_the_tokens_hash_never_the_token(tmp_path: Path) -> None:
    invites = Invites(tmp_path / "host")
    made = invites.invite("Ana Silva")
    assert len(made.token) >= 43 and not made.replaced
    text = (tmp_path / "host" / "invites.json").read_text(encoding="utf-8")
    assert made.token not in text
    assert hashlib.sha256(made.token.encode()).hexdigest() in text
    stored = json.loads(text)["invites"]["ana silva"]
    assert set(stored) == {"name", "token_sha256", "created"}
    assert stored["name"] == "Ana Silva"
    assert invites.trainee_for(made.token) == "Ana Silva"
    assert invites.trainee_for(made.token + "x") is None
    assert invites.trainee_for("") is None
    assert (tmp_path / "host").stat().st_mode & 0o077 == 0
    assert (tmp_path / "host" / "invites.json").stat().st_mode & 0o077 == 0


def test_tokens_are_compared_in_constant_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invites = Invites(tmp_path / "host")
    first = invites.invite("Ana")
    invites.invite("Ben")
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert invites.trainee_for(first.token) == "Ana"
    # every stored hash is compared, whichever matches, so the time says nothing
    assert len(calls) == 2
    assert all(len(a) == 64 and len(b) == 64 for a, b in calls)


def test_invite_again_replaces_the_link_and_revoke_ends_it(tmp_path: Path) -> None:
    invites = Invites(tmp_path / "host")
    old = invites.invite("Ana")
    new = invites.invite("ana")  # the same trainee, as the store compares names
    assert new.replaced
    assert invites.trainee_for(old.token) is None
    assert invites.trainee_for(new.token) == "ana"
    invites.invite("Ben")
    assert [i.name for i in invites.list()] == ["ana", "Ben"]
    assert invites.revoke("ANA").name == "ana"
    assert invites.trainee_for(new.token) is None
    assert [i.name for i in invites.list()] == ["Ben"]
    with pytest.raises(InviteError, match="has no invite"):
        invites.revoke("Ana")


@pytest.mark.parametrize("name", ["", "   ", "Ana\nSilva", "Ana\x1b[31m", "Ana\u202e"])
def test_names_the_store_would_refuse_are_refused(tmp_path: Path, name: str) -> None:
    invites = Invites(tmp_path / "host")
    with pytest.raises(InviteError):
        invites.invite(name)
    assert not (tmp_path / "host" / "invites.json").exists()


def test_a_damaged_invites_file_is_one_message(tmp_path: Path) -> None:
    folder = tmp_path / "host"
    folder.mkdir()
    (folder / "invites.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InviteError, match="not an invites file"):
        Invites(folder).list()


# ---------------------------------------------------------------------- the command line


def test_the_cli_invites_lists_and_revokes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "data" / "store"
    code, out, err = run(
        capsys,
        "host",
        "invite",
        "Ana",
        "--store",
        str(store),
        "--public-url",
        "https://t.example.com/",
    )
    assert code == 0, err
    link = out.strip()
    assert link.startswith("https://t.example.com/t/")
    token = link.rsplit("/", 1)[1]
    assert Invites(host_folder(store)).trainee_for(token) == "Ana"
    assert token not in err
    code, out, _ = run(capsys, "host", "list", "--store", str(store))
    assert code == 0 and "Ana" in out and token not in out
    code, out, _ = run(capsys, "host", "list", "--store", str(store), "--json")
    assert [entry["name"] for entry in json.loads(out)] == ["Ana"]
    code, out, _ = run(capsys, "host", "revoke", "Ana", "--store", str(store))
    assert code == 0 and "no longer" in out
    code, _, err = run(capsys, "host", "revoke", "Ana", "--store", str(store))
    assert code == 1 and "has no invite" in err
    code, _, err = run(capsys, "host", "invite", "A\nB", "--store", str(store))
    assert code == 1 and "line break" in err and "Traceback" not in err


def test_serve_without_the_extra_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delitem(sys.modules, "trainer.host.server", raising=False)
    monkeypatch.setitem(sys.modules, "textual_serve.app_service", None)
    code, _, err = run(capsys, "host", "serve", "--store", str(tmp_path / "store"))
    assert code == 2
    assert "pip install -e '.[host]'" in err and "Traceback" not in err


def test_serve_refuses_a_public_url_with_credentials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "host",
        "serve",
        "--store",
        str(tmp_path / "store"),
        "--public-url",
        "https://user:secret@example.com",
    )
    assert code == 2 and "secret" not in err


# ---------------------------------------------------------------------- the server


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    store = tmp_path / "data" / "store"
    return store, host_folder(store)


@pytest.fixture
async def servers(paths: tuple[Path, Path]) -> AsyncIterator[list[HostServer]]:
    """Servers started by a test, closed (apps ended and waited for) after it."""
    started: list[HostServer] = []
    yield started
    for server in started:
        await server.close()


async def start_server(
    servers: list[HostServer],
    paths: tuple[Path, Path],
    max_sessions: int = 4,
    revoke_check: float = 5.0,
) -> HostServer:
    store, folder = paths
    server = HostServer(
        Invites(folder),
        app_environment(store, None),
        port=0,
        max_sessions=max_sessions,
        grace=5.0,
        revoke_check=revoke_check,
    )
    await server.start()
    servers.append(server)
    return server


CONTROL_SEQUENCE = re.compile(rb"\x1b(?:\[[0-9;?$]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\))")
SIZE = "?width=100&height=30"
FIRST_SCREEN = b"Cold call to a cold-chain operations director"
"""A row of the library, the app's first screen."""


async def first_screen(socket: aiohttp.ClientWebSocketResponse, timeout: float = 60.0) -> bytes:
    """The app's output, as textual-serve relays it (binary frames), until the library is
    drawn; the browser's first messages (a resize, a ping) go first. The socket must be
    opened with the browser's size in its query (``SIZE``), as textual.js does."""
    await socket.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
    await socket.send_str(json.dumps(["ping", "hello"]))
    received = b""
    async with asyncio.timeout(timeout):
        while FIRST_SCREEN not in CONTROL_SEQUENCE.sub(b"", received):
            message = await socket.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
            elif message.type == aiohttp.WSMsgType.TEXT:
                assert json.loads(message.data) == ["pong", "hello"]
            else:
                raise AssertionError(f"the websocket ended before the first screen: {message}")
    return received


async def test_a_good_link_serves_the_page_and_bad_ones_are_refused(
    servers: list[HostServer], paths: tuple[Path, Path]
) -> None:
    server = await start_server(servers, paths)
    invites = server.invites
    good = invites.invite("Ana").token
    revoked = invites.invite("Ben").token
    invites.revoke("Ben")
    base = f"http://127.0.0.1:{server.port}"
    async with aiohttp.ClientSession() as client:
        async with client.get(f"{base}/t/{good}") as response:
            page = await response.text()
            assert response.status == 200
            assert f"ws://127.0.0.1:{server.port}/t/{good}/ws" in page
            assert response.headers["Cache-Control"] == "no-store"
            assert response.headers["Referrer-Policy"] == "no-referrer"
        for token in ("not-a-token", revoked):
            async with client.get(f"{base}/t/{token}") as response:
                assert response.status == 403
                assert "does not open a session" in await response.text()
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect(f"{base}/t/{token}/ws")
            assert refused.value.status == 403
        async with client.get(f"{base}/") as response:
            assert response.status == 200 and "personal link" in await response.text()
    assert server.started == 0 and not server.sessions


async def test_unreadable_invites_refuse_every_link_and_say_why_in_the_log(
    servers: list[HostServer], paths: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    server = await start_server(servers, paths)
    token = server.invites.invite("Ana").token
    server.invites.path.write_text("{damaged", encoding="utf-8")
    async with (
        aiohttp.ClientSession() as client,
        client.get(f"http://127.0.0.1:{server.port}/t/{token}") as response,
    ):
        assert response.status == 403
    assert "not an invites file" in caplog.text and token not in caplog.text
    assert server.started == 0


@pytest.mark.slow
async def test_a_link_starts_the_app_as_its_trainee_and_the_host_waits_for_it(
    servers: list[HostServer],
    paths: tuple[Path, Path],
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    store, folder = paths
    server = await start_server(servers, paths, max_sessions=1)
    token = server.invites.invite("Ana Silva").token
    base = f"http://127.0.0.1:{server.port}"
    async with aiohttp.ClientSession() as client:
        socket = await client.ws_connect(f"{base}/t/{token}/ws{SIZE}")
        await first_screen(socket)

        # the app is python -m trainer.tui, as the trainee, hosted, on the host's store
        (session,) = server.sessions.values()
        process = session.service.process
        assert process is not None
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert cmdline[:3] == [sys.executable.encode(), b"-m", b"trainer.tui"]
        environ = dict(
            entry.split(b"=", 1)
            for entry in Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")
            if b"=" in entry
        )
        assert environ[TRAINEE.name.encode()] == b"Ana Silva"
        assert environ[HOSTED.name.encode()] == b"1"
        assert environ[STORE.name.encode()] == str(store.resolve()).encode()
        assert not any(token.encode() in value for value in environ.values())
        assert token.encode() not in b" ".join(cmdline)

        # the host is full: the next page and websocket are told so and start nothing
        async with client.get(f"{base}/t/{token}") as response:
            assert response.status == 503
            assert "The host is full, try again in a minute" in await response.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as full:
            await client.ws_connect(f"{base}/t/{token}/ws")
        assert full.value.status == 503
        assert server.started == 1

        # shutdown ends the app and waits for its process
        await server.close()
        assert process.returncode is not None
        assert not server.sessions
        await socket.close()

    # the token is in no file of the host or the store, and in no log line
    captured = capfd.readouterr()
    logged = caplog.text + captured.out + captured.err
    assert "session started: Ana Silva" in caplog.text
    assert token not in logged
    for root in (folder, store):
        for path in root.rglob("*"):
            if path.is_file():
                assert token.encode() not in path.read_bytes(), path


async def test_a_closed_websocket_frees_its_slot(
    servers: list[HostServer], paths: tuple[Path, Path]
) -> None:
    server = await start_server(servers, paths, max_sessions=1)
    token = server.invites.invite("Ana").token
    url = f"http://127.0.0.1:{server.port}/t/{token}/ws{SIZE}"
    async with aiohttp.ClientSession() as client:
        socket = await client.ws_connect(url)
        await first_screen(socket)
        (session,) = server.sessions.values()
        process = session.service.process
        await socket.close()
        for _ in range(200):
            if not server.sessions:
                break
            await asyncio.sleep(0.05)
        assert not server.sessions
        assert process is not None and process.returncode is not None
        async with client.get(f"http://127.0.0.1:{server.port}/t/{token}") as response:
            assert response.status == 200


async def test_revoking_a_link_ends_the_session_it_has_open(
    servers: list[HostServer], paths: tuple[Path, Path]
) -> None:
    """A revoke made while the trainee plays ends that app too (it is asked to quit, so
    the call is left interrupted and resumable), not only the next connection; another
    trainee's session goes on."""
    server = await start_server(servers, paths, revoke_check=0.2)
    ana = server.invites.invite("Ana").token
    bo = server.invites.invite("Bo").token
    base = f"http://127.0.0.1:{server.port}"
    async with aiohttp.ClientSession() as client:
        ana_socket = await client.ws_connect(f"{base}/t/{ana}/ws{SIZE}")
        bo_socket = await client.ws_connect(f"{base}/t/{bo}/ws{SIZE}")
        await first_screen(ana_socket)
        await first_screen(bo_socket)
        processes = {s.trainee: s.service.process for s in server.sessions.values()}
        server.invites.revoke("Ana")
        async with asyncio.timeout(30):
            while "Ana" in {s.trainee for s in server.sessions.values()}:
                await asyncio.sleep(0.05)
        ana_process, bo_process = processes["Ana"], processes["Bo"]
        assert ana_process is not None and ana_process.returncode is not None
        assert bo_process is not None and bo_process.returncode is None
        assert [s.trainee for s in server.sessions.values()] == ["Bo"]
        async with asyncio.timeout(10):
            while not ana_socket.closed:
                await ana_socket.receive()
        await bo_socket.close()


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text(encoding="ascii").split()
        found.extend(int(child) for child in text)
    return found


@pytest.mark.slow
async def test_sigterm_ends_every_app_and_the_host_waits_for_them(tmp_path: Path) -> None:
    """``trainer host serve`` as a process: SIGTERM stops it, each app ends first."""
    store = tmp_path / "data" / "store"
    token = Invites(host_folder(store)).invite("Ana").token
    host = subprocess.Popen(
        [sys.executable, "-m", "trainer", "host", "serve", "--port", "0", "--store", str(store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert host.stderr is not None
        line = await asyncio.to_thread(host.stderr.readline)
        address = re.search(rb"serving on (http://127\.0\.0\.1:\d+)", line)
        assert address is not None, line
        base = address.group(1).decode()
        async with aiohttp.ClientSession() as client:
            socket = await client.ws_connect(f"{base}/t/{token}/ws{SIZE}")
            await first_screen(socket)
            (app,) = children_of(host.pid)
            host.send_signal(signal.SIGTERM)
            message = await socket.receive(timeout=30)
            assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            assert await asyncio.to_thread(host.wait, 30) == 0
        assert not Path(f"/proc/{app}").exists()  # ended and reaped by the host
        _, err = host.communicate(timeout=5)
        output = line + err
        assert b"ending 1 session" in output and token.encode() not in output
    finally:
        if host.poll() is None:
            host.kill()
            host.wait()
