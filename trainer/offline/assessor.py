"""The offline assessor: a deterministic judge of seller turns, with no model.

It reads the turn for the cues of each move (lexicon.py) and for what only this
scenario can supply: the product's vocabulary (product talk), the buyer's world and the
public research (relevance and preparation), and what the buyer has disclosed (product
talk that answers a disclosed need is not a premature pitch). From these it gives the
move, the good-use verdict, a score per rubric criterion, the evidence and one tip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainer.content.library import ResolvedScenario
from trainer.content.models import Criterion, Move, Persona, Scenario
from trainer.engine.assessment import Assessment
from trainer.engine.ports import AssessContext
from trainer.offline import lexicon as cue
from trainer.offline.tips import tip_for
from trainer.text import normalise, phrase_pattern, words

_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if in into
    is it its itself just me more most my no nor not now of off on once only or other
    our ours out over own same she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yourself one two
    three four five six new get got make made last next first year years month months
    week weeks day days time times way ways thing things lot much many every per across
    around still even well back like want need said says say know think company
    companies customer customers business team teams people work working help inc llc
    plc ltd group
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_GENERIC_WORLD = frozenset({"cost", "costs", "money", "value", "good", "better", "best", "use"})


ExtraPatterns = dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]
"""Per extra criterion: the phrases that raise its score and those that lower it."""


@dataclass(frozen=True)
class ScenarioCues:
    """Patterns built once per scenario: product talk, the buyer's world, the research."""

    product: re.Pattern[str] | None
    brand: re.Pattern[str] | None
    introduction: re.Pattern[str] | None
    described: frozenset[str]
    world: frozenset[str]
    research: frozenset[str]
    facts: dict[str, re.Pattern[str] | None]
    fact_words: dict[str, frozenset[str]]
    extra: ExtraPatterns


def _content_words(lines: list[str]) -> set[str]:
    found: set[str] = set()
    for line in lines:
        for word in words(normalise(line)):
            if len(word) >= 4 and word not in _STOPWORDS and not word.isdigit():
                found.add(_stem(word))
    return found


def _stem(word: str) -> str:
    return word.rstrip("s") if len(word) > 4 else word


_CUES: dict[int, tuple[ResolvedScenario, ScenarioCues]] = {}


def scenario_cues(setup: ResolvedScenario) -> ScenarioCues:
    """The scenario's patterns, built on first use and kept while the setup lives."""
    cached = _CUES.get(id(setup))
    if cached is not None and cached[0] is setup:
        return cached[1]
    if len(_CUES) >= 64:
        _CUES.pop(next(iter(_CUES)))
    built = _build_cues(setup)
    _CUES[id(setup)] = (setup, built)
    return built


def _build_cues(setup: ResolvedScenario) -> ScenarioCues:
    scenario: Scenario = setup.scenario
    persona: Persona = setup.persona
    product = scenario.brief.product
    product_words = _content_words([product.name, *product.vocabulary])
    concerns = persona.concerns
    world = _content_words(
        [
            persona.industry,
            *concerns.priorities,
            *concerns.pains,
            *concerns.goals,
            *concerns.fears,
            *persona.opens_up_to,
        ]
    )
    research = _content_words([*scenario.brief.research, persona.organisation])
    world -= product_words | _GENERIC_WORLD
    research -= product_words | _GENERIC_WORLD
    # what the product does, in the words of its summary: product talk without its name
    described = _content_words([product.summary, *product.proof_points])
    described -= world | research | _GENERIC_WORLD
    facts = {f.id: phrase_pattern(f.topics) for f in persona.hidden_facts}
    fact_words = {
        f.id: frozenset(_content_words([f.fact, f.reveal]) - product_words - _GENERIC_WORLD)
        for f in persona.hidden_facts
    }
    extra: ExtraPatterns = {}
    for criterion in setup.rubric.criteria:
        if criterion.cues is not None:
            extra[criterion.id] = (
                phrase_pattern(criterion.cues.raise_),
                phrase_pattern(criterion.cues.lower),
            )
    brand = phrase_pattern([product.name])
    return ScenarioCues(
        product=phrase_pattern([product.name, *product.vocabulary]),
        brand=brand,
        # "Sam from DockWise" introduces the seller; it is not product talk
        introduction=re.compile(r"(?:from|at|with|here at|calling from) (?=" + brand.pattern + ")")
        if brand is not None
        else None,
        described=frozenset(described),
        world=frozenset(world),
        research=frozenset(research),
        facts=facts,
        fact_words=fact_words,
        extra=extra,
    )


@dataclass
class Reading:
    """What the assessor found in one turn; the verdict is derived from it."""

    text: str
    original: str
    n_words: int
    questions: int
    open_question: bool
    injection: list[str]
    pressure: list[str]
    self_talk: list[str]
    product: list[str]
    brand: list[str]
    commonplace: list[str]
    described: list[str]
    leading: list[str]
    generic: list[str]
    impact: list[str]
    insight: list[str]
    numbers: list[str]
    permission: list[str]
    summary: list[str]
    next_step: list[str]
    courtesy: list[str]
    flattery: list[str]
    small_talk: list[str]
    world: list[str]
    research: list[str]
    disclosed_topics: list[str]
    echoes: list[str]
    product_in_questions: int
    you: int
    we: int
    repeats: bool
    premature_meeting: list[str]
    negated_pressure: bool


def _all(pattern: re.Pattern[str] | None, text: str) -> list[str]:
    if pattern is None:
        return []
    return [m.group(0).strip() for m in pattern.finditer(text)]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def read_turn(context: AssessContext) -> Reading:
    cues = scenario_cues(context.setup)
    original = context.seller_text
    text = normalise(original)
    tokens = words(text)
    sentences = _sentences(text)
    questions = 0
    open_question = False
    product_in_questions = 0
    for sentence in sentences:
        if _is_agenda_sentence(sentence):
            continue  # "is now a bad time?" asks for time, not about their world
        if cue.SMALL_TALK.search(sentence):
            continue  # "how was your weekend?" is not discovery
        opener = cue.DISCOVERY_OPENERS.match(sentence)
        from_tail = False
        if opener is None:
            # a question may follow a short lead-in: "quick one - how do you ...?"
            tail = re.split(r"[,;:-]\s+|\bso\s+|\band\s+", sentence)[-1]
            opener = cue.DISCOVERY_OPENERS.match(tail)
            from_tail = opener is not None
        # without a question mark, only a question-shaped start of a clause after a comma
        # counts ("the gate's been busy, who covers it"), never a trailing "where we can..."
        asks = sentence.endswith("?") or (
            opener is not None
            and _sounds_like_question(opener.group(0))
            and (
                not from_tail
                or _AUX_QUESTION.match(opener.group(0)) is not None
                or opener.group(0).startswith(("who", "how", "hows", "whats", "what's"))
            )
        )
        if not asks:
            continue
        questions += 1
        product_in_questions += len(_all(cues.product, sentence))
        if opener is not None and _OPEN_OPENER.match(opener.group(0)):
            open_question = True
    stems = {_stem(t) for t in tokens if len(t) >= 4}
    world = sorted(stems & cues.world)
    described = sorted(stems & cues.described)
    research = sorted(stems & cues.research)
    disclosed_topics = [
        fact_id
        for fact_id in context.state.disclosed
        if (pattern := cues.facts.get(fact_id)) is not None and pattern.search(text)
    ]
    echoes = sorted(
        {
            word
            for fact_id in context.state.disclosed
            for word in cues.fact_words.get(fact_id, frozenset())
            if word in stems
        }
    )
    you = sum(1 for t in tokens if t in {"you", "your", "you're", "yours", "you've", "you'd"})
    we = sum(1 for t in tokens if t in {"we", "our", "us", "we're", "we've", "ours", "i'm"})
    repeats = _repeats(text, context)
    product_text = cues.introduction.sub("", text) if cues.introduction else text
    return Reading(
        text=text,
        original=original,
        n_words=len(tokens),
        questions=questions,
        open_question=open_question,
        injection=_all(cue.INJECTION, text),
        pressure=_all(cue.PRESSURE, text),
        self_talk=_all(cue.SELF_TALK, text),
        product=_all(cues.product, product_text),
        brand=_all(cues.brand, product_text),
        commonplace=_all(cue.COMMONPLACE, text),
        described=described,
        leading=_all(cue.LEADING, text),
        generic=_all(cue.GENERIC_QUALIFICATION, text),
        impact=_all(cue.IMPACT, text),
        insight=_all(cue.INSIGHT, text),
        numbers=_all(cue.NUMBER, text),
        permission=_all(cue.AGENDA_PERMISSION, text),
        summary=_all(cue.AGENDA_SUMMARY, text),
        next_step=_all(cue.AGENDA_NEXT_STEP, text),
        courtesy=_all(cue.COURTESY, text),
        flattery=_all(cue.FLATTERY, text),
        small_talk=_all(cue.SMALL_TALK, text),
        world=world,
        research=research,
        disclosed_topics=disclosed_topics,
        echoes=echoes,
        product_in_questions=product_in_questions,
        you=you,
        we=we,
        repeats=repeats,
        premature_meeting=_all(cue.PREMATURE_NEXT_STEP, text),
        negated_pressure=cue.NEGATED_PRESSURE.search(text) is not None,
    )


_OPEN_OPENER = re.compile(
    r"(?:what|how|why|where|when|which|who|tell me|walk me|help me|(?:i'?m |i am )?curious|"
    r"i'?d (?:love|like)|can you|could you|would you)"
)


def _is_agenda_sentence(sentence: str) -> bool:
    return bool(
        cue.AGENDA_PERMISSION.search(sentence)
        or cue.AGENDA_SUMMARY.search(sentence)
        or cue.AGENDA_NEXT_STEP.search(sentence)
    )


_AUX_QUESTION = re.compile(
    r"(?:do|did|does|have|has|is|are|was|were|can|could|would|will) (?:you|your|they|any|anyone)"
)


def _sounds_like_question(opener: str) -> bool:
    return bool(_AUX_QUESTION.match(opener) or _OPEN_OPENER.match(opener))


def _repeats(text: str, context: AssessContext) -> bool:
    """The seller asks again what they asked in the last few turns."""
    mine = set(words(text))
    if len(mine) < 4:
        return False
    for exchange in context.history[-4:]:
        theirs = set(words(normalise(exchange.seller)))
        if theirs and len(mine & theirs) / len(mine | theirs) > 0.7:
            return True
    return False


# ------------------------------------------------------------------ move


def classify(r: Reading) -> Move:
    """The move: manipulation and pressure first (they spoil any turn), then leading
    questions (pitches in disguise), then agenda when the turn is about the call itself,
    then whichever of pitch, discovery, insight and agenda has the most evidence."""
    if r.injection:
        return "injection"
    product_talk = len(r.product) + len(r.self_talk)
    if (
        r.pressure
        and not r.negated_pressure
        and not (
            r.open_question
            and len(r.pressure) == 1
            and product_talk == 0
            and not _strong_pressure(r)
        )
    ):
        return "pressure"
    if r.leading:
        return "pitch"
    substance = r.world or r.research or r.impact or r.echoes or r.numbers
    if (r.small_talk or r.flattery) and not substance:
        return "other"
    if r.commonplace and not r.numbers and not r.questions and len(r.self_talk) < 2:
        return "insight"  # an attempt at insight, judged as one (and found thin)
    agenda_cues = len(r.permission) + len(r.summary) + len(r.next_step)
    if r.summary and len(r.self_talk) < 2:
        return "agenda"
    if agenda_cues and r.questions == 0 and not r.self_talk and not r.insight:
        return "agenda"
    question_product = min(r.product_in_questions, len(r.product))
    scores = {
        "pitch": 2.0 * (len(r.product) - question_product)
        + 0.5 * question_product
        + 2.0 * len(r.self_talk)
        + 1.0 * len(r.brand)
        + (1.0 * len(r.described) if len(r.described) >= 2 else 0.0),
        "discovery": (2.5 if r.questions else 0.0)
        + (1.0 if r.open_question else 0.0)
        + 0.5 * min(len(r.impact), 2),
        "insight": 2.0 * len(r.insight) + (1.0 if r.numbers and r.insight else 0.0),
        "agenda": 2.5 * len(r.permission) + 2.5 * len(r.summary) + 2.0 * len(r.next_step),
    }
    if scores["insight"] and r.numbers:
        scores["insight"] += 0.5 * min(len(r.numbers), 2)
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < 1.5:
        return "other"
    if best == "agenda" and r.open_question and r.questions and not r.next_step:
        return "discovery"
    if best == "pitch" and r.insight and not (r.self_talk or r.brand) and scores["insight"] >= 2:
        return "insight"
    return best  # type: ignore[return-value]


def _strong_pressure(r: Reading) -> bool:
    strong = ("discount", "% off", "percent off", "sign", "quota", "end of", "today")
    return any(any(word in hit for word in strong) for hit in r.pressure)


# ------------------------------------------------------------------ verdict


def _specific(r: Reading) -> bool:
    """Uses what could be known about this buyer, or what they said."""
    return bool(r.research or r.disclosed_topics or len(r.echoes) >= 2)


def _ready_for_next_step(context: AssessContext) -> bool:
    step = context.setup.scenario.next_step
    state = context.state
    return state.openness >= step.openness - 10 and len(state.disclosed) >= max(1, step.facts - 1)


def _answers_their_request(r: Reading, context: AssessContext) -> bool:
    """A short, straight answer to a buyer who opened by asking what we sell."""
    asked = context.setup.scenario.buyer_asked_for_product
    # straight means it answers (a price, a number) or hands the conversation back (a
    # question); a list of features with neither is still a feature dump
    straight = bool(r.numbers) or r.questions > 0
    return (
        asked and context.turn_index <= 2 and r.n_words <= 70 and len(r.self_talk) <= 1 and straight
    )


def verdict(r: Reading, move: Move, relevant: bool, context: AssessContext) -> int:
    """Good use, 1..5: the move sets the range, the specifics place the turn in it."""
    if move == "injection":
        return 1
    if move == "pressure":
        soft = not _strong_pressure(r) and (r.questions or r.courtesy)
        return 2 if soft else 1
    if move == "other":
        return 1 if (r.flattery or r.n_words > 40) else 2
    score = 3
    if move == "pitch":
        if relevant:
            score = 5 if r.n_words <= 50 and (r.questions or len(r.echoes) >= 2) else 4
        else:
            heavy = len(r.product) + len(r.self_talk) >= 3 or r.leading or r.n_words > 60
            score = 1 if heavy else 2
    elif move == "discovery":
        score += 1 if r.open_question else 0
        score += 1 if (_specific(r) or r.world or r.impact) else 0
        if r.generic and not _specific(r):
            score = 3 if r.world else 2
        if r.questions >= 3:
            score -= 1
        if r.self_talk or (r.product and not r.product_in_questions):
            score -= 1
        if r.repeats:
            score -= 2
    elif move == "insight":
        substance = bool(r.numbers or r.world or r.research or r.echoes)
        score = 4 if substance else 2
        if r.numbers and (r.world or r.research or r.echoes):
            score = 5
        if r.commonplace and not r.numbers:
            score = 2
        if r.self_talk and not relevant:
            score -= 1
    elif move == "agenda":
        specific = _specific(r) or bool(r.world or r.numbers)
        if r.next_step:
            score = 3 + (1 if specific else 0)
            score += 1 if (_ready_for_next_step(context) or r.courtesy) else 0
            if r.premature_meeting and not (_ready_for_next_step(context) or specific):
                score -= 1
        elif r.summary:
            score = 5 if (len(r.echoes) >= 2 or r.disclosed_topics) else 4
        else:
            score = 4 if (specific or context.turn_index <= 2 or r.courtesy) else 3
            if specific and (r.courtesy or r.open_question):
                score = 5
    limit = context.setup.persona.sensitivity.words
    if r.n_words > limit * 2:
        score -= 2
    elif r.n_words > limit:
        score -= 1
    return max(1, min(5, score))


# ------------------------------------------------------------------ criteria


def criteria_scores(
    r: Reading,
    move: Move,
    relevant: bool,
    good_use: int,
    criteria: list[Criterion],
    limit: int,
    extra: ExtraPatterns,
) -> dict[str, int]:
    pitchy = move == "pitch" and not relevant
    scores: dict[str, int] = {}
    focus = 3
    if move in {"discovery", "insight"}:
        focus = 4 + (1 if (r.world or r.research or r.disclosed_topics) else 0)
    elif move == "agenda":
        focus = 4 if (r.summary or r.you > r.we) else 3
    elif pitchy or move == "pressure":
        focus = 1 if r.we > r.you or move == "pressure" else 2
    elif relevant:
        focus = 4
    elif move == "injection":
        focus = 1
    scores["customer_focus"] = focus

    prep = 3 if (r.world or move in {"discovery", "insight"}) else 2
    if r.research or r.disclosed_topics:
        prep = 5 if (r.research and (r.world or r.disclosed_topics)) or len(r.research) >= 2 else 4
    if move in {"injection", "other"} or (pitchy and not r.research):
        prep = min(prep, 2)
    scores["preparation"] = prep

    if move == "insight":
        scores["insight"] = good_use if good_use >= 4 else 2
    elif pitchy and any(h in " ".join(r.self_talk) for h in ("insight", "leading", "unique")):
        scores["insight"] = 1
    else:
        scores["insight"] = 3
    if move == "injection":
        scores["insight"] = 1

    if r.leading:
        questions = 1
    elif move == "discovery":
        questions = good_use
    elif r.open_question and r.questions:
        questions = 4
    elif r.generic:
        questions = 2
    else:
        questions = 3
    scores["questions"] = 1 if move == "injection" else questions

    if relevant:
        restraint = 5 if good_use >= 5 else 4
    elif pitchy:
        restraint = 1 if good_use <= 1 else 2
    elif r.product or r.self_talk:
        restraint = 2
    else:
        restraint = 3
    scores["restraint"] = restraint

    if move == "pressure":
        pressure = good_use
    elif r.premature_meeting and move != "agenda":
        pressure = 2
    elif r.courtesy or r.permission:
        pressure = 5 if r.courtesy else 4
    else:
        pressure = 3
    scores["no_pressure"] = pressure

    if r.n_words <= 35:
        economy = 5
    elif r.n_words <= 60:
        economy = 4
    elif r.n_words <= limit:
        economy = 3
    elif r.n_words <= 2 * limit:
        economy = 2
    else:
        economy = 1
    if r.repeats or move == "other":
        economy = min(economy, 2)
    scores["economy"] = economy

    if move == "agenda":
        forward = good_use
    elif move == "pressure":
        forward = 1
    elif move in {"other", "injection"}:
        forward = 2 if move == "other" else 1
    elif move == "discovery" and r.impact:
        forward = 4
    else:
        forward = 3
    scores["moves_forward"] = forward

    for criterion in criteria:
        if criterion.id in scores:
            continue
        scores[criterion.id] = _extra_criterion(extra.get(criterion.id), r.text)
    return {c.id: scores[c.id] for c in criteria}


def _extra_criterion(
    patterns: tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None, text: str
) -> int:
    """An author's extra criterion, scored by its raise and lower phrases (built once)."""
    if patterns is None:
        return 3
    raise_hits = _all(patterns[0], text)
    lower_hits = _all(patterns[1], text)
    return max(1, min(5, 3 + min(2, len(raise_hits)) - min(2, len(lower_hits))))


# ------------------------------------------------------------------ assessor


def _reason(r: Reading, move: Move, relevant: bool, good_use: int) -> str:
    if move == "injection":
        return "tried to manipulate the trainer instead of talking to the buyer"
    if move == "pressure":
        return "pressure on the buyer (" + ", ".join(dict.fromkeys(r.pressure[:2])) + ")"
    if move == "pitch":
        if relevant and not (r.disclosed_topics or r.echoes):
            return "a straight answer to what they asked"
        if relevant:
            return "product talk that answers a need they disclosed"
        return "product pitch before learning their priorities"
    if move == "discovery":
        if r.repeats:
            return "asked again what they already answered"
        if good_use >= 4:
            return "a good question about their world"
        if r.generic:
            return "generic qualifying question"
        return "a question, but not a sharp one"
    if move == "insight":
        return (
            "a relevant insight about their world" if good_use >= 4 else "insight with no substance"
        )
    if move == "agenda":
        if r.next_step:
            return "proposed a next step" if good_use >= 4 else "asked for a next step too early"
        if r.summary:
            return "summarised what they said"
        return "respected their time"
    if r.flattery:
        return "flattery instead of substance"
    return "nothing useful for the buyer"


def _evidence(r: Reading, move: Move) -> tuple[str, ...]:
    by_move = {
        "injection": r.injection,
        "pressure": r.pressure,
        "pitch": r.leading + r.product + r.self_talk,
        "discovery": r.impact + r.research + r.world + r.generic,
        "insight": r.insight + r.numbers,
        "agenda": r.permission + r.summary + r.next_step,
        "other": r.flattery + r.small_talk,
    }
    found = list(dict.fromkeys(by_move[move]))[:4]
    return tuple(_as_typed(r.original, hit) for hit in found)


def _as_typed(original: str, hit: str) -> str:
    """The evidence as the seller typed it, when it can be found in the original."""
    match = re.search(re.escape(hit).replace(r"\ ", r"\s+"), original, re.IGNORECASE)
    return match.group(0) if match else hit


class OfflineAssessor:
    """Deterministic, rule-based assessment of seller turns."""

    name = "offline"

    async def assess(self, context: AssessContext) -> Assessment:
        return assess_turn(context)


def assess_turn(context: AssessContext) -> Assessment:
    r = read_turn(context)
    move = classify(r)
    relevant = (
        move == "pitch"
        and not r.leading
        and (bool(r.disclosed_topics) or len(r.echoes) >= 2 or _answers_their_request(r, context))
    )
    good_use = verdict(r, move, relevant, context)
    persona = context.setup.persona
    criteria = criteria_scores(
        r,
        move,
        relevant,
        good_use,
        context.setup.rubric.criteria,
        persona.sensitivity.words,
        scenario_cues(context.setup).extra,
    )
    proposes = bool(r.next_step) and move == "agenda"
    flags = ("injection",) if move == "injection" else ()
    return Assessment(
        move=move,
        good_use=good_use,
        criteria=criteria,
        evidence=_evidence(r, move),
        tip=tip_for(move, good_use, relevant, r.n_words, context),
        reason=_reason(r, move, relevant, good_use),
        relevant_pitch=relevant,
        proposes_next_step=proposes,
        recap=move == "agenda" and bool(r.summary),
        words=r.n_words,
        source="offline",
        flags=flags,
    )
