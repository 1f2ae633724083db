"""Whether a certification attempt passed, with every reason it did not.

The scenario sets the pass mark and the minimum average for required criteria. An
attempt must also be finished and long enough to judge: one good question followed by
hanging up would otherwise score full marks.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.content.models import Certification
from trainer.engine.ports import EndedBy
from trainer.engine.scoring import ScoreBreakdown

MIN_TURNS = 3


@dataclass(frozen=True)
class RequiredResult:
    criterion: str
    minimum: int
    got: float | None

    @property
    def met(self) -> bool:
        """Met when its average reaches the minimum, or when it applied to no turn: a call
        with no product talk has nothing to hold back, so restraint is n/a, not failed."""
        return self.got is None or self.got >= self.minimum


@dataclass(frozen=True)
class CertificationResult:
    passed: bool
    score: int
    pass_mark: int
    required: tuple[RequiredResult, ...]
    reasons: tuple[str, ...]


def judge_attempt(
    breakdown: ScoreBreakdown,
    rules: Certification,
    turns: int,
    ended_by: EndedBy | None,
) -> CertificationResult:
    reasons: list[str] = []
    if ended_by is None:
        reasons.append("the attempt was not finished")
    if turns < MIN_TURNS:
        reasons.append(
            f"too short to judge ({turns} turn{'s' if turns != 1 else ''}; at least {MIN_TURNS})"
        )
    if breakdown.score < rules.pass_mark:
        reasons.append(f"score {breakdown.score} is below the pass mark {rules.pass_mark}")
    required = tuple(
        RequiredResult(criterion, minimum, breakdown.criteria.get(criterion))
        for criterion, minimum in sorted(rules.required_criteria.items())
    )
    for result in required:
        if not result.met:
            reasons.append(
                f"{result.criterion} averaged {result.got:.1f}; {result.minimum} is required"
            )
    return CertificationResult(
        passed=not reasons,
        score=breakdown.score,
        pass_mark=rules.pass_mark,
        required=required,
        reasons=tuple(reasons),
    )
