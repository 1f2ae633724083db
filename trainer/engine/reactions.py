"""How the buyer's state responds to an assessed seller turn: the persona's reaction
rules, the quality of the turn, its length, and which hidden facts it earns.

This is deterministic and identical for every backend: a model-played buyer phrases the
reply, but whether patience runs out or a fact is earned is decided here, with a cause.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.content.library import ResolvedScenario
from trainer.content.models import HiddenFact, Persona, Reaction
from trainer.engine.assessment import Assessment
from trainer.engine.heard import Heard, Repeat
from trainer.engine.ports import EndedBy
from trainer.engine.state import BuyerState, StateChange
from trainer.text import mentions, normalise

_TOPIC_MOVES = frozenset({"discovery", "insight", "agenda"})
"""Moves with which a seller can earn an on-topic fact (a summary can invite one too)."""

_VOLUNTEER_MOVES = frozenset({"discovery", "insight", "agenda"})
"""Moves after which a buyer who trusts the seller volunteers what they know."""


@dataclass(frozen=True)
class Reacted:
    """The outcome of one turn for the buyer's state."""

    changes: tuple[StateChange, ...]
    state: BuyerState
    new_facts: tuple[HiddenFact, ...]
    withheld_topic: bool
    ending: EndedBy | None


UNEARNED_BELOW = 2
"""A turn judged this poor (good use 1-2) earns neither the move's good will nor a fact."""


def react(
    setup: ResolvedScenario,
    assessment: Assessment,
    seller_text: str,
    before: BuyerState,
    turns_taken: int,
    out_of_time: bool = False,
    heard: Heard | None = None,
) -> Reacted:
    """Apply one assessed turn. ``turns_taken`` counts this turn."""
    persona = setup.persona
    changes = list(_state_changes(persona, assessment))
    if heard is not None and heard.repeat is not None:
        changes = _repeated(persona, heard.repeat, changes)
    state = before.apply(changes)

    if state.patience <= 0:
        return Reacted(tuple(changes), state, (), False, "buyer")

    new_facts: tuple[HiddenFact, ...] = ()
    withheld = False
    fact, withheld = _earned_fact(persona, assessment, seller_text, state)
    if assessment.good_use <= UNEARNED_BELOW:
        fact = None  # a poor use of their time earns no confidences, however open they are
    if fact is not None:
        state = state.disclose(fact.id)
        new_facts = (fact,)

    ending: EndedBy | None = None
    step = setup.scenario.next_step
    if (
        assessment.proposes_next_step
        and assessment.move == "agenda"
        and state.openness >= step.openness
        and len(state.earned) >= step.facts
    ):
        ending = "agreement"
    elif turns_taken >= setup.scenario.limits.turns or out_of_time:
        ending = "limit"
    return Reacted(tuple(changes), state, new_facts, withheld, ending)


def _state_changes(persona: Persona, assessment: Assessment) -> list[StateChange]:
    rule: Reaction = (
        persona.reactions.relevant_pitch
        if assessment.relevant_pitch
        else getattr(persona.reactions, assessment.move)
    )
    quality = assessment.good_use - 3
    cause = assessment.reason
    # A move earns the buyer's warmth only when it was worth their time: an "insight" with
    # no substance or a lazy question gets none of the rule's good will, only its cost.
    base_patience, base_openness = rule.patience, rule.openness
    if assessment.good_use <= UNEARNED_BELOW:
        base_patience, base_openness = min(base_patience, 0), min(base_openness, 0)
    patience = base_patience + quality * persona.sensitivity.patience
    openness = base_openness + quality * persona.sensitivity.openness
    changes = []
    if patience:
        changes.append(StateChange("patience", patience, cause))
    if openness:
        changes.append(StateChange("openness", openness, cause))
    limit = persona.sensitivity.words
    if assessment.words > limit:
        cost = min(15, 3 + (assessment.words - limit) // 15)
        changes.append(
            StateChange(
                "patience",
                -cost,
                f"a {assessment.words}-word turn; {persona.name.split()[0]} is busy",
            )
        )
    return changes


REPEAT_COST = 4
"""Patience a question costs when the buyer was asked it already or has answered it."""


def _repeated(persona: Persona, repeat: Repeat, changes: list[StateChange]) -> list[StateChange]:
    """Asking again earns no openness, whatever the verdict, and costs patience: the buyer
    hears that the seller was not listening."""
    first = persona.name.split()[0]
    cause = (
        f"asked again: the same question as turn {repeat.turn}"
        if repeat.kind == "asked"
        else f"asked again: {first} answered that at turn {repeat.turn}"
    )
    kept = [c for c in changes if not (c.field == "openness" and c.delta > 0)]
    return [*kept, StateChange("patience", -REPEAT_COST, cause)]


def _earned_fact(
    persona: Persona, assessment: Assessment, seller_text: str, state: BuyerState
) -> tuple[HiddenFact | None, bool]:
    """The fact this turn earns, if any, and whether it touched a fact it did not earn.

    At most one fact per turn: a person reveals one thing at a time, and the debrief
    can then say which turn earned which fact.
    """
    if assessment.move not in _VOLUNTEER_MOVES and not assessment.relevant_pitch:
        return None, False
    text = normalise(seller_text)
    touched_but_withheld = False
    volunteered: HiddenFact | None = None
    for fact in persona.hidden_facts:
        if fact.id in state.earned:
            continue  # said already, or earned and still to be said (offered again)
        on_topic = assessment.move in _TOPIC_MOVES and _touches(fact, text)
        if fact.when.on_topic and not on_topic:
            continue
        if state.openness < fact.when.openness:
            asked = assessment.move in {"discovery", "insight"}
            touched_but_withheld = touched_but_withheld or (on_topic and asked)
            continue
        if on_topic:
            return fact, False
        if volunteered is None:
            volunteered = fact
    if volunteered is not None:
        return volunteered, False
    return None, touched_but_withheld


def _touches(fact: HiddenFact, normalised_text: str) -> bool:
    return mentions(fact.topics, normalised_text)
