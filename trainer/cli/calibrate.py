"""``trainer calibrate LABELS.yaml``: how well the assessors agree with human labels.

The offline assessor is always measured; the model judge too when the llm backend is
configured (flags, environment or config file, as for ``trainer play``). The report
gives move accuracy, the confusion matrix and Cohen's kappa, agreement on good use
(exact, within one, Spearman's rank correlation) and the worst disagreements.
``--min-accuracy`` and ``--min-kappa`` make it a check for CI: exit 1 when an assessor
falls below either.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from trainer.authoring.calibration import (
    DEFAULT_WORST,
    AssessorResult,
    Disagreement,
    Prediction,
    Sample,
    replay,
    summarise,
)
from trainer.authoring.corpus import corpus_content, corpus_files
from trainer.cli.backend import llm_settings_from
from trainer.cli.errors import UserError
from trainer.cli.judge import read_samples
from trainer.cli.options import Commands, add_backend_options, add_content_option, add_json_option
from trainer.content.library import load_library
from trainer.llm.settings import LlmSettings
from trainer.offline.assessor import OfflineAssessor
from trainer.text import json_text
from trainer.urls import safe_url

TEXT_WIDTH = 60
JSON_TEXT_WIDTH = 120


def _fraction(value: str) -> float:
    """A share between 0 and 1; '80%' is read as 0.8."""
    try:
        number = float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number such as 0.8, got {value!r}") from None
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (or 0% and 100%), not {value}")
    return number


def _kappa(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number such as 0.6, got {value!r}") from None
    if not -1 <= number <= 1:
        raise argparse.ArgumentTypeError(f"kappa is between -1 and 1, not {value}")
    return number


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return number


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "calibrate",
        description="Replay labelled seller turns through the offline assessor (and the "
        "model judge when the llm backend is configured) and report move accuracy, "
        "the confusion matrix, Cohen's kappa and agreement on good use. LABELS is a YAML "
        "file: 'turns:' a list of {text, label (the move), good_use (1-5), disclosed "
        "(optional fact ids)}, with an optional 'scenario:' id or path.",
    )
    parser.add_argument(
        "labels", nargs="*", type=Path, metavar="LABELS", help="labelled-turn files (YAML)"
    )
    add_json_option(parser)
    parser.add_argument(
        "--cross-validate",
        action="store_true",
        help="measure the offline judge on the shipped corpus (and LABELS) leave-one-"
        "scenario-out: each scenario judged by a judge trained without it (needs "
        "scikit-learn)",
    )
    add_content_option(parser)
    parser.add_argument(
        "--min-accuracy",
        type=_fraction,
        metavar="X",
        help="exit 1 if an assessor's move accuracy is below X (0-1, or a percentage)",
    )
    parser.add_argument(
        "--min-kappa",
        type=_kappa,
        metavar="X",
        help="exit 1 if an assessor's Cohen's kappa on moves is below X",
    )
    parser.add_argument(
        "--worst",
        type=_count,
        default=DEFAULT_WORST,
        metavar="N",
        help=f"how many of the worst disagreements to list (default {DEFAULT_WORST})",
    )
    add_backend_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.cross_validate:
        return run_cross_validation(args)
    if not args.labels:
        raise UserError("give the labelled-turn files to calibrate on (or --cross-validate)", 2)
    llm = llm_settings_from(args)
    samples = read_samples(args.labels, args.content)
    if llm.backend == "llm" and not args.json:
        print(
            f"judging {len(samples)} turn(s) with {llm.judging_model} at "
            f"{safe_url(llm.base_url or '')} ...",
            file=sys.stderr,
        )
    results = asyncio.run(calibrate(samples, llm, args.worst))
    failures = threshold_failures(results, args.min_accuracy, args.min_kappa)
    if args.json:
        document = calibration_document(args.labels, samples, results, args, failures)
        sys.stdout.write(json_text(document))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report(args.labels, samples, results))
    for failure in failures:
        print(f"trainer: {failure}", file=sys.stderr)
    return 1 if failures else 0


def run_cross_validation(args: argparse.Namespace) -> int:
    """In-sample and leave-one-scenario-out figures of the offline judge on the shipped
    corpus and any LABELS: what it learned, and how it does on worlds it never saw."""
    from trainer.authoring.judge_training import cross_validate, fit, judged_by

    library = load_library(corpus_content(args.content or []))
    samples = read_samples(corpus_files(), None, library) + read_samples(
        args.labels, args.content, library
    )
    paths = [*corpus_files(), *args.labels]

    def progress(scenario: str, number: int, total: int) -> None:
        if not args.json:
            print(f"  [{number}/{total}] holding out {scenario}", file=sys.stderr)

    if not args.json:
        print(f"fitting on all {len(samples)} turns ...", file=sys.stderr)
    inside = judged_by(fit(samples), samples)
    outside = cross_validate(samples, progress=progress)
    results = [
        summarise(
            "in_sample", "offline judge, in-sample (trained on these turns)", inside, args.worst
        ),
        summarise(
            "cross_validated",
            "offline judge, leave-one-scenario-out (each scenario unseen)",
            outside,
            args.worst,
        ),
    ]
    failures = threshold_failures(results[1:], args.min_accuracy, args.min_kappa)
    if args.json:
        document = calibration_document(paths, samples, results, args, failures)
        document["per_scenario"] = _per_scenario(outside)
        sys.stdout.write(json_text(document))
        sys.stdout.write("\n")
    else:
        several = len(paths) > 1
        lines = [f"Cross-validation: {len(samples)} labelled turn(s) in {len(paths)} file(s)"]
        for result in results:
            lines += ["", *_section(result, several)]
        lines += ["", "Leave-one-scenario-out, per scenario (move accuracy, good use within 1)"]
        for scenario, row in _per_scenario(outside).items():
            lines.append(
                f"  {scenario:<40} {row['turns']:>4} turns  move {row['move_accuracy']:.1%}"
                f"  within 1 {row['within_one']:.1%}"
            )
        sys.stdout.write("\n".join(lines) + "\n")
    for failure in failures:
        print(f"trainer: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _per_scenario(predictions: list[Prediction]) -> dict[str, dict[str, Any]]:
    rows: dict[str, list[Prediction]] = {}
    for p in predictions:
        rows.setdefault(p.sample.scenario_id, []).append(p)
    return {
        scenario: {
            "turns": len(found),
            "move_accuracy": sum(p.move == p.turn.label for p in found) / len(found),
            "within_one": sum(abs((p.good_use or 0) - p.turn.good_use) <= 1 for p in found)
            / len(found),
        }
        for scenario, found in sorted(rows.items())
    }


async def calibrate(samples: list[Sample], llm: LlmSettings, worst: int) -> list[AssessorResult]:
    """The offline assessor's agreement, then the model judge's when one is configured.
    An ``EndpointError`` from the judge propagates: the front end stops on it."""
    offline = await replay(OfflineAssessor(llm.judge_file), samples)
    results = [summarise("offline", "offline assessor", offline, worst)]
    if llm.backend == "llm":
        from trainer.llm.endpoint import Endpoint
        from trainer.llm.judge import LlmJudge

        endpoint = Endpoint(llm)
        try:
            judged = await replay(LlmJudge(endpoint), samples)
        finally:
            await endpoint.close()
        description = f"llm judge ({llm.judging_model} at {safe_url(llm.base_url or '')})"
        results.append(summarise("llm", description, judged, worst))
    return results


def threshold_failures(
    results: list[AssessorResult], min_accuracy: float | None, min_kappa: float | None
) -> list[str]:
    """One sentence per assessor and threshold it does not meet. An undefined statistic
    does not meet a threshold: nothing shows the assessor reaches it."""
    failures = []
    for result in results:
        name = result.description
        if min_accuracy is not None:
            if result.move_accuracy is None:
                failures.append(f"{name}: no move accuracy (no turn was judged)")
            elif result.move_accuracy < min_accuracy:
                failures.append(
                    f"{name}: move accuracy {_percent(result.move_accuracy)} is below "
                    f"--min-accuracy {_percent(min_accuracy)}"
                )
        if min_kappa is not None:
            if result.kappa is None:
                failures.append(
                    f"{name}: Cohen's kappa is undefined (labels and predictions are all "
                    "one move, or no turn was judged), so --min-kappa cannot be met"
                )
            elif result.kappa < min_kappa:
                failures.append(
                    f"{name}: Cohen's kappa {result.kappa:.2f} is below --min-kappa {min_kappa:.2f}"
                )
    return failures


# ------------------------------------------------------------------ output


def clip(text: str, width: int) -> str:
    """One line of at most ``width`` characters, ending in … when shortened."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def report(paths: list[Path], samples: list[Sample], results: list[AssessorResult]) -> str:
    """The plain-text report: a header, then one section per assessor."""
    where = str(paths[0]) if len(paths) == 1 else f"{len(paths)} files"
    lines = [f"Calibration: {len(samples)} labelled turn(s) in {where}"]
    scenarios = Counter(s.scenario_id for s in samples)
    if len(scenarios) == 1:
        scenario = samples[0].setup.scenario
        lines.append(f"Scenario: {scenario.id} ({scenario.title})")
    else:
        lines.append("Scenarios: " + ", ".join(f"{k} ({n})" for k, n in sorted(scenarios.items())))
    several_files = len(paths) > 1
    for result in results:
        lines += ["", *_section(result, several_files)]
    return "\n".join(lines) + "\n"


def _section(result: AssessorResult, several_files: bool = False) -> list[str]:
    total = len(result.predictions)
    lines = [f"== {result.description} ==", ""]
    if result.unjudged:
        where = ", ".join(str(p.line) for p in result.unjudged)
        reason = result.unjudged[0].problem or "no verdict"
        lines.append(
            f"{len(result.unjudged)} of {total} turn(s) got no verdict (lines {where}); the "
            f"statistics cover the other {result.judged}. First reason: {reason}"
        )
        lines.append("")
    lines += [
        f"Moves      accuracy {_percent(result.move_accuracy)} "
        f"({result.correct_moves}/{result.judged})   Cohen's kappa {_number(result.kappa)}",
        f"Good use   exact {_percent(result.exact)}   within 1 {_percent(result.within_one)}"
        f"   Spearman {_number(result.spearman)}",
        f"Severe     {result.severe_inversions} inversion(s) "
        f"({_percent(result.severe_inversion_rate)}): a 1-2 turn judged 4-5, or a 4-5 judged 1-2",
        f"Manipulation  caught {_ratio(result.manipulation_caught, result.manipulation_total)}"
        f"   false alarms {_ratio(result.false_alarms, result.legitimate_total)}",
    ]
    if result.judged:
        lines += ["", f"Confusion matrix (rows: label, columns: {result.assessor})"]
        lines += _confusion_table(result)
    lines.append("")
    if not result.disagreements:
        lines.append("No disagreements: every judged turn matches its label.")
        return lines
    lines.append(f"Worst disagreements ({len(result.worst)} of {result.disagreements})")
    if not result.worst:
        return lines
    lines += _disagreement_table(result.worst, several_files)
    return lines


def _confusion_table(result: AssessorResult) -> list[str]:
    confusion = result.confusion
    corner = "label \\ got"
    first = max(len(corner), *(len(c) for c in confusion.classes))
    widest = len(str(max((max(row) for row in confusion.counts), default=0)))
    widths = [max(len(c), widest) for c in confusion.classes]
    head = "  " + corner.ljust(first)
    head += "".join(f"  {c:>{w}}" for c, w in zip(confusion.classes, widths, strict=True))
    total_width = max(len("total"), len(str(confusion.total)))
    rows = [head + "  " + "total".rjust(total_width)]
    for label, counts in zip(confusion.classes, confusion.counts, strict=True):
        cells = "".join(
            f"  {(str(n) if n else '.'):>{w}}" for n, w in zip(counts, widths, strict=True)
        )
        rows.append(f"  {label.ljust(first)}{cells}  {sum(counts):>{total_width}}")
    return rows


def _disagreement_table(worst: tuple[Disagreement, ...], several_files: bool) -> list[str]:
    labelled = [f"{d.label}/{d.good_use}" for d in worst]
    got = [f"{d.predicted}/{d.predicted_good_use}" for d in worst]
    places = [f"{d.path.name}:{d.line}" if several_files else str(d.line) for d in worst]
    pw = max(5, *(len(p) for p in places))
    lw = max(len("label/use"), *(len(s) for s in labelled))
    gw = max(len("got/use"), *(len(s) for s in got))
    rows = [f"  {'line':>{pw}}  {'label/use':<{lw}}  {'got/use':<{gw}}  text"]
    for place, a, b, d in zip(places, labelled, got, worst, strict=True):
        rows.append(f"  {place:>{pw}}  {a:<{lw}}  {b:<{gw}}  {clip(d.text, TEXT_WIDTH)}")
    return rows


def _ratio(count: int, total: int) -> str:
    return f"{count}/{total}" + (f" ({count / total:.1%})" if total else "")


def _result_document(result: AssessorResult) -> dict[str, Any]:
    return {
        "description": result.description,
        "turns": len(result.predictions),
        "judged": result.judged,
        "moves": {
            "accuracy": result.move_accuracy,
            "correct": result.correct_moves,
            "kappa": result.kappa,
            "confusion": {
                "classes": list(result.confusion.classes),
                "counts": [list(row) for row in result.confusion.counts],
            },
        },
        "good_use": {
            "exact": result.exact,
            "within_one": result.within_one,
            "spearman": result.spearman,
            "severe_inversions": result.severe_inversions,
        },
        "manipulation": {
            "attempts": result.manipulation_total,
            "caught": result.manipulation_caught,
            "recall": result.manipulation_recall,
            "legitimate": result.legitimate_total,
            "false_alarms": result.false_alarms,
        },
        "disagreements": result.disagreements,
        "worst": [
            {
                "file": str(d.path),
                "line": d.line,
                "text": clip(d.text, JSON_TEXT_WIDTH),
                "label": d.label,
                "predicted": d.predicted,
                "good_use": d.good_use,
                "predicted_good_use": d.predicted_good_use,
            }
            for d in result.worst
        ],
        "no_verdict": [
            {"file": str(p.sample.path), "line": p.line, "reason": p.problem}
            for p in result.unjudged
        ],
        "predictions": [
            {
                "file": str(p.sample.path),
                "line": p.line,
                "id": p.turn.id,
                "scenario": p.sample.scenario_id,
                "label": p.turn.label,
                "good_use": p.turn.good_use,
                "move": p.move,
                "predicted_good_use": p.good_use,
            }
            for p in result.predictions
        ],
    }


def calibration_document(
    paths: list[Path],
    samples: list[Sample],
    results: list[AssessorResult],
    args: argparse.Namespace,
    failures: list[str],
) -> dict[str, Any]:
    """The ``--json`` document. Statistics that are undefined are ``null``."""
    scenarios = sorted({s.scenario_id for s in samples})
    return {
        "labels": [str(p) for p in paths],
        "scenario": scenarios[0] if len(scenarios) == 1 else None,
        "scenarios": scenarios,
        "turns": len(samples),
        "assessors": {r.assessor: _result_document(r) for r in results},
        "thresholds": {
            "min_accuracy": args.min_accuracy,
            "min_kappa": args.min_kappa,
            "passed": not failures,
            "failures": failures,
        },
    }
