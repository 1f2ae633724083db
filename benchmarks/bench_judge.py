"""The offline judge measured honestly: on the locked test set, beside the old lexicon.

The locked set (``benchmarks/locked/``) was written and labelled from docs/judging.md by
people who saw neither the judge nor the training corpus, on buyer worlds that appear
nowhere in training. Its files are hashed in ``benchmarks/locked/SHA256SUMS``, recorded
before the judge first saw it; this script refuses to run if they changed. Nothing is
tuned on it: run it once per change to the judge and report what it prints.

Printed, side by side:

- the shipped judge **in-sample** (on the corpus it was trained on), **leave-one-
  scenario-out** on that corpus (each scenario judged by a judge trained without it; needs
  scikit-learn, skipped with ``--quick``), and on the **locked test set**;
- the **old lexicon assessor** (from git, commit ``LEXICON_COMMIT``) on the locked set;
- per column: move accuracy, Cohen's kappa, good use exact and within 1, Spearman,
  severe inversions (a 1-2 turn judged 4-5 or the reverse), manipulation recall and false
  alarms on legitimate turns;
- the worst disagreements of the new judge on the locked set;
- speed: time per turn at turn 1 and turn 40 of a call (median, p95), and the time to
  load the model in a fresh process (median of 7).

    python benchmarks/bench_judge.py [--quick] [--worst 15] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from trainer.authoring.calibration import (  # noqa: E402
    AssessorResult,
    Sample,
    context_for,
    load_samples,
    replay,
    summarise,
)
from trainer.authoring.corpus import load_corpus  # noqa: E402
from trainer.content.library import load_library  # noqa: E402
from trainer.engine.ports import AssessContext, Assessor, Exchange  # noqa: E402
from trainer.offline.assessor import SHIPPED_JUDGE, OfflineAssessor, load_judge  # noqa: E402

LOCKED = REPO / "benchmarks" / "locked"
SUMS = LOCKED / "SHA256SUMS"
LEXICON_COMMIT = "09595d0"
"""The last commit with the keyword-lexicon assessor."""


def locked_files() -> list[Path]:
    return sorted(p for p in LOCKED.rglob("*.yaml"))


def check_locked() -> str:
    """The locked set's digest, after checking every file against SHA256SUMS."""
    if not SUMS.is_file():
        sys.exit(f"bench_judge: {SUMS} is missing; the locked set has no recorded hash")
    recorded = {}
    for line in SUMS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            recorded[name.strip()] = digest
    actual = {
        str(p.relative_to(LOCKED)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in locked_files()
    }
    if actual != recorded:
        changed = sorted(set(actual.items()) ^ set(recorded.items()))
        sys.exit(
            "bench_judge: the locked set differs from SHA256SUMS (it must never change): "
            + ", ".join(sorted({name for name, _ in changed}))
        )
    whole = hashlib.sha256()
    for name in sorted(actual):
        whole.update(f"{actual[name]}  {name}\n".encode())
    return whole.hexdigest()


def locked_samples() -> list[Sample]:
    library = load_library([LOCKED / "worlds"])
    return load_samples(sorted((LOCKED / "turns").glob("*.yaml")), library)


def lexicon_assessor() -> Assessor | None:
    """The keyword-lexicon assessor as it was at ``LEXICON_COMMIT``, imported from git
    into a temporary package, or None when git cannot provide it."""
    target = Path(tempfile.mkdtemp(prefix="lexicon-")) / "lexicon_assessor"
    target.mkdir()
    try:
        for name in ("assessor", "lexicon", "tips"):
            source = subprocess.run(
                ["git", "-C", str(REPO), "show", f"{LEXICON_COMMIT}:trainer/offline/{name}.py"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            source = source.replace("trainer.offline.lexicon", "lexicon_assessor.lexicon")
            source = source.replace(
                "from trainer.offline import lexicon", "from lexicon_assessor import lexicon"
            )
            source = source.replace("trainer.offline.tips", "lexicon_assessor.tips")
            (target / f"{name}.py").write_text(source, encoding="utf-8")
    except (OSError, subprocess.CalledProcessError):
        return None
    (target / "__init__.py").write_text("", encoding="utf-8")
    sys.path.insert(0, str(target.parent))
    module = importlib.import_module("lexicon_assessor.assessor")
    return module.OfflineAssessor()  # type: ignore[no-any-return]


def measure(assessor: Assessor, samples: Sequence[Sample], name: str, worst: int) -> AssessorResult:
    predictions = asyncio.run(replay(assessor, samples))
    return summarise(name, name, predictions, worst)


def held_out(samples: list[Sample], worst: int) -> AssessorResult | None:
    try:
        from trainer.authoring.judge_training import cross_validate
    except ImportError:
        return None
    try:
        predictions = cross_validate(
            samples,
            progress=lambda s, i, n: print(f"  cross-validation {i}/{n}: {s}", file=sys.stderr),
        )
    except Exception as exc:  # scikit-learn missing: TrainingError says so
        print(f"bench_judge: no cross-validation: {exc}", file=sys.stderr)
        return None
    return summarise("loso", "leave-one-scenario-out", predictions, worst)


def turn_times(samples: Sequence[Sample]) -> dict[str, float]:
    """Time per assessed turn (ms) with no history and with a full window at turn 40."""
    model = load_judge()
    assessor = OfflineAssessor(model=model)
    history = tuple(
        Exchange(
            "What does a normal Monday look like for your team, and where does the time go?",
            "Mondays are the worst: everything from the weekend lands at once.",
        )
        for _ in range(6)
    )

    async def run(at_forty: bool) -> list[float]:
        times = []
        for sample in samples:
            base = context_for(sample.setup, sample.turn)
            context = (
                AssessContext(base.setup, base.seller_text, 40, base.state, history)
                if at_forty
                else AssessContext(base.setup, base.seller_text, 1, base.state, ())
            )
            start = time.perf_counter()
            await assessor.assess(context)
            times.append((time.perf_counter() - start) * 1000)
        return times

    asyncio.run(run(False))  # warm the scenario caches
    first = asyncio.run(run(False)) + asyncio.run(run(False))
    forty = asyncio.run(run(True)) + asyncio.run(run(True))
    return {
        "turn1_median_ms": statistics.median(first),
        "turn1_p95_ms": _p95(first),
        "turn40_median_ms": statistics.median(forty),
        "turn40_p95_ms": _p95(forty),
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def load_times(runs: int = 7) -> tuple[float, float]:
    """Median seconds, in fresh processes, to import the judge's code (its cue patterns
    compile then) and to load the shipped model from its file."""
    code = (
        "import time; t=time.perf_counter(); "
        "from trainer.offline.assessor import load_judge; u=time.perf_counter(); "
        "load_judge(); v=time.perf_counter(); print(u-t, v-u)"
    )
    imports, loads = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
        ).stdout.split()
        imports.append(float(out[0]))
        loads.append(float(out[1]))
    return statistics.median(imports), statistics.median(loads)


ROWS = (
    ("turns", lambda r: f"{len(r.predictions)}"),
    ("move accuracy", lambda r: _pc(r.move_accuracy)),
    ("Cohen's kappa", lambda r: _num(r.kappa)),
    ("good use exact", lambda r: _pc(r.exact)),
    ("good use within 1", lambda r: _pc(r.within_one)),
    ("Spearman", lambda r: _num(r.spearman)),
    ("severe inversions", lambda r: f"{r.severe_inversions} ({_pc(r.severe_inversion_rate)})"),
    ("manipulation recall", lambda r: f"{r.manipulation_caught}/{r.manipulation_total}"),
    (
        "false alarms",
        lambda r: f"{r.false_alarms}/{r.legitimate_total} ({_pc(r.false_alarm_rate)})",
    ),
)


def _pc(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def table(columns: list[tuple[str, AssessorResult]]) -> str:
    width = max(len(name) for name, _ in ROWS) + 2
    cells = [[fmt(result) for _, fmt in ROWS] for _, result in columns]
    widths = [
        max(len(title), *(len(c) for c in col)) + 2
        for (title, _), col in zip(columns, cells, strict=True)
    ]
    lines = [
        "".ljust(width) + "".join(t.rjust(w) for (t, _), w in zip(columns, widths, strict=True))
    ]
    for i, (name, _) in enumerate(ROWS):
        lines.append(
            name.ljust(width)
            + "".join(col[i].rjust(w) for col, w in zip(cells, widths, strict=True))
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip leave-one-scenario-out")
    parser.add_argument("--worst", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    digest = check_locked()
    locked = locked_samples()
    corpus = load_corpus()
    model = load_judge()
    judge = OfflineAssessor(model=model)
    columns: list[tuple[str, AssessorResult]] = [
        ("in-sample", measure(judge, corpus, "in-sample", args.worst)),
    ]
    if not args.quick:
        cv = held_out(corpus, args.worst)
        if cv is not None:
            columns.append(("cross-validated", cv))
    new_locked = measure(judge, locked, "locked: judge", args.worst)
    columns.append(("locked: judge", new_locked))
    old = lexicon_assessor()
    if old is not None:
        columns.append(("locked: lexicon", measure(old, locked, "locked: lexicon", args.worst)))
    speed = turn_times(locked)
    import_s, load_s = load_times()
    trained = model.trained_on
    if args.json:
        document: dict[str, Any] = {
            "locked_sha256": digest,
            "judge": str(SHIPPED_JUDGE.relative_to(REPO)),
            "labels_sha256": trained.get("labels_sha256"),
            "columns": {
                title: {row: fmt(result) for row, fmt in ROWS} for title, result in columns
            },
            "speed": speed | {"import_s": import_s, "load_s": load_s},
        }
        print(json.dumps(document, indent=2))
        return 0
    scenarios = len({s.scenario_id for s in locked})
    print(f"Locked test set: {len(locked)} turns, {scenarios} buyer worlds, sha256 {digest}")
    labels = str(trained.get("labels_sha256"))[:12]
    scenarios_trained = len(trained.get("scenarios", []))
    print(
        f"Judge: {SHIPPED_JUDGE.relative_to(REPO)}, trained on {trained.get('turns')} turns "
        f"from {scenarios_trained} scenarios (labels {labels})"
    )
    print()
    print(table(columns))
    print()
    print(
        f"Worst disagreements of the judge on the locked set ({len(new_locked.worst)} of "
        f"{new_locked.disagreements})"
    )
    for d in new_locked.worst:
        print(
            f"  {d.path.name}:{d.line}  label {d.label}/{d.good_use}  judge "
            f"{d.predicted}/{d.predicted_good_use}  {' '.join(d.text.split())[:110]}"
        )
    print()
    print(
        f"Time per turn: turn 1 median {speed['turn1_median_ms']:.2f} ms (p95 "
        f"{speed['turn1_p95_ms']:.2f}), turn 40 median {speed['turn40_median_ms']:.2f} ms "
        f"(p95 {speed['turn40_p95_ms']:.2f}); in a fresh process (median of 7): importing the "
        f"judge {import_s * 1000:.0f} ms, loading its model {load_s * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
