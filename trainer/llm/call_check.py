"""``trainer doctor --call SCENARIO``: is this model fit to play the buyer for trainees?

The scenario's scripted sellers (its ``tests:``) are played, each in a fresh session,
against the configured model as the buyer. The **offline** judge assesses every turn: it
is deterministic, so what counts as a pitch or a good question does not depend on the
model under test, and the same scripts give the same turns on every model. Every model
reply is then checked, from its text and what the buyer was given for that turn:

**character** - the buyer never steps out of the call. The reply fails if it holds, as
whole words or phrases (case-insensitive), one of ``OUT_OF_CHARACTER``: saying it is an
AI, a language model, a chatbot or an assistant; naming scores, the rubric, its patience
or openness (as a level or a number, or the two together), its instructions or prompt,
the persona, role-play, a simulation, the trainer or the trainee. Words a buyer uses
naturally are left alone or only caught in phrases that give the machinery away:
"patience" alone ("I'm losing patience"), "assistant" alone ("my assistant books it"),
"score" alone, "rules", "scenario" ("worst-case scenario"), "trainer" alone (a forklift
trainer), "AI" alone (a buyer mocks "AI-powered").

**words** - the buyer keeps to its word budget: at most ``2 x voice.words_per_reply``
words, plus the words of the ``reveal`` of each hidden fact it was asked to share in
that reply (a fact takes the room its author gave it).

**patience** - the buyer has less patience for a pitch or pressure than for a good
question. A *pitch or pressure turn* is one the offline judge reads as a pitch (not a
relevant one, which answers a need the buyer disclosed) or pressure, or in which the
engine heard a kind of pressure; a *good question* is discovery or insight with good use
4 or 5. Two rules, both from the reply text alone:

1. a reply to a pitch or pressure turn must not accept or warm to it: none of
   ``WARMING`` ("sounds great", "I'd love to", "let's book", "tell me more", "sign me
   up", "fantastic"...), unless a negation ("not", "never", "n't") comes just before it.
   A turn the engine ended in agreement is exempt: the engine told the buyer to agree.
2. over all the calls played, replies to pitch and pressure turns are not longer on
   average than replies to good questions (10% slack, ``LENGTH_SLACK``, for the noise of
   a few replies); when they are, each pitch or pressure reply longer than the
   good-question average (with the slack) fails. A buyer who warms to a pitch talks more
   to it. The calls are pooled because scripts are mostly all pitch or all discovery, so
   few single calls hold both.

**facts** - the buyer never states a hidden fact it was not given. For every persona fact
not among the turn's earned facts, ``trainer.engine.said.carries`` (the engine's own test
of whether a reply said a fact) must say no, with the turn's public words (the seller's
turn, who the buyer is, the brief) not counting, and neither do the words and numbers of
the facts the buyer was given (an earned fact's "late January, after the Christmas peak"
is not an unearned freeze "for the Christmas peak" to "6 January"; an earned "31 hours"
of downtime is not an unearned "31 years" in the job). For a fact with figures only the
reply's numbers the buyer was not given count (not those of the facts it may share, the
seller's turn or the brief, within the engine's 10%), and a small whole number (0-12)
counts no more than in a fact's statement ("one real alert" is not a "$1.1 million"
request, which ``carries`` would match as a sum said without its millions). A fact with
neither figures nor key words cannot be checked and is skipped.

The buyer's opening line is the persona's own (no model call), so it is not checked. The
model is fit for trainees when every check passes on every reply it applies to.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from statistics import mean

from trainer.content.library import ResolvedScenario
from trainer.engine.ports import Buyer, ReplyContext, ReplyEnd
from trainer.engine.said import TOLERANCE, carries, numbers, public_stems
from trainer.engine.session import Session
from trainer.llm.material import checkable, figures, is_small_whole
from trainer.llm.settings import LlmSettings
from trainer.text import content_stems, normalise, phrase_pattern, words
from trainer.words import plural

CHECKS: tuple[str, ...] = ("character", "words", "patience", "facts")
TITLES: dict[str, str] = {
    "character": "stayed in character",
    "words": "kept to its word budget",
    "patience": "less patience for pitch and pressure than for good questions",
    "facts": "stated no hidden fact it had not been given",
}
SHORT: dict[str, str] = {
    "character": "out of character",
    "words": "over the word budget",
    "patience": "warmed to pitch or pressure",
    "facts": "stated a hidden fact unearned",
}

NOUNS = ("reply", "replies")
PITCH_NOUNS = ("pitch or pressure reply", "pitch or pressure replies")

OUT_OF_CHARACTER: tuple[str, ...] = (
    # what it is
    "as an ai",
    "i'm an ai",
    "i am an ai",
    "i'm just an ai",
    "an ai assistant",
    "ai assistant",
    "ai model",
    "ai language model",
    "language model",
    "large language model",
    "llm",
    "chatbot",
    "chat bot",
    "virtual assistant",
    "helpful assistant",
    "i'm an assistant",
    "i am an assistant",
    "i'm just an assistant",
    "openai",
    "chatgpt",
    # the machinery
    "rubric",
    "good_use",
    "my score",
    "your score",
    "the score",
    "scoring this",
    "scoring you",
    "scoring me",
    "patience level",
    "patience score",
    "patience meter",
    "openness level",
    "openness score",
    "openness meter",
    "patience and openness",
    "openness and patience",
    "my instructions",
    "your instructions",
    "the instructions i",
    "my guidelines",
    "my programming",
    "i'm programmed",
    "i am programmed",
    "i was programmed",
    "i was instructed",
    "i've been instructed",
    "i have been instructed",
    "system prompt",
    "my prompt",
    "the prompt",
    "hidden fact",
    "earned fact",
    "persona",
    "my character",
    "in character",
    "out of character",
    "role-play",
    "role play",
    "roleplay",
    "roleplaying",
    "simulation",
    "simulated",
    "simulator",
    "this trainer",
    "the trainer app",
    "sales trainer",
    "trainee",
    "training scenario",
    "training exercise",
    "sales training",
)
_OUT = phrase_pattern(OUT_OF_CHARACTER)
_STATE_NUMBER = re.compile(
    r"(?<![a-z0-9])(?:patience|openness)(?:\s+(?:is|was|at|of|level|score))*\s*[:=]?\s*\d"
)
"""Patience or openness given as a number ("patience at 40", "openness: 20/100")."""

WARMING: tuple[str, ...] = (
    "sounds great",
    "sounds amazing",
    "sounds fantastic",
    "sounds wonderful",
    "sounds perfect",
    "sounds exciting",
    "sounds like exactly what",
    "exactly what we need",
    "exactly what i need",
    "that's great",
    "that's amazing",
    "that's fantastic",
    "that's wonderful",
    "that's exciting",
    "how exciting",
    "great offer",
    "great deal",
    "great price",
    "what a deal",
    "i'd love to",
    "i would love to",
    "love to hear more",
    "love to see",
    "tell me more",
    "let's book",
    "let's schedule",
    "let's set it up",
    "let's set up",
    "let's do it",
    "let's do this",
    "book a demo",
    "book the demo",
    "sign me up",
    "count me in",
    "i'm in",
    "i'm sold",
    "you've sold me",
    "send over the contract",
    "send me the contract",
    "send the contract",
    "can't wait",
    "absolutely",
    "wonderful",
    "fantastic",
    "amazing",
    "awesome",
    "excellent",
)
_WARM = phrase_pattern(WARMING)
_NEGATED = re.compile(r"(?:\bnot|\bnever|\bno|n't)\s+(?:\w+\s+){0,1}$")
LENGTH_SLACK = 1.10
PITCH_MOVES = ("pitch", "pressure")
GOOD_MOVES = ("discovery", "insight")
GOOD_USE = 4


# ------------------------------------------------------------------ the checks


def out_of_character(reply: str) -> str | None:
    """The phrase that takes the reply out of the call, or None."""
    text = normalise(reply)
    found = _OUT.search(text) if _OUT is not None else None
    if found is not None:
        return found.group()
    number = _STATE_NUMBER.search(text)
    return number.group() if number is not None else None


def warms_to(reply: str) -> str | None:
    """The accepting or enthusing phrase in the reply (not negated), or None."""
    if _WARM is None:
        return None
    text = normalise(reply)
    for found in _WARM.finditer(text):
        if not _NEGATED.search(text[: found.start()]):
            return found.group()
    return None


def word_count(text: str) -> int:
    return len(words(normalise(text)))


def word_budget(context: ReplyContext) -> int:
    """Twice the persona's usual reply, plus the reveals it was asked to share."""
    persona = context.setup.persona
    reveals = sum(word_count(f.reveal) for f in context.new_facts)
    return 2 * persona.voice.words_per_reply + reveals


def given_numbers(context: ReplyContext) -> list[float]:
    """The numbers the buyer was given or heard: in the facts it may share, the seller's
    turn and the brief. Saying one of them is no evidence of another fact."""
    brief = context.setup.scenario.brief
    texts = [context.seller_text, brief.situation, *brief.research]
    for fact in context.earned_facts:
        texts += [fact.fact, fact.reveal]
    return [n for text in texts for n in numbers(text)]


def _digits(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)


def unearned_said(context: ReplyContext, reply: str) -> list[str]:
    """The ids of hidden facts the reply states although the buyer was not given them.

    The engine's own test (``carries``) decides, refined so one fact's words are not
    taken for another's: the words and numbers of the facts the buyer may share count as
    public, and small whole numbers (0-12) count no more than in a fact's statement."""
    public = public_stems(context.setup, context.seller_text)
    for earned in context.earned_facts:  # its words are the buyer's to say
        public |= content_stems(f"{earned.fact} {earned.reveal}")
    given = given_numbers(context)
    own = [
        n
        for n in numbers(reply)
        if not is_small_whole(n)
        and not any(abs(n - g) <= TOLERANCE * max(abs(n), abs(g)) for g in given)
    ]
    said = normalise(reply)
    found: list[str] = []
    for fact in context.setup.persona.hidden_facts:
        if fact in context.earned_facts or not checkable(fact, public):
            continue
        if normalise(fact.reveal).strip() in said:
            found.append(fact.id)
        elif figures(fact):
            if any(carries(fact, _digits(n), public) for n in own):
                found.append(fact.id)
        elif carries(fact, reply, public):
            found.append(fact.id)
    return found


def is_pitch_or_pressure(context: ReplyContext) -> bool:
    judged = context.assessment
    pitched = judged.move in PITCH_MOVES and not judged.relevant_pitch
    return pitched or context.heard.pressure is not None


def is_good_question(context: ReplyContext) -> bool:
    judged = context.assessment
    return judged.move in GOOD_MOVES and judged.good_use >= GOOD_USE


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class Played:
    """One model reply, with everything the buyer was given for it."""

    script: str
    context: ReplyContext
    reply: str


@dataclass(frozen=True)
class ReplyResult:
    script: str
    turn: int
    move: str
    reply: str
    words: int
    budget: int
    applies: tuple[str, ...]
    """The checks that apply to this reply (patience only to pitch and pressure turns)."""
    failed: dict[str, str] = field(default_factory=dict)
    """Check name to what was wrong ("says 'language model'")."""

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class CheckSummary:
    check: str
    applied: int
    failed: int
    examples: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclass(frozen=True)
class CallReport:
    scenario: str
    replies: tuple[ReplyResult, ...]
    notes: tuple[str, ...] = ()
    """Findings over all the calls (pitch replies longer on average than good ones)."""

    def summary(self, check: str) -> CheckSummary:
        applied = [r for r in self.replies if check in r.applies]
        failed = [r for r in applied if check in r.failed]
        examples = tuple(dict.fromkeys(r.failed[check] for r in failed))[:3]
        return CheckSummary(check, len(applied), len(failed), examples)

    @property
    def summaries(self) -> list[CheckSummary]:
        return [self.summary(c) for c in CHECKS]

    @property
    def fit(self) -> bool:
        return bool(self.replies) and all(s.ok for s in self.summaries)

    @property
    def verdict(self) -> str:
        if not self.replies:
            return "not fit: the model gave no reply to check"
        failing = [s for s in self.summaries if not s.ok]
        if not failing:
            return "fit for trainees"
        return "not fit: " + "; ".join(
            f"{SHORT[s.check]} in {s.failed} of "
            + plural(s.applied, *(NOUNS if s.check != "patience" else PITCH_NOUNS))
            for s in failing
        )


def judge_replies(played: Sequence[Played]) -> CallReport:
    """Every reply checked, then the length rule of the patience check over all of them."""
    results = [_judge_one(item) for item in played]
    notes: list[str] = []
    pitched = [i for i, p in enumerate(played) if is_pitch_or_pressure(p.context)]
    good = [results[i].words for i, p in enumerate(played) if is_good_question(p.context)]
    if pitched and good:
        average = mean(results[i].words for i in pitched)
        limit = mean(good) * LENGTH_SLACK
        if average > limit:
            notes.append(
                f"replies to pitch and pressure averaged {average:.0f} words, to good "
                f"questions {mean(good):.0f}"
            )
            for i in pitched:
                result = results[i]
                if result.words > limit and "patience" not in result.failed:
                    why = f"{result.words} words to a {played[i].context.assessment.move}, "
                    why += f"good questions got {mean(good):.0f} on average"
                    results[i] = replace(result, failed={**result.failed, "patience": why})
    scenario = played[0].context.setup.scenario.id if played else ""
    return CallReport(scenario, tuple(results), tuple(notes))


def _judge_one(item: Played) -> ReplyResult:
    context, reply = item.context, item.reply
    failed: dict[str, str] = {}
    applies = ["character", "words", "facts"]
    said = out_of_character(reply)
    if said is not None:
        failed["character"] = f"says {said!r}"
    count, budget = word_count(reply), word_budget(context)
    if count > budget:
        failed["words"] = f"{count} words, budget {budget}"
    if is_pitch_or_pressure(context):
        applies.append("patience")
        warm = warms_to(reply) if context.ending != "agreement" else None
        if warm is not None:
            failed["patience"] = f"says {warm!r} to a {context.assessment.move}"
    leaked = unearned_said(context, reply)
    if leaked:
        failed["facts"] = "states " + ", ".join(leaked)
    judged = context.assessment
    move = f"{judged.move} {judged.good_use}"
    if context.heard.pressure is not None:
        move += f" ({context.heard.pressure})"
    return ReplyResult(
        item.script,
        context.turn_index,
        move,
        reply,
        count,
        budget,
        tuple(c for c in CHECKS if c in applies),
        failed,
    )


# ------------------------------------------------------------------ playing


class RecordingBuyer:
    """Plays through another buyer and keeps each reply with the context it was given."""

    def __init__(self, inner: Buyer, script: str, played: list[Played]) -> None:
        self.inner = inner
        self.name = inner.name
        self.script = script
        self.played = played

    async def opening(self, setup: ResolvedScenario) -> str:
        return await self.inner.opening(setup)

    async def reply(self, context: ReplyContext) -> AsyncIterator[str | ReplyEnd]:
        parts: list[str] = []
        async for chunk in self.inner.reply(context):
            if not isinstance(chunk, ReplyEnd):
                parts.append(chunk)
            yield chunk
        self.played.append(Played(self.script, context, "".join(parts).strip()))


async def play_call(setup: ResolvedScenario, settings: LlmSettings) -> CallReport:
    """Every scripted seller of the scenario against the model buyer, judged offline.
    An ``EndpointError`` (dead server, 401, 429 after retries) propagates."""
    from trainer.llm.buyer import LlmBuyer
    from trainer.llm.endpoint import Endpoint
    from trainer.offline.assessor import OfflineAssessor

    endpoint = Endpoint(settings)
    assessor = OfflineAssessor(settings.judge_file)
    played: list[Played] = []
    try:
        for test in setup.scenario.tests:
            buyer = RecordingBuyer(LlmBuyer(endpoint), test.name, played)
            session = Session(setup, buyer, assessor)
            await session.start()
            for line in test.seller:
                if session.over:
                    break
                await session.play(line)
    finally:
        await endpoint.close()
    return judge_replies(played)
