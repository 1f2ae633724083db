"""Calibration: replay human-labelled seller turns through an assessor and measure how
well it agrees with the labels.

A labels file is what an author writes after reading real or scripted turns::

    scenario: cold-call-cold-chain        # optional: an id or a path
    turns:
      - text: "What does a late truck cost you at Savannah?"
        label: discovery                  # the move a person would call it
        good_use: 4                       # 1 (waste of time) .. 5 (excellent use)
        disclosed: [detention-bill]       # optional: facts the buyer already revealed

It is read with the strict YAML reader and checked with a model that forbids unknown
fields, so every mistake is reported as ``file:line:col: field: message (hint)`` like
``trainer validate`` does. Each turn is judged on its own, in the context its
``disclosed`` list describes (the same rule as the tests' labelled corpus), so the
results do not depend on the order of the turns.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from trainer.authoring import stats
from trainer.content.finder import NotFound, find_scenario, looks_like_path
from trainer.content.library import Library, ResolvedScenario
from trainer.content.models import MOVES, Move, Score, Slug, StrictModel, Text
from trainer.content.problems import ContentError, Problem
from trainer.content.validation import validate_document
from trainer.content.yaml_loader import YamlDocument, node_at, read_yaml
from trainer.engine.ports import AssessContext, Assessor, NoVerdict
from trainer.engine.state import BuyerState
from trainer.text import check_turn_text, clean_turn_text

DEFAULT_WORST = 10
"""How many of the worst disagreements a report lists."""

MOVE_WEIGHT = 2
"""How much a wrong move weighs when ranking disagreements, in good-use points: naming
the wrong move counts as much as being two points off on good use."""

OPENNESS_PER_FACT = 15
"""Each disclosed fact stands for a couple of turns of good conversation before this one:
the buyer is that much more open, and the turn index that much later."""


class LabelledTurn(StrictModel):
    """One seller turn and how a person judged it."""

    text: Text = Field(description="What the seller said, exactly as it would be typed.")
    label: Move = Field(description="The move a person would call this turn.")
    good_use: Score = Field(
        description="How good a use of the buyer's time it is: 1 (waste) .. 5 (excellent)."
    )
    disclosed: list[Slug] = Field(
        default_factory=list,
        description="Hidden facts (ids) the buyer had already revealed before this turn.",
    )


class LabelFile(StrictModel):
    """A set of labelled turns for one scenario, to calibrate an assessor against."""

    scenario: Text | None = Field(
        default=None,
        description="The scenario's id, or a path to its file (relative to this file); "
        "default: the library's first scenario by id.",
    )
    turns: list[LabelledTurn] = Field(min_length=1, description="The labelled turns.")


@dataclass(frozen=True)
class Labels:
    """A labels file that passed its checks, with where each turn is in it."""

    path: Path
    scenario: str | None
    turns: tuple[LabelledTurn, ...]
    lines: tuple[int, ...]
    doc: YamlDocument

    def problem(self, loc: tuple[int | str, ...], message: str, hint: str = "") -> Problem:
        """A problem located at the value ``loc`` names (or the closest node to it)."""
        line, column = _where(self.doc, loc)
        return Problem(self.path, line, column, ".".join(str(p) for p in loc), message, hint)


@dataclass(frozen=True)
class Prediction:
    """What one assessor said about one labelled turn: a move and a good-use verdict,
    or why it gave none (a model whose answers were unusable)."""

    line: int
    turn: LabelledTurn
    move: str | None = None
    good_use: int | None = None
    problem: str | None = None

    @property
    def judged(self) -> bool:
        return self.move is not None and self.good_use is not None


@dataclass(frozen=True)
class Disagreement:
    """A turn where the assessor and the label differ."""

    line: int
    text: str
    label: str
    predicted: str
    good_use: int
    predicted_good_use: int

    @property
    def severity(self) -> int:
        return abs(self.good_use - self.predicted_good_use) + MOVE_WEIGHT * (
            self.label != self.predicted
        )


@dataclass(frozen=True)
class AssessorResult:
    """One assessor's agreement with the labels. Statistics cover the judged turns;
    each is ``None`` where it is undefined (see ``trainer.authoring.stats``)."""

    assessor: str
    description: str
    predictions: tuple[Prediction, ...]
    move_accuracy: float | None
    kappa: float | None
    confusion: stats.Confusion
    exact: float | None
    within_one: float | None
    spearman: float | None
    disagreements: int
    worst: tuple[Disagreement, ...]

    @property
    def judged(self) -> int:
        return sum(p.judged for p in self.predictions)

    @property
    def unjudged(self) -> tuple[Prediction, ...]:
        return tuple(p for p in self.predictions if not p.judged)

    @property
    def correct_moves(self) -> int:
        return sum(p.judged and p.move == p.turn.label for p in self.predictions)


def load_labels(path: Path) -> Labels:
    """The labels in ``path``; ``ContentError`` with every problem found otherwise."""
    doc = read_yaml(path)
    if isinstance(doc, Problem):
        raise ContentError([doc])
    result = validate_document(doc, LabelFile)
    if isinstance(result, list):
        raise ContentError(result)
    labels = Labels(
        path=path,
        scenario=result.scenario,
        turns=tuple(result.turns),
        lines=tuple(_where(doc, ("turns", i))[0] for i in range(len(result.turns))),
        doc=doc,
    )
    problems = []
    for i, turn in enumerate(labels.turns):
        trouble = check_turn_text(turn.text)
        if trouble is not None:
            problems.append(labels.problem(("turns", i, "text"), trouble.message))
    if problems:
        raise ContentError(problems)
    return labels


def _where(doc: YamlDocument, loc: tuple[int | str, ...]) -> tuple[int, int]:
    """Line and column (1-based) of the value ``loc`` names, or of the closest node."""
    node, _ = node_at(doc.root, loc)
    if node is None:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def resolve_scenario(labels: Labels, library: Library) -> ResolvedScenario:
    """The scenario the labels are for: the file's ``scenario`` (an id, or a path taken
    relative to the labels file first), else the library's first scenario by id.
    ``ContentError`` if it is unknown or broken, located in whichever file is at fault;
    ``NotFound`` if none is named and the library has none."""
    if labels.scenario is None:
        if not library.scenarios:
            raise NotFound(
                f"{labels.path} names no scenario and the library has none; "
                "add 'scenario: ID' to the file or pass --content DIR"
            )
        first = sorted(library.scenarios)[0]
        setup = library.find(first)
        if setup is None:
            persona = library.scenarios[first].scenario.persona
            raise NotFound(
                f"{labels.path} names no scenario, and the library's first, '{first}', has "
                f"no persona '{persona}'; add 'scenario: ID' to the file"
            )
        return setup
    argument = labels.scenario
    if looks_like_path(argument) and not Path(argument).is_absolute():
        beside = labels.path.parent / argument
        if beside.is_file():
            argument = str(beside)
    try:
        return find_scenario(argument, library)
    except NotFound as exc:
        path_hint = "a path is taken relative to this file, then to the current folder"
        hint = path_hint if looks_like_path(labels.scenario) else ""
        raise ContentError([labels.problem(("scenario",), str(exc), hint)]) from None


def check_disclosed(labels: Labels, setup: ResolvedScenario) -> list[Problem]:
    """Problems with ``disclosed`` ids that are not hidden facts of the scenario's
    persona: such a turn would be judged in a context that cannot happen."""
    known = [fact.id for fact in setup.persona.hidden_facts]
    problems = []
    for i, turn in enumerate(labels.turns):
        for j, fact_id in enumerate(turn.disclosed):
            if fact_id in known:
                continue
            close = difflib.get_close_matches(fact_id, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(known)
            problems.append(
                labels.problem(
                    ("turns", i, "disclosed", j),
                    f"{setup.persona.id} has no hidden fact '{fact_id}'",
                    hint,
                )
            )
    return problems


def context_for(setup: ResolvedScenario, turn: LabelledTurn) -> AssessContext:
    """The context a labelled turn is judged in: the persona's starting patience, its
    openness raised for each fact already disclosed, and no history."""
    persona = setup.persona
    disclosed = tuple(dict.fromkeys(turn.disclosed))
    openness = min(100, persona.openness + OPENNESS_PER_FACT * len(disclosed))
    state = BuyerState(persona.patience, openness, disclosed)
    text = clean_turn_text(turn.text)
    return AssessContext(setup, text, 1 + 2 * len(disclosed), state, ())


async def replay(assessor: Assessor, setup: ResolvedScenario, labels: Labels) -> list[Prediction]:
    """Every labelled turn through ``assessor``, in file order, one at a time.

    A turn the assessor cannot judge (``NoVerdict``) is kept without a verdict and left
    out of the statistics; anything else the assessor raises (an ``EndpointError`` from
    a model that cannot be reached) stops the replay, since every later turn would fail
    the same way.
    """
    predictions = []
    for line, turn in zip(labels.lines, labels.turns, strict=True):
        try:
            assessment = await assessor.assess(context_for(setup, turn))
        except NoVerdict as exc:
            predictions.append(Prediction(line, turn, problem=str(exc)))
            continue
        predictions.append(Prediction(line, turn, assessment.move, assessment.good_use))
    return predictions


def summarise(
    assessor: str,
    description: str,
    predictions: Sequence[Prediction],
    worst: int = DEFAULT_WORST,
) -> AssessorResult:
    """The agreement statistics of one assessor's predictions, over the judged turns."""
    judged = [p for p in predictions if p.judged]
    label_moves = [p.turn.label for p in judged]
    moves = [p.move or "" for p in judged]
    label_use = [p.turn.good_use for p in judged]
    use = [p.good_use or 0 for p in judged]
    disagreements = [
        Disagreement(p.line, p.turn.text, p.turn.label, m, p.turn.good_use, u)
        for p, m, u in zip(judged, moves, use, strict=True)
        if m != p.turn.label or u != p.turn.good_use
    ]
    disagreements.sort(key=lambda d: (-d.severity, d.line))
    return AssessorResult(
        assessor=assessor,
        description=description,
        predictions=tuple(predictions),
        move_accuracy=stats.accuracy(label_moves, moves),
        kappa=stats.cohen_kappa(label_moves, moves),
        confusion=stats.confusion_matrix(label_moves, moves, MOVES),
        exact=stats.within(label_use, use, 0),
        within_one=stats.within(label_use, use, 1),
        spearman=stats.spearman(label_use, use),
        disagreements=len(disagreements),
        worst=tuple(disagreements[: max(0, worst)]),
    )
