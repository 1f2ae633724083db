"""Sending statements to a learning record store, safely to repeat.

Statements go in batches by POST. An LRS answers a batch with the ids it stored; ids it
already holds with identical content are acknowledged and skipped, so a second export
sends nothing new. If a batch is refused because one statement conflicts (same id,
different content: someone changed a record), that batch is sent again one statement at
a time by PUT, so the others still arrive and the conflicts are named.

Uses the standard library: exporting must not pay for an HTTP client's import.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from trainer.config import LRS_PASSWORD, LRS_USERNAME
from trainer.errors import TrainerError
from trainer.reports.xapi import Statement
from trainer.text import one_line
from trainer.urls import UrlProblem, check_url, safe_url

XAPI_VERSION = "1.0.3"
BATCH = 50
TIMEOUT = 30.0


class LrsError(TrainerError):
    """The LRS cannot be reached or refused us; the message says what to check."""


@dataclass
class SendReport:
    sent: int = 0
    already_there: int = 0
    conflicts: list[str] = field(default_factory=list)


def statements_url(endpoint: str) -> str:
    """Accept the LRS endpoint (``https://lrs.example.com/xAPI``) or its statements URL."""
    base = endpoint.rstrip("/")
    return base if base.endswith("/statements") else base + "/statements"


class LrsClient:
    def __init__(self, endpoint: str, username: str, password: str) -> None:
        try:
            self.url = statements_url(check_url(endpoint, "the LRS URL"))
        except UrlProblem as exc:
            raise LrsError(str(exc)) from None
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.headers = {
            "Authorization": f"Basic {token}",
            "X-Experience-API-Version": XAPI_VERSION,
            "Content-Type": "application/json",
        }

    def _call(self, method: str, url: str, body: Any) -> tuple[int, Any]:
        request = urllib.request.Request(
            url, data=json.dumps(body).encode(), headers=self.headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                raw = response.read()
                status = int(response.status)
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            status = exc.code
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise LrsError(
                f"cannot reach the LRS at {safe_url(url)}: {one_line(str(reason))[:200]}"
            ) from None
        try:
            payload = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            payload = raw.decode("utf-8", "replace")[:200]
        if status == 401:
            raise LrsError(
                f"the LRS at {safe_url(url)} refused the credentials (401); check "
                f"{LRS_USERNAME.name} and {LRS_PASSWORD.name}"
            )
        if status == 403:
            raise LrsError(f"the LRS at {safe_url(url)} does not allow these credentials to write")
        return status, payload

    def send(self, statements: list[Statement]) -> SendReport:
        report = SendReport()
        for start in range(0, len(statements), BATCH):
            batch = statements[start : start + BATCH]
            status, payload = self._call("POST", self.url, batch)
            if status == 200 and isinstance(payload, list):
                stored = {str(i) for i in payload}
                report.sent += sum(1 for s in batch if s["id"] in stored)
                report.already_there += sum(1 for s in batch if s["id"] not in stored)
            elif status == 204:
                report.already_there += len(batch)
            elif status == 409:
                self._one_by_one(batch, report)
            else:
                raise LrsError(
                    f"the LRS at {safe_url(self.url)} answered {status}: {_detail(payload)}"
                )
        return report

    def _one_by_one(self, batch: list[Statement], report: SendReport) -> None:
        for statement in batch:
            url = f"{self.url}?{urllib.parse.urlencode({'statementId': statement['id']})}"
            status, payload = self._call("PUT", url, statement)
            if status == 204:
                # 204 for both new and identical-and-present; a GET would tell them apart,
                # and the difference does not matter to the person exporting.
                report.sent += 1
            elif status == 409:
                report.conflicts.append(str(statement["id"]))
            else:
                raise LrsError(
                    f"the LRS at {safe_url(self.url)} answered {status}: {_detail(payload)}"
                )


def _detail(payload: Any) -> str:
    """The server's words on a refusal: its text, never its escape sequences."""
    if isinstance(payload, dict) and "detail" in payload:
        return one_line(str(payload["detail"]))[:300]
    return one_line(str(payload))[:300]
