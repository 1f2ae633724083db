"""The session score (0-100): how each turn used the buyer's time, and what the call achieved.

A turn's worth is its good-use verdict (60%) and its rubric criteria weighted by the
rubric (40%), each mapped from 1..5 onto 0..1; their mean over the turns is the
**quality** part. The **outcomes** part is what the scenario says the call should
achieve (``outcomes:``): the hidden facts that matter, by weight, and an agreed next
step where one is expected. The score is half each, so polite questions that learned
nothing and agreed nothing cannot score well. Then caps, each with its reason: a buyer
who hung up, a call shorter than a fair attempt, a call the seller ended with objectives
unmet. Every part is kept so the debrief, ``--json`` and the ledger can show the working.
A criterion that does not apply to a turn (None, "n/a") is left out of that turn's
weighting and out of its average, so a call with no pitch in it is not marked down on
restraint.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from trainer.content.library import ResolvedScenario
from trainer.content.models import HiddenFact, Outcomes, Persona, Rubric
from trainer.engine.assessment import Assessment
from trainer.engine.ports import EndedBy
from trainer.words import plural

VERDICT_SHARE = 0.6
QUALITY_SHARE = 0.5
"""The rest is what the call achieved."""
NEXT_STEP_SHARE = 0.4
"""Of the outcomes part, when a next step is expected and facts matter too."""
HANG_UP_CAP = 30
SHORT_CALL_CAP = 40
UNMET_CAP = 50
"""A call the seller ended with a required fact or the expected next step missing."""

NEXT_STEP = "next_step"


@dataclass(frozen=True)
class Objective:
    """One thing the call should achieve, and whether it did."""

    kind: str  # "fact" or "next_step"
    id: str
    label: str
    weight: float
    required: bool
    met: bool

    def record(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "label": self.label,
            "weight": self.weight,
            "required": self.required,
            "met": self.met,
        }


@dataclass(frozen=True)
class Adjustment:
    """A cap on the score, with the points it took and why, in the trainee's words."""

    points: int
    reason: str

    def record(self) -> dict[str, object]:
        return {"points": self.points, "reason": self.reason}


@dataclass(frozen=True)
class ScoreBreakdown:
    score: int
    turns_part: float
    """The quality part, 0..100: how each turn used the buyer's time."""
    criteria: dict[str, float]
    outcomes_part: float | None = None
    """What the call achieved, 0..100; None where the scenario asks for nothing."""
    objectives: tuple[Objective, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()

    @property
    def adjustment(self) -> int:
        return sum(a.points for a in self.adjustments)

    @property
    def adjustment_reason(self) -> str:
        return "; ".join(a.reason for a in self.adjustments if a.points)

    @property
    def unmet(self) -> tuple[Objective, ...]:
        return tuple(o for o in self.objectives if not o.met)

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


def fact_label(fact: HiddenFact) -> str:
    """A fact as the trainee reads it in a list of reasons: its first sentence."""
    first = fact.fact.strip().split(". ")[0]
    return first.rstrip(".")


def objectives(
    outcomes: Outcomes,
    persona: Persona,
    disclosed: Collection[str],
    ended_by: EndedBy | None,
    required_facts: Collection[str] = (),
) -> tuple[Objective, ...]:
    """Each fact that matters and the next step, met or not. A next step is agreed when
    the call ended ``agreement``: the engine ends it so only when the buyer accepted an
    agenda move proposing one (``react``), so the buyer's own closing line is the proof."""
    by_id = {f.id: f for f in persona.hidden_facts}
    if outcomes.facts is None:
        wanted = [(f.id, 1.0, False) for f in persona.hidden_facts]
    else:
        wanted = [(o.id, o.weight, o.required) for o in outcomes.facts]
    listed = {fact_id for fact_id, _, _ in wanted}
    wanted += [(fact_id, 0.0, True) for fact_id in required_facts if fact_id not in listed]
    result = [
        Objective(
            "fact",
            fact_id,
            fact_label(by_id[fact_id]) if fact_id in by_id else fact_id,
            weight,
            required or fact_id in required_facts,
            fact_id in disclosed,
        )
        for fact_id, weight, required in wanted
    ]
    if outcomes.next_step:
        result.append(
            Objective(
                NEXT_STEP, NEXT_STEP, "a next step agreed", 1.0, True, ended_by == "agreement"
            )
        )
    return tuple(result)


def outcomes_part(achieved: Sequence[Objective]) -> float | None:
    """What the call achieved on 0..100: the facts by weight, and the next step."""
    facts = [o for o in achieved if o.kind == "fact" and o.weight > 0]
    steps = [o for o in achieved if o.kind == NEXT_STEP]
    total = sum(o.weight for o in facts)
    facts_part = sum(o.weight for o in facts if o.met) / total if total else None
    step_part = (1.0 if steps[0].met else 0.0) if steps else None
    if facts_part is None and step_part is None:
        return None
    if facts_part is None:
        return 100 * (step_part or 0.0)
    if step_part is None:
        return 100 * facts_part
    return 100 * ((1 - NEXT_STEP_SHARE) * facts_part + NEXT_STEP_SHARE * step_part)


def _caps(
    turns: int, min_turns: int, ended_by: EndedBy | None, achieved: Sequence[Objective]
) -> list[tuple[int, str]]:
    caps: list[tuple[int, str]] = []
    if ended_by == "buyer":
        caps.append((HANG_UP_CAP, f"the buyer hung up: capped at {HANG_UP_CAP}"))
    if ended_by is not None and turns < min_turns:
        caps.append(
            (
                SHORT_CALL_CAP,
                f"{plural(turns, 'turn')}, a fair attempt needs at least "
                f"{min_turns}: capped at {SHORT_CALL_CAP}",
            )
        )
    unmet = [o for o in achieved if o.required and not o.met]
    if ended_by == "seller" and unmet:
        caps.append((UNMET_CAP, f"you ended the call with objectives unmet: capped at {UNMET_CAP}"))
    return caps


def session_score(
    assessments: Sequence[Assessment],
    rubric: Rubric,
    ended_by: EndedBy | None,
    persona: Persona | None = None,
    outcomes: Outcomes | None = None,
    disclosed: Collection[str] = (),
    required_facts: Collection[str] = (),
) -> ScoreBreakdown:
    """The score and its parts. Without a persona (a bare rubric check) only the
    quality of the turns counts."""
    achieved = (
        objectives(outcomes, persona, disclosed, ended_by, required_facts)
        if persona is not None and outcomes is not None
        else ()
    )
    if not assessments:
        return ScoreBreakdown(0, 0.0, {}, 0.0 if achieved else None, achieved)
    turns_part = 100 * sum(turn_value(a, rubric) for a in assessments) / len(assessments)
    achieved_part = outcomes_part(achieved)
    combined = (
        turns_part
        if achieved_part is None
        else QUALITY_SHARE * turns_part + (1 - QUALITY_SHARE) * achieved_part
    )
    score = max(0, min(100, round(combined)))
    min_turns = outcomes.min_turns if outcomes is not None else 1
    adjustments: list[Adjustment] = []
    for cap, reason in _caps(len(assessments), min_turns, ended_by, achieved):
        capped = min(score, cap)
        adjustments.append(Adjustment(capped - score, reason))
        score = capped
    return ScoreBreakdown(
        score,
        round(turns_part, 1),
        criteria_averages(assessments, rubric),
        None if achieved_part is None else round(achieved_part, 1),
        achieved,
        tuple(adjustments),
        criteria_turns(assessments, rubric),
    )


def scenario_score(
    setup: ResolvedScenario,
    assessments: Sequence[Assessment],
    ended_by: EndedBy | None,
    disclosed: Collection[str],
) -> ScoreBreakdown:
    """The score under a scenario's own outcomes: what a session and a rescore both use,
    so a stored call is scored again exactly as it would be played today."""
    scenario = setup.scenario
    return session_score(
        assessments,
        setup.rubric,
        ended_by,
        setup.persona,
        scenario.outcomes,
        disclosed,
        scenario.certification.required_facts,
    )
