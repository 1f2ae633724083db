"""The result of a certification attempt as a front end reads it: typed, not a dict.

The store's recorder keeps what it chained into the ledger as a record; this is that
record read once into named fields, so no front end indexes ``["passed"]`` or guesses a
key. ``record()`` gives the same keys in the same order back, for JSON output."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trainer.store.records import AttemptResult


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
    def from_record(cls, record: AttemptResult) -> CertificationOutcome:
        """Read the recorder's summary of the ledger record it wrote or found."""
        return cls(
            passed=record["passed"],
            score=record["score"],
            pass_mark=record["pass_mark"],
            attempt=record["attempt"],
            attempts_allowed=record["attempts_allowed"],
            reasons=tuple(record["reasons"]),
            requirements=tuple(dict(r) for r in record["requirements"]),
            record_id=record["record"],
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
