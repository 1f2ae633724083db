"""Speaking of hidden facts a trainee did not earn without giving them away.

On a trainee's own machine the debrief names every missed fact: the YAML is there to read
anyway. On a shared host (``Settings.hosted``) the content stays on the host, so a missed
fact is a count and the author's hint (how a seller could have found it out), never the
fact's words: what the debrief, a practice hint and an export say of an unearned fact all
come from here, and ``withhold`` takes a fact's words out of text built elsewhere (a
score line, a certification reason) where the engine put them in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from trainer.content.models import HiddenFact, Persona
from trainer.engine.scoring import fact_label

STAND_IN = "a fact you did not find out"
"""What a hosted screen says in place of an unearned fact's words."""


def stand_in(fact: HiddenFact) -> str:
    """An unearned fact as a hosted trainee reads it: the hint, if the author wrote one."""
    return f"{STAND_IN} (hint: {fact.hint})" if fact.hint else STAND_IN


@dataclass(frozen=True)
class Unearned:
    """The hidden facts a trainee did not earn in a session."""

    facts: tuple[HiddenFact, ...]
    also: tuple[str, ...] = ()
    """Words of unearned facts known only from a record (its content no longer loads):
    each is replaced by the plain stand-in."""

    @classmethod
    def of(cls, persona: Persona, earned: Collection[str]) -> Unearned:
        """The persona's facts not in ``earned`` (fact ids the buyer said in the call)."""
        return cls(tuple(f for f in persona.hidden_facts if f.id not in earned))

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(f.id for f in self.facts)

    def words(self) -> dict[str, str]:
        """Each unearned fact's id and its stand-in, for a page that maps ids to words."""
        return {f.id: stand_in(f) for f in self.facts}

    def withhold(self, text: str) -> str:
        """``text`` with every unearned fact's words (the whole fact, and the label a
        score line or a certification reason uses) replaced by its stand-in; the longest
        first, so a label inside a fact is not replaced on its own."""
        spans = sorted(
            [(words, stand_in(f)) for f in self.facts for words in _forms(f)]
            + [(words, STAND_IN) for words in self.also if words],
            key=lambda pair: -len(pair[0]),
        )
        for words, replacement in spans:
            text = text.replace(words, replacement)
        return text

    def withhold_all(self, lines: Iterable[str]) -> list[str]:
        return [self.withhold(line) for line in lines]

    def withhold_value(self, value: object) -> object:
        """A JSON-like value (dicts, lists, strings) with every string withheld."""
        if isinstance(value, str):
            return self.withhold(value)
        if isinstance(value, dict):
            return {key: self.withhold_value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.withhold_value(item) for item in value]
        return value


def _forms(fact: HiddenFact) -> tuple[str, ...]:
    """The ways the trainer writes a fact into text: whole, stripped, and as its label."""
    forms = {fact.fact, fact.fact.strip(), fact_label(fact), fact.reveal, fact.reveal.strip()}
    return tuple(form for form in forms if form)
