"""Killing the team host mid-call (issue 15): ``kill -9`` on ``trainer host serve`` while
four trainees' practice calls run loses no turn any of them saw answered, and leaves every
session resumable.

The apps are the host's children, in their own sessions, so the host's death does not
kill them; it closes their pipes. Each app's web driver (``trainer/host/driver.py``) then
quits as Ctrl+Q does, leaving its call open; once the process is gone the store calls the
session ``interrupted``, which ``trainer resume`` continues. Without that driver the
orphans lived on and held their sessions ``in progress`` for good.

The load benchmark (``benchmarks/bench_host.py --kill``) does the same with 20 calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from tests.cli_helpers import run
from tests.host_client import Call, Client, play_call, script_lines, start_host
from trainer.host.invites import Invites, host_folder
from trainer.store.repository import Store

TRAINEES = ("Ana Silva", "Ben Okoro", "Chloe Marsh", "Dev Rao")
TURNS = 4


async def wait_for(condition: object, timeout: float, what: str) -> None:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


@pytest.mark.slow
async def test_kill_9_on_the_host_loses_no_answered_turn_and_every_session_resumes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "data" / "store"
    invites = Invites(host_folder(store))
    tokens = {name: invites.invite(name).token for name in TRAINEES}
    lines = script_lines(TURNS)
    host = start_host(store, max_sessions=len(TRAINEES))
    apps: list[int] = []
    try:
        calls = {name: Call() for name in TRAINEES}
        async with aiohttp.ClientSession() as http:
            tasks = [
                asyncio.create_task(
                    play_call(Client(http, host.base, tokens[name]), lines, calls[name], end=False)
                )
                for name in TRAINEES
            ]
            # kill once every call has two turns answered: the others are on their way
            await wait_for(
                lambda: (
                    all(call.answered >= 2 for call in calls.values())
                    or any(task.done() and task.exception() for task in tasks)
                ),
                90,
                "two answered turns in every call",
            )
            for task in tasks:
                if task.done():
                    task.result()  # a client that failed before the kill says why
            apps = host.children()
            assert len(apps) == len(TRAINEES)
            os.kill(host.pid, signal.SIGKILL)
            host.process.wait(10)
            ended = await asyncio.gather(*tasks, return_exceptions=True)
            assert all(isinstance(e, (Call, Exception)) for e in ended)

        # the orphaned apps see their pipes close and quit by themselves
        await wait_for(
            lambda: not any(Path(f"/proc/{pid}").exists() for pid in apps),
            30,
            "the apps to quit after the host died",
        )

        reader = Store.open(store, read_only=True)
        for name in TRAINEES:
            (summary,) = reader.sessions(name)
            stored = reader.find_session(str(summary["id"]), name)
            kept = [str(turn["seller"]) for turn in stored.main_line()]
            answered = calls[name].answered
            # no turn the trainee saw answered is lost, and nothing was made up
            assert len(kept) >= answered, (name, answered, kept)
            assert kept == lines[: len(kept)], name
            assert summary["status"] == "interrupted", (name, summary["status"])

        code, out, _ = run(capsys, "sessions", "--all", "--store", str(store))
        assert code == 0
        assert out.count("interrupted") >= len(TRAINEES)

        # and a session goes on where it stopped
        name = TRAINEES[0]
        (summary,) = reader.sessions(name)
        before = int(summary["turns"])
        script = tmp_path / "rest.txt"
        script.write_text(script_lines()[before] + "\n", encoding="utf-8")
        resumed = await asyncio.to_thread(
            subprocess.run,
            [
                *(sys.executable, "-m", "trainer", "resume", str(summary["id"])[:8]),
                *("--script", str(script), "--trainee", name, "--store", str(store)),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert resumed.returncode == 0, resumed.stderr
        stored = Store.open(store, read_only=True).find_session(str(summary["id"]), name)
        assert len(stored.main_line()) == before + 1
    finally:
        host.stop()
        for pid in apps:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
