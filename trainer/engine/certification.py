"""Whether a certification attempt passed, with every reason it did not.

The scenario sets the requirements: the pass mark, the minimum average for required
criteria, the facts that must be learned, whether a next step must be agreed, and the
fewest turns a fair attempt needs. An attempt must also be finished and must not end
with the buyer hanging up. Every requirement is kept with whether it was met, so the
verdict, the debrief, ``--json`` and the ledger record all list what was missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.content.models import Certification, Scenario
from trainer.engine.ports import EndedBy
from trainer.engine.scoring import NEXT_STEP, ScoreBreakdown
from trainer.words import plural


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
class Requirement:
    """One thing an attempt must do (``requirement``, in plain words), whether it did,
    and what the verdict says when it did not (``reason``)."""

    id: str
    met: bool
    requirement: str
    reason: str

    def record(self) -> dict[str, object]:
        return {"id": self.id, "requirement": self.requirement, "met": self.met}


@dataclass(frozen=True)
class CertificationResult:
    passed: bool
    score: int
    pass_mark: int
    required: tuple[RequiredResult, ...]
    reasons: tuple[str, ...]
    requirements: tuple[Requirement, ...] = ()


def min_turns(scenario: Scenario) -> int:
    """The fewest turns a certification attempt needs in this scenario."""
    rules = scenario.certification
    return rules.min_turns if rules.min_turns is not None else scenario.outcomes.min_turns


def next_step_required(scenario: Scenario) -> bool:
    rules = scenario.certification
    return rules.next_step if rules.next_step is not None else scenario.outcomes.next_step


def requirements(
    breakdown: ScoreBreakdown,
    scenario: Scenario,
    turns: int,
    ended_by: EndedBy | None,
) -> list[Requirement]:
    rules: Certification = scenario.certification
    fewest = min_turns(scenario)
    found: list[Requirement] = [
        Requirement(
            "finished",
            ended_by is not None,
            "finish the call",
            "the attempt was not finished",
        ),
        Requirement(
            "no_hang_up",
            ended_by != "buyer",
            "the buyer does not hang up",
            "the buyer ended the call before it was done",
        ),
        Requirement(
            "min_turns",
            turns >= fewest,
            f"at least {plural(fewest, 'turn')}",
            f"too short to judge ({plural(turns, 'turn')}; at least {fewest})",
        ),
        Requirement(
            "pass_mark",
            breakdown.score >= rules.pass_mark,
            f"a score of at least {rules.pass_mark}",
            f"score {breakdown.score} is below the pass mark {rules.pass_mark}",
        ),
    ]
    for objective in breakdown.objectives:
        if objective.kind == "fact" and objective.required:
            found.append(
                Requirement(
                    f"fact:{objective.id}",
                    objective.met,
                    f"learn: {objective.label}",
                    f"a required fact was not learned: {objective.label}",
                )
            )
    if next_step_required(scenario):
        agreed = any(o.met for o in breakdown.objectives if o.kind == NEXT_STEP)
        found.append(
            Requirement(
                NEXT_STEP,
                agreed or ended_by == "agreement",
                "a next step agreed with the buyer",
                "no next step was agreed with the buyer",
            )
        )
    return found


def judge_attempt(
    breakdown: ScoreBreakdown,
    scenario: Scenario,
    turns: int,
    ended_by: EndedBy | None,
    criterion_names: dict[str, str] | None = None,
) -> CertificationResult:
    """The verdict. ``criterion_names`` puts a criterion's name, not its id, in a reason:
    the reasons are read by the trainee and their manager."""
    rules = scenario.certification
    names = criterion_names or {}
    found = requirements(breakdown, scenario, turns, ended_by)
    reasons = [r.reason for r in found if not r.met]
    required = tuple(
        RequiredResult(criterion, minimum, breakdown.criteria.get(criterion))
        for criterion, minimum in sorted(rules.required_criteria.items())
    )
    for result in required:
        if not result.met:
            got = "not scored" if result.got is None else f"{result.got:.1f}"
            name = names.get(result.criterion, result.criterion)
            reasons.append(f"{name} averaged {got}; {result.minimum} is required")
    return CertificationResult(
        passed=not reasons,
        score=breakdown.score,
        pass_mark=rules.pass_mark,
        required=required,
        reasons=tuple(reasons),
        requirements=tuple(found),
    )
