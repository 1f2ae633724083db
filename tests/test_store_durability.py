"""The results store across real processes: many writers at once, and SIGKILL mid-write.

No test here uses threads. The children run this module's functions:

* ``concurrent_worker`` runs in a fresh interpreter (``subprocess``, ``python -c``) and
  plays scripted sessions through the real command line, ``trainer.cli.main(["play" or
  "certify", ..., "--script", FILE, "--json"])``, reporting each session as a JSON line.
* ``player_process``, ``hammer_process``, ``creator_process`` and ``dying_certification``
  run from a ``multiprocessing`` forkserver (started once with this module preloaded, so
  a child costs milliseconds rather than an interpreter start). The player records
  sessions without end and reports each turn once it is committed, i.e. after
  ``Session.play`` returned and the turn is fsynced; the test SIGKILLs it at a seeded
  random moment and inspects what it left behind. ``dying_certification`` SIGKILLs
  itself at one exact point, to reproduce what a random kill only sometimes hits.

The bugs these tests found have regression tests of their own at the end of the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any, cast

import pytest
from filelock import FileLock

from trainer.cli import main
from trainer.cli.verify import hashes_from
from trainer.content.library import Library, ResolvedScenario
from trainer.engine.ports import Mode
from trainer.engine.session import Session
from trainer.offline.assessor import OfflineAssessor
from trainer.offline.buyer import OfflineBuyer
from trainer.store.errors import StoreError
from trainer.store.layout import trainee_key
from trainer.store.ledger import GENESIS, Ledger, record_hash
from trainer.store.recorder import StoreRecorder
from trainer.store.records import LedgerRecord
from trainer.store.repository import Store
from trainer.store.verify import VerifyReport, verify

REPO = Path(__file__).resolve().parents[1]
SCENARIO = "cold-call-cold-chain"
SCRIPTS = REPO / "tests" / "data" / "scripts" / SCENARIO
ORG_KEY = "durability-test-org-key"
TEMP_FILE = re.compile(r"^\.(?P<real>.+\.json)\.[A-Za-z0-9_]+\.tmp$")
"""What ``write_json_atomically`` leaves behind when killed between mkstemp and replace."""

SHARED_PRACTICE = "Shared Practice"
SHARED_CANDIDATE = "Shared Candidate"
HAMMERED = "Hammered Trainee"
APPENDS = 4
"""Ledger appends per round in ``hammer_process``."""

KILL_TRIALS = 60
KILL_SEED = 20240611
CHILD_TIMEOUT = 60.0
FORKSERVER = multiprocessing.get_context("forkserver")


def script_lines(name: str) -> list[str]:
    text = (SCRIPTS / f"{name}.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


SCRIPT_LINES = {name: script_lines(name) for name in ("pitch", "discovery")}


# ------------------------------------------------------------------ child processes


def child_env() -> dict[str, str]:
    """The test's environment (conftest points HOME and XDG at a temporary folder), with
    the organisation key set so ledger records are signed, and this checkout importable."""
    env = dict(os.environ)
    env["TRAINER_ORG_KEY"] = ORG_KEY
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def start_interpreter(function: str, args: list[str], stderr: Path) -> subprocess.Popen[str]:
    """Run ``function(args)`` from this module in a new Python interpreter."""
    code = f"import sys\nfrom tests.test_store_durability import {function}\n"
    code += f"sys.exit({function}(sys.argv[1:]))\n"
    with stderr.open("a", encoding="utf-8") as errors:
        return subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=REPO,
            env=child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            encoding="utf-8",
        )


def concurrent_worker(argv: list[str]) -> int:
    """Interpreter child: print ``ready``, wait for ``go`` on stdin, then run each planned
    ``trainer play/certify`` through the real command line, appending one JSON line per
    run to the report file."""
    store, content, plan_file, report_file = argv
    plan: list[dict[str, str]] = json.loads(Path(plan_file).read_text(encoding="utf-8"))
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 3
    with open(report_file, "a", encoding="utf-8") as report:
        for step in plan:
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(
                    [
                        step["command"],
                        SCENARIO,
                        "--script",
                        str(SCRIPTS / f"{step['script']}.txt"),
                        "--content",
                        content,
                        "--store",
                        store,
                        "--trainee",
                        step["trainee"],
                        "--json",
                    ]
                )
            document: dict[str, Any] = json.loads(out.getvalue()) if code == 0 else {}
            entry = {
                **step,
                "exit": code,
                "stderr": err.getvalue(),
                "session": document.get("session"),
                "sellers": [t["seller"] for t in document.get("turns", [])],
                "certification": document.get("certification"),
            }
            report.write(json.dumps(entry) + "\n")
            report.flush()
    return 0


def store_opener(argv: list[str]) -> int:
    """Interpreter child: print ``ready``; for each ``go ROOT`` line, open (creating) the
    store at ROOT and print ``ok`` or ``error MESSAGE``; exit at the end of input."""
    print("ready", flush=True)
    for line in sys.stdin:
        try:
            Store.open(Path(line.split(maxsplit=1)[1].strip()))
        except StoreError as exc:
            print(f"error {exc}", flush=True)
        else:
            print("ok", flush=True)
    return 0


@dataclass
class Killable:
    """A forkserver child and the pipe it reports on."""

    process: BaseProcess
    messages: Connection

    def kill_after(self, delay: float) -> list[str]:
        """SIGKILL the child ``delay`` seconds after it said ``ready``; see ``kill``."""
        self.wait_ready()
        time.sleep(delay)
        return self.kill()

    def kill_after_first_record(self, delay: float) -> list[str]:
        """SIGKILL the child ``delay`` seconds after it reported its first ledger record:
        waits for an event, not a time, so a kill lands among records however loaded
        the machine is."""
        self.wait_ready()
        received: list[str] = []
        while not received or not received[-1].startswith("L "):
            received.append(self.receive())
        time.sleep(delay)
        return received + self.kill()

    def kill(self) -> list[str]:
        """SIGKILL the child, wait until it is reaped (a dead, unreaped child still
        answers ``kill(pid, 0)``) and return every message it got out before dying."""
        self.process.kill()
        self.process.join(CHILD_TIMEOUT)
        assert self.process.exitcode == -signal.SIGKILL, "the child stopped before the kill"
        return self.drain()

    def died(self) -> list[str]:
        """Wait for a child that kills itself; return what it sent before."""
        self.wait_ready()
        self.process.join(CHILD_TIMEOUT)
        assert self.process.exitcode == -signal.SIGKILL, "the child did not kill itself"
        return self.drain()

    def wait_ready(self) -> None:
        assert self.messages.poll(CHILD_TIMEOUT), "the child did not start"
        assert self.messages.recv_bytes() == b"ready"

    def receive(self) -> str:
        assert self.messages.poll(CHILD_TIMEOUT), "the child went quiet"
        return self.messages.recv_bytes().decode()

    def drain(self) -> list[str]:
        received: list[str] = []
        with contextlib.suppress(EOFError):
            while True:
                received.append(self.messages.recv_bytes().decode())
        self.messages.close()
        return received


STARTED: list[Killable] = []


@pytest.fixture(autouse=True)
def _no_child_left_behind() -> Iterator[None]:
    """A failed test must not leave its forkserver children running."""
    yield
    while STARTED:
        child = STARTED.pop()
        if child.process.is_alive():
            child.process.kill()
            child.process.join(CHILD_TIMEOUT)


def start_killable(target: Callable[..., None], *args: object) -> Killable:
    """Start ``target(send, env, *args)`` from the forkserver; ``send`` is the write end
    of a pipe (one message per ``send_bytes``, atomic at these sizes)."""
    FORKSERVER.set_forkserver_preload([__name__])  # used when the server first starts
    receive, send = FORKSERVER.Pipe(duplex=False)
    process = FORKSERVER.Process(target=target, args=(send, child_env(), *args), daemon=True)
    process.start()
    send.close()
    STARTED.append(Killable(process, receive))
    return STARTED[-1]


def _as_child(env: dict[str, str]) -> None:
    """The forkserver keeps the environment of the test that started it: take the
    current test's (its HOME and XDG folders)."""
    os.environ.clear()
    os.environ.update(env)


def player_process(
    send: Connection,
    env: dict[str, str],
    setup: ResolvedScenario,
    root: str,
    pause_after: int | None = None,
) -> None:
    """Forkserver child: record sessions into ROOT until killed: a practice session for
    one trainee, then a certification attempt (a ledger append) for a new candidate,
    and again. Messages, each sent only once what it reports is on disk:

    ``S <session> <mode> <trainee>`` the session's header and summary are stored;
    ``T <session> <n>``               turn n is committed;
    ``L <session> <record>``          its certification record is in the ledger;
    ``E <session>``                   the session is stored as ended.

    With ``pause_after`` the first session stops, still open, after that many turns."""
    _as_child(env)
    OfflineAssessor().prepare()  # the judge model loads before the clock starts, not mid-kill

    def emit(*parts: str) -> None:
        send.send_bytes(" ".join(parts).encode())

    emit("ready")
    asyncio.run(_play_until_killed(setup, Path(root), pause_after, emit))


async def _play_until_killed(
    setup: ResolvedScenario, root: Path, pause_after: int | None, emit: Callable[..., None]
) -> None:
    store = Store.open(root)
    ledger = Ledger(store, ORG_KEY.encode())
    plan: list[tuple[Mode, str, str]] = [
        ("practice", "Kim Lee", "discovery"),
        ("certification", "Candidate {cycle}", "pitch"),
    ]
    for cycle in range(1, 100_000):
        for mode, trainee_pattern, script in plan:
            trainee = trainee_pattern.format(cycle=cycle)
            recorder = StoreRecorder(store, ledger, trainee, {"buyer": "offline"}, 0)
            session = Session(
                setup, OfflineBuyer(seed=cycle), OfflineAssessor(), recorder=recorder, mode=mode
            )
            await session.start()
            emit("S", session.id, mode, trainee)
            for line in SCRIPT_LINES[script]:
                if session.over:
                    break
                turn = await session.play(line)
                emit("T", session.id, str(turn.index))
                if turn.index == pause_after:
                    time.sleep(CHILD_TIMEOUT)  # open, owned by a live process, until killed
            if not session.over:
                await session.end_by_seller()
            if recorder.certification is not None:
                emit("L", session.id, str(recorder.certification["record"]))
            emit("E", session.id)


def hammer_process(
    send: Connection,
    env: dict[str, str],
    setup: ResolvedScenario,
    root: str,
    worker: int,
    count: int,
    go: Event,
) -> None:
    """Forkserver child: once ``go`` is set, ``count`` times: record a one-turn practice
    session for the trainee every hammer shares, then append ``APPENDS`` ledger records,
    as fast as it can. Sends ``<session> <seq> <id> <seq> <id> ...`` once each round is
    stored."""
    _as_child(env)
    store = Store.open(Path(root))
    ledger = Ledger(store, ORG_KEY.encode())
    send.send_bytes(b"ready")
    go.wait(CHILD_TIMEOUT)

    async def rounds() -> None:
        for number in range(count):
            recorder = StoreRecorder(store, ledger, HAMMERED, {"buyer": "offline"}, 0)
            session = Session(setup, OfflineBuyer(seed=0), OfflineAssessor(), recorder)
            await session.start()
            await session.play(SCRIPT_LINES["discovery"][0])
            await session.end_by_seller()
            appended = [
                ledger.append({"kind": "durability-test", "worker": worker, "number": n})
                for n in range(APPENDS * number, APPENDS * (number + 1))
            ]
            parts = [f"{r['seq']} {r['id']}" for r in appended]
            send.send_bytes(" ".join([session.id, *parts]).encode())

    asyncio.run(rounds())


def creator_process(send: Connection, env: dict[str, str], base: str) -> None:
    """Forkserver child: create stores BASE/00000, BASE/00001 ... until killed."""
    _as_child(env)
    send.send_bytes(b"ready")
    for number in range(100_000):
        Store.open(Path(base) / f"{number:05d}")
        send.send_bytes(str(number).encode())


def dying_certification(
    send: Connection, env: dict[str, str], setup: ResolvedScenario, root: str, at: str
) -> None:
    """Forkserver child: a certification attempt (the pitch script: the buyer ends the
    call on turn 3) that SIGKILLs itself at one exact point: ``head``, once the ledger
    record is written and before head.json; ``finish``, once the record is written and
    before the session's ending is stored."""
    _as_child(env)

    def die(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    if at == "head":
        Ledger._write_head = die  # type: ignore[method-assign]
    else:
        Store.finish_session = die  # type: ignore[method-assign,assignment]
    send.send_bytes(b"ready")
    store = Store.open(Path(root))
    recorder = StoreRecorder(store, Ledger(store, ORG_KEY.encode()), "Ana", {}, 0)
    session = Session(setup, OfflineBuyer(seed=0), OfflineAssessor(), recorder, "certification")

    async def attempt() -> None:
        await session.start()
        for line in SCRIPT_LINES["pitch"]:
            await session.play(line)

    asyncio.run(attempt())


# ------------------------------------------------------------------ checking a store


def check_files(root: Path) -> list[Path]:
    """Every store file parses as a JSON object; returns the temp files left behind."""
    temps: list[Path] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.name.endswith(".lock"):
            continue  # filelock's lock files (.lock, .store.lock): never data
        match = TEMP_FILE.match(path.name)
        if match:
            temps.append(path)
            continue
        assert path.suffix == ".json", f"unexpected file in the store: {path}"
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict), f"{path} is not a JSON object"
    assert not (root / "quarantine").exists(), sorted((root / "quarantine").rglob("*"))
    return temps


def check_locks_free(root: Path) -> None:
    """No lock is held by a dead process (filelock uses flock, released on death)."""
    for path in root.rglob("*.lock"):
        lock = FileLock(path, timeout=2)
        lock.acquire()
        lock.release()


def check_chain(ledger: Ledger) -> list[LedgerRecord]:
    """Records as stored, numbered 1..n, each linked to the one before by hash."""
    records = list(ledger.records(raw=True))
    assert [r["seq"] for r in records] == list(range(1, len(records) + 1))
    previous = GENESIS
    for record in records:
        assert record["prev"] == previous, record["seq"]
        assert record_hash(record) == record["hash"], record["seq"]
        previous = record["hash"]
    return records


def assert_verified(report: VerifyReport) -> None:
    assert report.ok, "\n".join(str(f) for f in report.findings)


async def record_session(
    library: Library, store: Store, trainee: str, mode: Mode, script: str
) -> tuple[Session, StoreRecorder]:
    recorder = StoreRecorder(store, Ledger(store, ORG_KEY.encode()), trainee, {}, 0)
    session = Session(
        library.resolve(SCENARIO), OfflineBuyer(seed=0), OfflineAssessor(), recorder, mode
    )
    await session.start()
    for line in SCRIPT_LINES[script]:
        if session.over:
            break
        await session.play(line)
    await session.end_by_seller()
    return session, recorder


# ------------------------------------------------------------------ many writers at once


def plan_for(worker: int, workers: int) -> list[dict[str, str]]:
    """Each worker: its own trainee (a practice session and every certification attempt
    allowed), a practice trainee all workers share (spelled in capitals by odd workers:
    the same trainee, folder and lock), and two attempts each at a candidate all workers
    share, who is allowed fewer attempts than are made in total. Short certifications
    make ledger appends a large part of the work, so they overlap between processes."""
    own = f"Worker {worker} of {workers}"
    shared = SHARED_PRACTICE.upper() if worker % 2 else SHARED_PRACTICE
    steps = [
        {"command": "play", "trainee": shared, "script": "discovery"},
        {"command": "certify", "trainee": own, "script": "pitch"},
        {"command": "certify", "trainee": SHARED_CANDIDATE, "script": "discovery"},
        {"command": "certify", "trainee": own, "script": "pitch"},
        {"command": "play", "trainee": shared, "script": "pitch"},
        {"command": "certify", "trainee": own, "script": "discovery"},
        {"command": "certify", "trainee": SHARED_CANDIDATE, "script": "pitch"},
        {"command": "play", "trainee": own, "script": "pitch"},
    ]
    shift = worker % len(steps)  # workers do different things at the same moment
    return steps[shift:] + steps[:shift]


@pytest.mark.parametrize("workers", [2, 4, 8])
def test_processes_writing_one_store_at_once(
    workers: int, library: Library, content_dir: Path, tmp_path: Path
) -> None:
    """Worker processes run ``trainer play`` and ``trainer certify`` on one store at
    once (see ``plan_for``); afterwards every session each reported is stored with
    exactly its turns and listed in its trainee's index, the attempt limit held across
    processes, and the ledger holds one record per attempt in one unbroken chain."""
    root = tmp_path / "store"  # not there yet: the workers create it together
    children: list[subprocess.Popen[str]] = []
    reports: list[Path] = []
    for worker in range(workers):
        plan = tmp_path / f"plan-{worker}.json"
        plan.write_text(json.dumps(plan_for(worker, workers)), encoding="utf-8")
        reports.append(tmp_path / f"report-{worker}.jsonl")
        # Only the scenario played (the same files as the library's): a run loads less.
        args = [str(root), str(content_dir), str(plan), str(reports[-1])]
        children.append(
            start_interpreter("concurrent_worker", args, tmp_path / f"err-{worker}.txt")
        )
    try:
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
        for child in children:  # all loaded: start them together
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        for worker, child in enumerate(children):
            child.communicate(timeout=CHILD_TIMEOUT)
            errors = (tmp_path / f"err-{worker}.txt").read_text(encoding="utf-8")
            assert child.returncode == 0, errors
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()

    runs = [json.loads(line) for r in reports for line in r.read_text("utf-8").splitlines()]
    assert len(runs) == 8 * workers
    assert check_files(root) == []  # no process was killed: no temp file is left
    check_locks_free(root)
    store = Store.open(root)
    ledger = Ledger(store, ORG_KEY.encode())

    for run in runs:
        assert run["exit"] == 0 or run["trainee"] == SHARED_CANDIDATE, run["stderr"]

    # Every session a worker was told about is stored with exactly its turns.
    recorded = [r for r in runs if r["exit"] == 0]
    by_trainee: dict[str, list[dict[str, Any]]] = {}
    for run in recorded:
        assert run["sellers"] == SCRIPT_LINES[run["script"]][: len(run["sellers"])]
        stored = store.find_session(run["session"], run["trainee"])
        assert [t["seller"] for t in stored.main_line()] == run["sellers"]
        assert stored.turns == stored.main_line()
        assert [t["seq"] for t in stored.turns] == list(range(1, len(run["sellers"]) + 1))
        assert stored.header["status"] == "ended"
        by_trainee.setdefault(trainee_key(run["trainee"]), []).append(run)
    assert len(by_trainee) == workers + 2

    # Each trainee's index lists every session (and only those), with the right turns.
    for runs_of_trainee in by_trainee.values():
        summaries = store.sessions(runs_of_trainee[0]["trainee"])
        assert sorted(s["id"] for s in summaries) == sorted(r["session"] for r in runs_of_trainee)
        turns = {r["session"]: len(r["sellers"]) for r in runs_of_trainee}
        for summary in summaries:
            assert summary["status"] == "ended"
            assert summary["turns"] == turns[summary["id"]]
        claimed = [s["attempt"] for s in summaries if s["mode"] == "certification"]
        assert all(isinstance(a, int) for a in claimed), claimed
        attempts = sorted(cast(list[int], claimed))
        assert attempts == list(range(1, len(attempts) + 1)), attempts
    assert len(store.trainee_slugs()) == workers + 2

    # The shared candidate got exactly the attempts allowed; the others were refused.
    allowed = library.resolve(SCENARIO).scenario.certification.attempts
    candidate = [r for r in runs if r["trainee"] == SHARED_CANDIDATE]
    refused = [r for r in candidate if r["exit"] != 0]
    assert len(candidate) - len(refused) == allowed
    for run in refused:
        assert run["exit"] == 1 and f"all {allowed} certification attempts" in run["stderr"]

    # One ledger record per certification attempt, chained 1..n without a gap.
    certified = [r for r in recorded if r["command"] == "certify"]
    assert len(certified) == 3 * workers + allowed
    records = check_chain(ledger)
    assert sorted(r["id"] for r in records) == sorted(
        r["certification"]["record"] for r in certified
    )
    assert {r["session"] for r in records} == {r["session"] for r in certified}
    head = ledger.read_head()
    assert head is not None and (head.seq, head.hash) == (len(records), records[-1]["hash"])
    assert_verified(verify(store, ledger, hashes_from(library)))
    assert not store.notices


@pytest.mark.parametrize("workers", [2, 4, 8])
def test_processes_hammering_one_trainee_and_the_ledger(
    workers: int, library: Library, tmp_path: Path
) -> None:
    """The same locks with little else between the writes, so they overlap all the
    time: 64 short sessions for one shared trainee and 256 ledger appends (crossing into
    the second segment file), from processes that all create the store as they start."""
    root = tmp_path / "store"
    rounds = 64 // workers
    go = FORKSERVER.Event()
    setup = library.resolve(SCENARIO)
    children = [
        start_killable(hammer_process, setup, str(root), worker, rounds, go)
        for worker in range(workers)
    ]
    for child in children:
        child.wait_ready()
    go.set()
    reported: list[list[list[str]]] = []
    for child in children:
        child.process.join(CHILD_TIMEOUT)
        assert child.process.exitcode == 0
        reported.append([message.split() for message in child.drain()])
        assert len(reported[-1]) == rounds

    assert check_files(root) == []
    store = Store.open(root)
    summaries = store.sessions(HAMMERED)
    sessions = [parts[0] for appended in reported for parts in appended]
    assert sorted(s["id"] for s in summaries) == sorted(sessions)
    assert all((s["status"], s["turns"]) == ("ended", 1) for s in summaries)
    for session_id in sessions:
        stored = store.find_session(session_id, HAMMERED)
        assert [t["seller"] for t in stored.turns] == SCRIPT_LINES["discovery"][:1]

    ledger = Ledger(store, ORG_KEY.encode())
    records = check_chain(ledger)
    assert len(records) == APPENDS * rounds * workers
    by_id = {r["id"]: cast(dict[str, Any], r) for r in records}  # test bodies, not certifications
    for worker, appended in enumerate(reported):
        pairs = [(int(p[i]), p[i + 1]) for p in appended for i in range(1, len(p), 2)]
        assert [seq for seq, _ in pairs] == sorted(seq for seq, _ in pairs)  # in its order
        for number, (seq, record_id) in enumerate(pairs):
            record = by_id.pop(record_id)
            assert (record["seq"], record["worker"], record["number"]) == (seq, worker, number)
    assert not by_id  # every record was reported by the process that appended it
    head = ledger.read_head()
    assert head is not None and (head.seq, head.hash) == (len(records), records[-1]["hash"])
    assert [p.name for p in ledger.layout.ledger_segments()] == [
        "ledger-000001.json",
        "ledger-000002.json",
    ]


# ------------------------------------------------------------------ SIGKILL mid-write


@dataclass
class ChildReport:
    """What a killed player reported: sessions started, turns committed, records, ends."""

    started: dict[str, tuple[str, str]] = field(default_factory=dict)  # id: (mode, trainee)
    turns: dict[str, int] = field(default_factory=dict)
    records: dict[str, str] = field(default_factory=dict)  # session id: record id
    ended: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, messages: list[str]) -> ChildReport:
        report = cls()
        for message in messages:
            kind, session, *rest = message.split(" ", 3)
            if kind == "S":
                report.started[session] = (rest[0], rest[1])
            elif kind == "T":
                report.turns[session] = int(rest[0])
            elif kind == "L":
                report.records[session] = rest[0]
            elif kind == "E":
                report.ended.append(session)
            else:
                raise AssertionError(f"unexpected message from the child: {message!r}")
        return report

    def script_of(self, session: str) -> list[str]:
        mode, _ = self.started[session]
        return SCRIPT_LINES["discovery" if mode == "practice" else "pitch"]


def real_name(temp: Path) -> str:
    match = TEMP_FILE.match(temp.name)
    assert match is not None, temp
    return match["real"]


def file_kind(path: Path) -> str:
    if path.name == "index.json":
        return "a trainee index"
    if path.name == "head.json":
        return "the ledger head"
    if path.name.startswith("ledger-"):
        return "a ledger segment"
    if path.parent.name == "sessions":
        return "a session file"
    return path.name


def verify_after_kill(store: Store, ledger: Ledger, library: Library) -> list[str]:
    """``verify`` passes whatever the kill interrupted; the landing is named."""
    first_head_pending = ledger.read_head() is None and len(list(ledger.records(raw=True))) == 1
    assert_verified(verify(store, ledger, hashes_from(library)))
    return ["first ledger record written, head.json not yet"] if first_head_pending else []


def inspect_killed_store(root: Path, child: ChildReport, library: Library) -> list[str]:
    """Check everything that must hold after a kill; return what the kill is seen to
    have interrupted, for the statistics printed at the end."""
    landed = [
        f"temp file left beside {file_kind(temp.with_name(real_name(temp)))}"
        for temp in check_files(root)
    ]
    check_locks_free(root)
    store = Store.open(root)
    ledger = Ledger(store, ORG_KEY.encode())

    for session_id, (_mode, trainee) in child.started.items():
        stored = store.find_session(session_id, trainee)
        sellers = [t["seller"] for t in stored.main_line()]
        committed = child.turns.get(session_id, 0)
        # Every turn reported committed is there; at most one more was stored unreported.
        assert len(sellers) in (committed, committed + 1), (session_id, committed, sellers)
        assert sellers == child.script_of(session_id)[: len(sellers)]
        if len(sellers) > committed:
            landed.append("turn stored, not yet reported")
        (summary,) = [s for s in store.sessions(trainee) if s["id"] == session_id]
        if session_id in child.ended:
            assert stored.header["status"] == summary["status"] == "ended"
        else:
            # The child is dead and reaped: its open session is no longer "in progress".
            assert summary["status"] in ("interrupted", "ended"), summary
            assert summary["turns"] == len(sellers)
            if summary["status"] == "interrupted" and stored.header["status"] == "ended":
                landed.append("session file ended, index not yet")
            elif stored.header["status"] == "open" and ledger.for_session(session_id):
                landed.append("ledger record written, session not yet finished")
        if session_id in child.records:
            (record,) = ledger.for_session(session_id)
            assert record["id"] == child.records[session_id]

    indexed: set[str] = set()
    for _, summaries in store.all_sessions():
        assert all(s["status"] in ("ended", "interrupted") for s in summaries), summaries
        indexed.update(s["id"] for s in summaries)
    if any(path.stem not in indexed for path in store.session_files()):
        landed.append("session file written, index not yet")

    records = check_chain(ledger)
    head = ledger.read_head()
    head_seq = head.seq if head is not None else 0
    assert head_seq in (len(records), len(records) - 1), (head_seq, len(records))
    if head is not None and head_seq == len(records) - 1:
        landed.append("ledger record written, head not yet")
    landed += verify_after_kill(store, ledger, library)

    # The store carries on: the locks are free and a new session and record go in.
    _, practice = asyncio.run(record_session(library, store, "Kim Lee", "practice", "pitch"))
    assert practice.header["id"] in {s["id"] for s in store.sessions("Kim Lee")}
    _, certified = asyncio.run(
        record_session(library, store, "After The Kill", "certification", "pitch")
    )
    assert certified.certification is not None
    after = check_chain(ledger)
    assert len(after) == len(records) + 1
    assert after[-1]["id"] == certified.certification["record"]
    head = ledger.read_head()
    assert head is not None and (head.seq, head.hash) == (len(after), after[-1]["hash"])
    assert_verified(verify(store, ledger, hashes_from(library)))
    check_files(root)
    return landed or ["nothing torn"]


def test_sigkill_during_writes_loses_nothing_committed(library: Library, tmp_path: Path) -> None:
    """KILL_TRIALS times, a fresh store, a fresh child recording into it, SIGKILL at a
    seeded random moment; then ``inspect_killed_store``. Run with ``-rP`` to see what the
    kills landed on."""
    setup = library.resolve(SCENARIO)
    rng = random.Random(KILL_SEED)
    landings: Counter[str] = Counter()
    turns_seen = records_seen = 0
    for trial in range(KILL_TRIALS):
        root = tmp_path / f"trial-{trial:02d}"  # the child creates it: kills may land there
        # A turn takes milliseconds and a cycle of two sessions tens of them: most kills
        # land in the first sessions, every fourth after the ledger holds records.
        killable = start_killable(player_process, setup, str(root))
        if trial % 4:
            delay = rng.uniform(0.0, 0.12)
            child = ChildReport.parse(killable.kill_after(delay))
        else:
            delay = rng.uniform(0.0, 0.4)
            child = ChildReport.parse(killable.kill_after_first_record(delay))
        turns_seen += sum(child.turns.values())
        records_seen += len(child.records)
        try:
            landings.update(inspect_killed_store(root, child, library))
        except (AssertionError, StoreError) as exc:
            raise AssertionError(f"trial {trial}, killed after {delay:.3f} s") from exc
    print(f"{KILL_TRIALS} kills; {turns_seen} turns, {records_seen} records reported; landed:")
    for what, count in landings.most_common():
        print(f"  {count:3d}  {what}")
    # kills came mid-play: every fourth trial waited for a record, and a record needs turns
    assert records_seen >= KILL_TRIALS // 4 and turns_seen > records_seen


def test_a_killed_session_is_shown_as_interrupted(library: Library, tmp_path: Path) -> None:
    """In progress while its process lives, interrupted once it was killed, turns kept."""
    root = tmp_path / "store"
    Store.open(root)
    child = start_killable(player_process, library.resolve(SCENARIO), str(root), 3)
    child.wait_ready()
    report = ChildReport.parse([child.receive() for _ in range(4)])
    (session_id,) = report.started
    assert report.turns == {session_id: 3}
    store = Store.open(root)
    (summary,) = store.sessions("Kim Lee")
    assert (summary["id"], summary["status"], summary["turns"]) == (session_id, "in progress", 3)
    assert child.kill() == []
    (summary,) = store.sessions("Kim Lee")
    assert (summary["id"], summary["status"], summary["turns"]) == (session_id, "interrupted", 3)
    stored = store.find_session(session_id)
    assert stored.header["status"] == "open"
    assert [t["seller"] for t in stored.turns] == SCRIPT_LINES["discovery"][:3]
    check_files(root)


# ------------------------------------------------------------------ creating a store


def test_processes_creating_one_store_at_once(tmp_path: Path) -> None:
    """Eight processes open the same new folder at the same moment: all succeed (none
    takes another's store.json, or its temp file, for foreign content)."""
    stderr = tmp_path / "stderr.txt"
    children = [start_interpreter("store_opener", [], stderr) for _ in range(8)]
    try:
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
        for attempt in range(5):
            root = tmp_path / f"store-{attempt}"
            for child in children:
                assert child.stdin is not None
                child.stdin.write(f"go {root}\n")
                child.stdin.flush()
            results = [child.stdout.readline().strip() for child in children if child.stdout]
            assert results == ["ok"] * len(children), f"attempt {attempt}: {results}"
            assert check_files(root) == []
    finally:
        for child in children:
            child.communicate(timeout=CHILD_TIMEOUT)  # closes stdin: the child exits


def test_a_store_whose_creation_was_killed(tmp_path: Path) -> None:
    """A process killed while it creates a store leaves a folder that opens as a store
    (creating one from nothing takes a single write, so most kills land in it)."""
    rng = random.Random(KILL_SEED)
    torn = 0
    for trial in range(20):
        base = tmp_path / f"base-{trial}"
        created = start_killable(creator_process, str(base)).kill_after(rng.uniform(0.01, 0.05))
        folders = sorted(base.iterdir())
        assert len(folders) in (len(created), len(created) + 1)
        torn += not (folders[-1] / "store.json").exists() and any(folders[-1].iterdir())
        for folder in folders:
            Store.open(folder)
            assert check_files(folder) in ([], [*folder.glob(".store.json.*.tmp")])
        if torn >= 2:
            break
    assert torn, "no kill landed while store.json was being written"


# ------------------------------------------------------------------ bugs found here
# Each test below reproduced a bug found while writing this file; they stay as
# regression tests.


def test_verify_after_a_kill_before_the_first_head_write(library: Library, tmp_path: Path) -> None:
    root = tmp_path / "store"
    start_killable(dying_certification, library.resolve(SCENARIO), str(root), "head").died()
    store = Store.open(root)
    ledger = Ledger(store, ORG_KEY.encode())
    assert [r["seq"] for r in ledger.records()] == [1] and ledger.read_head() is None
    assert_verified(verify(store, ledger, hashes_from(library)))


def test_resuming_an_attempt_killed_after_its_ledger_record(
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "store"
    start_killable(dying_certification, library.resolve(SCENARIO), str(root), "finish").died()
    store = Store.open(root)
    ledger = Ledger(store, ORG_KEY.encode())
    (summary,) = store.sessions("Ana")
    (record,) = ledger.records()
    assert summary["status"] == "interrupted" and record["ended_by"] == "buyer"
    assert_verified(verify(store, ledger, hashes_from(library)))

    # The trainee resumes it, as `trainer sessions` suggests: the call had ended, so the
    # result already in the ledger is saved as the session's, and nothing is played on.
    monkeypatch.setenv("TRAINER_ORG_KEY", ORG_KEY)
    script = str(SCRIPTS / "discovery.txt")
    main(["resume", summary["id"], "--script", script, "--store", str(root), "--trainee", "Ana"])
    out = capsys.readouterr().out
    assert "The call had already ended (the buyer ended the call)" in out
    (summary,) = store.sessions("Ana")
    assert summary["status"] == "ended" and summary["record"] == record["id"]
    assert [r["id"] for r in ledger.records()] == [record["id"]]
    assert_verified(verify(store, ledger, hashes_from(library)))


def test_verify_while_another_process_certifies(library: Library, tmp_path: Path) -> None:
    root = tmp_path / "store"
    Store.open(root)
    child = start_killable(player_process, library.resolve(SCENARIO), str(root))
    child.wait_ready()
    store = Store.open(root)
    ledger = Ledger(store, ORG_KEY.encode())
    checks = 0
    give_up = time.monotonic() + 300  # a hang guard, not a speed check
    try:
        # Not a time window: verify goes on until the child has appended 60 records while
        # it ran, however slow a shared machine makes either process.
        while len(list(ledger.records())) < 60:
            assert child.process.is_alive(), "the certifying child stopped"
            assert time.monotonic() < give_up, "no 60 records in five minutes: stuck?"
            assert_verified(verify(store, ledger, hashes_from(library)))
            checks += 1
    finally:
        child.kill()
    assert checks >= 2 and len(list(ledger.records())) >= 60
