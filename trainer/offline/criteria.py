"""The rubric's criteria for one turn, from its verdict and the signals behind it.

The labelled corpus says what a turn is and how good a use of the buyer's time it is;
the criteria spell that verdict out along the rubric's dimensions, each from the signal
that dimension asks about (product talk for restraint, the research for preparation...),
so a criterion never contradicts the verdict it explains.

A criterion that asks about something the turn does not do is n/a (None), not a neutral 3:
restraint needs product talk, insight a claim or an attempt at one, questions a question,
no_pressure pressure or an explicit courtesy, moves_forward a purpose or a drift, an extra
criterion one of its phrases. Customer focus, preparation and economy apply to every turn.
docs/judging.md gives the rules with examples.
"""

from __future__ import annotations

import re

from trainer.content.models import Criterion
from trainer.offline.decision import asked_again
from trainer.offline.reading import Signals
from trainer.text import normalise

ExtraPatterns = dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]
"""Per extra criterion: the phrases that raise its score and those that lower it."""


Score = int | None
"""A criterion's 1-5 score for one turn, or None where the criterion does not apply."""


def _clamp(score: int) -> int:
    return max(1, min(5, score))


def criteria_scores(
    move: str,
    good_use: int,
    relevant: bool,
    s: Signals,
    criteria: list[Criterion],
    extra: ExtraPatterns,
    text: str,
) -> dict[str, Score]:
    """A 1-5 score, or None (n/a), per criterion of the rubric, in the rubric's order."""
    pitchy = move == "pitch" and not relevant
    about_them = bool(s.research or s.world or s.echoes)
    scores: dict[str, Score] = {}

    if move in {"discovery", "insight"}:
        focus = min(good_use + 1, 5) if about_them else good_use
    elif move == "agenda":
        focus = good_use if good_use >= 3 else 2
    elif relevant:
        focus = 4 if good_use < 5 else 5
    elif pitchy or move == "pressure":
        focus = 1 if good_use <= 1 else 2
    elif move == "injection":
        focus = 1
    else:
        focus = 2
    scores["customer_focus"] = _clamp(focus)

    if s.research and (s.world or s.echoes):
        prep = 5
    elif s.research or s.echoes:
        prep = 4
    elif s.world:
        prep = 3
    else:
        prep = 2
    if move in {"injection", "other"} or (pitchy and not s.research) or good_use <= 1:
        prep = min(prep, 2)
    scores["preparation"] = prep

    if move == "insight":
        scores["insight"] = good_use if good_use >= 4 else 2
    elif move == "injection" or (pitchy and s.cue("self_talk")):
        scores["insight"] = 1
    else:
        scores["insight"] = None

    questions: Score
    if move == "discovery":
        questions = good_use
    elif s.cue("leading") or move == "injection":
        questions = 1
    elif s.questions and good_use >= 3:
        questions = 4
    elif s.questions:
        questions = 2
    else:
        questions = None
    scores["questions"] = None if questions is None else _clamp(questions)

    restraint: Score
    if relevant:
        restraint = 5 if good_use >= 5 else 4
    elif pitchy:
        restraint = 1 if good_use <= 1 else 2
    elif s.product or s.cue("self_talk"):
        # named, not pitched: a good turn that mentions us ("if Tessera can't serve your
        # agents, it isn't for you") is restrained; a poor one leans on us
        restraint = 4 if good_use >= 4 else 3 if good_use == 3 else 2
    else:
        restraint = None
    scores["restraint"] = restraint

    pressure: Score
    if move == "pressure":
        pressure = good_use
    elif s.cue("meeting") and move != "agenda":
        pressure = 2
    elif s.cue("courtesy") or s.cue("permission"):
        pressure = 5 if s.cue("courtesy") else 4
    elif move == "injection":
        pressure = 1
    else:
        pressure = None
    scores["no_pressure"] = pressure

    if s.words <= 35:
        economy = 5
    elif s.words <= 60:
        economy = 4
    elif s.words <= s.limit:
        economy = 3
    elif s.words <= 2 * s.limit:
        economy = 2
    else:
        economy = 1
    if move in {"other", "injection"} or asked_again(s):
        economy = min(economy, 2)
    scores["economy"] = economy

    forward: Score
    if move == "agenda":
        forward = good_use
    elif move == "pressure" or move == "injection":
        forward = 1
    elif move == "other":
        forward = 2
    elif move == "discovery" and good_use >= 4:
        forward = 4
    else:
        forward = None if good_use >= 3 else 2
    scores["moves_forward"] = forward

    for criterion in criteria:
        if criterion.id not in scores:
            scores[criterion.id] = _extra_criterion(extra.get(criterion.id), text)
    return {c.id: scores[c.id] for c in criteria}


def _extra_criterion(
    patterns: tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None, text: str
) -> Score:
    """An author's extra criterion, scored by its raise and lower phrases (built once);
    n/a on a turn that uses none of them, where the offline assessor has nothing to go on."""
    if patterns is None:
        return None
    norm = normalise(text)
    raised = len(patterns[0].findall(norm)) if patterns[0] else 0
    lowered = len(patterns[1].findall(norm)) if patterns[1] else 0
    if not raised and not lowered:
        return None
    return _clamp(3 + min(2, raised) - min(2, lowered))
