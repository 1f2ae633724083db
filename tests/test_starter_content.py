"""The starter personas answer by topic, and no line they speak gives a secret away.

The offline buyer composes replies from these lines, so the content itself is tested:
every concern has a topic (else questions about it fall back to generic lines), every
hidden fact sits in a topic (else no question leads to it), no ordinary line carries a
hidden fact's particulars (a fact is said only through its reveal, when it is earned),
no line is said twice by one persona, and every line fits the persona's voice length.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from trainer.content.library import load_library, package_content_root
from trainer.content.models import Persona
from trainer.content.persona_checks import uncovered_concerns
from trainer.engine.said import carries
from trainer.text import normalise

STARTERS = (
    "dana-okafor",
    "george-lindqvist",
    "helen-marsh",
    "marcus-bell",
    "priya-raman",
    "tom-reyes",
)
NEW_POOLS = ("acknowledge", "asked_again", "already_answered", "monologue", "wrong_name")
PRESSURE_KINDS = ("discount", "deadline", "chasing", "meeting", "social_proof")


@pytest.fixture(scope="module")
def personas() -> dict[str, Persona]:
    library = load_library([package_content_root()])
    assert library.problems == []
    return {pid: library.personas[pid].persona for pid in STARTERS}


def spoken_lines(persona: Persona) -> Iterator[tuple[str, str]]:
    """(where, line) for every line the persona can say other than a fact's reveal."""
    for topic in persona.topics:
        for kind in ("guarded", "open"):
            for line in getattr(topic, kind):
                yield f"topics.{topic.id}.{kind}", line
    lines = persona.lines
    for name, value in lines:
        if name == "pressure_kinds":
            continue
        for line in value:
            yield f"lines.{name}", line
    if lines.pressure_kinds is not None:
        for kind, pool in lines.pressure_kinds:
            for line in pool:
                yield f"lines.pressure_kinds.{kind}", line


@pytest.mark.parametrize("pid", STARTERS)
def test_topics_cover_every_concern(personas: dict[str, Persona], pid: str) -> None:
    persona = personas[pid]
    assert persona.topics, f"{pid} has no topics"
    assert uncovered_concerns(persona) == []


@pytest.mark.parametrize("pid", STARTERS)
def test_every_new_pool_and_pressure_kind_has_lines(personas: dict[str, Persona], pid: str) -> None:
    lines = personas[pid].lines
    for pool in NEW_POOLS:
        assert getattr(lines, pool), f"{pid}: lines.{pool} is empty"
    assert lines.pressure_kinds is not None, f"{pid}: no pressure_kinds"
    for kind in PRESSURE_KINDS:
        assert getattr(lines.pressure_kinds, kind), f"{pid}: pressure_kinds.{kind} is empty"


@pytest.mark.parametrize("pid", STARTERS)
def test_every_hidden_fact_belongs_to_a_topic(personas: dict[str, Persona], pid: str) -> None:
    persona = personas[pid]
    placed = {fact_id for topic in persona.topics for fact_id in topic.facts}
    missing = [f.id for f in persona.hidden_facts if f.id not in placed]
    assert missing == [], f"{pid}: facts in no topic: {missing}"


@pytest.mark.parametrize("pid", STARTERS)
def test_no_line_gives_a_hidden_fact_away(personas: dict[str, Persona], pid: str) -> None:
    persona = personas[pid]
    leaks = [
        (where, fact.id, line)
        for where, line in spoken_lines(persona)
        for fact in persona.hidden_facts
        if carries(fact, line, set())
    ]
    assert leaks == []


@pytest.mark.parametrize("pid", STARTERS)
def test_no_line_is_repeated(personas: dict[str, Persona], pid: str) -> None:
    seen: dict[str, str] = {}
    repeats = []
    for where, line in spoken_lines(personas[pid]):
        key = normalise(line).strip()
        if key in seen:
            repeats.append((seen[key], where, line))
        seen.setdefault(key, where)
    assert repeats == []


@pytest.mark.parametrize("pid", STARTERS)
def test_every_line_fits_the_voice(personas: dict[str, Persona], pid: str) -> None:
    persona = personas[pid]
    limit = 2 * persona.voice.words_per_reply
    long_lines = [
        (where, len(line.split()), line)
        for where, line in spoken_lines(persona)
        if len(line.split()) > limit
    ]
    assert long_lines == []


def test_every_starter_persona_says_how_to_refer_to_them() -> None:
    """Tips say "she" or "he" where the buyer is one: 'they' is the default for a persona
    that does not say, not a guess the starter library should rely on."""
    folder = package_content_root() / "personas"
    files = sorted(folder.glob("*.yaml"))
    assert len(files) >= 12
    for path in files:
        assert "\npronouns: " in path.read_text(encoding="utf-8"), path.name
