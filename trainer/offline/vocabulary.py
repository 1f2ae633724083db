"""What a scenario lets the offline judge recognise in a seller turn: the product's words,
the seller's introduction, the buyer's name and company, the buyer's world, the public
research and each hidden fact.

A turn is only "about this buyer" relative to a scenario, so the judge reads it against
these sets rather than against fixed keyword lists. They are built once per scenario and
kept while the scenario object lives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from trainer.content.library import ResolvedScenario
from trainer.text import STOPWORDS as STOPWORDS  # defined beside the other word helpers
from trainer.text import content_stems as content_stems
from trainer.text import normalise, phrase_pattern, words

GENERIC = frozenset({"cost", "costs", "money", "value", "good", "better", "best", "use"})
"""Words every world shares: a turn that uses them is not thereby about this buyer."""


def _stems_of(lines: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for line in lines:
        found |= content_stems(line)
    return found


_NAME = re.compile(r"[A-Z][a-zA-Z'&.-]+")
_MID_SENTENCE_NAME = re.compile(r"(?<=[a-z0-9,;:)] )([A-Z][a-zA-Z'-]{2,})")
_LOWER = re.compile(r"\b[a-z][a-z'-]+\b")


def proper_names(lines: Iterable[str]) -> set[str]:
    """Capitalised words in the scenario's own text, lower-cased: the names a seller may
    use without talking about somebody else."""
    found: set[str] = set()
    for line in lines:
        for match in _NAME.finditer(line):
            found.add(match.group(0).lower().strip(".'"))
    return found


def names_in(lines: Iterable[str]) -> set[str]:
    """Words the text capitalises mid-sentence and never writes in lower case: the names
    of its people, companies, products and places."""
    text = "\n".join(lines)
    lower = set(_LOWER.findall(text))
    found = {m.lower().strip("'") for m in _MID_SENTENCE_NAME.findall(text)}
    return {n for n in found if n not in lower and n not in STOPWORDS}


@dataclass(frozen=True)
class ScenarioVocabulary:
    """The words and patterns of one scenario, built once."""

    product: re.Pattern[str] | None
    introduction: re.Pattern[str]
    buyer_names: frozenset[str]
    organisation: frozenset[str]
    known_names: frozenset[str]
    """Every capitalised word of the scenario's own text, the buyer's names and company's."""
    names: frozenset[str]
    world: frozenset[str]
    research: frozenset[str]
    described: frozenset[str]
    own: frozenset[str]
    facts: dict[str, frozenset[str]]
    fact_topics: dict[str, re.Pattern[str] | None]
    extra: dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]


_CACHE: dict[int, tuple[ResolvedScenario, ScenarioVocabulary]] = {}


def vocabulary_for(setup: ResolvedScenario) -> ScenarioVocabulary:
    """The scenario's vocabulary, built on first use and kept while the setup lives."""
    cached = _CACHE.get(id(setup))
    if cached is not None and cached[0] is setup:
        return cached[1]
    if len(_CACHE) >= 64:
        _CACHE.pop(next(iter(_CACHE)))
    built = _build(setup)
    _CACHE[id(setup)] = (setup, built)
    return built


def _build(setup: ResolvedScenario) -> ScenarioVocabulary:
    scenario, persona = setup.scenario, setup.persona
    product = scenario.brief.product
    product_words = _stems_of([product.name, *product.vocabulary])
    concerns = persona.concerns
    world = _stems_of(
        [
            persona.industry,
            persona.role,
            *concerns.priorities,
            *concerns.pains,
            *concerns.goals,
            *concerns.fears,
            *persona.opens_up_to,
        ]
    )
    research = _stems_of([*scenario.brief.research, persona.organisation])
    world -= product_words | GENERIC
    research -= product_words | GENERIC
    described = _stems_of([product.summary, *product.proof_points]) - world - research - GENERIC
    facts = {
        fact.id: frozenset(_stems_of([fact.fact, fact.reveal, *fact.topics]) - GENERIC)
        for fact in persona.hidden_facts
    }
    texts = [
        persona.name,
        persona.organisation,
        persona.industry,
        persona.background,
        scenario.brief.situation,
        product.name,
        product.summary,
        *product.vocabulary,
        *product.proof_points,
        *scenario.brief.research,
        *(f.reveal for f in persona.hidden_facts),
    ]
    own = _stems_of([*texts, *concerns.priorities, *concerns.pains, *concerns.goals])
    brand = phrase_pattern([product.name])
    # "it's Sam from DockWise", "Priya here, calling from DockWise": who is calling is not
    # product talk. A name counts only before from/at/with/here/calling ("I'm curious" is
    # not an introduction).
    named = (
        r"(?:this is|it'?s|i'?m|i am|name'?s)\s+[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?"
        r"(?=\s*,?\s*(?:here\b|calling\b|from\b|at\b|with\b|over at\b))|my name is\s+[a-z][a-z'-]+"
    )
    parts = [named]
    organisation = frozenset(
        w for w in words(normalise(persona.organisation)) if w not in STOPWORDS
    )
    if brand is not None:
        parts.insert(0, r"(?:(?:calling |here |over )?(?:from|at|with)\s+)" + brand.pattern)
    return ScenarioVocabulary(
        product=phrase_pattern([product.name, *product.vocabulary]),
        introduction=re.compile("|".join(parts)),
        buyer_names=frozenset(normalise(p) for p in persona.name.split()),
        organisation=organisation,
        known_names=frozenset(
            proper_names(texts) | {normalise(p) for p in persona.name.split()} | organisation
        ),
        names=frozenset(names_in([*texts, persona.name, *scenario.brief.research])),
        world=frozenset(world),
        research=frozenset(research),
        described=frozenset(described),
        own=frozenset(own | world | research),
        facts=facts,
        fact_topics={f.id: phrase_pattern(f.topics) for f in persona.hidden_facts},
        extra={
            c.id: (phrase_pattern(c.cues.raise_), phrase_pattern(c.cues.lower))
            for c in setup.rubric.criteria
            if c.cues is not None
        },
    )
