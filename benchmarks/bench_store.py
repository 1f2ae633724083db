"""Results store at scale: 100,000 sessions across 1,000 trainees.

Targets (the store issue): appending a turn <= 15 ms at the 95th percentile, opening one
trainee's history <= 100 ms, a cohort report <= 3 s. Run with
`python benchmarks/bench_store.py [--trainees 1000] [--sessions 100000] [--store DIR] [--keep]`.

The big store is written directly, file by file, in the exact format the store writes
(checked byte for byte against files the real store wrote for sessions played once by the
offline engine); certification records go through the real ``Ledger``. Everything timed
goes through the real ``Store`` API. Timings are with a warm page cache unless a line
says "cold" (the files read were dropped from the cache with ``posix_fadvise``). A turn's
cost is mostly two fsyncs, so the "disk baseline" line (an fsynced 1 KB write between
appends) tells a slow or busy disk apart from a slow store.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import product
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from trainer.content.library import Library, ResolvedScenario, load_library  # noqa: E402
from trainer.engine.records import turn_record  # noqa: E402
from trainer.engine.session import InvalidTurn, Session  # noqa: E402
from trainer.offline.assessor import OfflineAssessor  # noqa: E402
from trainer.offline.buyer import OfflineBuyer  # noqa: E402
from trainer.store.atomic import write_json_atomically  # noqa: E402
from trainer.store.layout import Layout, trainee_slug  # noqa: E402
from trainer.store.ledger import Ledger  # noqa: E402
from trainer.store.migrations import SCHEMA_VERSION, Record  # noqa: E402
from trainer.store.recorder import StoreRecorder  # noqa: E402
from trainer.store.repository import Store, StoredSession, summary_of, timestamp  # noqa: E402
from trainer.store.signed import read_ledger  # noqa: E402
from trainer.store.verify import verify  # noqa: E402

try:
    from trainer.reports.report import as_table, build_report

    HAVE_REPORT_MODULE = True
except ImportError:  # pragma: no cover - the report module is not there yet
    HAVE_REPORT_MODULE = False

APPEND_TARGET_MS = 15.0
HISTORY_TARGET_MS = 100.0
REPORT_TARGET_S = 3.0

ORG_KEY = b"bench-store-organisation-key"
TEMPLATE_VARIANTS = 5
"""Real sessions played per scenario and mode, whose turns the big store reuses."""
PREFILL_MAX = 40
"""Sessions that receive the measured turn already have 0..PREFILL_MAX turns."""
WARMUP_APPENDS = 5
STORE_KEYS = ("v", "status", "started_at", "owner")
"""Header keys the store adds in ``begin_session`` to what ``StoreRecorder`` passes."""

FIRST_NAMES = (
    "Ana", "Ben", "Chloé", "Dmitri", "Émile", "Fatima", "Grace", "Hiroshi", "Ingrid",
    "José", "Kwame", "Léa", "Mateo", "Nadia", "Oluwaseun", "Priya", "Quinn", "Rosa",
    "Søren", "Tariq", "Uma", "Valentina", "Wei", "Yusuf", "Zoë",
)  # fmt: skip
LAST_NAMES = (
    "López", "Okafor", "Nguyen", "Müller", "Kowalski", "Haddad", "O'Brien", "Silva",
    "Tanaka", "Johansson", "Patel", "Rossi", "Dubois", "Kim", "Novák", "Mensah", "García",
    "Andersen", "Yılmaz", "Fischer", "Costa", "Ivanova", "Murphy", "Chen", "Ramírez",
    "Schmidt", "Dlamini", "Larsen", "Moreau", "Ahmed", "Sato", "Brennan", "Petrov",
    "Herrera", "Virtanen", "Kaur", "Bianchi", "Walsh", "Eriksson", "Adeyemi",
)  # fmt: skip
EXTRA_LINES = (
    "What would good look like for you by the end of the year?",
    "Who else would need to weigh in on a change like this?",
    "What have you already tried, and what got in the way?",
    "How do you measure this today, and who looks at the number?",
    "What happens if nothing changes this quarter?",
    "Where does this rank against everything else on your plate right now?",
    "What would make you say this call was worth your time?",
)


# ------------------------------------------------------------------ small helpers


def dumps(value: Any) -> str:
    """JSON exactly as ``write_json_atomically`` writes it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_new_file(path: Path, text: str) -> None:
    """Create a file with the mode ``write_json_atomically`` gives it (0600, via mkstemp)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(text.encode("utf-8"))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * len(values))]


def spread(values: list[float]) -> str:
    """Median, p95 and max, in ms."""
    return (
        f"median {ms(statistics.median(values))}, p95 {ms(p95(values))}, "
        f"max {ms(max(values))} ({len(values)} runs)"
    )


def new_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def evict(paths: Iterable[Path]) -> None:
    """Drop files from the page cache (they are clean: written and synced before)."""
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def disk_usage(root: Path) -> tuple[int, int, int]:
    """Bytes allocated on disk, apparent bytes and file count under ``root``."""
    allocated = apparent = files = 0
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                stat = entry.stat(follow_symlinks=False)
                allocated += stat.st_blocks * 512
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                else:
                    apparent += stat.st_size
                    files += 1
    return allocated, apparent, files


def profile_top(action: Callable[[], object], lines: int = 14) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    action()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(lines)
    return "\n".join("    " + line for line in out.getvalue().splitlines() if line.strip())


# ------------------------------------------------------------------ real sessions, played once


@dataclass(frozen=True)
class Template:
    """A finished session as the real store wrote it, reused for many stored sessions."""

    header: Record
    turns_json: str
    turn_count: int
    ledger_body: Record | None


@dataclass
class Templates:
    practice: list[Template]
    certification: dict[str, list[Template]]
    long_turns: list[Record]
    recorder_keys: tuple[str, ...]
    attempts_allowed: dict[str, int]
    format_checked: int = 0


def script_lines(scenario_id: str) -> tuple[list[str], list[str]]:
    folder = REPO / "tests" / "data" / "scripts" / scenario_id
    read: list[list[str]] = []
    for name in ("discovery.txt", "pitch.txt"):
        path = folder / name
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        read.append([line for line in text.splitlines() if line.strip()])
    return read[0], read[1]


def variant_lines(scenario_id: str, variant: int, rng: random.Random) -> list[str]:
    discovery, pitch = script_lines(scenario_id)
    extra = list(EXTRA_LINES)
    rng.shuffle(extra)
    if variant == 0:
        return discovery + extra
    if variant == 1:
        return pitch[:2] + discovery + extra
    mixed = discovery[:-1] + extra + pitch[:3]
    rng.shuffle(mixed)
    return [discovery[0], *mixed, discovery[-1]]


def long_setup(setup: ResolvedScenario, turns: int) -> ResolvedScenario:
    """The scenario with room for ``turns`` turns and no early agreement."""
    scenario = setup.scenario.model_copy(
        update={
            "limits": setup.scenario.limits.model_copy(update={"turns": turns}),
            "next_step": setup.scenario.next_step.model_copy(update={"facts": 50}),
        }
    )
    return ResolvedScenario(
        scenario, setup.persona, setup.rubric, setup.scenario_source, setup.persona_source
    )


async def play_templates(library: Library, seed_root: Path) -> Templates:
    """Play real offline sessions through ``StoreRecorder`` into a small store, then read
    back what it wrote. Practice and certification, several scripts per scenario."""
    store = Store.open(seed_root)
    ledger = Ledger(store, ORG_KEY)
    rng = random.Random(1234)
    number = 0
    for scenario_id in sorted(library.scenarios):
        setup = library.resolve(scenario_id)
        limit = setup.scenario.limits.turns or 15
        for variant in range(TEMPLATE_VARIANTS):
            for mode in ("practice", "certification"):
                number += 1
                seed = number
                trainee = f"Template Trainee {number}"
                backend = {"buyer": "offline", "assessor": "offline", "seed": seed}
                recorder = StoreRecorder(store, ledger, trainee, backend, seed)
                session = Session(
                    setup,
                    OfflineBuyer(seed=seed),
                    OfflineAssessor(),
                    recorder=recorder,
                    mode=mode,
                )
                await session.start()
                target = rng.randint(8, max(8, limit))
                for text in variant_lines(scenario_id, variant, rng)[:target]:
                    if session.over:
                        break
                    try:
                        await session.play(text)
                    except InvalidTurn:
                        continue
                await session.end_by_seller()

    ledger_bodies = {
        str(r["session"]): {
            k: v
            for k, v in r.items()
            if k not in ("v", "id", "at", "seq", "prev", "key_id", "hash", "signature")
        }
        for r in ledger.records(raw=True)
    }
    layout = Layout(seed_root)
    templates = Templates([], {}, [], (), {})
    for path in store.session_files():
        stored = store.load(path)
        template = template_from(stored, ledger_bodies.get(stored.id))
        check_format(path, layout, stored, template)
        templates.format_checked += 2
        if stored.header["mode"] == "certification":
            templates.certification.setdefault(str(stored.header["scenario"]), []).append(template)
        else:
            templates.practice.append(template)
    header = templates.practice[0].header
    templates.recorder_keys = tuple(k for k in header if k not in STORE_KEYS)
    templates.attempts_allowed = {
        sid: library.resolve(sid).scenario.certification.attempts for sid in library.scenarios
    }

    # Turn records for sessions that are still open: one long real session.
    long = long_setup(library.resolve("cold-call-cold-chain"), PREFILL_MAX + 5)
    discovery, _ = script_lines("cold-call-cold-chain")
    lines = [*discovery[:-1], *EXTRA_LINES] * 6
    best: list[Record] = []
    for seed in range(20):
        session = Session(long, OfflineBuyer(seed=seed), OfflineAssessor())
        await session.start()
        for text in lines[: PREFILL_MAX + 1]:
            if session.over:
                break
            await session.play(text)
        records = [turn_record(t) for t in session.turns]
        if len(records) > len(best):
            best = records
        if len(best) > PREFILL_MAX:
            break
    if len(best) <= PREFILL_MAX:
        raise SystemExit(f"a long offline session lasted only {len(best)} turns")
    templates.long_turns = best
    return templates


def turn_doc(seq: int, record: Record) -> Record:
    """A turn as ``Store.append_turn`` stores it."""
    return {"v": SCHEMA_VERSION, "seq": seq, "branch": None, **record}


def session_text(header_json: str, turns_json: str | None) -> str:
    if turns_json is None:
        return '{"session":{"1":' + header_json + "}}"
    return '{"session":{"1":' + header_json + '},"turns":' + turns_json + "}"


def index_text(name: str, summaries: list[Record]) -> str:
    return dumps(
        {
            "trainee": {"1": {"v": SCHEMA_VERSION, "name": name}},
            "sessions": {str(n): s for n, s in enumerate(summaries, start=1)},
        }
    )


def template_from(stored: StoredSession, ledger_body: Record | None) -> Template:
    turns = {str(t["seq"]): t for t in stored.turns}
    return Template(stored.header, dumps(turns), len(stored.main_line()), ledger_body)


def check_format(path: Path, layout: Layout, stored: StoredSession, template: Template) -> None:
    """The files this script writes must be byte for byte what the store writes."""
    written = session_text(dumps(stored.header), template.turns_json if stored.turns else None)
    if path.read_bytes() != written.encode("utf-8"):
        raise SystemExit(f"format check failed: {path} differs from what the bench writes")
    trainee = str(stored.header["trainee"])
    index = layout.index(trainee_slug(trainee))
    if index.read_bytes() != index_text(trainee, [summary_of(stored.header)]).encode("utf-8"):
        raise SystemExit(f"format check failed: {index} differs from what the bench writes")


# ------------------------------------------------------------------ building a big store


@dataclass
class BuiltTrainee:
    name: str
    sessions: int
    open_sessions: list[str] = field(default_factory=list)


@dataclass
class BuiltStore:
    root: Path
    trainees: list[BuiltTrainee]
    sessions: int
    certifications: int
    open_sessions: int
    turns: int
    write_seconds: float = 0.0
    ledger_seconds: float = 0.0
    sync_seconds: float = 0.0


def trainee_names(count: int) -> Iterator[str]:
    pairs = [f"{first} {last}" for first, last in product(FIRST_NAMES, LAST_NAMES)]
    random.Random(7).shuffle(pairs)
    for n in range(count):
        suffix = f" {n // len(pairs) + 1}" if n >= len(pairs) else ""
        yield pairs[n % len(pairs)] + suffix


def shares(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if n < extra else 0) for n in range(parts)]


def build_store(
    root: Path,
    templates: Templates,
    trainees: int,
    sessions: int,
    certifications: int,
    open_share: float,
    seed: int,
) -> BuiltStore:
    """Write a store of ``sessions`` sessions directly (see the module docstring)."""
    rng = random.Random(seed)
    store = Store.open(root)  # writes store.json as the store does
    layout = store.layout
    now = datetime.now(UTC)
    year = 365 * 86400.0
    per_trainee = shares(sessions, trainees)
    cert_per_trainee = shares(certifications, trainees)
    open_positions = set(rng.sample(range(sessions), round(sessions * open_share)))
    scenarios = sorted(templates.certification)
    prefixes: dict[int, str | None] = {0: None}
    for k in range(1, PREFILL_MAX + 1):
        prefixes[k] = dumps(
            {str(n): turn_doc(n, templates.long_turns[n - 1]) for n in range(1, k + 1)}
        )

    built = BuiltStore(root, [], sessions, 0, 0, 0)
    ledger_queue: list[tuple[str, Record]] = []
    position = 0
    started = time.perf_counter()
    for number, name in enumerate(trainee_names(trainees)):
        count = per_trainee[number]
        slug = trainee_slug(name)
        sessions_dir = layout.sessions_dir(slug)
        sessions_dir.mkdir(parents=True)
        layout.trainee_lock(slug).touch()
        trainee = BuiltTrainee(name, count)
        cert_slots = set(rng.sample(range(count), min(cert_per_trainee[number], count)))
        used: dict[str, int] = {}
        host = f"laptop-{number % 97:02d}"
        offsets = sorted(rng.uniform(0, year) for _ in range(count))
        summaries: list[Record] = []
        for slot, offset in enumerate(offsets):
            begun = now - timedelta(seconds=year - offset)
            ended = begun + timedelta(seconds=rng.uniform(240, 1500))
            session_id = new_id(rng)
            is_open = position in open_positions and slot not in cert_slots
            position += 1
            turns_json: str | None
            if slot in cert_slots:
                scenario = min(scenarios, key=lambda s: (used.get(s, 0), rng.random()))
                used[scenario] = used.get(scenario, 0) + 1
                if used[scenario] > templates.attempts_allowed[scenario]:
                    raise SystemExit("too many certification sessions per trainee and scenario")
                template = rng.choice(templates.certification[scenario])
                record_id = new_id(rng)
                header = {
                    **template.header,
                    "attempt": used[scenario],
                    "certification": {
                        "passed": template.header["certification"]["passed"],
                        "record": record_id,
                    },
                }
                assert template.ledger_body is not None
                ledger_queue.append(
                    (
                        timestamp(ended),
                        {
                            **template.ledger_body,
                            "id": record_id,
                            "trainee": name,
                            "session": session_id,
                            "attempt": used[scenario],
                            "at": timestamp(ended),
                        },
                    )
                )
                turns_json = template.turns_json
                built.turns += template.turn_count
            elif is_open:
                template = rng.choice(templates.practice)
                header = {
                    **template.header,
                    "ended_by": None,
                    "ended_at": None,
                    "outcome": None,
                    "certification": None,
                    "status": "open",
                }
                k = rng.randint(0, PREFILL_MAX)
                turns_json = prefixes[k]
                trainee.open_sessions.append(session_id)
                built.open_sessions += 1
                built.turns += k
            else:
                template = rng.choice(templates.practice)
                header = dict(template.header)
                turns_json = template.turns_json
                built.turns += template.turn_count
            header["id"] = session_id
            header["trainee"] = name
            header["started_at"] = timestamp(begun)
            if header["status"] != "open":
                header["ended_at"] = timestamp(ended)
            header["owner"] = {"host": host, "pid": rng.randint(1000, 400000)}
            text = session_text(dumps(header), turns_json)
            write_new_file(sessions_dir / f"{session_id}.json", text)
            summaries.append(summary_of(header))
        write_new_file(layout.index(slug), index_text(name, summaries))
        built.trainees.append(trainee)
    built.write_seconds = time.perf_counter() - started

    started = time.perf_counter()
    ledger = Ledger(store, ORG_KEY)
    for _, body in sorted(ledger_queue, key=lambda item: item[0]):
        ledger.append(body)
    built.certifications = len(ledger_queue)
    built.ledger_seconds = time.perf_counter() - started

    started = time.perf_counter()
    os.sync()  # so later fsyncs do not wait behind the build's dirty pages
    built.sync_seconds = time.perf_counter() - started
    return built


def check_built(built: BuiltStore) -> None:
    """The built store opens and reads through the real API."""
    store = Store.open(built.root)
    if store.notices:
        raise SystemExit(f"the built store needed repairs: {store.notices}")
    first = built.trainees[0]
    summaries = store.sessions(first.name)
    if len(summaries) != first.sessions:
        raise SystemExit(f"{first.name}: {len(summaries)} summaries, expected {first.sessions}")
    for summary in summaries[:: max(1, len(summaries) // 10)]:
        stored = store.find_session(str(summary["id"]), first.name)
        if summary["status"] not in ("in progress", "interrupted") and (
            len(stored.main_line()) != summary["turns"]
        ):
            raise SystemExit(f"session {stored.id}: turns do not match its summary")
    print(
        f"  check: Store.open + sessions({first.name!r}) -> {len(summaries)} summaries "
        f"(expected {first.sessions}); sample sessions load, turns match summaries"
    )


# ------------------------------------------------------------------ the measurements


@dataclass
class AppendTimes:
    append: list[float]
    begin: list[float]
    finish: list[float]
    by_prefill: dict[int, list[float]]
    disk: list[float]


def bench_appends(
    root: Path, built: BuiltStore, templates: Templates, count: int, seed: int
) -> AppendTimes:
    """Play the store's part of a turn for real: begin a session for a random trainee
    (``begin_session``), give it 0..40 turns already stored, time ``append_turn`` of the
    next real turn record, then end it (``finish_session``)."""
    rng = random.Random(seed)
    store = Store.open(root)
    times = AppendTimes([], [], [], {}, [])
    probe = root / "disk-probe.json"
    payload = {"probe": "x" * 1000}
    for n in range(WARMUP_APPENDS + count):
        trainee = rng.choice(built.trainees)
        template = rng.choice(templates.practice)
        header = {k: template.header[k] for k in templates.recorder_keys}
        header.update(
            id=new_id(rng),
            trainee=trainee.name,
            ended_by=None,
            ended_at=None,
            attempt=None,
            outcome=None,
            certification=None,
        )
        started = time.perf_counter()
        stored = store.begin_session(header)
        begun = time.perf_counter() - started

        k = rng.randint(0, PREFILL_MAX)
        path = store.layout.session(trainee_slug(trainee.name), str(header["id"]))
        if k:
            turns = {str(s): turn_doc(s, templates.long_turns[s - 1]) for s in range(1, k + 1)}
            write_json_atomically(path, {"session": {"1": stored}, "turns": turns})
        record = {**templates.long_turns[k]}
        started = time.perf_counter()
        store.append_turn(trainee.name, str(header["id"]), record)
        appended = time.perf_counter() - started

        outcome = {**(template.header["outcome"] or {}), "turns": k + 1}
        changes = {"status": "ended", "ended_by": "seller", "outcome": outcome}
        started = time.perf_counter()
        store.finish_session(trainee.name, str(header["id"]), changes)
        finished = time.perf_counter() - started

        started = time.perf_counter()
        write_json_atomically(probe, payload)
        disk = time.perf_counter() - started
        if n < WARMUP_APPENDS:
            continue
        times.append.append(appended)
        times.begin.append(begun)
        times.finish.append(finished)
        times.by_prefill.setdefault(k // 10, []).append(appended)
        times.disk.append(disk)
    probe.unlink()
    return times


@dataclass
class HistoryTimes:
    all: list[float]
    with_open: list[float]
    without_open: list[float]
    cold: list[float]


def bench_history(built: BuiltStore, count: int, seed: int) -> HistoryTimes:
    """``Store.open(root).sessions(trainee)`` with a fresh Store each time."""
    rng = random.Random(seed)
    layout = Layout(built.root)
    times = HistoryTimes([], [], [], [])
    for cold in (False, True):
        for _ in range(count):
            trainee = rng.choice(built.trainees)
            slug = trainee_slug(trainee.name)
            if cold:
                evict(
                    [
                        layout.index(slug),
                        *(layout.session(slug, s) for s in trainee.open_sessions),
                    ]
                )
            started = time.perf_counter()
            summaries = Store.open(built.root).sessions(trainee.name)
            elapsed = time.perf_counter() - started
            if len(summaries) < trainee.sessions:
                raise SystemExit(f"{trainee.name}: only {len(summaries)} summaries")
            if cold:
                times.cold.append(elapsed)
                continue
            times.all.append(elapsed)
            (times.with_open if trainee.open_sessions else times.without_open).append(elapsed)
    return times


def cohort_report(root: Path) -> tuple[int, int]:
    """The cohort report as `trainer report` builds it, certifications checked against
    the signed ledger: (trainee rows, sessions)."""
    store = Store.open(root, read_only=True)
    if HAVE_REPORT_MODULE:
        signed = read_ledger(store, Ledger(store, ORG_KEY))
        report = build_report(store.all_sessions(), ledger=signed)
        as_table(report, {})
        return len(report.rows), report.cohort.attempts
    # Inline stand-in: attempts, best and last score per trainee.
    rows: dict[str, tuple[int, int | None, int | None]] = {}
    total = 0
    for name, summaries in store.all_sessions():
        scores = [
            int(s["score"])
            for s in sorted(summaries, key=lambda s: str(s.get("started_at") or ""))
            if s.get("status") in ("ended", "closed") and s.get("score") is not None
        ]
        rows[name] = (len(summaries), max(scores, default=None), scores[-1] if scores else None)
        total += len(summaries)
    return len(rows), total


def report_files(built: BuiltStore) -> list[Path]:
    layout = Layout(built.root)
    files: list[Path] = []
    for trainee in built.trainees:
        slug = trainee_slug(trainee.name)
        files.append(layout.index(slug))
        files += [layout.session(slug, s) for s in trainee.open_sessions]
    return files


def bench_report(built: BuiltStore, runs: int) -> tuple[list[float], float, tuple[int, int]]:
    times = []
    shape = (0, 0)
    for _ in range(runs):
        started = time.perf_counter()
        shape = cohort_report(built.root)
        times.append(time.perf_counter() - started)
    evict(report_files(built))
    started = time.perf_counter()
    cohort_report(built.root)
    cold = time.perf_counter() - started
    return times, cold, shape


def bench_find(built: BuiltStore, count: int, seed: int) -> list[float]:
    """``find_session`` by an 8-character id prefix with no trainee named (what
    `trainer resume ID` does when no trainee is configured)."""
    rng = random.Random(seed)
    store = Store.open(built.root)
    layout = store.layout
    times = []
    for _ in range(count):
        trainee = rng.choice(built.trainees)
        folder = layout.sessions_dir(trainee_slug(trainee.name))
        session_id = rng.choice(sorted(p.stem for p in folder.glob("*.json")))
        started = time.perf_counter()
        stored = store.find_session(session_id[:8])
        times.append(time.perf_counter() - started)
        assert stored.id == session_id
    return times


# ------------------------------------------------------------------ main


def describe_store(built: BuiltStore, label: str) -> None:
    print(
        f"{label}: {built.sessions:,} sessions, {len(built.trainees):,} trainees, "
        f"{built.turns:,} turns, {built.certifications:,} certification records, "
        f"{built.open_sessions:,} open (interrupted) sessions"
    )
    print(
        f"  build: files {built.write_seconds:.1f} s, ledger (real Ledger.append) "
        f"{built.ledger_seconds:.1f} s, os.sync {built.sync_seconds:.1f} s, total "
        f"{built.write_seconds + built.ledger_seconds + built.sync_seconds:.1f} s"
    )


def count_report_reads(root: Path) -> str:
    """Which store files one cohort report opens, counted by wrapping the store's reader."""
    from unittest import mock

    from trainer.reports.report import build_report
    from trainer.store.atomic import read_json_file

    store = Store.open(root, read_only=True)
    with (
        mock.patch("trainer.store.repository.read_json_file", wraps=read_json_file) as spy,
        mock.patch.object(store, "load_header", wraps=store.load_header) as headers,
    ):
        build_report(store.all_sessions(), ledger=read_ledger(store, Ledger(store, ORG_KEY)))
    opened = [Path(call.args[0]) for call in spy.call_args_list]
    opened += [Path(call.args[0]) for call in headers.call_args_list]
    indexes = sum(1 for p in opened if p.name == "index.json")
    sessions = sum(1 for p in opened if p.parent.name == "sessions")
    return f"{indexes:,} index files, {sessions:,} session files, {len(opened):,} in all"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--trainees", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument(
        "--certifications", type=int, help="ledger records (default: one session in 50)"
    )
    parser.add_argument("--open-share", type=float, default=0.01, help="interrupted sessions")
    parser.add_argument("--appends", type=int, default=500)
    parser.add_argument("--histories", type=int, default=200)
    parser.add_argument("--reports", type=int, default=5)
    parser.add_argument("--store", type=Path, help="where to build (an empty or new folder)")
    parser.add_argument("--keep", action="store_true", help="keep the stores afterwards")
    parser.add_argument("--profile", action="store_true", help="profile history and report")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    certifications = args.sessions // 50 if args.certifications is None else args.certifications

    base = REPO.parent / "tmp-bench"
    base.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-store-", dir=base))
    root = args.store or work / "store"
    if root.exists() and any(root.iterdir()):
        raise SystemExit(f"{root} is not empty; --store needs an empty or new folder")
    try:
        run(args, work, root, certifications)
    finally:
        if args.keep:
            print(f"\nkept: {root} (and {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
            if args.store:
                shutil.rmtree(root, ignore_errors=True)


def run(args: argparse.Namespace, work: Path, root: Path, certifications: int) -> None:
    library = load_library([REPO])
    started = time.perf_counter()
    templates = asyncio.run(play_templates(library, work / "templates"))
    lengths = sorted(t.turn_count for t in templates.practice)
    cert_count = sum(len(v) for v in templates.certification.values())
    print(
        f"templates: {len(templates.practice)} practice + {cert_count} certification sessions "
        f"played offline through StoreRecorder in {time.perf_counter() - started:.1f} s "
        f"(turns {lengths[0]}..{lengths[-1]}, median {statistics.median(lengths):g}); "
        f"{templates.format_checked} files byte-identical to what the bench writes"
    )

    built = build_store(
        root,
        templates,
        args.trainees,
        args.sessions,
        certifications,
        args.open_share,
        args.seed,
    )
    allocated, apparent, files = disk_usage(root)
    describe_store(built, f"big store ({root})")
    print(
        f"  size: {allocated / 2**30:.2f} GiB on disk ({apparent / 2**30:.2f} GiB of data), "
        f"{files:,} files"
    )
    check_built(built)

    small_trainees = max(1, args.trainees // 100)
    small = build_store(
        work / "small-store", templates, small_trainees, 100, 2, args.open_share, args.seed + 1
    )
    describe_store(small, "empty store for comparison")

    print(f"\n(2) append a turn: Store.append_turn, {args.appends} turns after 0..40 stored")
    big_appends = bench_appends(root, built, templates, args.appends, args.seed + 2)
    small_appends = bench_appends(small.root, small, templates, args.appends, args.seed + 3)
    print(f"  big store:   {spread(big_appends.append)}")
    print(f"  empty store: {spread(small_appends.append)}")
    for bucket in sorted(big_appends.by_prefill):
        values = big_appends.by_prefill[bucket]
        low, high = bucket * 10, min(bucket * 10 + 9, PREFILL_MAX)
        print(
            f"  big store, {low:>2}-{high:<2} turns stored before: median "
            f"{ms(statistics.median(values))}, p95 {ms(p95(values))} ({len(values)})"
        )
    print(
        f"  disk baseline, one 1 KB write_json_atomically after each append: "
        f"{spread(big_appends.disk)}"
    )
    print(f"  begin_session  (big store): {spread(big_appends.begin)}")
    print(f"  finish_session (big store): {spread(big_appends.finish)}")
    print(f"  begin_session  (empty):     {spread(small_appends.begin)}")
    print(f"  finish_session (empty):     {spread(small_appends.finish)}")

    print(f"\n(3) one trainee's history: Store.open(root).sessions(trainee), {args.histories} runs")
    history = bench_history(built, args.histories, args.seed + 4)
    print(f"  all:              {spread(history.all)}")
    if history.with_open:
        print(f"  with an open one: {spread(history.with_open)}")
    if history.without_open:
        print(f"  no open session:  {spread(history.without_open)}")
    print(f"  cold:             {spread(history.cold)}")

    how = "trainer.reports.report.build_report + as_table" if HAVE_REPORT_MODULE else "inline"
    print(f"\n(4) cohort report over Store.all_sessions() ({how}), {args.reports} runs")
    report_times, report_cold, (rows, counted) = bench_report(built, args.reports)
    print(
        f"  median {statistics.median(report_times):.3f} s, max {max(report_times):.3f} s "
        f"({rows:,} trainees, {counted:,} sessions); cold {report_cold:.3f} s"
    )
    print(f"  files read per report (counted): {count_report_reads(root)}")

    print("\n(5) verify the ledger (informational)")
    store = Store.open(root)
    hashes = {sid: library.resolve(sid).content_hashes for sid in library.scenarios}
    started = time.perf_counter()
    result = verify(store, Ledger(store, ORG_KEY), hashes.get)
    verify_seconds = time.perf_counter() - started
    print(
        f"  {verify_seconds:.2f} s for {result.checked:,} records, "
        f"{len(result.findings)} findings"
        + "".join(f"\n    {finding}" for finding in result.findings[:3])
    )

    find_times = bench_find(built, 20, args.seed + 5)
    print("\n(6) find_session by 8-char id prefix, no trainee named (informational)")
    print(f"  {spread(find_times)}")

    if args.profile:
        sample = built.trainees[0].name

        def histories() -> None:
            for _ in range(50):
                Store.open(root).sessions(sample)

        print(f"\nprofile: 50 history opens of {sample} (tottime)")
        print(profile_top(histories))
        print("\nprofile: one cohort report (tottime)")
        print(profile_top(lambda: cohort_report(root)))

    append_p95 = p95(big_appends.append) * 1000
    history_p95 = p95(history.all) * 1000
    report_max = max(report_times)
    total_sessions = built.sessions + args.appends + WARMUP_APPENDS

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    print(
        f"\nsummary ({total_sessions:,} sessions, {len(built.trainees):,} trainees, "
        f"{allocated / 2**30:.2f} GiB):"
    )
    print(
        f"  append a turn, p95            {append_p95:8.2f} ms  target <= "
        f"{APPEND_TARGET_MS:g} ms   {verdict(append_p95 <= APPEND_TARGET_MS)}"
    )
    print(
        f"  open a trainee's history, p95 {history_p95:8.2f} ms  target <= "
        f"{HISTORY_TARGET_MS:g} ms  {verdict(history_p95 <= HISTORY_TARGET_MS)}"
    )
    print(
        f"  cohort report, max of {len(report_times)}      {report_max:8.3f} s   target <= "
        f"{REPORT_TARGET_S:g} s     {verdict(report_max <= REPORT_TARGET_S)}"
    )


if __name__ == "__main__":
    main()
