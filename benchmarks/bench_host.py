"""The team host under load: 20 trainees' practice calls at once, over textual-serve's
websocket protocol, against ``trainer host serve`` as a real process on 127.0.0.1.

Each client (``tests/host_client.py``) does what a browser does with a personal link:
loads the page, opens its websocket with a 100x30 window, and reads the app's screen
through a terminal emulator (pyte). It opens the library's first scenario (Enter), the
briefing (Enter), plays the first 10 lines of
``tests/data/scripts/cold-call-cold-chain/discovery.txt`` (typed, then Enter, then waits
until the call counts the turn, which it does only once the store has it) and ends the
call (Ctrl+E) at the debrief. All clients start together.

Prints medians and p95s: link to library on screen, and Enter to the reply counted; the
terminal's own figures beside them (``bench_offline_turn.py``: one engine turn;
``bench_tui_startup.py``: spawn to the library in a terminal); the resident memory of
each app process and of the host, sampled from ``/proc`` while the calls run; and what
the store holds afterwards (every turn, every session), read with the store's API.

``--kill``: the same calls, but the host gets ``kill -9`` once every call has half its
turns answered. Then: no turn a client saw answered is missing from the store, every app
process quits by itself (its pipes closed), every session is ``interrupted``, and
``trainer resume`` plays on one of them.

    python benchmarks/bench_host.py [--clients 20] [--turns 10] [--kill] [--no-terminal]

Runs in a temporary HOME with a temporary store and no ``TRAINER_*``/``OPENAI_*``
settings of the user's. Exit status 1 if a turn or a session is missing, or a kill
leaves a session that cannot resume.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import aiohttp  # noqa: E402

from tests.host_client import (  # noqa: E402
    Call,
    Client,
    Host,
    play_call,
    pss_kib,
    rss_kib,
    script_lines,
    start_host,
)
from trainer.config import ENVIRONMENT  # noqa: E402
from trainer.host.invites import Invites, host_folder  # noqa: E402
from trainer.store.repository import Store  # noqa: E402

SCREEN_TIMEOUT = 300.0
"""Seconds a client waits for one screen: 20 apps starting at once share two cores."""


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def clean_environment(home: Path) -> dict[str, str]:
    """This process's environment with a temporary HOME and XDG folders and none of the
    product's settings, so the host reads no config file or store of the user's."""
    product = {variable.name for variable in ENVIRONMENT}
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in product and not name.startswith(("OPENAI_", "TEXTUAL"))
    }
    environment["HOME"] = str(home)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        environment[name] = str(home / name.lower())
    return environment


class MemorySampler:
    """The peak resident set of the host and of each app process, from ``/proc``."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.host_peak = 0
        self.apps: dict[int, int] = {}
        self.apps_pss: dict[int, int] = {}
        self.most_apps = 0

    def sample(self) -> None:
        host = rss_kib(self.host.pid)
        if host is None:
            return
        self.host_peak = max(self.host_peak, host)
        try:
            children = self.host.children()
        except FileNotFoundError:
            return
        self.most_apps = max(self.most_apps, len(children))
        for pid in children:
            rss = rss_kib(pid)
            if rss is not None:
                self.apps[pid] = max(self.apps.get(pid, 0), rss)
            pss = pss_kib(pid)
            if pss is not None:
                self.apps_pss[pid] = max(self.apps_pss.get(pid, 0), pss)

    async def run(self, every: float = 0.25) -> None:
        while True:
            self.sample()
            await asyncio.sleep(every)


async def play_all(
    host: Host,
    tokens: dict[str, str],
    lines: list[str],
    *,
    kill_after: int | None,
    memory: MemorySampler,
) -> tuple[dict[str, Call], list[BaseException], list[int], float]:
    """Every call at once; with ``kill_after``, kill -9 the host once every call has that
    many turns answered. Returns the calls, the clients' errors, the app processes alive
    at the kill, and the wall time."""
    calls = {name: Call() for name in tokens}
    apps: list[int] = []
    sampling = asyncio.create_task(memory.run())
    started = time.perf_counter()
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        tasks = [
            asyncio.create_task(
                play_call(
                    Client(http, host.base, token),
                    lines,
                    calls[name],
                    end=kill_after is None,
                    timeout=SCREEN_TIMEOUT,
                )
            )
            for name, token in tokens.items()
        ]
        if kill_after is not None:
            while not all(call.answered >= kill_after for call in calls.values()):
                if any(task.done() and task.exception() for task in tasks):
                    break
                await asyncio.sleep(0.01)
            memory.sample()
            apps = host.children()
            os.kill(host.pid, signal.SIGKILL)
            host.process.wait(30)
        ended = await asyncio.gather(*tasks, return_exceptions=True)
    wall = time.perf_counter() - started
    sampling.cancel()
    errors = [e for e in ended if isinstance(e, BaseException)]
    return calls, errors, apps, wall


def read_store(store: Path, names: Sequence[str]) -> dict[str, list[tuple[str, str, list[str]]]]:
    """Each trainee's sessions as (id, status, the seller's lines kept), from the store."""
    reader = Store.open(store, read_only=True)
    found: dict[str, list[tuple[str, str, list[str]]]] = {}
    for name in names:
        rows = []
        for summary in reader.sessions(name):
            stored = reader.find_session(str(summary["id"]), name)
            kept = [str(turn["seller"]) for turn in stored.main_line()]
            rows.append((str(summary["id"]), str(summary["status"]), kept))
        found[name] = rows
    return found


def terminal_figures(environment: dict[str, str]) -> list[str]:
    """The terminal's own figures, from the two benchmarks that measure them."""
    rows: list[str] = []
    runs = (
        ("bench_offline_turn.py", [], r"one offline turn", 1),
        ("bench_tui_startup.py", ["-n", "7"], r"spawn -> library filled", 0),
    )
    for script, extra, label, offset in runs:
        done = subprocess.run(
            [sys.executable, str(REPO / "benchmarks" / script), *extra],
            capture_output=True,
            text=True,
            env=environment,
            timeout=600,
        )
        lines = done.stdout.splitlines()
        for index, line in enumerate(lines):
            if re.search(label, line):
                picked = lines[index : index + offset + 1]
                rows.append(f"  {script}: " + " / ".join(row.strip() for row in picked))
                break
        else:
            rows.append(f"  {script}: no figure (exit {done.returncode}) {done.stderr[-300:]}")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--max-sessions", type=int, default=25)
    parser.add_argument("--kill", action="store_true", help="kill -9 the host mid-call")
    parser.add_argument(
        "--no-terminal", action="store_true", help="skip the terminal's own figures"
    )
    args = parser.parse_args(argv)
    lines = script_lines(args.turns)
    if len(lines) < args.turns:
        parser.error(f"the script has {len(lines)} lines")

    with tempfile.TemporaryDirectory(prefix="bench-host-") as temporary:
        root = Path(temporary)
        environment = clean_environment(root / "home")
        store = root / "store"
        invites = Invites(host_folder(store))
        names = [f"Trainee {number:02d}" for number in range(1, args.clients + 1)]
        tokens = {name: invites.invite(name).token for name in names}
        host = start_host(store, args.max_sessions, environment=environment)
        memory = MemorySampler(host)
        kill_after = max(1, args.turns // 2) if args.kill else None
        try:
            calls, errors, apps, wall = asyncio.run(
                play_all(host, tokens, lines, kill_after=kill_after, memory=memory)
            )
        finally:
            host.stop()

        title = "kill -9 during the calls" if args.kill else "load"
        print(f"trainer host, {title}: {args.clients} clients at once, {args.turns} turns each")
        print(f"  (python {sys.version.split()[0]}, {os.cpu_count()} CPUs, wall {wall:.1f} s)")
        opened = [c.to_library for c in calls.values() if c.to_library]
        turns = [t for c in calls.values() for t in c.turns]
        if opened:
            print(
                f"link to library on screen: median {seconds(statistics.median(opened))}, "
                f"p95 {seconds(p95(opened))}, max {seconds(max(opened))} ({len(opened)} clients)"
            )
        if turns:
            print(
                f"Enter to the reply counted: median {seconds(statistics.median(turns))}, "
                f"p95 {seconds(p95(turns))}, max {seconds(max(turns))} ({len(turns)} turns)"
            )
        peaks = sorted(memory.apps.values())
        if peaks:
            print(
                f"memory per session (peak RSS of each app process, {len(peaks)} apps, "
                f"{memory.most_apps} at once): median {mib(statistics.median(peaks))}, "
                f"max {mib(max(peaks))}, all apps together {mib(sum(peaks))}"
            )
        shares = sorted(memory.apps_pss.values())
        if shares:
            print(
                f"  the same as PSS (shared pages split among the apps): median "
                f"{mib(statistics.median(shares))}, all apps together {mib(sum(shares))}"
            )
        print(f"host process (peak RSS): {mib(memory.host_peak)}")
        if errors and not args.kill:
            print(f"client errors: {len(errors)}: {errors[0]!r}")

        ok = not (errors and not args.kill)
        if args.kill:
            ok = check_after_kill(store, names, calls, lines, apps, environment) and ok
        else:
            held = read_store(store, names)
            kept = sum(len(rows[0][2]) for rows in held.values() if len(rows) == 1)
            one_each = all(len(rows) == 1 for rows in held.values())
            ended = sum(1 for rows in held.values() for _, status, _ in rows if status == "ended")
            whole = all(
                len(rows) == 1 and rows[0][2] == lines and calls[name].ended
                for name, rows in held.items()
            )
            print(
                f"store: {sum(len(r) for r in held.values())} sessions for {len(names)} "
                f"trainees ({ended} ended), {kept} of {len(names) * len(lines)} turns, "
                f"in order: {'yes' if whole and one_each else 'NO'}"
            )
            ok = ok and whole and one_each and ended == len(names)

        if not args.no_terminal:
            print("the terminal's own figures (same machine, after the run):")
            for row in terminal_figures(environment):
                print(row)
        print("result: " + ("ok" if ok else "FAILED"))
        return 0 if ok else 1


def check_after_kill(
    store: Path,
    names: Sequence[str],
    calls: dict[str, Call],
    lines: list[str],
    apps: list[int],
    environment: dict[str, str],
) -> bool:
    """After the kill: the apps quit by themselves; every answered turn is stored; every
    session is interrupted; one resumes."""
    answered = sum(c.answered for c in calls.values())
    print(f"killed the host with {answered} turns answered on screen, {len(apps)} apps running")
    deadline = time.monotonic() + 60
    started = time.monotonic()
    while any(Path(f"/proc/{pid}").exists() for pid in apps) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in apps if Path(f"/proc/{pid}").exists()]
    print(
        f"apps after the host died: {len(apps) - len(left)} of {len(apps)} quit by themselves "
        f"within {time.monotonic() - started:.1f} s"
    )
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    held = read_store(store, names)
    lost = [
        name
        for name, rows in held.items()
        if len(rows) != 1 or len(rows[0][2]) < calls[name].answered
    ]
    made_up = [
        name for name, rows in held.items() if rows and rows[0][2] != lines[: len(rows[0][2])]
    ]
    stored = sum(len(rows[0][2]) for rows in held.values() if rows)
    statuses = sorted({status for rows in held.values() for _, status, _ in rows})
    interrupted = sum(1 for rows in held.values() for _, s, _ in rows if s == "interrupted")
    print(
        f"store: {stored} turns kept ({answered} answered on screen; the rest were on their "
        f"way), lost: {len(lost)} sessions short of what their screen showed, "
        f"out of order: {len(made_up)}"
    )
    print(f"sessions: {interrupted} of {len(names)} interrupted (statuses: {', '.join(statuses)})")
    name = names[0]
    session_id, _, kept = held[name][0]
    script = store.parent / "rest.txt"
    script.write_text(script_lines()[len(kept)] + "\n", encoding="utf-8")
    resumed = subprocess.run(
        [
            *(sys.executable, "-m", "trainer", "resume", session_id[:8]),
            *("--script", str(script), "--trainee", name, "--store", str(store)),
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    after = read_store(store, [name])[name][0][2]
    went_on = resumed.returncode == 0 and len(after) == len(kept) + 1
    print(
        f"trainer resume {session_id[:8]} (--script, one more line): exit {resumed.returncode}, "
        f"turns {len(kept)} -> {len(after)}"
    )
    return not left and not lost and not made_up and interrupted == len(names) and went_on


if __name__ == "__main__":
    sys.exit(main())
