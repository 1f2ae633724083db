"""Checks across a persona's own parts that one field's validation cannot see: topics
that name hidden facts the persona does not have, two topics with one id, and a concern
no topic answers (with topics given, the offline buyer would fall back to its generic
lines whenever a seller asks about that concern)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from trainer.content.models import Persona, Topic
from trainer.content.problems import Problem
from trainer.text import mentions, normalise


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


def covers(topic: Topic, concern: str) -> bool:
    """A topic answers a concern when one of its words appears in the concern's text."""
    return mentions(topic.words, normalise(concern))


def concerns_of(persona: Persona) -> list[tuple[str, str]]:
    """Every concern of the persona, with its section."""
    c = persona.concerns
    sections = {"priorities": c.priorities, "pains": c.pains, "goals": c.goals, "fears": c.fears}
    return [(section, concern) for section, items in sections.items() for concern in items]


def uncovered_concerns(persona: Persona) -> list[tuple[str, str]]:
    """Concerns (section, text) that no topic's words appear in."""
    return [
        (section, concern)
        for section, concern in concerns_of(persona)
        if not any(covers(topic, concern) for topic in persona.topics)
    ]
