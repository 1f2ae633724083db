"""TUI start-up: from spawning Python to an interactive library, headless.

Every run is a fresh Python process, so imports count. The child patches
``LibraryScreen.on_mount`` to note the moment, after the first refresh, when the
scenario table is filled and has the focus; it prints one line and exits. The parent
times spawn to that line (interpreter start included); the child also reports its own
split, imports versus app start-up, from a ``perf_counter`` taken before any other import.

The child runs in a temporary HOME with the XDG folders, the store and the config file
inside it, the offline backend, and no ``TRAINER_*``, ``OPENAI_*``, ``TEXTUAL*`` or
``PYTHON*`` variables, so it neither reads nor writes the user's data.

Target: median <= 0.6 s on a 2-core machine, and neither ``openai`` nor ``httpx``/``httpx2``
imported (the SDK is loaded only when the LLM backend is used). Exit status 1 when a
banned module was imported, or when ``--strict`` and the target is missed.

    python benchmarks/bench_tui_startup.py [-n 15] [--warmup 1] [--via-cli] [--strict]

``--via-cli`` first imports ``trainer.cli`` and builds its parser, as the ``trainer``
command does before it opens the TUI; the "imports" split then includes that.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 0.6
BANNED = ("openai", "httpx", "httpx2")
READY = "TRAINER-READY "
FAILED = "TRAINER-FAILED "
TIMEOUT_SECONDS = 60.0

# The child's first statement takes the time; ``time`` is a built-in module, so nothing
# of the trainer, Textual or Rich has been imported yet.
CHILD = """\
import time
T0 = time.perf_counter()
import json
import sys
sys.path.insert(0, {repo!r})
{prelude}
from textual.widgets import DataTable
from trainer.tui.app import TrainerApp
from trainer.tui.context import AppContext
from trainer.tui.screens import library
T1 = time.perf_counter()
BANNED = {banned!r}
original = library.LibraryScreen.on_mount


def report(screen, attempt):
    table = screen.query_one(DataTable)
    if table.row_count == 0 or screen.app.focused is not table:
        if attempt < 200:
            screen.call_after_refresh(report, screen, attempt + 1)
            return
        print({failed!r} + "the library table was never filled and focused", flush=True)
        screen.app.exit(return_code=1)
        return
    t2 = time.perf_counter()
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in BANNED)
    print({ready!r} + json.dumps(
        {{"imports": T1 - T0, "app": t2 - T1, "rows": table.row_count, "banned": loaded}}
    ), flush=True)
    screen.app.exit()


def on_mount(self):
    original(self)
    self.call_after_refresh(report, self, 0)


library.LibraryScreen.on_mount = on_mount
TrainerApp(AppContext.from_environment()).run(headless=True, size=(80, 24))
"""

# What the ``trainer`` console script does before it starts the TUI (``--via-cli``).
CLI_PRELUDE = "import trainer.cli\ntrainer.cli.build_parser()"


@dataclass(frozen=True)
class Run:
    ready: float
    """Spawn to the child's line: the library is interactive."""
    exited: float
    """Spawn to the end of the process."""
    imports: float
    app: float
    rows: int
    banned: tuple[str, ...]


def child_env(home: Path) -> dict[str, str]:
    """The parent's environment without anything that could point at the user's data or
    change how Python, Textual or the trainer start, and with HOME and XDG in ``home``."""
    dropped = ("TRAINER_", "OPENAI_", "TEXTUAL", "PYTHON")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        TRAINER_STORE=str(home / "store"),
        TRAINER_CONFIG=str(home / "config" / "trainer" / "config.toml"),
        TRAINER_TRAINEE="bench",
        TRAINER_BACKEND="offline",
    )
    return env


def start_tui(home: Path, via_cli: bool = False) -> Run:
    prelude = CLI_PRELUDE if via_cli else ""
    code = CHILD.format(repo=str(REPO), prelude=prelude, banned=BANNED, ready=READY, failed=FAILED)
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=home,
            env=child_env(home),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        assert child.stdout is not None
        watchdog = threading.Timer(TIMEOUT_SECONDS, child.kill)  # a hung child ends the wait
        watchdog.start()
        ready: float | None = None
        payload: dict[str, object] = {}
        for line in child.stdout:
            if line.startswith(READY):
                ready = time.perf_counter() - started
                payload = json.loads(line[len(READY) :])
            elif line.startswith(FAILED):
                break
        child.wait()
        watchdog.cancel()
        exited = time.perf_counter() - started
        if ready is None or child.returncode != 0:
            errors.seek(0)
            raise SystemExit(
                f"the TUI did not start (exit {child.returncode}):\n{errors.read()[-4000:]}"
            )
    imports, app, rows = payload["imports"], payload["app"], payload["rows"]
    banned = payload["banned"]
    assert isinstance(imports, float) and isinstance(app, float) and isinstance(rows, int)
    assert isinstance(banned, list)
    return Run(ready, exited, imports, app, rows, tuple(str(name) for name in banned))


def python_pass(home: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], cwd=home, env=child_env(home), check=True)
    return time.perf_counter() - started


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with ``fraction`` of them at or below."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def line(label: str, values: Sequence[float]) -> str:
    return (
        f"{label:<34} median {statistics.median(values):6.3f} s   "
        f"p95 {percentile(values, 0.95):6.3f} s   min {min(values):6.3f} s"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--runs", type=int, default=15, help="timed runs (default 15)")
    parser.add_argument(
        "--warmup", type=int, default=1, help="untimed runs first: bytecode, store (default 1)"
    )
    parser.add_argument(
        "--via-cli",
        action="store_true",
        help="import trainer.cli and build its parser first, as the trainer command does",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="trainer-bench-") as folder:
        home = Path(folder)
        for _ in range(args.warmup):
            start_tui(home, args.via_cli)
            python_pass(home)
        baseline = [python_pass(home) for _ in range(args.runs)]
        runs = [start_tui(home, args.via_cli) for _ in range(args.runs)]

    ready = [run.ready for run in runs]
    banned = sorted({name for run in runs for name in run.banned})
    median = statistics.median(ready)
    print(
        f"TUI start-up to an interactive library: headless 80x24, offline backend, "
        f"{args.runs} fresh processes ({sys.executable}, {os.cpu_count()} CPUs)"
        + (", through trainer.cli" if args.via_cli else "")
    )
    print(line("python -c pass (baseline)", baseline))
    print(line("spawn -> library filled + focused", ready))
    print(line("  in the child: imports", [run.imports for run in runs]))
    print(line("  in the child: app to library", [run.app for run in runs]))
    print(line("spawn -> process exit", [run.exited for run in runs]))
    print(f"scenarios listed: {runs[-1].rows}")
    print(f"{', '.join(BANNED)} imported: " + (f"YES ({', '.join(banned)})" if banned else "no"))
    met = median <= TARGET_SECONDS
    print(f"target median <= {TARGET_SECONDS:.1f} s: {'met' if met else 'MISSED'}")
    if banned:
        return 1
    return 1 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
