"""Saying why: the evidence quoted from the turn and the reason a trainee reads.

The reason is chosen from the signals the verdict rests on (a question already
answered, product talk after a disclosed need, a name from another buyer's world...),
so it names what a person would name. The evidence is the part of the turn, as typed,
that weighed most towards the move.
"""

from __future__ import annotations

import re

from trainer.offline.decision import (
    Decision,
    addressed_elsewhere,
    already_answered,
    asked_again,
)
from trainer.offline.model import JudgeModel
from trainer.offline.reading import Clause, Reading, Signals, ngrams

EVIDENCE_CHARS = 140
"""A quote longer than this is cut at a word: evidence is a pointer, not a transcript."""

_CHASE = re.compile(
    r"(?<![a-z])(?:check(?:ing)? in|circl\w* back|following up|follow(?:ing)?-up on my|any update|"
    r"bump\w*|heard back|touch(?:ing)? base|close (?:your|the) file|did you (?:get|see|read)|"
    r"had a chance)"
)
_DEAL = re.compile(
    r"(?<![a-z])(?:discount|% off|percent off|price (?:goes|will go) up|expires?|end of (?:the )?"
    r"(?:month|quarter|year)|quarter|special (?:offer|pricing|rate)|only valid|today only|"
    r"limited|by friday|this week only)"
)
_CLOSE = re.compile(
    r"(?<![a-z])(?:sign|signature|contract|paperwork|purchase order|\bpo\b|commit|"
    r"what would it take|move forward|close (?:this|the deal))"
)
_FEAR = re.compile(
    r"(?<![a-z])(?:afford to wait|left behind|last one|competitors? (?:are|have|already)|"
    r"everyone (?:else|in your)|miss out|too late|risk of waiting)"
)
_MEETING = re.compile(
    r"(?<![a-z])(?:demo|meeting|call|minutes|calendar|diary|slot|walk you through)"
)


def _norm(text: str) -> str:
    return text.lower().replace("’", "'")


def wrong_buyer(signals: Signals) -> bool:
    """The turn addresses someone else, or is full of another world's names and words."""
    if addressed_elsewhere(signals) or signals.foreign_names:
        return True
    return len(signals.strange_names) >= 2 and len(signals.off_world) >= 2


def reason(decision: Decision, reading: Reading) -> str:
    """One short clause: why this turn was, or was not, a good use of the buyer's time."""
    s = reading.signals
    move, use = decision.move, decision.good_use
    text = _norm(reading.text)
    if move == "injection":
        if s.manipulation is not None and s.manipulation.how != "plain":
            return f"talked to the trainer instead of the buyer ({s.manipulation.how})"
        return "talked to the trainer, not the buyer"
    if use <= 2 and wrong_buyer(s):
        named = s.wrong_name or (s.foreign_names[0].title() if s.foreign_names else "")
        name = f" ({named}?)" if named else ""
        return f"meant for another buyer{name}: nothing about this one"
    if move == "pressure":
        if _CHASE.search(text):
            return "chasing, with nothing new for the buyer"
        if _DEAL.search(text):
            return "a deadline or discount instead of a reason to act"
        if _FEAR.search(text):
            return "fear of missing out instead of a reason"
        if _CLOSE.search(text):
            return "pushed for a commitment the buyer hasn't made"
        if _MEETING.search(text):
            return "asked for their time with nothing in it for them"
        return "pressure on the buyer"
    if move == "pitch":
        if use >= 3:
            if s.echoes:
                return "product talk that answers a need they told you about"
            if s.buyer_asked_product or s.buyer_asked or s.asked_first:
                return "a straight answer to what they asked"
            return "product talk tied to their situation"
        if s.cue("leading"):
            return "a pitch dressed up as a question"
        return "product pitch before learning what matters to them"
    if move == "discovery":
        if asked_again(s) and use <= 2:
            return "asked again what you already asked"
        if already_answered(s) and use <= 2:
            return "asked what they already told you"
        if use >= 4:
            if s.refers_back or (s.follows_up >= 2 and s.history):
                return "followed up on what they said"
            if s.research:
                return "a question built on what you could know about them"
            return "a good question about their world"
        if use == 3:
            return "a fair question, but not specific to them"
        if s.cue("generic"):
            return "a generic qualifying question"
        return "a question any seller could ask anyone"
    if move == "insight":
        if use >= 4:
            return "a relevant insight about their world"
        if use == 3:
            return "a true observation, but not specific to them"
        return "an insight with no substance for them"
    if move == "agenda":
        if s.cue("summary"):
            return (
                "played back what they said" if use >= 4 else "a summary of things they didn't say"
            )
        if s.cue("next_step") or s.cue("meeting"):
            return (
                "proposed a next step that serves what they said"
                if use >= 4
                else "asked for a next step before earning it"
            )
        return "respected their time" if use >= 3 else "talk about the call, not about them"
    if s.cue("flattery"):
        return "flattery instead of substance"
    if s.cue("small_talk"):
        return "small talk that costs them time"
    if s.cue("commonplace") or s.cue("insight"):
        return "buzzwords with no substance"
    if s.introduction and s.words <= 12:
        return "an introduction with nothing for them yet"
    return "nothing useful for the buyer"


def evidence(model: JudgeModel, decision: Decision, reading: Reading) -> tuple[str, ...]:
    """Quotes from the turn, as typed, that weighed most towards the move."""
    text = reading.text
    caught = reading.signals.manipulation
    if decision.floor and caught is not None:
        found = re.search(re.escape(caught.quote).replace(r"\ ", r"\s+"), text, re.IGNORECASE)
        if found:
            return (found.group(0),)
        return (_clip(text),)
    if not reading.clauses:
        return ()
    k = model.moves.classes.index(decision.move)
    scored = sorted(
        ((_clause_weight(model, clause, k), index) for index, clause in enumerate(reading.clauses)),
        reverse=True,
    )
    best = reading.clauses[scored[0][1]]
    return (_clip(text[best.start : best.end].strip()),)


def _clause_weight(model: JudgeModel, clause: Clause, k: int) -> float:
    total = 0.0
    for name in ngrams(clause.tokens):
        row = model.moves.weights.get(name)
        if row is not None:
            total += row[k] - sum(row) / len(row)
    return total


def _clip(quote: str) -> str:
    """The quote, or its start cut at a word (still exactly as typed)."""
    if len(quote) <= EVIDENCE_CHARS:
        return quote
    cut = quote[:EVIDENCE_CHARS]
    space = cut.rfind(" ")
    return cut[:space] if space > EVIDENCE_CHARS // 2 else cut
