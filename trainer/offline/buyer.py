"""The offline buyer: answers what the seller said, in the persona's own lines.

Each reply is composed from the turn: the topic the seller raised (the persona's topics,
guarded until the buyer is open enough), the kind of pressure, a question asked again,
a speech, a wrong name, the facts the turn earned (their reveals always said), and the
buyer's state (impatience at low patience). Nothing the buyer said earlier in the call is
said again: lines are checked against the whole transcript, not a memory of this object,
so a resumed call does not repeat itself either. The seed varies the wording; the same
seed gives the same call.
"""

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from trainer.content.library import ResolvedScenario
from trainer.content.models import Lines, Persona, Topic
from trainer.engine.heard import asks
from trainer.engine.ports import ReplyContext
from trainer.engine.pressure import likeliest_kind
from trainer.offline.vocabulary import names_in

IMPATIENT_BELOW = 30
"""Patience under which the buyer says so before answering a poor turn."""

SHORT_FUSE_BELOW = 15
"""Patience under which the buyer says so before answering anything."""

INTERJECTIONS = (
    "Right.",
    "Okay.",
    "Hm.",
    "Sure.",
    "Well.",
    "Yeah.",
    "Fair enough.",
    "Mm.",
    "Okay, so.",
    "Right, well.",
    "Mm-hm.",
    "Let me see.",
    "Hmm. Okay.",
    "So.",
)
"""Openers any buyer says, once the persona's own acknowledgements are used up."""

ACKNOWLEDGE_CHANCE = 0.9
"""How often a fair question gets a short opener ("Fair question.") before the answer:
besides sounding like a person, it keeps two calls of one script from sounding alike."""

FLAT_OPENERS = ("Hm.", "Well.", "Right.", "Mm.", "Look.", "Okay.", "So.")
"""Openers for a reply that is not glad of the turn (a repeat, a push): never "Fair
question"."""

FLAT_OPENER_CHANCE = 0.5
"""How often such a reply starts with one: a short pool of repeat or pressure lines would
otherwise sound the same, word for word, in every call."""

OWN_WORDS_CHANCE = 0.6
"""How often that opener is one of the persona's own ("Now that's worth asking.") rather
than a plain word: always their own would use them up in the first calls' same order."""

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Composed:
    """A reply and what it is made of: ``kind`` says what it answers (``topic``,
    ``pressure:discount``, ``asked_again``...), ``topic`` the persona topic it speaks to,
    and ``lines`` the authored lines it used (not counting an earlier answer quoted back)."""

    text: str
    kind: str
    topic: str | None = None
    lines: tuple[str, ...] = ()


def built_in_lines(persona: Persona) -> dict[str, list[str]]:
    """Plain lines for the pools a persona may leave empty, so older personas still
    answer a repeat, a speech or a wrong name in words that fit any buyer."""
    first = persona.name.split()[0]
    return {
        "asked_again": [
            "You asked me that already.",
            "Same question as before.",
            "We've been over that one.",
        ],
        "already_answered": ["I told you already.", "Like I said,", "As I said before,"],
        "monologue": [
            "Hold on, that was a lot.",
            "Let me stop you there.",
            "That's a lot to take in at once.",
        ],
        "wrong_name": [
            f"It's {first}, actually.",
            f"You have the wrong name. This is {first}, at {persona.organisation}.",
            f"I'm {first}. Who did you think you were talking to?",
        ],
    }


class Chooser:
    """Chooses lines the buyer has not said in this call, seeded per turn."""

    def __init__(self, said_before: Sequence[str], seed: int, turn: int) -> None:
        self._said = "\n".join(said_before)
        self.random = random.Random(f"{seed}:{turn}")
        self.used: list[str] = []

    def said(self, line: str) -> bool:
        return line in self._said or line in self.used

    def pick(self, *pools: Sequence[str]) -> str | None:
        """A fresh line from the first pool that still has one."""
        for pool in pools:
            fresh = [line for line in pool if not self.said(line)]
            if fresh:
                line = self.random.choice(fresh)
                self.used.append(line)
                return line
        return None


class OfflineBuyer:
    """A buyer played from the persona's lines; deterministic for a given seed."""

    name = "offline"

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self.last: Composed | None = None

    async def opening(self, setup: ResolvedScenario) -> str:
        chooser = Chooser((), self._seed, 0)
        return chooser.pick(setup.persona.lines.opening) or setup.persona.lines.opening[0]

    async def reply(self, context: ReplyContext) -> AsyncIterator[str]:
        self.last = compose(context, self._seed)
        yield self.last.text


def compose(context: ReplyContext, seed: int = 0) -> Composed:
    """The buyer's words for this turn. Every fact it is to share is said word for word,
    whatever else it says; a call that ends says how."""
    return _Composer(context, Chooser(context.said_before, seed, context.turn_index)).compose()


class _Composer:
    def __init__(self, context: ReplyContext, chooser: Chooser) -> None:
        self.context = context
        self.choose = chooser
        self.persona = context.setup.persona
        self.lines: Lines = self.persona.lines
        self.built_in = built_in_lines(self.persona)
        self.parts: list[str] = []
        self.kind = ""
        self.topic: str | None = None

    # ------------------------------------------------------------ helpers

    def say(self, *pools: Sequence[str]) -> bool:
        line = self.choose.pick(*pools)
        if line is None:
            return False
        self.parts.append(line)
        return True

    def pool(self, name: str) -> list[str]:
        own: list[str] = list(getattr(self.lines, name, []) or [])
        return own or self.built_in.get(name, [])

    def done(self) -> Composed:
        text = " ".join(p for p in self.parts if p)
        return Composed(text, self.kind, self.topic, tuple(self.choose.used))

    def acknowledge(self) -> None:
        """A short opener: one of the persona's own not said yet, else a plain word that
        was not the start of the last reply ("Right." may come twice in a call, not in a
        row: a person says it; a line said twice is a recording)."""
        if self.choose.random.random() < OWN_WORDS_CHANCE and self.say(self.lines.acknowledge):
            return
        self.interject()

    def flat_opener(self) -> None:
        """Sometimes a plain word first, when nothing has been said yet this turn."""
        if not self.parts and self.choose.random.random() < FLAT_OPENER_CHANCE:
            self.interject(FLAT_OPENERS)

    def interject(self, words: Sequence[str] = INTERJECTIONS) -> None:
        """One of ``words``, not the one the last reply started with."""
        last = self.context.said_before[-1] if self.context.said_before else ""
        fresh = [word for word in words if not last.startswith(word)]
        if fresh:
            self.parts.append(self.choose.random.choice(fresh))

    def topic_named(self, topic_id: str | None) -> Topic | None:
        return next((t for t in self.persona.topics if t.id == topic_id), None)

    # ------------------------------------------------------------ the reply

    def compose(self) -> Composed:
        c = self.context
        heard, assessment = c.heard, c.assessment
        if c.ending == "buyer":
            self.react_to_poor_turn()
            self.say(self.lines.end_call)
            self.kind = self.kind or "end_call"
            return self.done()
        if c.ending == "agreement":
            # the fact this turn earned is said before agreeing: a fact counts only when said
            self.parts.extend(f.reveal for f in c.new_facts)
            self.say(self.lines.agreement)
            self.kind = "agreement"
            return self.done()
        if heard.repeat is not None and heard.repeat.kind == "asked":
            self.point_back()  # the same words again, whatever the judge made of them
        elif assessment.move == "injection":
            self.say(self.lines.injection, self.lines.other)
            self.kind = "injection"
        elif heard.wrong_name is not None:
            self.say(self.pool("wrong_name"))
            self.kind = "wrong_name"
        elif heard.repeat is not None:
            self.point_back()
        else:
            self.answer()
        if c.new_facts and self.kind not in {"fact", "topic_fact"}:
            self.parts.extend(f.reveal for f in c.new_facts if f.reveal not in self.parts)
        if c.ending == "limit":
            self.say(self.lines.time_up)
        return self.done()

    def react_to_poor_turn(self) -> None:
        """Before hanging up: a word on what the last turn did, if it did something."""
        c = self.context
        if c.assessment.good_use <= 2 and (
            c.heard.pressure is not None or c.assessment.move == "pressure"
        ):
            self.pressure()
        elif c.assessment.relevant_pitch:
            self.say(self.lines.relevant_pitch)
        elif c.assessment.move in {"pitch", "pressure", "injection"}:
            self.say(getattr(self.lines, c.assessment.move))
            self.kind = c.assessment.move

    def point_back(self) -> None:
        """A question asked again: say so, and (if it was answered) what the answer was."""
        repeat = self.context.heard.repeat
        assert repeat is not None
        self.topic = self.context.heard.topic
        self.flat_opener()
        if repeat.kind == "asked":
            self.kind = "asked_again"
            self.say(self.pool("asked_again"), self.built_in["asked_again"])
            return
        self.kind = "already_answered"
        earlier = self.quotable(repeat.answer)
        if not earlier:  # nothing to point back to: a lead-in line would dangle
            whole = [line for line in self.pool("already_answered") if line.endswith((".", "?"))]
            self.say(whole, self.pool("asked_again"), self.built_in["asked_again"])
            return
        self.say(self.pool("already_answered"), self.built_in["already_answered"])
        lead = self.parts[-1] if self.parts else ""
        if lead.endswith(("—", ",", ":")):
            earlier = _continuing(earlier, _names_of(self.persona))
        self.parts.append(earlier)

    def quotable(self, answer: str) -> str:
        """The sentence of an earlier answer that carried it: its topic line or fact."""
        topic = self.topic_named(self.context.heard.topic)
        facts = {f.id: f for f in self.persona.hidden_facts}
        carriers: list[str] = []
        if topic is not None:
            carriers += [*topic.open, *topic.guarded]
            carriers += [facts[f].reveal for f in topic.facts if f in facts]
        for line in carriers:
            if line in answer:
                return _telling(_SENTENCE.split(line))
        return ""  # what it said was not an answer on the subject (an opener, a dodge)

    def pressure(self) -> None:
        """The persona's line for the kind of push; a turn the judge read as pressure that
        the classifier was not sure of gets the line of the likeliest kind."""
        kind = self.context.heard.pressure
        if kind is None and self.context.assessment.move == "pressure":
            kind = likeliest_kind(self.context.seller_text)
        kinds = self.lines.pressure_kinds
        specific: list[str] = list(getattr(kinds, kind)) if kinds is not None and kind else []
        self.flat_opener()
        if specific and self.say(specific):
            self.kind = f"pressure:{kind}"
        else:
            self.say(self.lines.pressure, self.lines.other)
            self.kind = "pressure"

    def answer(self) -> None:
        c = self.context
        assessment, heard, state = c.assessment, c.heard, c.state
        move = assessment.move
        poor = assessment.good_use <= 2 and not assessment.relevant_pitch
        negative = move in {"pitch", "pressure", "other"} and poor
        if state.patience < SHORT_FUSE_BELOW or (state.patience < IMPATIENT_BELOW and negative):
            self.say(self.lines.impatient)
        if heard.monologue:
            self.say(self.pool("monologue"))
        if heard.pressure is not None and (
            _answers_pressure(move, assessment.good_use) or not asks(c.seller_text)
        ):
            self.pressure()  # pressure in a turn that asks nothing is all there is to answer
            return
        if assessment.relevant_pitch:
            self.say(self.lines.relevant_pitch, self.lines.agenda)
            self.kind = "relevant_pitch"  # compose() adds the facts it earned
            return
        topic = self.topic_named(heard.topic)
        # a question on one of the buyer's topics with no push the buyer can name is
        # answered, even when the judge read the turn as pressure or filler ("If you could
        # set it up from scratch, what would it look like?")
        asked_on_topic = topic is not None and heard.pressure is None and asks(c.seller_text)
        if move == "pressure" and not asked_on_topic:
            self.pressure()
            return
        if move == "pitch":
            self.say(self.lines.pitch, self.lines.other)
            self.kind = move
            return
        if topic is not None and (move != "other" or asked_on_topic):
            self.on_topic(topic)
            return
        if c.new_facts:
            if move == "insight":
                self.say(self.lines.insight)
            self.kind = "fact"
            self.parts.extend(f.reveal for f in c.new_facts)
            return
        if c.withheld_topic:
            self.say(self.lines.guarded)
            self.kind = "guarded"
            return
        pool = "recap" if assessment.recap and self.lines.recap else move
        self.say(getattr(self.lines, pool), self.lines.other)
        self.kind = pool

    def on_topic(self, topic: Topic) -> None:
        """Answer the topic the seller raised: the fact it earned, else an open line once
        the buyer is open enough (and ever after: an open answer is not taken back), else
        a guarded one."""
        c = self.context
        self.topic = topic.id
        move = c.assessment.move
        if move == "agenda":
            self.say(self.lines.agenda)
        elif move == "insight" and c.assessment.good_use >= 3:
            self.say(self.lines.insight)
        elif self.choose.random.random() < ACKNOWLEDGE_CHANCE:
            if c.assessment.good_use >= 3:
                self.acknowledge()
            else:  # a lazy question gets a plain word, not "fair question"
                self.interject()
        if any(f.id in topic.facts for f in c.new_facts):
            self.parts.extend(f.reveal for f in c.new_facts)
            self.kind = "topic_fact"
            return
        # a fact of another topic is volunteered after the answer (compose adds it)
        opened = any(self.choose.said(line) for line in topic.open)
        is_open = (c.state.openness >= topic.opens_at or opened) and not c.withheld_topic
        first, second = (topic.open, topic.guarded) if is_open else (topic.guarded, topic.open)
        if not opened and not is_open:
            second = []  # a guarded buyer does not fall back on candour
        if self.say(first, second):
            self.kind = "topic"
        else:  # everything on this topic has been said
            self.say(self.lines.discovery, self.lines.other)
            self.kind = "discovery"
            self.topic = None


def _answers_pressure(move: str, good_use: int) -> bool:
    """Whether the buyer answers the pressure heard rather than the rest of the turn: a
    push, a pitch or filler with pressure in it always; a question or an insight only
    when it was a poor use of their time ("what deadline are you working to?" is a fair
    question, not a deadline)."""
    if move in {"pressure", "pitch", "other"}:
        return True
    return good_use <= 2 if move in {"discovery", "insight"} else good_use <= 3


def _continuing(sentence: str, names: frozenset[str] = frozenset()) -> str:
    """A sentence quoted after "Like I said —": its first word in lower case, unless it is
    "I" or a name of the buyer's world ("Savannah is where..." stays as it is)."""
    first, _, rest = sentence.partition(" ")
    bare = first.strip(",.;:!?'\"").lower()
    if first == "I" or first.startswith("I'") or bare in names or not first[:1].isupper():
        return sentence
    return f"{first[:1].lower()}{first[1:]} {rest}".rstrip()


def _telling(sentences: list[str]) -> str:
    """The first sentence that says something ("Alright." and "Yeah, a lot changed." do
    not)."""
    return next((s for s in sentences if len(s.split()) > 4), "")


@lru_cache(maxsize=64)
def _names_of_text(text: str) -> frozenset[str]:
    return frozenset(names_in([text]))


def _names_of(persona: Persona) -> frozenset[str]:
    """The names in the persona's own words (sites, people, systems), in lower case."""
    lines = [persona.name, persona.organisation, persona.background]
    lines += [line for topic in persona.topics for line in (*topic.open, *topic.guarded)]
    lines += [fact.reveal for fact in persona.hidden_facts]
    return _names_of_text("\n".join(lines))
