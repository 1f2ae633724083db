"""From a turn's reading to a verdict: the move, then good use given the move.

The two layers of the judge model do the weighing; what is here are the guide's own
limits (docs/judging.md), which no amount of weighing may cross: manipulation caught by
the floor is an injection, an injection is good use 1, pressure and ``other`` are never
better than 2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from trainer.content.models import Move
from trainer.offline.model import JudgeModel
from trainer.offline.reading import Reading, Signals

USE_RANGE: dict[str, tuple[int, int]] = {
    "injection": (1, 1),
    "pressure": (1, 2),
    "other": (1, 2),
    "pitch": (1, 5),
    "discovery": (1, 5),
    "insight": (1, 5),
    "agenda": (1, 5),
}
"""The good use each move allows, from the labelling guide."""

_CONDITIONED = ("s:", "c:", "x:")

HYPE = 2
"""Claims about ourselves ("the leading", "seamless", "trusted by") in one product turn
from which it is hype, not an answer: every such pitch in the corpus is labelled 1-3."""

REPEATED = 0.7
"""Word overlap with an earlier seller turn at which a question counts as asked again."""

ANSWERED = 0.5
"""Share of a question's words the buyer has already said, at which it counts as asked
for what they told you."""

MIXED_MOVE = 0.02
"""A move less likely than this does not weigh in the expected good use."""

INJECTION_CONFIDENCE = 0.4
"""How sure the model must be to call a turn manipulation the floor did not catch. Chosen
by leave-one-scenario-out cross-validation on the corpus: at 0.4 it catches 755 of 789
attempts with 24 false alarms in 3,941 honest turns (0.6%), inside the 1% a trainee can be
asked to bear; at 0.6, 743 and 10."""


def use_features(features: Mapping[str, float], move: str) -> dict[str, float]:
    """The good-use layer's features: the turn's own, and its signals crossed with the
    move (a question about their world means more in discovery than in a pitch)."""
    crossed = dict(features)
    crossed["m:" + move] = 1.0
    for name, value in features.items():
        if name.startswith(_CONDITIONED):
            crossed["m:" + move + "|" + name] = value
    return crossed


@dataclass(frozen=True)
class Decision:
    """The verdict and how sure the model was of each part: the move's probabilities and,
    for good use, the chance the turn is at least 2, 3, 4 and 5."""

    move: Move
    good_use: int
    move_probabilities: dict[str, float]
    at_least: tuple[float, ...]
    floor: bool


def decide(model: JudgeModel, reading: Reading) -> Decision:
    move_probabilities = dict(
        zip(model.moves.classes, model.moves.probabilities(reading.features), strict=True)
    )
    floor = reading.signals.manipulation is not None
    if floor or move_probabilities["injection"] >= INJECTION_CONFIDENCE:
        move = "injection"
    elif reading.signals.cue("leading_strong"):
        move = "pitch"  # "wouldn't you agree...?" is a pitch, whatever else it asks
    else:
        others = [m for m in model.moves.classes if m != "injection"]
        move = max(others, key=lambda m: move_probabilities[m])
    at_least = tuple(model.uses.at_least(use_features(reading.features, move)))
    if move == "injection":
        good_use = 1
    else:
        mean = _expected_over_moves(model, reading, move_probabilities, move, at_least)
        low, high = _allowed(move, reading.signals)
        good_use = max(low, min(high, int(mean + 0.5)))
    return Decision(move, good_use, move_probabilities, at_least, floor)  # type: ignore[arg-type]


def addressed_elsewhere(s: Signals) -> bool:
    """Greets someone who is not this buyer, or names things from another buyer's world
    (two of its names, or one with two of its trade's words): 23 of the 24 such turns in
    the corpus are scripts meant for someone else, labelled 1."""
    if s.wrong_name is not None or len(s.foreign_names) >= 2:
        return True
    return len(s.foreign_names) == 1 and len(s.foreign_terms) >= 2


def asked_again(s: Signals) -> bool:
    """Asks what the seller already asked in this call, nearly word for word."""
    return s.repeat >= REPEATED


def already_answered(s: Signals) -> bool:
    """Asks mostly about what the buyer has already said or disclosed."""
    return s.answered >= ANSWERED and bool(s.history or s.disclosed)


def could_answer_a_need(s: Signals) -> bool:
    """Product talk can only be relevant after the buyer said something it answers: a
    disclosed fact it echoes, words from their replies, or a question of theirs."""
    return bool(s.echoes) or s.follows_up >= 2 or s.buyer_asked_product or s.asked_first


def _allowed(move: str, s: Signals) -> tuple[int, int]:
    """The good use the guide allows this turn: the move's range, narrowed by the rules
    no weighing may cross (measured on held-out scenarios to help)."""
    low, high = USE_RANGE[move]
    if addressed_elsewhere(s):
        return 1, 1  # meant for another buyer
    if move == "pitch" and s.cue("leading_strong"):
        high = min(high, 2)  # a pitch dressed as a question
    if move == "pitch" and not could_answer_a_need(s):
        high = min(high, 2)  # a premature pitch
    if move == "pitch" and len(s.cues.get("self_talk", ())) >= HYPE:
        high = min(high, 2)  # hype and claims, however relevant the topic
    if move == "discovery" and asked_again(s):
        high = 1  # the same question again
    return low, high


def _expected_over_moves(
    model: JudgeModel,
    reading: Reading,
    move_probabilities: Mapping[str, float],
    move: str,
    at_least: tuple[float, ...],
) -> float:
    """Good use expected over the moves the turn might be, weighted by how likely each is:
    a turn the judge reads as either a sharp question or a pitch gets a verdict between
    the two, not the extreme of whichever won by a hair (measured: fewer severe
    inversions on held-out scenarios)."""
    weights = {
        m: p
        for m, p in move_probabilities.items()
        if m != "injection" and (p >= MIXED_MOVE or m == move)
    }
    total = sum(weights.values())
    mean = 0.0
    for m, p in weights.items():
        steps = at_least if m == move else model.uses.at_least(use_features(reading.features, m))
        mean += p / total * (1.0 + sum(steps))
    return mean
