"""Re-scoring stored transcripts under the current scenario, persona and rubric.

The transcript is fixed: the seller's words, the buyer's replies and the buyer's state
after each turn are what happened. Each seller turn is assessed again, from the state
the buyer was in before it, and the session score and (for certification) the verdict
are worked out again under today's rules. Nothing stored is changed here; the command
decides whether to record the result, and a certification rescore is always a new
ledger record that supersedes the old one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trainer.content.library import ResolvedScenario
from trainer.engine.assessment import Assessment
from trainer.engine.certification import CertificationResult, judge_attempt
from trainer.engine.ports import AssessContext, Assessor, Exchange
from trainer.engine.scoring import ScoreBreakdown, scenario_score
from trainer.engine.session import HISTORY_WINDOW, Turn
from trainer.engine.state import BuyerState
from trainer.store.records import claimed_ending, claimed_mapping
from trainer.store.repository import StoredSession
from trainer.store.restore import stored_turns


@dataclass
class Rescored:
    stored: StoredSession
    setup: ResolvedScenario
    turns: list[Turn]
    old_score: int | None
    new: ScoreBreakdown
    old_criteria: dict[str, float]
    old_passed: bool | None = None
    certification: CertificationResult | None = None
    moves_changed: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        new_passed = self.certification.passed if self.certification else None
        return (
            self.old_score != self.new.score
            or self.old_criteria != self.new.criteria
            or self.old_passed != new_passed
        )

    def criteria_deltas(self) -> dict[str, float | None]:
        """Each criterion's change in average; None where it is n/a on one side only (a
        session scored before n/a existed averaged neutral 3s in), never a fall to zero."""
        keys = sorted(set(self.old_criteria) | set(self.new.criteria))
        deltas: dict[str, float | None] = {}
        for k in keys:
            old, new = self.old_criteria.get(k), self.new.criteria.get(k)
            if old is None or new is None:
                deltas[k] = None
            elif delta := round(new - old, 2):
                deltas[k] = delta
        return deltas


async def rescore(stored: StoredSession, setup: ResolvedScenario, assessor: Assessor) -> Rescored:
    turns, _ = stored_turns(stored)
    persona = setup.persona
    before = BuyerState(persona.patience, persona.openness)
    history: list[Exchange] = []
    assessments: list[Assessment] = []
    moves_changed: list[int] = []
    for turn in turns:
        context = AssessContext(
            setup, turn.seller, turn.index, before, tuple(history[-HISTORY_WINDOW:])
        )
        assessment = await assessor.assess(context)
        if assessment.move != turn.assessment.move:
            moves_changed.append(turn.index)
        assessments.append(assessment)
        history.append(Exchange(turn.seller, turn.buyer))
        before = turn.state
    header = stored.header
    # The header is a claim (a hand-edited file may hold anything): the ending is one the
    # engine knows or none, and the old figures are compared only where they are numbers.
    ended_by = claimed_ending(header.get("ended_by"))
    disclosed = turns[-1].state.disclosed if turns else ()
    breakdown = scenario_score(setup, assessments, ended_by, disclosed)
    outcome = claimed_mapping(header.get("outcome"))
    certification = claimed_mapping(header.get("certification"))
    result = Rescored(
        stored=stored,
        setup=setup,
        turns=turns,
        old_score=outcome.get("score"),
        new=breakdown,
        old_criteria=dict(claimed_mapping(outcome.get("criteria"))),
        old_passed=certification.get("passed") if header.get("mode") == "certification" else None,
        moves_changed=moves_changed,
    )
    if header.get("mode") == "certification":
        names = {c.id: c.name for c in setup.rubric.criteria}
        result.certification = judge_attempt(breakdown, setup.scenario, len(turns), ended_by, names)
    return result
