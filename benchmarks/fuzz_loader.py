"""How long the loader's fuzz test takes, and where the time goes.

Runs ``tests/test_fuzz_loader.py`` (2,000 generated YAML documents, 2,000 generated script
lines, the fixed seed of ``tests/fuzz_content.py``) as CI does and prints its wall time and
each test's, then reads the same 2,000 documents once more, one by one, and prints the time
and the slowest file per kind, so a change that makes one kind of bad input expensive shows
here. Run with `python benchmarks/fuzz_loader.py`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fuzz_content import documents  # noqa: E402
from trainer.content.library import load_persona_file, load_scenario_file  # noqa: E402

COUNT = 2_000


def run_the_test() -> None:
    started = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--durations=0",
            str(REPO / "tests" / "test_fuzz_loader.py"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    for line in completed.stdout.splitlines():
        if " call " in line or "passed" in line or "failed" in line:
            print("  " + line.strip())
    print(f"tests/test_fuzz_loader.py: {elapsed:.1f} s wall, exit {completed.returncode}\n")


def per_kind() -> None:
    started = time.perf_counter()
    made = documents(COUNT)
    print(f"generating {len(made):,} documents: {time.perf_counter() - started:.2f} s")
    spent: dict[str, float] = defaultdict(float)
    worst: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    with tempfile.TemporaryDirectory() as folder:
        for number, document in enumerate(made):
            path = Path(folder) / f"{number}.yaml"
            path.write_bytes(document.data)
            load = load_persona_file if document.model == "persona" else load_scenario_file
            started = time.perf_counter()
            load(path)
            took = time.perf_counter() - started
            spent[document.kind] += took
            worst[document.kind] = max(worst[document.kind], took)
            count[document.kind] += 1
    print(f"{'kind':<20}{'files':>7}{'total s':>10}{'mean ms':>10}{'worst ms':>10}")
    for kind in sorted(spent, key=spent.__getitem__, reverse=True):
        mean = spent[kind] / count[kind] * 1000
        print(
            f"{kind:<20}{count[kind]:>7}{spent[kind]:>10.2f}{mean:>10.1f}"
            f"{worst[kind] * 1000:>10.1f}"
        )
    print(f"{'all':<20}{sum(count.values()):>7}{sum(spent.values()):>10.2f}")


if __name__ == "__main__":
    run_the_test()
    per_kind()
