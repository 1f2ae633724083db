"""The result of a certification attempt as a front end reads it: typed, not a dict.

The store's recorder keeps what it chained into the ledger as a record; this is that
record read once into named fields, so no front end indexes ``["passed"]`` or guesses a
key. ``record()`` gives the same keys in the same order back, for JSON output."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CertificationOutcome:
    """Whether the attempt passed, against which mark, which attempt it was, why not, and
    the id of the ledger record that is the source of truth for it."""

    passed: bool
    score: int
    pass_mark: int
    attempt: int | None
    attempts_allowed: int | None
    reasons: tuple[str, ...]
    requirements: tuple[dict[str, Any], ...]
    record_id: str

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> CertificationOutcome:
        """Read the recorder's summary of the ledger record it wrote or found."""
        attempt = record.get("attempt")
        allowed = record.get("attempts_allowed")
        return cls(
            passed=bool(record["passed"]),
            score=int(record["score"]),
            pass_mark=int(record["pass_mark"]),
            attempt=attempt if isinstance(attempt, int) else None,
            attempts_allowed=allowed if isinstance(allowed, int) else None,
            reasons=tuple(str(r) for r in record.get("reasons", [])),
            requirements=tuple(dict(r) for r in record.get("requirements", [])),
            record_id=str(record["record"]),
        )

    def record(self) -> dict[str, Any]:
        """The outcome as ``play --json`` and ``certify --json`` print it."""
        return {
            "passed": self.passed,
            "record": self.record_id,
            "score": self.score,
            "pass_mark": self.pass_mark,
            "attempt": self.attempt,
            "attempts_allowed": self.attempts_allowed,
            "reasons": list(self.reasons),
            "requirements": [dict(r) for r in self.requirements],
        }
