"""Checks across a persona's own parts that one field's validation cannot see: topics
that name hidden facts the persona does not have, two topics with one id, and a concern
no topic answers (with topics given, the offline buyer would fall back to its generic
lines whenever a seller asks about that concern)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from trainer.content.models import Persona
from trainer.content.problems import Problem
from trainer.text import normalise, phrase_pattern


class Located(Protocol):
    """Where an item was read from (the library's ``Source``)."""

    @property
    def path(self) -> Path: ...

    def locate(self, *loc: int | str) -> tuple[int, int]: ...


def persona_problems(persona: Persona, source: Located) -> list[Problem]:
    """Every cross-field problem in ``persona``, located in its file."""
    locate, path = source.locate, source.path
    problems: list[Problem] = []

    def add(loc: tuple[int | str, ...], field: str, message: str, hint: str) -> None:
        line, column = locate(*loc)
        problems.append(Problem(path, line, column, field, message, hint))

    fact_ids = [f.id for f in persona.hidden_facts]
    seen: set[str] = set()
    for i, topic in enumerate(persona.topics):
        if topic.id in seen:
            add(
                ("topics", i, "id"),
                f"topics.{i}.id",
                f"two topics have the id '{topic.id}'",
                "give each topic its own id",
            )
        seen.add(topic.id)
        for j, fact_id in enumerate(topic.facts):
            if fact_id not in fact_ids:
                add(
                    ("topics", i, "facts", j),
                    f"topics.{i}.facts",
                    f"no hidden fact with id '{fact_id}'",
                    "use one of: " + ", ".join(fact_ids),
                )
    if persona.topics:
        for section, concern in uncovered_concerns(persona):
            index = getattr(persona.concerns, section).index(concern)
            add(
                ("concerns", section, index),
                f"concerns.{section}",
                f"no topic covers the concern '{concern}'",
                "add a topic whose words include a word or phrase of this concern",
            )
    return problems


def uncovered_concerns(persona: Persona) -> list[tuple[str, str]]:
    """Concerns (section, text) that no topic's words appear in."""
    patterns = [phrase_pattern(t.words) for t in persona.topics]
    missing = []
    for section in ("priorities", "pains", "goals", "fears"):
        for concern in getattr(persona.concerns, section):
            text = normalise(concern)
            if not any(p is not None and p.search(text) for p in patterns):
                missing.append((section, concern))
    return missing
