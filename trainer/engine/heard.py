"""What the buyer heard in a seller turn, beyond its move: the topic it raised, the kind
of pressure, whether it asks again what was asked or answered, whether it was a speech,
and whether it named the wrong person.

Read once per turn by the engine, before the reply, and handed to whichever buyer plays
(offline or model) and to the state rules, so that asking the same thing twice costs the
same on every backend, and both buyers answer the question that was actually asked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from trainer.content.models import Persona
from trainer.text import STOPWORDS, content_stems, normalise, phrase_pattern, stem, words

PressureKind = Literal["discount", "deadline", "chasing", "meeting", "social_proof"]
PRESSURE_KINDS: tuple[PressureKind, ...] = (
    "discount",
    "deadline",
    "chasing",
    "meeting",
    "social_proof",
)
RepeatKind = Literal["asked", "answered"]


@dataclass(frozen=True)
class Repeat:
    """The turn asks again: what the seller already asked (``asked``), or what the buyer
    already told them (``answered``). ``turn`` is the earlier turn (0: the opening) and
    ``answer`` the buyer's words that answered it, for a reply that points back."""

    kind: RepeatKind
    turn: int
    answer: str


@dataclass(frozen=True)
class Heard:
    """What the buyer heard. ``topics`` are the persona's topic ids the turn raises,
    the likeliest first; ``topic`` is the first of them, or the topic of the buyer's
    last reply when the turn follows up on it."""

    topic: str | None = None
    topics: tuple[str, ...] = ()
    pressure: PressureKind | None = None
    repeat: Repeat | None = None
    monologue: bool = False
    wrong_name: str | None = None


# ------------------------------------------------------------------ reading a turn

_PRESSURE: dict[PressureKind, re.Pattern[str]] = {
    "discount": re.compile(
        r"(?<![a-z])(?:discounts?|discounted|\d+ ?(?:%|percent) off|percent off|special "
        r"(?:price|pricing|offer|deal|rate)|price (?:break|cut)|knock \w+(?: \w+)? off|waive\w*|"
        r"free (?:month|months|trial|implementation|onboarding|setup|licen[cs]es?)|"
        r"months? free|best price|lower (?:the |our )?price|throw in|match (?:any|their|the) "
        r"price|reduced (?:rate|price)|money off|cheaper|rebate|promo(?:tion(?:al)?)?|"
        r"(?:sweeten|sweet) (?:the )?deal)(?![a-z])"
    ),
    "deadline": re.compile(
        r"(?<![a-z])(?:this quarter|end of (?:the )?(?:quarter|month|year|week|day)|"
        r"quarter[- ]end|month[- ]end|year[- ]end|today only|only today|by (?:friday|monday|"
        r"tomorrow|tonight|end of day|eod)|expires?|expiring|prices? (?:go(?:es)? up|"
        r"increases?|rises?)|before (?:the |our )?(?:price|prices|increase|rise|deadline)|"
        r"limited[- ]time|last chance|(?:sign|decide|commit) (?:today|now|this week|by)|"
        r"lock (?:it |this |that )?in|won'?t last|running out|deadline|"
        r"(?:only|just) (?:a few|\w+) (?:slots|spots|places) left|act (?:now|fast)|"
        r"right now|before it'?s too late|no later than)(?![a-z])"
    ),
    "chasing": re.compile(
        r"(?<![a-z])(?:checking in|check in|circling back|circle back|touch(?:ing)? base|"
        r"any (?:update|updates|news|thoughts)|bump(?:ing)? (?:this|my)|did you (?:get|see|"
        r"read) my|haven'?t heard|following up on my|just following up|wanted to follow up|"
        r"follow(?:ing)? up (?:again|on (?:my|our) (?:email|message|voicemail|call))|"
        r"ping(?:ing)? you|(?:my|our) (?:last|previous) (?:email|message|voicemail)|"
        r"where (?:are|do) (?:we|things) (?:stand|at)|had a chance to (?:look|review|read|think))"
        r"(?![a-z])"
    ),
    "meeting": re.compile(
        r"(?<![a-z])(?:(?:book|schedule|set up|setup|grab|get|put|find|lock in|arrange) "
        r"(?:in )?(?:a |some |an? |\d+ |thirty |fifteen |twenty )?(?:minutes? )?(?:time|call|"
        r"meeting|demo|slot|session|walkthrough|walk-through|chat|hour)|demo|calendar (?:invite|"
        r"slot)|meet (?:next|this|on|tomorrow)|hop on a (?:call|zoom)|jump on a (?:call|zoom)|"
        r"(?:can|could|shall) we (?:meet|talk|speak) (?:next|on|this|tomorrow)|"
        r"(?:15|20|30|45|fifteen|twenty|thirty) minutes (?:next|this|on|tomorrow)|"
        r"next (?:tuesday|monday|wednesday|thursday|friday|week) at|are you free)(?![a-z])"
    ),
    "social_proof": re.compile(
        r"(?<![a-z])(?:everyone|everybody|all (?:of )?(?:your|the) (?:competitors|peers|"
        r"industry)|most (?:of )?(?:your|the) (?:peers|industry|competitors|market)|"
        r"companies like yours (?:use|choose|trust|are using)|(?:leading|top|biggest|largest) "
        r"(?:brands|companies|firms|players|names|\w+ (?:companies|firms|chains|groups))|"
        r"used by|trusted by|customers include|clients include|(?:\d[\d,]*|hundreds|thousands|"
        r"dozens) of (?:companies|customers|clients|organi[sz]ations|firms|teams|\w+ "
        r"(?:companies|firms|chains|groups|sites))|fortune (?:500|100)|industry leaders?|"
        r"your competitors? (?:use|uses|are using|switched|chose|already)|"
        r"(?:already|all) (?:use|using|switched to|rely on) us|household names|"
        r"(?:half|most) of (?:the|your) (?:market|industry|sector))(?![a-z])"
    ),
}
"""Each kind of pressure as a seller says it."""

_ANSWER_FIRST: tuple[PressureKind, ...] = (
    "discount",
    "social_proof",
    "meeting",
    "deadline",
    "chasing",
)

_GREETING = re.compile(
    r"^\W*(?:hi|hello|hey|dear|morning|good (?:morning|afternoon|evening))[ ,]+"
    r"(?:(?:mr|mrs|ms|miss|dr|prof)\.? )?([a-z][a-z'-]+)",
    re.IGNORECASE,
)
_NOT_A_NAME_TEXT = "there all team everyone folks again guys you sir madam both friend friends"
_NOT_A_NAME = frozenset(_NOT_A_NAME_TEXT.split())
_FOLLOW_UP = re.compile(
    r"(?<![a-z])(?:you said|you mentioned|you told me|that|it|this|those|they|them)(?![a-z])"
)

ASKED_AGAIN = 0.6
"""Overlap of a question's content words with an earlier question's at which it is the
same question (Jaccard): "What does a Monday cost you?" twice, or with a word changed."""

_QUESTION_FILLER_TEXT = """
    tell again exactly usually typically generally kind sort talk happen happens
    happening mean main biggest big part walk through little bit currently today
    going look looks looking something anything else could would describe share
"""
_QUESTION_FILLER = frozenset(_QUESTION_FILLER_TEXT.split())
"""Words a reworded question adds without asking for anything new."""


def hear(
    persona: Persona,
    seller_text: str,
    earlier: Sequence[tuple[str, str]],
    opening: str = "",
) -> Heard:
    """What the buyer hears in ``seller_text``, given the call so far: ``earlier`` holds
    every committed (seller, buyer) exchange of this branch, oldest first."""
    norm = normalise(seller_text)
    topics = topics_raised(persona, norm)
    topic = topics[0] if topics else None
    if topic is None and earlier and _FOLLOW_UP.search(norm) and "?" in seller_text:
        topic = topic_of_reply(persona, earlier[-1][1])
    count = len(words(norm))
    return Heard(
        topic=topic,
        topics=topics,
        pressure=pressure_kind(norm),
        repeat=_repeat(persona, seller_text, topic, earlier, opening),
        monologue=count > persona.sensitivity.words,
        wrong_name=_wrong_name(persona, seller_text),
    )


def topics_raised(persona: Persona, normalised_text: str) -> tuple[str, ...]:
    """The persona's topics the text raises, the likeliest first: by how many of a
    topic's words it uses (a longer phrase counts more), then by a hidden fact of the
    topic whose words it uses, then by the order the author wrote them in."""
    scores: list[tuple[float, int, str]] = []
    fact_hits = {
        fact.id
        for fact in persona.hidden_facts
        if (pattern := _pattern(tuple(fact.topics))) is not None and pattern.search(normalised_text)
    }
    for order, topic in enumerate(persona.topics):
        pattern = _pattern(tuple(topic.words))
        score = 0.0
        if pattern is not None:
            for match in {m.group(0) for m in pattern.finditer(normalised_text)}:
                score += 1.0 + 0.5 * match.count(" ")
        score += 0.5 * sum(1 for f in topic.facts if f in fact_hits)
        if score:
            scores.append((-score, order, topic.id))
    return tuple(topic_id for _, _, topic_id in sorted(scores))


def topic_of_reply(persona: Persona, reply: str) -> str | None:
    """The topic a buyer's reply was about: the one whose line it says, else the one its
    words raise."""
    for topic in persona.topics:
        if any(line in reply for line in (*topic.open, *topic.guarded)):
            return topic.id
    for fact in persona.hidden_facts:
        if fact.reveal in reply:
            owner = next((t.id for t in persona.topics if fact.id in t.facts), None)
            if owner is not None:
                return owner
    raised = topics_raised(persona, normalise(reply))
    return raised[0] if raised else None


def pressure_kind(normalised_text: str) -> PressureKind | None:
    """The kind of pressure the buyer answers: the offer itself before what is hung on it
    ("20% off if you sign this week" is a discount; "a demo before the quarter ends" a
    meeting; "just checking in: are you free Tuesday?" a meeting ask)."""
    for kind in _ANSWER_FIRST:
        if _PRESSURE[kind].search(normalised_text):
            return kind
    return None


def _repeat(
    persona: Persona,
    seller_text: str,
    topic: str | None,
    earlier: Sequence[tuple[str, str]],
    opening: str,
) -> Repeat | None:
    """Whether a question asks again: the same question as before (its words), or what
    the buyer already said on its topic with nothing new asked. Statements never repeat:
    playing back what the buyer said is a summary, not a question."""
    if "?" not in seller_text or not earlier:
        return None
    asked = _question_stems(seller_text)
    for index in range(len(earlier), 0, -1):
        seller = earlier[index - 1][0]
        if "?" in seller and _same_question(seller_text, asked, seller):
            return Repeat("asked", index, earlier[index - 1][1])
    if topic is None or len(asked) < 2:
        return None
    known: set[str] = set()
    answered_at = 0
    for index, (seller, buyer) in enumerate(earlier, start=1):
        if topic_of_reply(persona, buyer) == topic and _topic_answer(persona, topic, buyer):
            answered_at = answered_at or index
        known |= content_stems(seller) | content_stems(buyer)
    if not answered_at:
        return None
    for item in persona.topics:
        if item.id == topic:
            known |= {stem(w) for phrase in item.words for w in words(normalise(phrase))}
    new = asked - known - _FILLER_STEMS
    if new:
        return None
    return Repeat("answered", answered_at, earlier[answered_at - 1][1])


def _same_question(text: str, stems: set[str], earlier: str) -> bool:
    """The same question as an earlier one: the same content words (a word changed or
    added at most), or the same words in a shorter form ("So what prompted you to reply?"
    after "You usually ignore vendor email, so what prompted you to reply?")."""
    theirs = _question_stems(earlier)
    if len(stems) >= 2 and theirs and len(stems & theirs) / len(stems | theirs) >= ASKED_AGAIN:
        return True
    mine, before = _question_words(text), _question_words(earlier)
    if min(len(mine), len(before)) < SAME_WORDS_MIN:
        return False
    shared = len(mine & before)
    return shared / min(len(mine), len(before)) >= 0.85 and shared / len(mine | before) >= 0.5


def _question_words(text: str) -> set[str]:
    questions = " ".join(re.findall(r"[^.?!]*\?", text)) or text
    return {stem(w) for w in words(normalise(questions))} - _SPOKEN_FILLER


def _topic_answer(persona: Persona, topic_id: str, reply: str) -> bool:
    """The reply answered the topic openly: one of its open lines, or a fact of it."""
    for topic in persona.topics:
        if topic.id != topic_id:
            continue
        if any(line in reply for line in topic.open):
            return True
        facts = {f.id: f for f in persona.hidden_facts}
        return any(f in facts and facts[f].reveal in reply for f in topic.facts)
    return False


def _question_stems(text: str) -> set[str]:
    """The content words of the text's questions (the whole text if it has none)."""
    questions = re.findall(r"[^.?!]*\?", text)
    return content_stems(" ".join(questions) or text) - _FILLER_STEMS


def _wrong_name(persona: Persona, seller_text: str) -> str | None:
    """A greeting to someone who is not this buyer ("Hi Sarah," to Dana)."""
    match = _GREETING.match(seller_text)
    if match is None:
        return None
    name = match.group(1)
    known = {normalise(part) for part in persona.name.replace(".", " ").split()}
    plain = normalise(name)
    if plain in known or plain in _NOT_A_NAME or plain in STOPWORDS or "'" in plain:
        return None  # "Hi, I'll be quick", "Hello, just a moment": not a name
    if not name[:1].isupper():
        return None  # "hi there", "hey, quick one": a word, not a name
    return name


_FILLER_STEMS = frozenset(stem(w) for w in _QUESTION_FILLER)
_SPOKEN_FILLER_TEXT = "so sorry just and ok okay again then well right being actually really um"
_SPOKEN_FILLER = frozenset(_SPOKEN_FILLER_TEXT.split())
SAME_WORDS_MIN = 4
"""Words a question needs before its wording alone can make it the same question."""


@lru_cache(maxsize=2048)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    return phrase_pattern(phrases)
