"""The persona's own material for the model buyer: a few of its lines as examples of how it
talks, its topics, and what to do with what the engine heard in the turn.

The offline buyer speaks these lines; the model is shown a handful so it sounds like the
same person, and is told which topic the seller raised, which kind of pressure, whether
the question was already asked or answered, so both buyers answer the question that was
actually asked.

Nothing here may carry a hidden fact the seller has not earned. Authored lines are meant
to circle a fact's area without stating it, but an author can slip, so every line and
every topic's ``about`` is checked with the same test the engine uses to decide that a
reply said a fact (``trainer.engine.said.carries``) and left out if it would say one.
Facts reach the model only through the earned-facts list in the turn's message.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import zip_longest

from trainer.content.library import ResolvedScenario
from trainer.content.models import HiddenFact, Persona, Topic
from trainer.engine.heard import Heard
from trainer.engine.ports import ReplyContext
from trainer.engine.pressure import PressureKind
from trainer.engine.said import SMALL_WHOLE, carries, numbers, public_stems
from trainer.text import content_stems, normalise

EXAMPLE_LINES = 8
"""Lines of the persona's own shown in the system prompt: enough for a voice, few enough
that the model does not recite them."""
LINE_CHARS = 220
SAID_LINES = 8
"""Of what the buyer already said, the most recent lines listed in a turn's message."""
SAID_CHARS = 200
ANSWER_CHARS = 300

POOL_ORDER = ("discovery", "guarded", "insight", "pitch", "pressure", "agenda", "other")
"""The line pools sampled for examples, after the topics' own lines: answers first, then
how the persona pushes back."""

PRESSURE_TEXT: dict[PressureKind, str] = {
    "discount": "a discount or special price you did not ask for",
    "deadline": "a deadline or urgency ('this quarter', 'today only', 'the price goes up')",
    "chasing": "chasing you ('just checking in', 'circling back') with nothing new",
    "meeting": "asking for a meeting or a demo before you know why you would want one",
    "social_proof": "name-dropping ('everyone in your industry uses us', big logos)",
}


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ------------------------------------------------------------------ leak guard


def is_small_whole(number: float) -> bool:
    """A number that is no particular ("two years ago", "one real alert")."""
    return number.is_integer() and number <= SMALL_WHOLE


def figures(fact: HiddenFact) -> list[float]:
    """The figures of a fact's statement, as ``carries`` reads them."""
    return [n for n in numbers(fact.fact) if not is_small_whole(n)]


def checkable(fact: HiddenFact, public: set[str]) -> bool:
    """Whether ``carries`` can tell for this fact: it has figures or key words. (For one
    with neither, ``carries`` says yes to everything; only its words verbatim count.)"""
    return bool(figures(fact)) or bool(content_stems(fact.fact) - public)


def leaks(text: str, facts: Sequence[HiddenFact], public: set[str]) -> bool:
    """Whether ``text`` would tell any of ``facts``: its statement or reveal verbatim, or
    its particulars by the engine's own test."""
    said = normalise(text)
    for fact in facts:
        if normalise(fact.fact).strip() in said or normalise(fact.reveal).strip() in said:
            return True
        if checkable(fact, public) and carries(fact, text, public):
            return True
    return False


def _safe(setup: ResolvedScenario) -> tuple[Sequence[HiddenFact], set[str]]:
    return setup.persona.hidden_facts, public_stems(setup, "")


# ------------------------------------------------------------------ the system prompt


def _round_robin(columns: Sequence[Sequence[str]]) -> Iterator[str]:
    """The first of each column, then the second of each, and so on."""
    depth = max((len(c) for c in columns), default=0)
    for row in range(depth):
        for column in columns:
            if row < len(column):
                yield column[row]


def _topic_column(topic: Topic, open_first: bool) -> list[str]:
    pairs = (
        zip_longest(topic.open, topic.guarded)
        if open_first
        else zip_longest(topic.guarded, topic.open)
    )
    return [line for pair in pairs for line in pair if line is not None]


def _candidates(persona: Persona) -> Iterator[str]:
    """Lines in the order examples are taken: a topic line, then a pool line, in turn.
    Topics take turns (open first for one, guarded first for the next), and so do the
    pools, so a persona with ten topics still shows how it answers and how it pushes back."""
    topics = _round_robin(
        [_topic_column(t, open_first=i % 2 == 0) for i, t in enumerate(persona.topics)]
    )
    pools = _round_robin([list(getattr(persona.lines, pool)) for pool in POOL_ORDER])
    for pair in zip_longest(topics, pools):
        yield from (line for line in pair if line is not None)


def example_lines(setup: ResolvedScenario, limit: int = EXAMPLE_LINES) -> list[str]:
    """A small, fixed selection of the persona's own lines (the same for every turn, so
    the system prompt stays a cacheable prefix), none of which gives a hidden fact away."""
    facts, public = _safe(setup)
    chosen: list[str] = []
    for line in _candidates(setup.persona):
        line = clip(line, LINE_CHARS)
        if line in chosen or leaks(line, facts, public):
            continue
        chosen.append(line)
        if len(chosen) == limit:
            break
    return chosen


def topic_list(setup: ResolvedScenario) -> list[str]:
    """``id: about`` for each topic (the id alone where its ``about`` would tell a fact)."""
    facts, public = _safe(setup)
    return [
        f"{t.id}: {t.about}" if not leaks(t.about, facts, public) else t.id
        for t in setup.persona.topics
    ]


def voice_text(setup: ResolvedScenario) -> str:
    """The system prompt's part on the persona's voice and topics ("" if it has neither)."""
    parts: list[str] = []
    examples = example_lines(setup)
    if examples:
        parts.append(
            "Things you have said on calls like this, to show how you talk (your voice, not "
            "a script: never recite them):"
        )
        parts += [f'- "{line}"' for line in examples]
    topics = topic_list(setup)
    if topics:
        parts.append("What you talk about when a seller raises it (topic: what it is):")
        parts += [f"- {line}" for line in topics]
    return "\n".join(parts)


# ------------------------------------------------------------------ the turn


def find_topic(persona: Persona, topic_id: str | None) -> Topic | None:
    return next((t for t in persona.topics if t.id == topic_id), None)


def _topic_text(context: ReplyContext, topic: Topic) -> str:
    facts, public = _safe(context.setup)
    about = topic.about if not leaks(topic.about, facts, public) else topic.id
    # a fact on the topic that the buyer is not ready to tell keeps the answer guarded
    if context.state.openness >= topic.opens_at and not context.withheld_topic:
        return (
            f"The seller raised one of your topics: {about}. Answer that, in your voice: you "
            "are open enough now to be candid and concrete about your own situation."
        )
    return (
        f"The seller raised one of your topics: {about}. Answer that, in your voice, but "
        "guarded: true and short, giving little away, as to a vendor you do not trust yet."
    )


def _repeat_text(heard: Heard) -> str:
    repeat = heard.repeat
    if repeat is None:
        return ""
    when = "when you picked up" if repeat.turn == 0 else f"at turn {repeat.turn}"
    earlier = clip(repeat.answer, ANSWER_CHARS)
    if repeat.kind == "asked":
        lead = f"The seller already asked you this ({when}). Say you were asked that already"
    else:
        lead = f"You already answered this ({when}). Say you told them already"
    if earlier:
        return f'{lead}, pointing back to what you said then: "{earlier}". Do not answer afresh.'
    return f"{lead}. Do not answer afresh."


def heard_lines(context: ReplyContext) -> list[str]:
    """What the buyer heard in this turn, as instructions for the reply (none when the
    engine heard nothing in particular)."""
    heard = context.heard
    persona = context.setup.persona
    lines: list[str] = []
    if heard.wrong_name:
        lines.append(
            f"The seller called you by the wrong name or company ({clip(heard.wrong_name, 60)}):"
            f" correct them, briefly; you are {persona.name} at {persona.organisation}."
        )
    if heard.monologue:
        lines.append(
            "The seller just talked for a long time: cut in, briefly, and ask what the one "
            "point is. Do not answer every part."
        )
    repeat = _repeat_text(heard)
    if repeat:
        lines.append(repeat)
    elif heard.pressure is not None:
        lines.append(
            f"The seller is pressing you with {PRESSURE_TEXT[heard.pressure]}. Answer that "
            "kind of pressure, as yourself, without warming to it."
        )
    else:
        topic = find_topic(persona, heard.topic)
        if topic is not None:
            lines.append(_topic_text(context, topic))
    return lines


def said_lines(said_before: Sequence[str], limit: int = SAID_LINES) -> list[str]:
    """What the buyer already said in this call, most recent first, each clipped, no
    line twice."""
    seen: list[str] = []
    for line in reversed(said_before):
        clipped = clip(line, SAID_CHARS)
        if clipped and clipped not in seen:
            seen.append(clipped)
        if len(seen) == limit:
            break
    return seen


def said_text(lines: Sequence[str]) -> str:
    if not lines:
        return ""
    return "\n".join(
        [
            "What you already said in this call, most recent first (do not repeat yourself "
            "word for word):",
            *(f'- "{line}"' for line in lines),
        ]
    )
