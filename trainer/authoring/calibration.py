"""Labelled seller turns: reading them, and replaying them through an assessor to
measure how well it agrees with the labels.

A labels file is what a person writes after reading real or scripted turns, following
docs/judging.md::

    scenario: cold-call-cold-chain        # optional default: an id or a path
    turns:
      - text: "What does a late truck cost you at Savannah?"
        label: discovery                  # the move a person would call it
        good_use: 4                       # 1 (waste of time) .. 5 (excellent use)
        scenario: other-scenario          # optional: this turn's own scenario
        context:                          # optional: the call before this turn
          exchanges: [{seller: "...", buyer: "..."}]
          disclosed: [detention-bill]     # facts the buyer revealed in them

It is read with the strict YAML reader and checked with a model that forbids unknown
fields, so every mistake is reported as ``file:line:col: field: message (hint)`` like
``trainer validate`` does. Each turn is judged on its own, in the context it describes,
so the results do not depend on the order of the turns. The same files train the
offline judge (``trainer judge train``).
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
from trainer.engine.ports import AssessContext, Assessor, Exchange, NoVerdict
from trainer.engine.session import HISTORY_WINDOW
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


class LabelledExchange(StrictModel):
    """One earlier exchange of the call: what the seller said and how the buyer replied."""

    seller: Text = Field(description="What the seller said.")
    buyer: Text = Field(description="What the buyer replied.")


class CallSoFar(StrictModel):
    """The call before a labelled turn: its exchanges and the facts the buyer disclosed."""

    exchanges: list[LabelledExchange] = Field(
        default_factory=list, description="The earlier exchanges, oldest first."
    )
    disclosed: list[Slug] = Field(
        default_factory=list,
        description="Hidden facts (ids) the buyer revealed in those exchanges.",
    )


class LabelledTurn(StrictModel):
    """One seller turn and how a person judged it (docs/judging.md is the standard)."""

    id: Slug | None = Field(default=None, description="A name for the turn, unique in the file.")
    scenario: Text | None = Field(
        default=None,
        description="The scenario this turn is said in (an id or a path), if not the file's.",
    )
    text: Text = Field(description="What the seller said, exactly as it would be typed.")
    label: Move = Field(description="The move a person would call this turn.")
    good_use: Score = Field(
        description="How good a use of the buyer's time it is: 1 (waste) .. 5 (excellent)."
    )
    disclosed: list[Slug] = Field(
        default_factory=list,
        description="Hidden facts (ids) the buyer had already revealed before this turn "
        "(shorthand for context.disclosed).",
    )
    context: CallSoFar | None = Field(
        default=None, description="The call before this turn: exchanges and disclosed facts."
    )
    note: Text | None = Field(default=None, description="Why the label is what it is.")

    @property
    def facts_disclosed(self) -> tuple[str, ...]:
        """Every fact the buyer had revealed before this turn, in order, once each."""
        earlier = self.context.disclosed if self.context else []
        return tuple(dict.fromkeys([*self.disclosed, *earlier]))

    @property
    def exchanges(self) -> tuple[LabelledExchange, ...]:
        return tuple(self.context.exchanges) if self.context else ()


class LabelFile(StrictModel):
    """Labelled turns, to calibrate an assessor against or to train the offline judge."""

    scenario: Text | None = Field(
        default=None,
        description="The scenario's id, or a path to its file (relative to this file), for "
        "turns that name none; default: the library's first scenario by id.",
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
class Sample:
    """One labelled turn, ready to judge: where it is written and the scenario it is in."""

    path: Path
    line: int
    turn: LabelledTurn
    setup: ResolvedScenario

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def scenario_id(self) -> str:
        return self.setup.scenario.id


@dataclass(frozen=True)
class Prediction:
    """What one assessor said about one labelled turn: a move and a good-use verdict,
    or why it gave none (a model whose answers were unusable)."""

    sample: Sample
    move: str | None = None
    good_use: int | None = None
    problem: str | None = None

    @property
    def judged(self) -> bool:
        return self.move is not None and self.good_use is not None

    @property
    def turn(self) -> LabelledTurn:
        return self.sample.turn

    @property
    def line(self) -> int:
        return self.sample.line


@dataclass(frozen=True)
class Disagreement:
    """A turn where the assessor and the label differ."""

    path: Path
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

    @property
    def severe_inversion(self) -> bool:
        return is_severe_inversion(self.good_use, self.predicted_good_use)


def is_severe_inversion(label: int, predicted: int) -> bool:
    """A poor turn (1-2) judged good (4-5), or a good one judged poor: the verdicts that
    teach a trainee the opposite lesson."""
    return (label <= 2 and predicted >= 4) or (label >= 4 and predicted <= 2)


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
    severe_inversions: int
    manipulation_caught: int
    manipulation_total: int
    false_alarms: int
    legitimate_total: int
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

    @property
    def severe_inversion_rate(self) -> float | None:
        return self.severe_inversions / self.judged if self.judged else None

    @property
    def manipulation_recall(self) -> float | None:
        total = self.manipulation_total
        return self.manipulation_caught / total if total else None

    @property
    def false_alarm_rate(self) -> float | None:
        total = self.legitimate_total
        return self.false_alarms / total if total else None


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
    seen: dict[str, int] = {}
    for i, turn in enumerate(labels.turns):
        trouble = check_turn_text(turn.text)
        if trouble is not None:
            problems.append(labels.problem(("turns", i, "text"), trouble.message))
        if turn.id is not None:
            if turn.id in seen:
                problems.append(
                    labels.problem(
                        ("turns", i, "id"),
                        f"the id '{turn.id}' is also used on line {seen[turn.id]}",
                        "give each turn its own id",
                    )
                )
            else:
                seen[turn.id] = labels.lines[i]
    if problems:
        raise ContentError(problems)
    return labels


def _where(doc: YamlDocument, loc: tuple[int | str, ...]) -> tuple[int, int]:
    """Line and column (1-based) of the value ``loc`` names, or of the closest node."""
    node, _ = node_at(doc.root, loc)
    if node is None:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def _first_scenario(labels: Labels, library: Library) -> ResolvedScenario:
    """The library's first scenario by id, for a file and turn that name none."""
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


def _named_scenario(
    labels: Labels, argument: str, loc: tuple[int | str, ...], library: Library
) -> ResolvedScenario:
    """The scenario an id or a path names (a path is taken relative to the labels file
    first); ``ContentError`` located at ``loc`` if there is none."""
    named = argument
    if looks_like_path(argument) and not Path(argument).is_absolute():
        beside = labels.path.parent / argument
        if beside.is_file():
            named = str(beside)
    try:
        return find_scenario(named, library)
    except NotFound as exc:
        path_hint = "a path is taken relative to this file, then to the current folder"
        hint = path_hint if looks_like_path(argument) else ""
        raise ContentError([labels.problem(loc, str(exc), hint)]) from None


def resolve_scenario(labels: Labels, library: Library) -> ResolvedScenario:
    """The file's default scenario: its ``scenario`` (an id or a path), else the
    library's first scenario by id. ``ContentError`` if it is unknown or broken, located
    in whichever file is at fault; ``NotFound`` if none is named and the library has none."""
    if labels.scenario is None:
        return _first_scenario(labels, library)
    return _named_scenario(labels, labels.scenario, ("scenario",), library)


def samples_of(labels: Labels, library: Library) -> list[Sample]:
    """Every turn of ``labels`` with the scenario it is said in, checked: each named
    scenario exists and each disclosed fact is one of its persona's. ``ContentError``
    lists every problem, at its line."""
    problems: list[Problem] = []
    default: ResolvedScenario | None = None
    found: dict[str, ResolvedScenario] = {}
    samples: list[Sample] = []
    for i, (line, turn) in enumerate(zip(labels.lines, labels.turns, strict=True)):
        try:
            if turn.scenario is not None:
                if turn.scenario not in found:
                    loc = ("turns", i, "scenario")
                    found[turn.scenario] = _named_scenario(labels, turn.scenario, loc, library)
                setup = found[turn.scenario]
            else:
                if default is None:
                    default = resolve_scenario(labels, library)
                setup = default
        except ContentError as exc:
            problems += [p for p in exc.problems if p not in problems]
            continue
        problems += _unknown_facts(labels, i, turn, setup)
        samples.append(Sample(labels.path, line, turn, setup))
    if problems:
        raise ContentError(problems)
    return samples


def _unknown_facts(
    labels: Labels, index: int, turn: LabelledTurn, setup: ResolvedScenario
) -> list[Problem]:
    """Disclosed ids that are not hidden facts of the turn's persona: such a turn would be
    judged in a context that cannot happen."""
    known = [fact.id for fact in setup.persona.hidden_facts]
    listed: list[tuple[tuple[int | str, ...], str]] = [
        (("turns", index, "disclosed", j), fact_id) for j, fact_id in enumerate(turn.disclosed)
    ]
    if turn.context is not None:
        listed += [
            (("turns", index, "context", "disclosed", j), fact_id)
            for j, fact_id in enumerate(turn.context.disclosed)
        ]
    problems = []
    for loc, fact_id in listed:
        if fact_id in known:
            continue
        close = difflib.get_close_matches(fact_id, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(known)
        problems.append(
            labels.problem(loc, f"{setup.persona.id} has no hidden fact '{fact_id}'", hint)
        )
    return problems


def load_samples(paths: Sequence[Path], library: Library) -> list[Sample]:
    """Every labelled turn in ``paths``, in order; ``ContentError`` with the problems of
    every file (not just the first that has some)."""
    problems: list[Problem] = []
    samples: list[Sample] = []
    for path in paths:
        try:
            samples += samples_of(load_labels(path), library)
        except ContentError as exc:
            problems += exc.problems
    if problems:
        raise ContentError(problems)
    return samples


def context_for(setup: ResolvedScenario, turn: LabelledTurn) -> AssessContext:
    """The context a labelled turn is judged in: its earlier exchanges as history (the
    engine's window of them), the persona's starting patience, and its openness raised
    for each fact already disclosed. The turn index counts the exchanges, or two turns
    per disclosed fact when the file gives no exchanges."""
    persona = setup.persona
    disclosed = turn.facts_disclosed
    openness = min(100, persona.openness + OPENNESS_PER_FACT * len(disclosed))
    state = BuyerState(persona.patience, openness, disclosed)
    text = clean_turn_text(turn.text)
    exchanges = turn.exchanges
    history = tuple(
        Exchange(clean_turn_text(e.seller), clean_turn_text(e.buyer)) for e in exchanges
    )[-HISTORY_WINDOW:]
    index = 1 + (len(exchanges) if exchanges else 2 * len(disclosed))
    return AssessContext(setup, text, index, state, history)


async def replay(assessor: Assessor, samples: Sequence[Sample]) -> list[Prediction]:
    """Every labelled turn through ``assessor``, in order, one at a time.

    A turn the assessor cannot judge (``NoVerdict``) is kept without a verdict and left
    out of the statistics; anything else the assessor raises (an ``EndpointError`` from
    a model that cannot be reached) stops the replay, since every later turn would fail
    the same way.
    """
    predictions = []
    for sample in samples:
        try:
            assessment = await assessor.assess(context_for(sample.setup, sample.turn))
        except NoVerdict as exc:
            predictions.append(Prediction(sample, problem=str(exc)))
            continue
        predictions.append(Prediction(sample, assessment.move, assessment.good_use))
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
        Disagreement(p.sample.path, p.line, p.turn.text, p.turn.label, m, p.turn.good_use, u)
        for p, m, u in zip(judged, moves, use, strict=True)
        if m != p.turn.label or u != p.turn.good_use
    ]
    disagreements.sort(key=lambda d: (-d.severity, str(d.path), d.line))
    attempts = [m for label, m in zip(label_moves, moves, strict=True) if label == "injection"]
    legitimate = [m for label, m in zip(label_moves, moves, strict=True) if label != "injection"]
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
        severe_inversions=sum(
            is_severe_inversion(a, b) for a, b in zip(label_use, use, strict=True)
        ),
        manipulation_caught=sum(m == "injection" for m in attempts),
        manipulation_total=len(attempts),
        false_alarms=sum(m == "injection" for m in legitimate),
        legitimate_total=len(legitimate),
        disagreements=len(disagreements),
        worst=tuple(disagreements[: max(0, worst)]),
    )
