"""Reading a seller turn in its context: the signals a person would weigh, and the
features the learned judge scores.

Two kinds of thing are read. **Signals** are what the turn does relative to this buyer
and this call: does it name the product (not counting the seller's introduction), use
the public research or the buyer's world, echo what the buyer disclosed, ask again what
was already asked or answered, follow up on the buyer's last reply, address someone who
is not this buyer? They are plain numbers with names, so a verdict can be explained in
them. **Features** are what the model weighs: the signals (binned, and crossed where a
signal means one thing in a question and another in a statement), a few general cue
groups, and the turn's words with the scenario's own names replaced by placeholders
(``zprod``, ``zbuyer``...), so that what is learned about "DockWise" carries over to a
product the judge has never seen.

Everything here is deterministic and pure Python: the same turn in the same context
always gives the same features.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from trainer.engine.ports import AssessContext
from trainer.offline import lexicon as cue
from trainer.offline.background import Background
from trainer.offline.manipulation import Catch, catch, looks_foreign, sprung
from trainer.offline.vocabulary import (
    STOPWORDS,
    ScenarioVocabulary,
    content_stems,
    vocabulary_for,
)
from trainer.text import normalise

_CLAUSE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+|;\s+|\s[-–—]+\s|(?<=\?)(?=\S)")
_REPEATED_INTRO = re.compile(r"(?:\s*zintro\s*[,]?){2,}")
_TOKEN = re.compile(r"\w+(?:'\w+)?|[?!$%]")
_MONEY = re.compile(
    r"\$\s?\d[\d,.]*\s?(?:k|m|bn|million|thousand|billion)?\b|\d[\d,.]*\s?(?:k|m)\b"
)
_PERCENT = re.compile(r"\d[\d,.]*\s?(?:%|percent\b)")
_NUMBER = re.compile(r"\d[\d,.:]*")
_REFERS_BACK = re.compile(
    r"(?<![a-z])(?:you (?:said|mentioned|told me|described|brought up|raised|flagged|noted)|"
    r"(?:as|like) you (?:said|put it|mentioned)|earlier you|you'?d said|from what you said|"
    r"when you said|what you said|you'?ve said|going back to (?:what|your)|on your point)"
)
_ASKS_PRODUCT = re.compile(
    r"(?<![a-z])(?:your|yours|you guys|you folks|the (?:product|thing|app|system|software|tool|"
    r"platform|pilot|contract|proposal|price|deal)|it cost|pricing|price|cost|how long|how much|"
    r"how fast|how quickly|how soon|ballpark|do i|do my|does my|can my|would my|will my|do we|"
    r"does it|is it|can it|will it|would it|does that|is that|what would (?:it|that|this)|"
    r"how would (?:it|that|this)|what'?s your|what is your|what are you selling|what do you sell|"
    r"what it costs|show me|what happens (?:to|when|if)|how does (?:it|that|this)|"
    r"do you (?:need|have|support|integrate|offer|work|do|handle)|how'?s it|who owns|"
    r"where does|(?:do|does|will|would) (?:\w+ )?(?:have to|need to))(?![a-z])"
)
"""A buyer's question about what the seller offers: its price, how it works, what it asks
of them. Annoyed questions ("what has that got to do with my docks?") are not."""
_PRODUCT_ASKED_IN = re.compile(
    r"[^.?!]*\?|(?:^|(?<=[.!?] ))(?:what it costs|ask me after|show me|tell me)[^.?!]*"
)
_GREETING = re.compile(
    r"^\s*(?i:hi|hello|hey|dear|morning|good (?:morning|afternoon|evening))[ ,]+"
    r"(?:(?:Mr|Mrs|Ms|Dr|Prof)\.? )?([A-Z][a-z]+)"
)
_VOCATIVE = re.compile(r"(?:^|[.!?]\s+)([A-Z][a-z]+),\s")
_QUESTION_WORD = re.compile(
    r"(?<![a-z'])(?:what|how|who|which|when|where|why|do you|does|did you|are you|is there|"
    r"have you|can you|could you|would you)(?![a-z'])"
)
_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{2,}(?:[A-Z][a-z]+)?)\b")

CUES: dict[str, re.Pattern[str]] = {
    "pressure": cue.PRESSURE,
    "self_talk": cue.SELF_TALK,
    "leading": cue.LEADING,
    "leading_strong": cue.LEADING_STRONG,
    "generic": cue.GENERIC_QUALIFICATION,
    "impact": cue.IMPACT,
    "insight": cue.INSIGHT,
    "number": cue.NUMBER,
    "permission": cue.AGENDA_PERMISSION,
    "summary": cue.AGENDA_SUMMARY,
    "next_step": cue.AGENDA_NEXT_STEP,
    "courtesy": cue.COURTESY,
    "flattery": cue.FLATTERY,
    "small_talk": cue.SMALL_TALK,
    "meeting": cue.PREMATURE_NEXT_STEP,
    "negated_pressure": cue.NEGATED_PRESSURE,
    "commonplace": cue.COMMONPLACE,
    "pitch_question": cue.PITCH_QUESTION,
    "assumptive": cue.ASSUMPTIVE,
    "machinery": cue.MACHINERY,
}
"""General cue groups, read as features (the model decides what each is worth)."""


@dataclass(frozen=True)
class Clause:
    """A sentence or clause of the turn: where it is in the text as typed, and its tokens
    (placeholders for the scenario's names, numbers and money)."""

    start: int
    end: int
    tokens: tuple[str, ...]

    @property
    def asks(self) -> bool:
        return bool(self.tokens) and self.tokens[-1] == "?"


@dataclass(frozen=True)
class Signals:
    """What the turn does relative to this buyer and this call, as named numbers."""

    words: int
    limit: int
    questions: int
    product: int
    product_in_question: int
    introduction: bool
    research: tuple[str, ...]
    world: tuple[str, ...]
    described: int
    disclosed: int
    echoes: tuple[str, ...]
    hidden_topics: tuple[str, ...]
    told_topics: tuple[str, ...]
    """Facts the buyer already disclosed whose topic the turn touches again."""
    repeat: float
    answered: float
    follows_up: int
    novel: int
    question_words: int
    refers_back: bool
    buyer_asked: bool
    buyer_asked_product: bool
    asked_first: bool
    turn_index: int
    history: int
    wrong_name: str | None
    strange_names: tuple[str, ...]
    foreign_names: tuple[str, ...]
    foreign_terms: tuple[str, ...]
    off_world: tuple[str, ...]
    own_share: float
    foreign_language: bool
    manipulation: Catch | None
    after_manipulation: bool
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def cue(self, name: str) -> bool:
        return bool(self.cues.get(name))


@dataclass(frozen=True)
class Reading:
    """A seller turn read in its context."""

    text: str
    clauses: tuple[Clause, ...]
    signals: Signals
    features: dict[str, float]


def clauses_of(text: str, vocabulary: ScenarioVocabulary) -> list[Clause]:
    """The turn's clauses with their placeholder tokens."""
    found = []
    position = 0
    for piece in _CLAUSE_BREAK.split(text):
        if not piece:
            continue
        start = text.find(piece, position)
        position = start + len(piece)
        tokens = tokens_of(piece, vocabulary)
        if tokens:
            found.append(Clause(start, position, tuple(tokens)))
    return found


def tokens_of(text: str, vocabulary: ScenarioVocabulary) -> list[str]:
    """Normalised tokens with the scenario's names, the seller's introduction, numbers
    and money replaced by placeholders."""
    norm = normalise(text)
    norm = _REPEATED_INTRO.sub(" zintro ", vocabulary.introduction.sub(" zintro ", norm))
    if vocabulary.product is not None:
        norm = vocabulary.product.sub(" zprod ", norm)
    norm = _MONEY.sub(" zmoney ", norm)
    norm = _PERCENT.sub(" zpct ", norm)
    norm = _NUMBER.sub(" znum ", norm)
    tokens = []
    for token in _TOKEN.findall(norm):
        if token in vocabulary.buyer_names:
            token = "zbuyer"
        elif token in vocabulary.organisation:
            token = "zorg"
        tokens.append(token)
    return tokens


def read(context: AssessContext, background: Background | None = None) -> Reading:
    """The turn in ``context``: clauses, signals and features."""
    known_world = background or Background()
    vocabulary = vocabulary_for(context.setup)
    text = context.seller_text
    clauses = clauses_of(text, vocabulary)
    signals = _signals(context, vocabulary, clauses, known_world)
    return Reading(text, tuple(clauses), signals, _features(signals, clauses, context))


def _signals(
    context: AssessContext,
    vocabulary: ScenarioVocabulary,
    clauses: list[Clause],
    background: Background,
) -> Signals:
    common = background.common
    text = context.seller_text
    norm = normalise(text)
    tokens = [t for clause in clauses for t in clause.tokens]
    word_count = sum(1 for t in tokens if t not in {"?", "!", "$", "%"})
    stems = content_stems(text)
    questions = [c for c in clauses if c.asks]
    question_text = " ".join(text[c.start : c.end] for c in questions)
    question_stems = content_stems(question_text) if questions else set()
    state = context.state
    disclosed_stems: set[str] = set()
    for fact_id in state.disclosed:
        disclosed_stems |= vocabulary.facts.get(fact_id, frozenset())
    touched = [
        fact_id
        for fact_id, pattern in vocabulary.fact_topics.items()
        if pattern is not None and pattern.search(norm)
    ]
    hidden = tuple(f for f in touched if f not in state.disclosed)
    told = tuple(f for f in touched if f in state.disclosed)
    history = list(context.history)
    earlier = tuple(e.seller for e in history)
    repeat = 0.0
    replies: set[str] = set()
    context_stems: set[str] = set()
    last_reply_stems: set[str] = set()
    for exchange in history:
        theirs = content_stems(exchange.seller)
        if stems and theirs:
            repeat = max(repeat, len(stems & theirs) / len(stems | theirs))
        context_stems |= theirs
        last_reply_stems = content_stems(exchange.buyer)
        replies |= last_reply_stems
    asked_about = question_stems or stems
    known = replies | disclosed_stems
    answered = len(asked_about & known) / len(asked_about) if asked_about else 0.0
    novel = len(asked_about - known - vocabulary.own)
    question_words = sum(
        len(_QUESTION_WORD.findall(normalise(text[c.start : c.end]))) for c in questions
    )
    last_reply = history[-1].buyer if history else ""
    follows = len(stems & last_reply_stems)
    product_hits = tokens.count("zprod")
    product_in_question = sum(c.tokens.count("zprod") for c in questions)
    wrong_name, strange = _names(text, vocabulary, background)
    foreign = tuple(n for n in strange if n in background.names)
    foreign_terms = tuple(
        sorted((stems & background.terms) - vocabulary.own - known - context_stems - set(strange))
    )
    off_world = tuple(sorted(stems - vocabulary.own - common)) if common else ()
    talked_about = stems - common if common else stems
    own_share = (
        len(talked_about & (vocabulary.own | known | context_stems)) / len(talked_about)
        if talked_about
        else -1.0
    )
    cues = {
        name: tuple(m.group(0) for m in pattern.finditer(norm)) for name, pattern in CUES.items()
    }
    return Signals(
        words=word_count,
        limit=context.setup.persona.sensitivity.words,
        questions=len(questions),
        product=product_hits,
        product_in_question=product_in_question,
        introduction="zintro" in tokens,
        research=tuple(sorted(stems & vocabulary.research)),
        world=tuple(sorted(stems & vocabulary.world)),
        described=len(stems & vocabulary.described),
        disclosed=len(state.disclosed),
        echoes=tuple(sorted(stems & disclosed_stems)),
        hidden_topics=hidden,
        told_topics=told,
        repeat=repeat,
        answered=answered,
        follows_up=follows,
        novel=novel,
        question_words=question_words,
        refers_back=_REFERS_BACK.search(norm) is not None,
        buyer_asked="?" in last_reply,
        buyer_asked_product=any(
            _ASKS_PRODUCT.search(question)
            for question in _PRODUCT_ASKED_IN.findall(normalise(last_reply))
        ),
        asked_first=context.setup.scenario.buyer_asked_for_product and context.turn_index <= 2,
        turn_index=context.turn_index,
        history=len(history),
        wrong_name=wrong_name,
        strange_names=strange,
        foreign_names=foreign,
        foreign_terms=foreign_terms,
        off_world=off_world,
        own_share=own_share,
        foreign_language=looks_foreign(norm),
        manipulation=catch(text) or sprung(text, earlier),
        after_manipulation=any(catch(e) is not None for e in earlier),
        cues={k: v for k, v in cues.items() if v},
    )


def _names(
    text: str, vocabulary: ScenarioVocabulary, background: Background
) -> tuple[str | None, tuple[str, ...]]:
    """A greeting to someone who is not this buyer ("Hi Sarah," to Dana), and the
    capitalised names the scenario does not know (other people, other companies). A word
    sellers also write in lower case ("Generally,") is not a name."""
    known = vocabulary.known_names

    def unknown(name: str) -> bool:
        return not (
            name in known or name in background.words or name in STOPWORDS or name in _NOT_NAMES
        )

    wrong = None
    for match in _GREETING.finditer(text):
        if unknown(match.group(1).lower()):
            wrong = match.group(1)
    for match in _VOCATIVE.finditer(text):
        name = match.group(1).lower()
        if wrong is None and name not in known and name in background.names:
            wrong = match.group(1)
    introduced = {m.group(0) for m in vocabulary.introduction.finditer(normalise(text))}
    strange = []
    for match in _CAPITAL.finditer(text):
        name = match.group(1).lower()
        if unknown(name) and not any(name in intro for intro in introduced):
            strange.append(name)
    return wrong, tuple(dict.fromkeys(strange))


_NOT_NAMES_TEXT = """
    monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december ok okay sure thanks
    thank sorry well look listen honestly quick great perfect right so and but also
    because just totally absolutely understood appreciate fair good got yes yeah no
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


def ngrams(tokens: Sequence[str], words: str = "w:", pairs: str = "b:") -> list[str]:
    """The feature names of a clause's words and of its word pairs, the first pair
    marking how the clause starts ("b:^ what")."""
    marked = ("^", *tokens)
    return [words + t for t in tokens] + [f"{pairs}{a} {b}" for a, b in pairwise(marked)]


def _bin(value: float, edges: Iterable[float]) -> int:
    """The index of the first edge ``value`` is below; len(edges) when above them all."""
    index = 0
    for edge in edges:
        if value < edge:
            return index
        index += 1
    return index


def _features(signals: Signals, clauses: list[Clause], context: AssessContext) -> dict[str, float]:
    f: dict[str, float] = {}
    if context.history:
        # what the buyer just said, as the seller heard it: "what does it cost?" asks for a
        # straight answer; "what has that got to do with my docks?" does not
        reply = tokens_of(context.history[-1].buyer, vocabulary_for(context.setup))
        f.update(dict.fromkeys(ngrams(reply, "r:", "rb:"), 1.0))
    for clause in clauses:
        f.update(dict.fromkeys(ngrams(clause.tokens), 1.0))
    s = signals
    asks = s.questions > 0
    kind = "q" if asks else "s"
    over = 2 if s.words > 2 * s.limit else 1 if s.words > s.limit else 0
    facts = {
        "len": _bin(s.words, (4, 9, 16, 28, 45, 70, 110)),
        "over": over,
        "questions": min(s.questions, 3),
        "product": min(s.product, 3),
        "product_q": min(s.product_in_question, 2),
        "intro": int(s.introduction),
        "research": min(len(s.research), 2),
        "world": min(len(s.world), 3),
        "described": min(s.described, 2),
        "disclosed": min(s.disclosed, 2),
        "echoes": min(len(s.echoes), 3),
        "hidden": min(len(s.hidden_topics), 2),
        "told": min(len(s.told_topics), 2),
        "repeat": _bin(s.repeat, (0.3, 0.5, 0.7)),
        "answered": _bin(s.answered, (0.25, 0.5, 0.75)) if s.history or s.disclosed else -1,
        "follows": min(s.follows_up, 3) if s.history else -1,
        "novel": min(s.novel, 3),
        "qwords": min(s.question_words, 5),
        "refers": int(s.refers_back),
        "buyer_asked": int(s.buyer_asked),
        "asked_product": int(s.buyer_asked_product),
        "turn": _bin(s.turn_index, (2, 4, 8)),
        "history": min(s.history, 3),
        "wrong_name": int(s.wrong_name is not None),
        "strange": min(len(s.strange_names), 2),
        "foreign": min(len(s.foreign_names), 2),
        "foreign_terms": min(len(s.foreign_terms), 3),
        "off_world": min(len(s.off_world), 3),
        "own_share": _bin(s.own_share, (0.0, 0.2, 0.4, 0.6, 0.8)),
        "other_language": int(s.foreign_language),
        "floor": int(s.manipulation is not None),
        "after_floor": int(s.after_manipulation),
        "setting": context.setup.scenario.setting,
        "asked_for_product": int(context.setup.scenario.buyer_asked_for_product),
    }
    for name, value in facts.items():
        f[f"s:{name}={value}"] = 1.0
        f[f"x:{kind}:{name}={value}"] = 1.0
    for name in CUES:
        hits = len(s.cues.get(name, ()))
        f[f"c:{name}={min(hits, 2)}"] = 1.0
    product_talk = "p" if s.product or s.cue("self_talk") else "n"
    f[f"x:{product_talk}:echoes={min(len(s.echoes), 2)}"] = 1.0
    f[f"x:{product_talk}:asked={int(s.buyer_asked_product)}"] = 1.0
    f[f"x:{product_talk}:disclosed={min(s.disclosed, 2)}"] = 1.0
    f[f"x:{product_talk}:{kind}"] = 1.0
    if s.history or s.disclosed:
        f[f"x:{kind}:answered={facts['answered']}:novel={min(s.novel, 2)}"] = 1.0
        f[f"x:{kind}:told={min(len(s.told_topics), 1)}:refers={int(s.refers_back)}"] = 1.0
        f[f"x:{kind}:told={min(len(s.told_topics), 1)}:novel={min(s.novel, 2)}"] = 1.0
    if s.cue("summary"):
        f[f"x:summary:follows={min(s.follows_up, 3) if s.history else -1}"] = 1.0
        f[f"x:summary:echoes={min(len(s.echoes), 2)}"] = 1.0
    if s.cue("next_step") or s.cue("meeting"):
        f[f"x:next:disclosed={min(s.disclosed, 2)}"] = 1.0
        f[f"x:next:turn={facts['turn']}"] = 1.0
    f["bias"] = 1.0
    return f
