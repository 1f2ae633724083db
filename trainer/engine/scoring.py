"""The session score (0-100) and the per-criterion averages behind it.

A turn's worth is its good-use verdict (60%) and its rubric criteria weighted by the
rubric (40%), each mapped from 1..5 onto 0..1; a criterion that does not apply to a turn
(None, "n/a") is left out of that turn's weighting and out of its average, so a call with
no pitch in it is not marked down on restraint. The session score is the mean over turns,
then the outcome adjusts it: a buyer who hangs up costs 15 points, an agreed next step
that serves the buyer earns 10. Every part is kept so the debrief can show its working.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from trainer.content.models import Rubric
from trainer.engine.assessment import Assessment
from trainer.engine.ports import EndedBy

VERDICT_SHARE = 0.6
HANG_UP_PENALTY = 15
AGREEMENT_BONUS = 10


@dataclass(frozen=True)
class ScoreBreakdown:
    score: int
    turns_part: float
    adjustment: int
    adjustment_reason: str
    criteria: dict[str, float]
    applied: dict[str, int] = field(default_factory=dict)
    """Per criterion in ``criteria``, the number of turns its average is over."""


def _unit(score: float) -> float:
    return (score - 1) / 4


def turn_value(assessment: Assessment, rubric: Rubric) -> float:
    """One turn's worth on 0..1."""
    total_weight = 0.0
    weighted = 0.0
    for criterion in rubric.criteria:
        score = assessment.criteria.get(criterion.id)
        if score is None or criterion.weight == 0:
            continue
        weighted += criterion.weight * _unit(score)
        total_weight += criterion.weight
    criteria_part = weighted / total_weight if total_weight else _unit(assessment.good_use)
    return VERDICT_SHARE * _unit(assessment.good_use) + (1 - VERDICT_SHARE) * criteria_part


def applied_scores(assessments: Sequence[Assessment], criterion: str) -> list[int]:
    """The criterion's scores on the turns it applied to (n/a and unscored turns left out)."""
    return [s for a in assessments if (s := a.criteria.get(criterion)) is not None]


def criteria_averages(assessments: Sequence[Assessment], rubric: Rubric) -> dict[str, float]:
    """Each criterion's mean over the turns it applied to; absent if it applied to none."""
    averages: dict[str, float] = {}
    for criterion in rubric.criteria:
        scores = applied_scores(assessments, criterion.id)
        if scores:
            averages[criterion.id] = round(sum(scores) / len(scores), 2)
    return averages


def criteria_turns(assessments: Sequence[Assessment], rubric: Rubric) -> dict[str, int]:
    """How many turns each criterion applied to, for the criteria that applied at all."""
    counts = {c.id: len(applied_scores(assessments, c.id)) for c in rubric.criteria}
    return {k: n for k, n in counts.items() if n}


def session_score(
    assessments: Sequence[Assessment], rubric: Rubric, ended_by: EndedBy | None
) -> ScoreBreakdown:
    if not assessments:
        return ScoreBreakdown(0, 0.0, 0, "no turns were played", {})
    turns_part = 100 * sum(turn_value(a, rubric) for a in assessments) / len(assessments)
    adjustment, reason = 0, ""
    if ended_by == "buyer":
        adjustment, reason = -HANG_UP_PENALTY, "the buyer ended the call"
    elif ended_by == "agreement":
        adjustment, reason = AGREEMENT_BONUS, "the buyer agreed a next step"
    score = max(0, min(100, round(turns_part + adjustment)))
    return ScoreBreakdown(
        score,
        round(turns_part, 1),
        adjustment,
        reason,
        criteria_averages(assessments, rubric),
        criteria_turns(assessments, rubric),
    )
