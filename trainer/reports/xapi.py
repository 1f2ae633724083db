"""Results as xAPI statements, for an organisation's learning record store.

Every statement's id is derived from the record it describes (a session or a
certification record) and the verb, and every field, the timestamp included, comes from
the stored record. Sending the same results twice therefore sends identical statements,
which an LRS accepts once and acknowledges after that: export is idempotent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from trainer.store.layout import trainee_key
from trainer.store.records import LedgerRecord, SummaryRecord
from trainer.store.signed import ShownSummary, SignedLedger

NAMESPACE = uuid.UUID("6f1c2d4e-8a5b-5e0f-9c3d-7b2a1e4f6d80")
VERBS = {
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
Statement = dict[str, Any]


def statement_id(record_id: str, verb: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{record_id}/{verb}"))


def _registration(session_id: str) -> str | None:
    try:
        return str(uuid.UUID(hex=session_id))
    except ValueError:
        return None


class StatementBuilder:
    """Builds statements under one organisation home page (an IRL the IRIs hang off)."""

    def __init__(self, homepage: str) -> None:
        self.homepage = homepage.rstrip("/")

    def iri(self, *parts: str) -> str:
        return "/".join([self.homepage, "xapi", *parts])

    def actor(self, trainee: str) -> dict[str, Any]:
        return {
            "objectType": "Agent",
            "name": trainee,
            "account": {"homePage": self.homepage, "name": trainee},
        }

    def activity(self, scenario: str, title: str | None) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": self.iri("scenarios", scenario),
            "definition": {"name": {"en-US": title or scenario}, "type": SIMULATION},
        }

    def context(self, session_id: str, mode: str, extra: dict[str, Any]) -> dict[str, Any]:
        context: dict[str, Any] = {
            "platform": "trainer",
            "extensions": {self.iri("extensions", "mode"): mode}
            | {self.iri("extensions", k): v for k, v in extra.items()},
        }
        registration = _registration(session_id)
        if registration:
            context["registration"] = registration
        return context

    def criteria(self, criteria: dict[str, float]) -> dict[str, float]:
        return {self.iri("criteria", name): value for name, value in criteria.items()}

    def criteria_turns(self, applied: object) -> dict[str, Any]:
        """How many turns each criterion's average is over (criteria that applied to no
        turn are n/a and have no average); nothing for sessions recorded before n/a."""
        if not isinstance(applied, dict) or not applied:
            return {}
        return {self.iri("extensions", "criteria-turns"): dict(applied)}

    def statement(
        self,
        record_id: str,
        verb: str,
        trainee: str,
        scenario: str,
        title: str | None,
        timestamp: str,
        context: dict[str, Any],
        result: dict[str, Any] | None = None,
    ) -> Statement:
        statement: Statement = {
            "id": statement_id(record_id, verb),
            "actor": self.actor(trainee),
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": self.activity(scenario, title),
            "context": context,
            "timestamp": timestamp,
        }
        if result is not None:
            statement["result"] = result
        return statement

    # ---------------------------------------------------------------- per record

    def session_statements(self, trainee: str, summary: ShownSummary) -> list[Statement]:
        """``attempted`` for every session; ``completed`` with the score once it ended."""
        session_id = str(summary["id"])
        scenario = str(summary.get("scenario"))
        title = summary.get("title")
        context = self.context(session_id, str(summary.get("mode")), {"session": session_id})
        statements = [
            self.statement(
                session_id,
                "attempted",
                trainee,
                scenario,
                title,
                str(summary["started_at"]),
                context,
            )
        ]
        claimed = summary.get("score")
        if summary.get("status") in ("ended", "closed") and claimed is not None:
            score = int(claimed)
            statements.append(
                self.statement(
                    session_id,
                    "completed",
                    trainee,
                    scenario,
                    title,
                    str(summary.get("ended_at") or summary["started_at"]),
                    context,
                    {
                        "score": {"scaled": score / 100, "raw": score, "min": 0, "max": 100},
                        "completion": summary.get("status") == "ended",
                        "extensions": self.criteria(summary.get("criteria") or {})
                        | self.criteria_turns(summary.get("criteria_turns")),
                    },
                )
            )
        return statements

    def certification_statement(self, record: LedgerRecord, title: str | None) -> Statement:
        """``passed`` or ``failed``, from a certification ledger record."""
        score = int(record["score"])
        extensions: dict[str, Any] = dict(self.criteria(record.get("criteria") or {}))
        extensions[self.iri("extensions", "required")] = record.get("required") or {}
        extra = {
            "session": record.get("session"),
            "record": record.get("id"),
            "attempt": record.get("attempt"),
            "pass-mark": record.get("pass_mark"),
            "content-hashes": record.get("content_hashes"),
        }
        if record.get("supersedes"):
            extra["supersedes"] = record["supersedes"]
        return self.statement(
            str(record["id"]),
            "passed" if record.get("passed") else "failed",
            str(record["trainee"]),
            str(record["scenario"]),
            title,
            str(record["at"]),
            self.context(str(record.get("session")), "certification", extra),
            {
                "score": {"scaled": score / 100, "raw": score, "min": 0, "max": 100},
                "success": bool(record.get("passed")),
                "completion": True,
                "extensions": extensions,
            },
        )


def all_statements(
    builder: StatementBuilder,
    everyone: Iterable[tuple[str, list[SummaryRecord]]],
    ledger: SignedLedger,
    trainee: str | None = None,
    scenario: str | None = None,
) -> list[Statement]:
    """Statements for every session and certification record, filtered, oldest first.

    A certification's result is the ledger's: a session whose index entry disagrees with
    its record gets no ``completed`` statement, and a record whose hash or signature does
    not check out (or any record, when the chain is broken) is not sent."""
    wanted = trainee_key(trainee) if trainee else None
    certifications = (
        [r for r in ledger.records if str(r.get("id")) not in ledger.unsound]
        if ledger.intact
        else []
    )
    titles: dict[str, str] = {}
    statements: list[Statement] = []
    for name, summaries in everyone:
        for summary in summaries:
            if summary.get("title"):
                titles[str(summary.get("scenario"))] = str(summary["title"])
            if wanted is not None and trainee_key(name) != wanted:
                continue
            if scenario is not None and summary.get("scenario") != scenario:
                continue
            if not all(isinstance(summary.get(k), str) for k in ("id", "started_at")):
                continue  # an edited index entry no statement can be made of
            shown = ledger.confirm_summary(name, summary).applied(summary)
            statements += builder.session_statements(name, shown)
    for record in certifications:
        if wanted is not None and trainee_key(str(record.get("trainee"))) != wanted:
            continue
        if scenario is not None and record.get("scenario") != scenario:
            continue
        statements.append(
            builder.certification_statement(record, titles.get(str(record.get("scenario"))))
        )
    statements.sort(key=lambda s: (str(s["timestamp"]), s["id"]))
    return statements
