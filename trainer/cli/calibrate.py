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
import json
import sys
from pathlib import Path
from typing import Any

from trainer.authoring.calibration import (
    DEFAULT_WORST,
    AssessorResult,
    Disagreement,
    Labels,
    check_disclosed,
    load_labels,
    replay,
    resolve_scenario,
    summarise,
)
from trainer.cli.errors import UserError
from trainer.cli.play import add_backend_options, llm_settings_from
from trainer.content.finder import NotFound, open_library
from trainer.content.library import ResolvedScenario
from trainer.content.problems import ContentError
from trainer.llm.settings import LlmSettings
from trainer.offline.assessor import OfflineAssessor
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


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "calibrate",
        help="measure how well the assessors agree with human-labelled turns",
        description="Replay labelled seller turns through the offline assessor (and the "
        "model judge when the llm backend is configured) and report move accuracy, "
        "the confusion matrix, Cohen's kappa and agreement on good use. LABELS is a YAML "
        "file: 'turns:' a list of {text, label (the move), good_use (1-5), disclosed "
        "(optional fact ids)}, with an optional 'scenario:' id or path.",
    )
    parser.add_argument("labels", type=Path, metavar="LABELS", help="the labels file (YAML)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--content",
        metavar="DIR",
        action="append",
        type=Path,
        help="a content folder with personas/ and scenarios/ (repeatable)",
    )
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
    path: Path = args.labels
    if path.is_dir():
        raise UserError(f"{path} is a folder; calibrate needs a labels file (YAML)")
    if not path.is_file():
        raise UserError(f"no labels file at {path}")
    llm = llm_settings_from(args)
    try:
        labels = load_labels(path)
        setup = resolve_scenario(labels, open_library(args.content))
        problems = check_disclosed(labels, setup)
        if problems:
            raise ContentError(problems)
    except ContentError as exc:
        raise UserError(f"the labels cannot be used:\n{exc}") from None
    except NotFound as exc:
        raise UserError(str(exc)) from None
    if llm.backend == "llm" and not args.json:
        print(
            f"judging {len(labels.turns)} turn(s) with {llm.judging_model} at "
            f"{safe_url(llm.base_url or '')} ...",
            file=sys.stderr,
        )
    results = asyncio.run(calibrate(labels, setup, llm, args.worst))
    failures = threshold_failures(results, args.min_accuracy, args.min_kappa)
    if args.json:
        document = calibration_document(labels, setup, results, args, failures)
        json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report(labels, setup, results))
    for failure in failures:
        print(f"trainer: {failure}", file=sys.stderr)
    return 1 if failures else 0


async def calibrate(
    labels: Labels, setup: ResolvedScenario, llm: LlmSettings, worst: int
) -> list[AssessorResult]:
    """The offline assessor's agreement, then the model judge's when one is configured.
    An ``EndpointError`` from the judge propagates: the front end stops on it."""
    offline = await replay(OfflineAssessor(), setup, labels)
    results = [summarise("offline", "offline assessor", offline, worst)]
    if llm.backend == "llm":
        from trainer.llm.endpoint import Endpoint
        from trainer.llm.judge import LlmJudge

        endpoint = Endpoint(llm)
        try:
            judged = await replay(LlmJudge(endpoint), setup, labels)
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


def report(labels: Labels, setup: ResolvedScenario, results: list[AssessorResult]) -> str:
    """The plain-text report: a header, then one section per assessor."""
    scenario = setup.scenario
    lines = [
        f"Calibration: {len(labels.turns)} labelled turn(s) in {labels.path}",
        f"Scenario: {scenario.id} ({scenario.title})",
    ]
    for result in results:
        lines += ["", *_section(result)]
    return "\n".join(lines) + "\n"


def _section(result: AssessorResult) -> list[str]:
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
    lines += _disagreement_table(result.worst)
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


def _disagreement_table(worst: tuple[Disagreement, ...]) -> list[str]:
    labelled = [f"{d.label}/{d.good_use}" for d in worst]
    got = [f"{d.predicted}/{d.predicted_good_use}" for d in worst]
    lw = max(len("label/use"), *(len(s) for s in labelled))
    gw = max(len("got/use"), *(len(s) for s in got))
    rows = [f"  {'line':>5}  {'label/use':<{lw}}  {'got/use':<{gw}}  text"]
    for d, a, b in zip(worst, labelled, got, strict=True):
        rows.append(f"  {d.line:>5}  {a:<{lw}}  {b:<{gw}}  {clip(d.text, TEXT_WIDTH)}")
    return rows


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
        },
        "disagreements": result.disagreements,
        "worst": [
            {
                "line": d.line,
                "text": clip(d.text, JSON_TEXT_WIDTH),
                "label": d.label,
                "predicted": d.predicted,
                "good_use": d.good_use,
                "predicted_good_use": d.predicted_good_use,
            }
            for d in result.worst
        ],
        "no_verdict": [{"line": p.line, "reason": p.problem} for p in result.unjudged],
        "predictions": [
            {
                "line": p.line,
                "label": p.turn.label,
                "good_use": p.turn.good_use,
                "move": p.move,
                "predicted_good_use": p.good_use,
            }
            for p in result.predictions
        ],
    }


def calibration_document(
    labels: Labels,
    setup: ResolvedScenario,
    results: list[AssessorResult],
    args: argparse.Namespace,
    failures: list[str],
) -> dict[str, Any]:
    """The ``--json`` document. Statistics that are undefined are ``null``."""
    return {
        "labels": str(labels.path),
        "scenario": setup.scenario.id,
        "turns": len(labels.turns),
        "assessors": {r.assessor: _result_document(r) for r in results},
        "thresholds": {
            "min_accuracy": args.min_accuracy,
            "min_kappa": args.min_kappa,
            "passed": not failures,
            "failures": failures,
        },
    }
