"""Progress per trainee (or per trainee and scenario) and for the cohort as a whole.

Built from the session summaries alone (one index file per trainee), so a report over a
thousand trainees never opens a transcript. Scores count only finished sessions;
interrupted ones count as attempts, since a trainee did start them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from trainer.store.layout import trainee_key
from trainer.store.migrations import Record
from trainer.text import csv_cell, markdown_escape, one_line

FINISHED = ("ended", "closed")
WEAKEST = 2


@dataclass
class Row:
    trainee: str
    scenario: str | None
    attempts: int = 0
    finished: int = 0
    interrupted: int = 0
    best: int | None = None
    last: int | None = None
    average: float | None = None
    certification_attempts: int = 0
    passed: int = 0
    pass_rate: float | None = None
    weakest: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Report:
    rows: list[Row]
    cohort: Row
    filters: dict[str, str | None]

    def to_json(self) -> dict[str, Any]:
        def row(r: Row) -> dict[str, Any]:
            data = asdict(r)
            if data["scenario"] is None:
                del data["scenario"]
            return data

        cohort = row(self.cohort)
        cohort.pop("trainee")
        cohort["trainees"] = len({r.trainee for r in self.rows})
        return {"trainees": [row(r) for r in self.rows], "cohort": cohort, "filters": self.filters}


def _accumulate(row: Row, summaries: Sequence[Record]) -> Row:
    finished = [s for s in summaries if s.get("status") in FINISHED and s.get("score") is not None]
    finished.sort(key=lambda s: str(s.get("started_at") or ""))
    row.attempts = len(summaries)
    row.finished = len(finished)
    row.interrupted = sum(1 for s in summaries if s.get("status") == "interrupted")
    if finished:
        scores = [int(s["score"]) for s in finished]
        row.best = max(scores)
        row.last = scores[-1]
        row.average = round(sum(scores) / len(scores), 1)
    certifications = [s for s in finished if s.get("mode") == "certification"]
    row.certification_attempts = len(certifications)
    row.passed = sum(1 for s in certifications if s.get("passed"))
    if certifications:
        row.pass_rate = round(row.passed / len(certifications), 3)
    totals: dict[str, list[float]] = {}
    for summary in finished:
        for criterion, value in (summary.get("criteria") or {}).items():
            totals.setdefault(criterion, []).append(float(value))
    averages = sorted(
        (round(sum(values) / len(values), 2), criterion) for criterion, values in totals.items()
    )
    row.weakest = [{"criterion": c, "average": a} for a, c in averages[:WEAKEST]]
    return row


def build_report(
    everyone: Iterable[tuple[str, list[Record]]],
    trainee: str | None = None,
    scenario: str | None = None,
    mode: str | None = None,
    by_scenario: bool = False,
) -> Report:
    """The report over ``(trainee name, summaries)`` pairs, filtered and grouped."""
    wanted = trainee_key(trainee) if trainee else None
    groups: dict[tuple[str, str | None], list[Record]] = {}
    cohort: list[Record] = []
    for name, summaries in everyone:
        if wanted is not None and trainee_key(name) != wanted:
            continue
        for summary in summaries:
            if scenario is not None and summary.get("scenario") != scenario:
                continue
            if mode is not None and summary.get("mode") != mode:
                continue
            key = (name, str(summary.get("scenario")) if by_scenario else None)
            groups.setdefault(key, []).append(summary)
            cohort.append(summary)
    rows = [
        _accumulate(Row(name, sc), items)
        for (name, sc), items in sorted(
            groups.items(), key=lambda item: (item[0][0].casefold(), item[0][1] or "")
        )
    ]
    return Report(
        rows=rows,
        cohort=_accumulate(Row("cohort", None), cohort),
        filters={"trainee": trainee, "scenario": scenario, "mode": mode},
    )


# ------------------------------------------------------------------ formats

COLUMNS = (
    ("trainee", "Trainee"),
    ("scenario", "Scenario"),
    ("attempts", "Attempts"),
    ("interrupted", "Interrupted"),
    ("best", "Best"),
    ("last", "Last"),
    ("average", "Average"),
    ("passed", "Passed"),
    ("pass_rate", "Pass rate"),
    ("weakest", "Weakest criteria"),
)


def _cells(row: Row, names: dict[str, str]) -> dict[str, str]:
    def show(value: Any) -> str:
        return "-" if value is None else str(value)

    rate = "-" if row.pass_rate is None else f"{row.pass_rate:.0%}"
    passed = f"{row.passed}/{row.certification_attempts}" if row.certification_attempts else "-"
    weakest = ", ".join(
        f"{names.get(w['criterion'], w['criterion'])} {w['average']:.1f}" for w in row.weakest
    )
    cells = {
        "trainee": row.trainee,
        "scenario": show(row.scenario),
        "attempts": str(row.attempts),
        "interrupted": str(row.interrupted),
        "best": show(row.best),
        "last": show(row.last),
        "average": show(row.average),
        "passed": passed,
        "pass_rate": rate,
        "weakest": weakest or "-",
    }
    return {key: one_line(value) for key, value in cells.items()}


def _columns(report: Report) -> list[tuple[str, str]]:
    with_scenario = any(r.scenario is not None for r in report.rows)
    return [c for c in COLUMNS if with_scenario or c[0] != "scenario"]


def as_table(report: Report, names: dict[str, str]) -> str:
    columns = _columns(report)
    rows = [_cells(r, names) for r in report.rows]
    cohort = _cells(report.cohort, names)
    cohort["trainee"] = f"All ({len({r.trainee for r in report.rows})})"
    widths = {
        key: max(len(title), *(len(r[key]) for r in [*rows, cohort])) for key, title in columns
    }
    numeric = {"attempts", "interrupted", "best", "last", "average", "passed", "pass_rate"}

    def line(cells: dict[str, str]) -> str:
        parts = [
            cells[key].rjust(widths[key]) if key in numeric else cells[key].ljust(widths[key])
            for key, _ in columns
        ]
        return "  ".join(parts).rstrip()

    header = line({key: title for key, title in columns})
    rule = "  ".join("-" * widths[key] for key, _ in columns)
    return "\n".join([header, rule, *(line(r) for r in rows), rule, line(cohort)])


def as_markdown(report: Report, names: dict[str, str]) -> str:
    columns = _columns(report)

    lines = [
        "| " + " | ".join(title for _, title in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    cohort = {key: markdown_escape(cell) for key, cell in _cells(report.cohort, names).items()}
    cohort["trainee"] = "**All**"
    rows = [{k: markdown_escape(c) for k, c in _cells(r, names).items()} for r in report.rows]
    for cells in [*rows, cohort]:
        lines.append("| " + " | ".join(cells[key] for key, _ in columns) + " |")
    return "\n".join(lines)


def _csv_safe(value: Any) -> Any:
    """Text is one line and never a formula (``csv_cell``); numbers stay numbers."""
    return csv_cell(value) if isinstance(value, str) else value


def as_csv(report: Report) -> str:
    out = io.StringIO()
    fields = [key for key, _ in _columns(report)]
    fields[fields.index("passed") : fields.index("passed") + 1] = [
        "certification_attempts",
        "passed",
    ]
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in report.rows:
        data = asdict(row)
        data["weakest"] = "; ".join(f"{w['criterion']}={w['average']}" for w in row.weakest)
        writer.writerow(
            {key: "" if data.get(key) is None else _csv_safe(data[key]) for key in fields}
        )
    return out.getvalue()


def as_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False)
