"""One verdict: a turn read, weighed and explained by the offline judge.

Kept apart from ``assessor.py`` because importing it compiles the judge's cue patterns
(a fifth of a second): the assessor imports it when a call is being prepared, in a
thread, so neither the trainer's start-up nor the screen waits for it.
"""

from __future__ import annotations

from trainer.engine.assessment import Assessment
from trainer.engine.ports import AssessContext
from trainer.offline.criteria import criteria_scores
from trainer.offline.decision import decide
from trainer.offline.explain import evidence, reason
from trainer.offline.library_worlds import with_starter_worlds
from trainer.offline.model import JudgeModel
from trainer.offline.reading import read
from trainer.offline.tips import tip_for
from trainer.offline.vocabulary import vocabulary_for


def verdict(context: AssessContext, judge: JudgeModel) -> Assessment:
    """The verdict on one turn, with its evidence, reason, tip and criteria."""
    reading = read(context, with_starter_worlds(judge.background))
    decision = decide(judge, reading)
    s = reading.signals
    move, good_use = decision.move, decision.good_use
    relevant = move == "pitch" and good_use >= 3
    criteria = criteria_scores(
        move,
        good_use,
        relevant,
        s,
        context.setup.rubric.criteria,
        vocabulary_for(context.setup).extra,
        context.seller_text,
    )
    flags = ("injection",) if move == "injection" else ()
    return Assessment(
        move=move,
        good_use=good_use,
        criteria=criteria,
        evidence=evidence(judge, decision, reading),
        tip=tip_for(decision, s, context),
        reason=reason(decision, reading),
        relevant_pitch=relevant,
        proposes_next_step=move == "agenda" and (s.cue("next_step") or s.cue("meeting")),
        recap=move == "agenda" and s.cue("summary"),
        words=s.words,
        source="offline",
        flags=flags,
    )
