"""Progress per trainee (or per trainee and scenario) and for the cohort as a whole.

Built from the session summaries (one index file per trainee) and the certification
ledger, so a report over a thousand trainees never opens a transcript. Scores count only
finished sessions; interrupted ones count as attempts, since a trainee did start them.

A trainee can edit their own index, so a certification's score and verdict are the
ledger's: one whose index entry disagrees with its record (or has none) counts as an
attempt, never as a pass or a score, and is listed as a finding. Practice results have
no record and the report says so.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from trainer.store.layout import trainee_key
from trainer.store.records import SummaryRecord
from trainer.store.signed import (
    FINISHED,
    RUN_VERIFY,
    UNSIGNED,
    Confirmation,
    ShownSummary,
    SignedLedger,
)
from trainer.text import (
    criterion_average,
    csv_cell,
    json_text,
    markdown_escape,
    markdown_inline,
    one_line,
)

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
    unconfirmed: int = 0
    unsigned: int = 0
    weakest: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    """A session summary and what the ledger says of it."""

    summary: SummaryRecord
    confirmation: Confirmation

    @cached_property
    def shown(self) -> ShownSummary:
        """The summary as the ledger lets it be shown (worked out once: an entry is
        counted in its row and in the cohort)."""
        return self.confirmation.applied(self.summary)


@dataclass(frozen=True)
class ReportFinding:
    """A certification the report did not count as passed, and why."""

    trainee: str
    session: str
    scenario: str
    message: str

    def __str__(self) -> str:
        return f"{self.trainee}: session {self.session[:8]} ({self.scenario}) {self.message}"


NOTE_SIGNED = (
    "Certification results are checked against the signed certification ledger; one that "
    "does not match it is not counted as passed."
)
NOTE_CHAINED = (
    "Certification results are checked against the certification ledger, but it is not "
    "signed (no organisation key is set), so someone who can write to the store could "
    "rewrite it."
)
NOTE_PRACTICE = (
    "Practice results are not signed: they come from the trainee's own files and could "
    "have been edited."
)
DUPLICATE = f"is listed in more than one trainee's folder; {RUN_VERIFY}"
NOT_CHECKED = Confirmation("mismatch", message=f"was not checked against the ledger; {RUN_VERIFY}")


@dataclass
class Report:
    rows: list[Row]
    cohort: Row
    filters: dict[str, str | None]
    findings: list[ReportFinding] = field(default_factory=list)
    signed: bool = True

    @property
    def note(self) -> str:
        return f"{NOTE_SIGNED if self.signed else NOTE_CHAINED} {NOTE_PRACTICE}"

    def to_json(self) -> dict[str, Any]:
        def row(r: Row) -> dict[str, Any]:
            data = asdict(r)
            if data["scenario"] is None:
                del data["scenario"]
            return data

        cohort = row(self.cohort)
        cohort.pop("trainee")
        cohort["trainees"] = len({r.trainee for r in self.rows})
        return {
            "trainees": [row(r) for r in self.rows],
            "cohort": cohort,
            "filters": self.filters,
            "findings": [asdict(f) for f in self.findings],
            "note": self.note,
        }


def _accumulate(row: Row, entries: Sequence[Entry]) -> Row:
    shown = [e.shown for e in entries]
    finished = [s for s in shown if s.get("status") in FINISHED and s.get("score") is not None]
    finished.sort(key=lambda s: str(s.get("started_at") or ""))
    summaries = [e.summary for e in entries]
    row.attempts = len(summaries)
    row.finished = len(finished)
    row.interrupted = sum(1 for s in summaries if s.get("status") == "interrupted")
    if finished:
        scores = [int(s.get("score") or 0) for s in finished]  # none is None, see above
        row.best = max(scores)
        row.last = scores[-1]
        row.average = round(sum(scores) / len(scores), 1)
    certifications = [s for s in finished if s.get("mode") == "certification"]
    row.unconfirmed = sum(1 for s in shown if s["confirmed"] == "mismatch")
    row.unsigned = sum(1 for s in finished if s.get("mode") != "certification")
    row.certification_attempts = len(certifications) + row.unconfirmed
    row.passed = sum(1 for s in certifications if s.get("passed") is True)
    if row.certification_attempts:
        row.pass_rate = round(row.passed / row.certification_attempts, 3)
    row.weakest = _weakest(finished)
    return row


def _weakest(finished: Sequence[ShownSummary]) -> list[dict[str, Any]]:
    """The lowest criterion averages, each over the turns the criterion applied to.

    A session's average is weighted by its ``criteria_turns`` count, so a criterion
    that applied on one turn of one call is not given the weight of a whole call; a
    criterion that applied to no turn of a session has no average there and is left out.
    Sessions recorded before n/a existed scored every criterion on every turn, so their
    weight is their number of turns."""
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    for summary in finished:
        applied = summary.get("criteria_turns")
        applied = applied if isinstance(applied, dict) else None
        for criterion, value in (summary.get("criteria") or {}).items():
            weight = _count(applied.get(criterion) if applied is not None else summary.get("turns"))
            if weight:
                sums[criterion] = sums.get(criterion, 0.0) + float(value) * weight
                counts[criterion] = counts.get(criterion, 0) + weight
    averages = sorted((round(sums[c] / counts[c], 2), c) for c in counts)
    return [{"criterion": c, "average": a, "turns": counts[c]} for a, c in averages[:WEAKEST]]


def _count(value: object) -> int:
    """A stored turn count, or 0 for anything an edited index might hold instead."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def build_report(
    everyone: Iterable[tuple[str, list[SummaryRecord]]],
    trainee: str | None = None,
    scenario: str | None = None,
    mode: str | None = None,
    by_scenario: bool = False,
    ledger: SignedLedger | None = None,
) -> Report:
    """The report over ``(trainee name, summaries)`` pairs, filtered and grouped, with
    each certification checked against ``ledger`` (without one, none counts as passed)."""
    wanted = trainee_key(trainee) if trainee else None
    groups: dict[tuple[str, str | None], list[Entry]] = {}
    cohort: list[Entry] = []
    findings: list[ReportFinding] = []
    counted: set[str] = set()
    for name, summaries in everyone:
        if wanted is not None and trainee_key(name) != wanted:
            continue
        for summary in summaries:
            if scenario is not None and summary.get("scenario") != scenario:
                continue
            if mode is not None and summary.get("mode") != mode:
                continue
            entry = Entry(summary, _confirm(ledger, name, summary, counted))
            if entry.confirmation.standing == "mismatch" and entry.confirmation.message:
                findings.append(
                    ReportFinding(
                        name,
                        str(summary.get("id")),
                        str(summary.get("scenario")),
                        entry.confirmation.message,
                    )
                )
            key = (name, str(summary.get("scenario")) if by_scenario else None)
            groups.setdefault(key, []).append(entry)
            cohort.append(entry)
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
        findings=findings,
        signed=ledger is not None and ledger.key is not None,
    )


def _confirm(
    ledger: SignedLedger | None, name: str, summary: SummaryRecord, counted: set[str]
) -> Confirmation:
    """What the ledger says of a summary; a record already counted once (a session file
    copied into another folder whose index claims the same name) is not counted again."""
    if ledger is not None:
        confirmation = ledger.confirm_summary(name, summary)
        record = confirmation.record
        if confirmation.confirmed and record is not None:
            if str(record.get("id")) in counted:
                return Confirmation("mismatch", record, DUPLICATE)
            counted.add(str(record.get("id")))
        return confirmation
    if summary.get("mode") == "certification" and summary.get("status") in FINISHED:
        return NOT_CHECKED
    return UNSIGNED


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
        f"{names.get(w['criterion'], w['criterion'])} "
        + criterion_average(w["average"], w.get("turns"))
        for w in row.weakest
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
    table = [header, rule, *(line(r) for r in rows), rule, line(cohort)]
    return "\n".join([*table, *_afterword(report)])


def _afterword(report: Report) -> list[str]:
    """Below a table: what was not counted as passed, and what the results rest on."""
    lines = [""]
    if report.findings:
        lines += ["Not counted as passed:"]
        lines += [
            textwrap.fill(one_line(str(f)), 92, initial_indent="  ", subsequent_indent="    ")
            for f in report.findings
        ]
        lines.append("")
    return [*lines, textwrap.fill(report.note, 92)]


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
    if report.findings:
        lines += ["", "Not counted as passed:", "", "| Trainee | Session | Scenario | Finding |"]
        lines.append("|---|---|---|---|")
        lines += [
            f"| {markdown_inline(f.trainee)} | `{markdown_inline(f.session[:8])}` | "
            f"{markdown_inline(f.scenario)} | {markdown_inline(f.message)} |"
            for f in report.findings
        ]
    lines += ["", report.note]
    return "\n".join(lines)


def _csv_safe(value: Any) -> Any:
    """Text is one line and never a formula (``csv_cell``); numbers stay numbers."""
    return csv_cell(value) if isinstance(value, str) else value


def as_csv(report: Report, names: dict[str, str] | None = None) -> str:
    """One row per trainee; criteria by the names a manager reads (ids where unknown)."""
    names = names or {}
    out = io.StringIO()
    fields = [key for key, _ in _columns(report)]
    fields[fields.index("passed") : fields.index("passed") + 1] = [
        "certification_attempts",
        "passed",
        "unconfirmed",
        "unsigned",
    ]
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in report.rows:
        data = asdict(row)
        data["weakest"] = "; ".join(
            f"{names.get(w['criterion'], w['criterion'])}={w['average']}" for w in row.weakest
        )
        writer.writerow(
            {key: "" if data.get(key) is None else _csv_safe(data[key]) for key in fields}
        )
    return out.getvalue()


def as_json(report: Report) -> str:
    return json_text(report.to_json())
