"""The offline buyer: speaks the persona's own lines, chosen by the turn's move and the
buyer's state, so a trainee with no model still meets a person who reacts.

Each pool of lines is shuffled once per session (seeded, so scripts are reproducible)
and walked without repeats until it runs out.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

from trainer.content.library import ResolvedScenario
from trainer.content.models import Lines
from trainer.engine.ports import ReplyContext

IMPATIENT_BELOW = 30
"""Patience under which the buyer says so before answering."""


class LinePicker:
    """Draws lines from named pools without repeating until a pool is exhausted."""

    def __init__(self, lines: Lines, seed: int) -> None:
        self._lines = lines
        self._random = random.Random(seed)
        self._order: dict[str, list[str]] = {}

    def pick(self, pool: str) -> str:
        remaining = self._order.get(pool)
        if not remaining:
            remaining = list(getattr(self._lines, pool))
            self._random.shuffle(remaining)
            self._order[pool] = remaining
        return remaining.pop()


class OfflineBuyer:
    """A buyer played from the persona's lines; deterministic for a given seed."""

    name = "offline"

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self._picker: LinePicker | None = None

    def _lines(self, setup: ResolvedScenario) -> LinePicker:
        if self._picker is None:
            self._picker = LinePicker(setup.persona.lines, self._seed)
        return self._picker

    async def opening(self, setup: ResolvedScenario) -> str:
        return self._lines(setup).pick("opening")

    async def reply(self, context: ReplyContext) -> AsyncIterator[str]:
        yield compose_reply(self._lines(context.setup), context)


def compose_reply(picker: LinePicker, context: ReplyContext) -> str:
    """The buyer's words for this turn: a reaction to the move, every fact it is to share
    (word for word, whatever else it says), and how the call ends if it does."""
    move = context.assessment.move
    if context.ending == "buyer":
        reaction = picker.pick(_reaction_pool(context)) if move != "other" else ""
        return _join(reaction, picker.pick("end_call"))
    if context.ending == "agreement":
        # the fact this turn earned is said before agreeing: a fact counts only when said
        return _join(*(fact.reveal for fact in context.new_facts), picker.pick("agreement"))

    parts: list[str] = []
    negative = move in {"pitch", "pressure", "injection", "other"} and not (
        context.assessment.relevant_pitch
    )
    if context.state.patience < IMPATIENT_BELOW and negative:
        parts.append(picker.pick("impatient"))
    if context.new_facts:
        if move == "insight":
            parts.append(picker.pick("insight"))
        parts.extend(fact.reveal for fact in context.new_facts)
    elif context.withheld_topic:
        parts.append(picker.pick("guarded"))
    else:
        parts.append(picker.pick(_reaction_pool(context)))
    if context.ending == "limit":
        parts.append(picker.pick("time_up"))
    return _join(*parts)


def _reaction_pool(context: ReplyContext) -> str:
    if context.assessment.relevant_pitch:
        return "relevant_pitch"
    if context.assessment.recap and context.setup.persona.lines.recap:
        return "recap"
    return context.assessment.move


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)
