"""What the buyer heard in a seller turn, beyond its move: the topic it raised, the kind
of pressure, whether it asks again what was asked or answered, whether it was a speech,
and whether it named the wrong person.

Read once per turn by the engine, before the reply, and handed to whichever buyer plays
(offline or model) and to the state rules, so that asking the same thing twice costs the
same on every backend, and both buyers answer the question that was actually asked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from trainer.content.models import Persona
from trainer.content.persona_checks import concerns_of, covers
from trainer.engine.pressure import PressureKind, pressure_kind
from trainer.engine.related_words import GROUPS
from trainer.text import STOPWORDS, content_stems, normalise, phrases_pattern, stem, words

RepeatKind = Literal["asked", "answered"]


@dataclass(frozen=True)
class Repeat:
    """The turn asks again: what the seller already asked (``asked``), or what the buyer
    already told them (``answered``). ``turn`` is the earlier turn and
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
) -> Heard:
    """What the buyer hears in ``seller_text``, given the call so far: ``earlier`` holds
    every committed (seller, buyer) exchange of this branch, oldest first."""
    norm = normalise(seller_text)
    topics = topics_raised(persona, norm)
    topic = topics[0] if topics else None
    if topic is None and earlier and _FOLLOW_UP.search(norm) and asks(seller_text):
        topic = topic_of_reply(persona, earlier[-1][1])
    count = len(words(norm))
    return Heard(
        topic=topic,
        topics=topics,
        pressure=pressure_kind(seller_text),
        repeat=_repeat(persona, seller_text, topic, earlier),
        monologue=count > persona.sensitivity.words,
        wrong_name=_wrong_name(persona, seller_text),
    )


def topics_raised(persona: Persona, normalised_text: str) -> tuple[str, ...]:
    """The persona's topics the text raises, the likeliest first.

    Each content word of the text counts for a topic that has it: fully when it is one of
    the topic's ``words``, less when it is only in what the author wrote about the topic
    (its ``about``, its lines, its facts and their hints), and more the fewer of the
    persona's topics share it. A phrase of the topic's words said whole counts extra; a
    word in a question counts more than one in the context before it ("Industry surveys
    put dwell above two hours. When do trucks arrive?" asks about arrivals). A topic
    needs one of its own words, or two words of its material, to be raised at all. Ties
    go to the order the author wrote the topics in."""
    index = _topic_index(persona)
    if not index.topics:
        return ()
    known = index.raised.get(normalised_text)
    if known is None:
        known = _score_topics(index, normalised_text)
        if len(index.raised) > RAISED_MEMO:
            index.raised.clear()
        index.raised[normalised_text] = known
    return known


RAISED_MEMO = 4096
"""Texts whose topics a persona's index remembers: a call reads each earlier turn again
for every new one (is this a repeat? what has not been raised yet?)."""


def _score_topics(index: _TopicIndex, normalised_text: str) -> tuple[str, ...]:
    scores: list[tuple[float, int, str]] = []
    clauses = [(_stems_of(text), text, weight) for text, weight in _clauses(normalised_text)]
    for order, entry in enumerate(index.topics):
        score = 0.0
        strong_hits = 0
        weak_hits = 0
        for stems, text, weight in clauses:
            for word in stems:
                if word in entry.strong:
                    score += weight * index.strong_idf[word]
                    strong_hits += 1
                elif word in entry.related:
                    score += weight * RELATED * index.idf.get(word, 1.0)
                    strong_hits += 1
                elif word in entry.weak:
                    score += weight * WEAK * index.idf[word]
                    weak_hits += 1
            if entry.phrases is not None:
                for match in {m.group(0) for m in entry.phrases.finditer(text)}:
                    # a phrase said whole counts on top of its words; a short word the
                    # author listed (DSO, FCR, ROI) counts as a word of its own
                    score += weight * (0.5 * match.count(" ") if " " in match else 1.0)
                    strong_hits += 1
        if strong_hits or weak_hits >= 2:
            scores.append((-score, order, entry.id))
    return tuple(topic_id for _, _, topic_id in sorted(scores))


SHORT_WORD = 4
"""Topic words shorter than this are matched whole ("DSO", "FCR"): content stems start at
four letters, so an abbreviation would otherwise never raise its topic."""

WEAK = 0.35
"""What a word from a topic's material (not its ``words``) counts, against 1."""

RELATED = 0.6
"""What a word sellers commonly use for one of the topic's words counts, against 1."""


def _related(stems: frozenset[str]) -> frozenset[str]:
    """Stems of the words related to any of ``stems`` (see ``related_words``)."""
    found: set[str] = set()
    for group in _RELATED_STEMS:
        if group & stems:
            found |= group
    return frozenset(found)


@dataclass(frozen=True)
class _TopicEntry:
    id: str
    strong: frozenset[str]
    related: frozenset[str]
    weak: frozenset[str]
    phrases: re.Pattern[str] | None


@dataclass(frozen=True)
class _TopicIndex:
    topics: tuple[_TopicEntry, ...]
    idf: dict[str, float]
    strong_idf: dict[str, float]
    raised: dict[str, tuple[str, ...]] = field(default_factory=dict)


_INDEXES: dict[int, tuple[Persona, _TopicIndex]] = {}


def _topic_index(persona: Persona) -> _TopicIndex:
    """The persona's topics as word sets, built once per persona object."""
    cached = _INDEXES.get(id(persona))
    if cached is not None and cached[0] is persona:
        return cached[1]
    facts = {f.id: f for f in persona.hidden_facts}
    # the buyer's own name is in every turn that greets them, and raises nothing
    names = _stems_of(normalise(persona.name))
    entries = []
    for topic in persona.topics:
        strong = frozenset(s for phrase in topic.words for s in _stems_of(normalise(phrase)))
        # the seller words of its facts, and the concerns it answers, are nearly its own
        near = [concern for _, concern in concerns_of(persona) if covers(topic, concern)]
        material = [topic.about, *topic.guarded, *topic.open]
        for fact_id in topic.facts:
            fact = facts.get(fact_id)
            if fact is not None:
                near += fact.topics
                material += [fact.fact, fact.hint or ""]
        near_stems = frozenset(s for text in near for s in _stems_of(normalise(text)))
        strong -= names
        related = (_related(strong) | near_stems) - strong - names
        weak = (
            frozenset(s for text in material for s in _stems_of(normalise(text))) - strong - names
        )
        multi = [w for w in topic.words if " " in w.strip() or len(w.strip()) < SHORT_WORD]
        entries.append(
            _TopicEntry(topic.id, strong, related, weak - related, phrases_pattern(tuple(multi)))
        )
    count = len(entries)
    frequency: dict[str, int] = {}
    for entry in entries:
        for word in entry.strong | entry.related | entry.weak:
            frequency[word] = frequency.get(word, 0) + 1
    idf = {word: math.log(1 + count / n) for word, n in frequency.items()}
    owners: dict[str, int] = {}
    for entry in entries:
        for word in entry.strong:
            owners[word] = owners.get(word, 0) + 1
    strong_idf = {word: math.log(1 + count / n) for word, n in owners.items()}
    index = _TopicIndex(tuple(entries), idf, strong_idf)
    if len(_INDEXES) > 64:
        _INDEXES.clear()
    _INDEXES[id(persona)] = (persona, index)
    return index


QUESTION_WEIGHT = 2.0
"""How much more a topic word counts in a question than in the statement before it."""


def _clauses(normalised_text: str) -> list[tuple[str, float]]:
    """The text's sentences, each with its weight: questions count more."""
    pieces = re.findall(r"[^.?!]+[.?!]*", normalised_text) or [normalised_text]
    return [(piece, QUESTION_WEIGHT if asks(piece) else 1.0) for piece in pieces]


def _stems_of(text: str) -> set[str]:
    """Content stems, a possessive read as its word ("carrier's" is "carrier"); a
    contraction ("isn't") and the small talk of any call ("two minutes", "thanks for the
    call") raise no topic."""
    plain = (w.removesuffix("'s") for w in words(_SMALL_TALK_PHRASES.sub(" ", text)))
    return {
        stem(w)
        for w in plain
        if len(w) >= 4 and w not in STOPWORDS and "'" not in w and w not in _SMALL_TALK
    }


_SMALL_TALK_TEXT = """
    minute minutes moment moments quick quickly relevant thanks question questions talk
    talking chat speak speaking taking appreciate
"""
_SMALL_TALK = frozenset(_SMALL_TALK_TEXT.split())
_SMALL_TALK_PHRASES = re.compile(
    r"(?<![a-z])(?:(?:i'?m|i am|we'?re|i was) (?:just )?call(?:ing)?(?: you)?(?: from| about| "
    r"because| to| on behalf)?|thanks? (?:you )?for (?:taking |picking up |jumping on )?"
    r"(?:the|my|this|our) call|(?:on|for|of) (?:the|this|a|our|that|my) (?:quick |short |"
    r"first |last )?call|(?:quick|short|brief) call|call (?:you )?back|(?:a|this) call "
    r"(?:with|from)|(?:is|was) (?:this|that|now) a (?:good|bad) time to call)(?![a-z])"
)
"""The words of the call itself ("thanks for taking my call", "I'm calling from
Routecraft"): "calls" is a topic word for a buyer whose phones ring ("how many calls does
the front desk get?"), the call you are on is not."""


@lru_cache(maxsize=1024)
def _topic_stems(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(s for phrase in phrases for s in _stems_of(normalise(phrase)))


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


def _repeat(
    persona: Persona,
    seller_text: str,
    topic: str | None,
    earlier: Sequence[tuple[str, str]],
) -> Repeat | None:
    """Whether a question asks again: the same question as before (its words), or what
    the buyer already said on its topic with nothing new asked. Statements never repeat:
    playing back what the buyer said is a summary, not a question."""
    if not asks(seller_text) or not earlier or _PLAYBACK.search(normalise(seller_text)):
        return None
    asked = _question_stems(seller_text)
    if not _question_words(seller_text) - _TAG_WORDS:
        return None  # "..., right?": a statement with a tag, not a question
    for index in range(len(earlier), 0, -1):
        seller = earlier[index - 1][0]
        if asks(seller) and _same_question(seller_text, asked, seller):
            return Repeat("asked", index, earlier[index - 1][1])
    if topic is None:
        return None
    mine = angles(seller_text)
    subjects = {topic, *topics_raised(persona, normalise(seller_text))[:SUBJECTS]}
    for index in range(len(earlier), 0, -1):
        seller, buyer = earlier[index - 1]
        if not asks(seller):
            continue
        # what the earlier turn asked about, not what it said on the way ("I saw Savannah
        # opened a second dock. Do you have two minutes?" asked for time, not about docks)
        asked_about = topics_raised(persona, normalise(_questions_of(seller)))
        shared = subjects & set(asked_about[:EARLIER_SUBJECTS])
        answered_on = topic_of_reply(persona, buyer)
        if answered_on is None or answered_on not in shared:
            continue  # another subject, or asked before but the buyer did not answer it
        topic_stems = _topic_stems(tuple(_topic_words(persona, answered_on)))
        if not mine <= angles(seller):
            continue  # the same subject from a new angle: a follow-up
        if _REFERS_BACK.search(normalise(_questions_of(seller_text))):
            continue  # built on what the buyer said: a follow-up
        known = content_stems(seller) | content_stems(buyer) | topic_stems
        if len(asked - known) > NEW_WORDS_ALLOWED:
            continue
        return Repeat("answered", index, buyer)
    return None


_PLAYBACK = re.compile(
    r"(?<![a-z])(?:play (?:that|it|this) back|make sure i (?:heard|understood|got)|"
    r"(?:check|see if) i(?:'ve| have)? (?:got|have) (?:it|that|this) right|if i heard you|"
    r"to recap|let me recap|so what i'?m hearing|did i get that right|let me summari[sz]e|"
    r"sum(?:ming)? (?:it |that )?up)(?![a-z])"
)
"""A seller playing back what the buyer said: a summary asks for no answer again."""

_TAG_WORDS_TEXT = "right is that correct fair yes no isn't it am i do you agree sound ok okay"
_TAG_WORDS = frozenset(_TAG_WORDS_TEXT.split())

SUBJECTS = 2
EARLIER_SUBJECTS = 2
"""A question asks again for an answer when one of its subjects (its two likeliest topics)
is one of an earlier question's two likeliest and the buyer answered that earlier one on
it: "what
share of store sales can you tie to a member?", then "how many purchases can you link to
a member?". A question that only touched the subject on the way to another ("do you have
two minutes? I saw Savannah opened a second dock") was not answered on it."""

NEW_WORDS_ALLOWED = 3
"""Content words a question may add to an answered one on the same subject, from the
same angle, and still be asking for the same thing reworded."""

_ANGLES: dict[str, re.Pattern[str]] = {
    "cost": re.compile(
        r"(?<![a-z])(?:cost|costs|costing|spend|spent|pay(?!ing (?:the most )?attention)|paid|"
        r"set you back|bill|billed|money|dollars?|price|expensive|write-?offs?|\$)(?![a-z])"
    ),
    "amount": re.compile(
        r"(?<![a-z])(?:how many|how much|what share|what percentage|what proportion|"
        r"what fraction|what portion|how often|how frequently|how many times)(?![a-z])"
    ),
    "when": re.compile(
        r"(?<![a-z])(?:which days?|what days?|what time|how long|in the week|"
        r"days? of the week|since when)(?![a-z])"
    ),
    "tried": re.compile(
        r"(?<![a-z])(?:tried|try|in place|previous|previously|in the past|attempted|attempts?|"
        r"already done|before|earlier)(?![a-z])"
    ),
    "why": re.compile(
        r"(?<![a-z])(?:why|cause|causes|caused|root|slowing|start|starts|reason|behind)(?![a-z])"
    ),
    "consequence": re.compile(
        r"(?<![a-z])(?:what happens|what would happen|if you can'?t|if you don'?t|impact|"
        r"at risk|what if|affect|affects|affected|effect on)(?![a-z])"
    ),
}
"""What a question asks about its subject: its cost, how much, when, what was tried, why...
Two questions on one subject from the same angle ask for the same thing; from another
angle, the second follows the first up. "How often" and "how many" are one angle: "how
many departures were late?" asks again what "how often did trains leave late?" asked."""

_ASKING_WH = re.compile(
    r"^\W*(?:(?:and|so|but|then|okay|ok|right|also)\W+)?(who|whose|whom|when|where)(?![a-z])"
    r"|(?<![a-z])(who|when|where)\W*\?|(?<![a-z])(who) else(?![a-z])"
)
_MAIN_QUESTION_AFTER = re.compile(
    r",\s*(?:what|how|who|which|where|why|do|does|did|is|are|was|were|can|could|would|will)"
    r"(?![a-z])"
)


def _asking_wh(sentence: str) -> set[str]:
    """The who/when/where a sentence asks, not one that only joins a clause: "When you
    watched the demo, what did you picture?" asks what, and "judged on when it closes a
    deal" asks nothing about when."""
    found: set[str] = set()
    for match in _ASKING_WH.finditer(sentence):
        word = next(group for group in match.groups() if group)
        if match.group(1) and _MAIN_QUESTION_AFTER.search(sentence):
            continue  # a clause before the real question
        found.add("who" if word.startswith("who") else word)
    return found


@lru_cache(maxsize=4096)
def angles(text: str) -> frozenset[str]:
    """The angles of the text's questions."""
    found: set[str] = set()
    for sentence in re.findall(r"[^.?!]+[.?!]*", normalise(_questions_of(text))):
        found |= {name for name, pattern in _ANGLES.items() if pattern.search(sentence)}
        found |= _asking_wh(sentence.strip())
    return frozenset(found)


_REFERS_BACK = re.compile(
    r"(?<![a-z])(?:(?:of|from|on|about|with|behind|for|in|to) (?:that|those|these|them)"
    r"(?![a-z])|(?:those|these) (?!days|weeks|months)[a-z]+|you (?:said|mentioned|told me)|"
    r"that one|that\W*\?|^\W*(?:(?:and|so|okay|ok|right)\W+)?(?:what|how|why|where|who) "
    r"(?:does|did|is|was|would|will|do) (?:that|this|those|these)(?![a-z]))"
)
"""A question built on the buyer's last answer ("Which terminal is most of that coming
from?", "Of those crew costs, which can you control?") follows it up, whatever its words."""


def _topic_words(persona: Persona, topic_id: str) -> list[str]:
    for topic in persona.topics:
        if topic.id == topic_id:
            return [*topic.words, topic.about]
    return []


def _same_question(text: str, stems: frozenset[str], earlier: str) -> bool:
    """The same question as an earlier one: the same content words (a word changed or
    added at most), or the same words in a shorter form ("So what prompted you to reply?"
    after "You usually ignore vendor email, so what prompted you to reply?")."""
    theirs = _question_stems(earlier)
    if len(stems) >= 2 and theirs and len(stems & theirs) / len(stems | theirs) >= ASKED_AGAIN:
        return True
    whole, whole_before = _turn_words(text), _turn_words(earlier)
    if min(len(whole), len(whole_before)) >= SAME_WORDS_MIN and (
        len(whole & whole_before) / len(whole | whole_before) >= SAME_TURN
    ):
        return (
            True  # the whole turn again, its lead-in included ("You said X. Compared with what?")
        )
    mine, before = _question_words(text), _question_words(earlier)
    if min(len(mine), len(before)) < SAME_WORDS_MIN:
        return False
    shared = len(mine & before)
    return shared / min(len(mine), len(before)) >= 0.85 and shared / len(mine | before) >= 0.5


_REQUEST = re.compile(
    r"(?<![a-z])(?:walk me through|talk me through|tell me (?:about|how|what|why|where|who|"
    r"when|which|more|a bit)|help me understand|i'?d (?:love|like) to (?:understand|hear|"
    r"learn|know)|(?:i'?m |i am )?curious (?:how|what|whether|if|about|why|who|where|which)|"
    r"describe|explain|take me through|give me a sense)(?![a-z])",
    re.IGNORECASE,
)
"""A request for an answer worded as a sentence: "Walk me through how the report is built."
asks as much as a question mark does."""


def asks(text: str) -> bool:
    """Whether the text asks the buyer something: a question, or a request to tell."""
    return "?" in text or _REQUEST.search(text) is not None


def _questions_of(text: str) -> str:
    """The text's questions and requests (the whole text if it asks nothing)."""
    pieces = re.findall(r"[^.?!]+[.?!]*", text)
    asking = [p for p in pieces if "?" in p or _REQUEST.search(p)]
    return " ".join(asking) or text


SAME_TURN = 0.8
"""Share of the words two whole turns have in common at which the second says the first
again, however short its question."""


@lru_cache(maxsize=4096)
def _turn_words(text: str) -> frozenset[str]:
    return frozenset(stem(w.removesuffix("'s")) for w in words(normalise(text))) - _SPOKEN_FILLER


@lru_cache(maxsize=4096)
def _question_words(text: str) -> frozenset[str]:
    questions = _questions_of(text)
    return frozenset({stem(w) for w in words(normalise(questions))} - _SPOKEN_FILLER)


@lru_cache(maxsize=4096)
def _question_stems(text: str) -> frozenset[str]:
    """The content words of the text's questions (the whole text if it has none)."""
    return frozenset(content_stems(_questions_of(text)) - _FILLER_STEMS)


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
_RELATED_STEMS = [frozenset(_stems_of(" ".join(group))) for group in GROUPS]
_SPOKEN_FILLER_TEXT = "so sorry just and ok okay again then well right being actually really um"
_SPOKEN_FILLER = frozenset(_SPOKEN_FILLER_TEXT.split())
SAME_WORDS_MIN = 4
"""Words a question needs before its wording alone can make it the same question."""
