"""How a persona reacts, before anyone plays it (``trainer preview``).

For each kind of seller turn, from several starting states and for a weak and a strong
verdict, this asks the engine's own ``react()`` what happens: the change to patience and
openness, the resulting state, whether the buyer ends the call, and which hidden facts
the turn could earn. Nothing here re-implements a rule; every number comes from a call
to ``react()`` with a synthetic assessment, so the preview cannot drift from the engine.
"""

from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from trainer.content.finder import NotFound, looks_like_path
from trainer.content.library import (
    Library,
    LoadedPersona,
    ResolvedScenario,
    Source,
    default_rubric,
    effective_rubric,
    load_persona_file,
)
from trainer.content.models import (
    MOVES,
    Brief,
    HiddenFact,
    Move,
    Persona,
    Product,
    Reaction,
    Scenario,
)
from trainer.content.paths import not_a_file_message
from trainer.content.problems import ContentError
from trainer.content.yaml_loader import read_yaml
from trainer.engine.assessment import Assessment
from trainer.engine.reactions import Reacted, react
from trainer.engine.state import BuyerState

PREVIEW_MOVES: tuple[str, ...] = (
    "pitch",
    "relevant_pitch",
    "pressure",
    "discovery",
    "insight",
    "agenda",
    "injection",
    "other",
)
"""The persona's reaction rules, in the order of its ``reactions:`` block."""

MOVE_NOTES = {
    "pitch": "product talk before learning what they need",
    "relevant_pitch": "product talk that answers a need they disclosed",
    "pressure": "discounts, deadlines, pushing for a yes",
    "discovery": "a good question about their situation",
    "insight": "something useful they did not know",
    "agenda": "a purpose, a request for time, a next step",
    "injection": "words aimed at the trainer, not the buyer",
    "other": "anything else: small talk, vague chat",
}

PATIENCE_LEVELS = (20, 50, 80)
OPENNESS_LEVELS = (10, 40, 70)
VERDICTS = (2, 4)
VERDICT_NAMES = {1: "very weak", 2: "weak", 3: "neutral", 4: "strong", 5: "very strong"}
WIDTH = 100


# ----------------------------------------------------------------------------- finding


def find_persona(argument: str, library: Library) -> LoadedPersona:
    """The persona named by id or path, or ``NotFound``/``ContentError``."""
    if looks_like_path(argument):
        path = Path(argument)
        unusable = not_a_file_message(path, "a persona file", f"no persona file at {path}")
        if unusable is not None:
            raise NotFound(unusable)
        loaded = load_persona_file(path)
        if isinstance(loaded, list):
            data = getattr(read_yaml(path), "data", None)
            if isinstance(data, dict) and "persona" in data and "brief" in data:
                raise NotFound(
                    f"{path} is a scenario; preview its persona instead: "
                    f"trainer preview {data['persona']}"
                )
            raise ContentError(loaded)
        return loaded
    if argument in library.personas:
        return library.personas[argument]
    broken = [p for p in library.problems if p.path.stem == argument]
    if broken:
        raise ContentError(broken)
    if argument in library.scenarios:
        persona = library.scenarios[argument].scenario.persona
        raise NotFound(
            f"'{argument}' is a scenario; preview its persona instead: trainer preview {persona}"
        )
    known = sorted(library.personas)
    close = difflib.get_close_matches(argument, known, n=1) or [
        k for k in known if argument.lower() in k
    ]
    hint = f" Did you mean '{close[0]}'?" if close else ""
    listing = ", ".join(known) if known else "none"
    raise NotFound(f"no persona '{argument}'.{hint} Known personas: {listing}")


def setup_for(persona: LoadedPersona, library: Library) -> ResolvedScenario:
    """What ``react()`` needs: the first scenario in the library that uses this persona,
    else a minimal one built in memory. Only the persona's rules decide the numbers."""
    for scenario_id in sorted(library.scenarios):
        loaded = library.scenarios[scenario_id]
        if loaded.scenario.persona == persona.persona.id:
            return ResolvedScenario(
                scenario=loaded.scenario,
                persona=persona.persona,
                rubric=effective_rubric(library.rubric, loaded.scenario),
                scenario_source=loaded.source,
                persona_source=persona.source,
            )
    scenario = minimal_scenario(persona.persona)
    return ResolvedScenario(
        scenario=scenario,
        persona=persona.persona,
        rubric=default_rubric(),
        scenario_source=Source(persona.source.path, ""),
        persona_source=persona.source,
    )


def minimal_scenario(persona: Persona) -> Scenario:
    """A scenario with nothing in it but the persona, for previewing a persona alone."""
    return Scenario(
        id="preview",
        title=f"Preview of {persona.name}",
        setting="cold_call",
        persona=persona.id,
        difficulty="medium",
        summary="A persona preview.",
        brief=Brief(
            situation="A persona preview.",
            product=Product(
                name="Product", summary="A product.", vocabulary=["product", "platform", "demo"]
            ),
            research=["Nothing."],
        ),
        objectives=["Preview the persona."],
    )


# ----------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Cell:
    """One move at one starting state and one verdict, as ``react()`` decided it."""

    good_use: int
    patience_change: int
    openness_change: int
    patience: int
    openness: int
    ending: str | None
    earned_if_asked: tuple[str, ...]
    """Facts this turn earns when the seller touches their topics (one per turn)."""
    volunteered: tuple[str, ...]
    """Facts this turn earns even when the seller does not touch their topics."""
    guarded: tuple[str, ...]
    """Facts whose topics get a guarded reply: asked, but not open enough yet."""

    @property
    def ends_call(self) -> bool:
        return self.ending == "buyer"


@dataclass(frozen=True)
class Row:
    patience: int
    openness: int
    start: bool
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class MovePreview:
    move: str
    rule: Reaction
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Preview:
    setup: ResolvedScenario
    synthetic_scenario: bool
    verdicts: tuple[int, ...]
    moves: tuple[MovePreview, ...]

    @property
    def persona(self) -> Persona:
        return self.setup.persona


def assessment_for(move: str, good_use: int) -> Assessment:
    """A synthetic assessment: this move, this verdict, a short turn, no next step."""
    kind = "pitch" if move == "relevant_pitch" else move
    if kind not in MOVES:
        raise ValueError(f"no move '{move}'; use one of: {', '.join(PREVIEW_MOVES)}")
    return Assessment(
        move=cast(Move, kind),
        good_use=good_use,
        criteria={},
        evidence=(),
        tip="",
        reason=f"preview: {move}, good use {good_use}",
        relevant_pitch=move == "relevant_pitch",
    )


def _react(
    setup: ResolvedScenario, assessment: Assessment, text: str, before: BuyerState
) -> Reacted:
    return react(setup, assessment, text, before, turns_taken=1)


def cell(setup: ResolvedScenario, move: str, good_use: int, patience: int, openness: int) -> Cell:
    """Ask ``react()`` what one turn does from one state.

    The state change comes from one call. Each hidden fact is then tried on its own (the
    others marked as already told, since ``react()`` gives at most one fact a turn): once
    with the seller touching its first topic, once with words that touch nothing.
    """
    assessment = assessment_for(move, good_use)
    before = BuyerState(patience, openness)
    reacted = _react(setup, assessment, "", before)
    patience_change = sum(c.delta for c in reacted.changes if c.field == "patience")
    openness_change = sum(c.delta for c in reacted.changes if c.field == "openness")
    asked: list[str] = []
    volunteered: list[str] = []
    guarded: list[str] = []
    facts = setup.persona.hidden_facts
    if reacted.ending != "buyer":
        for fact in facts:
            others = tuple(f.id for f in facts if f.id != fact.id)
            alone = BuyerState(patience, openness, others)
            on_topic = _react(setup, assessment, _topic_text(fact), alone)
            if fact in on_topic.new_facts:
                asked.append(fact.id)
            elif on_topic.withheld_topic:
                guarded.append(fact.id)
            if fact in _react(setup, assessment, "", alone).new_facts:
                volunteered.append(fact.id)
    return Cell(
        good_use=good_use,
        patience_change=patience_change,
        openness_change=openness_change,
        patience=reacted.state.patience,
        openness=reacted.state.openness,
        ending=reacted.ending,
        earned_if_asked=tuple(asked),
        volunteered=tuple(volunteered),
        guarded=tuple(guarded),
    )


def _topic_text(fact: HiddenFact) -> str:
    return f"What about {fact.topics[0]}?"


def starting_states(
    persona: Persona,
    patience_levels: tuple[int, ...] = PATIENCE_LEVELS,
    openness_levels: tuple[int, ...] = OPENNESS_LEVELS,
) -> list[tuple[int, int, bool]]:
    """The persona's own starting state first, then the grid."""
    states = [(persona.patience, persona.openness, True)]
    states += [(p, o, False) for p in patience_levels for o in openness_levels]
    return states


def build_preview(
    setup: ResolvedScenario,
    synthetic_scenario: bool = False,
    verdicts: tuple[int, ...] = VERDICTS,
    patience_levels: tuple[int, ...] = PATIENCE_LEVELS,
    openness_levels: tuple[int, ...] = OPENNESS_LEVELS,
) -> Preview:
    persona = setup.persona
    states = starting_states(persona, patience_levels, openness_levels)
    moves = []
    for move in PREVIEW_MOVES:
        rows = tuple(
            Row(p, o, start, tuple(cell(setup, move, v, p, o) for v in verdicts))
            for p, o, start in states
        )
        moves.append(MovePreview(move, getattr(persona.reactions, move), rows))
    return Preview(setup, synthetic_scenario, tuple(verdicts), tuple(moves))


def preview_persona(argument: str, library: Library) -> Preview:
    """The preview for a persona named by id or path."""
    loaded = find_persona(argument, library)
    setup = setup_for(loaded, library)
    return build_preview(setup, synthetic_scenario=setup.scenario.id == "preview")


# ----------------------------------------------------------------------------- output


def fact_letters(persona: Persona) -> dict[str, str]:
    """A short mark per hidden fact for the table: A, B, C..., then numbers."""
    marks = [chr(ord("A") + i) for i in range(26)]
    return {
        f.id: marks[i] if i < len(marks) else str(i + 1) for i, f in enumerate(persona.hidden_facts)
    }


def _state(label: str, before: int, after: int, change: int) -> str:
    return f"{label} {before}→{after} ({change:+d})"


def _cell_text(row: Row, c: Cell, letters: dict[str, str]) -> tuple[str, str, str]:
    patience = _state("P", row.patience, c.patience, c.patience_change)
    openness = _state("O", row.openness, c.openness, c.openness_change)
    if c.ends_call:
        return patience, openness, "ENDS CALL"
    facts = [letters[f] for f in c.earned_if_asked]
    facts += [letters[f] for f in c.volunteered if f not in c.earned_if_asked]
    return patience, openness, " ".join(facts)


def render_text(preview: Preview) -> str:
    persona = preview.persona
    letters = fact_letters(persona)
    s = persona.sensitivity
    about = (
        f"Starts at patience {persona.patience}, openness {persona.openness}. Each verdict "
        f"point above or below 3 moves patience by {s.patience} and openness by "
        f"{s.openness}. Turns over {s.words} words cost extra patience (not shown: every "
        "turn here is short)."
    )
    lines = [
        f"{persona.name} — {persona.role}, {persona.organisation} ({persona.id})",
        *textwrap.wrap(about, WIDTH - 8),
        "",
        "P = patience, O = openness (0-100): before→after (change). ENDS CALL: patience hit 0.",
        "Letters: hidden facts this turn can earn (one per turn) if the seller asks about them;",
        "a fact marked 'offered unasked' needs no question.",
    ]
    for fact in persona.hidden_facts:
        how = "when asked about it" if fact.when.on_topic else "offered unasked"
        lines.append(f"  {letters[fact.id]}  {fact.id}: openness {fact.when.openness}+, {how}")
    where = (
        "no scenario uses this persona yet"
        if preview.synthetic_scenario
        else f"as in scenario {preview.setup.scenario.id}"
    )
    lines.append(f"Every number comes from the engine's own react() ({where}).")

    titles = [f"{VERDICT_NAMES.get(v, str(v))} turn (good use {v}/5)" for v in preview.verdicts]
    for move in preview.moves:
        lines.append("")
        lines.append(
            f"{move.move}: {MOVE_NOTES[move.move]} "
            f"(rule: patience {move.rule.patience:+d}, openness {move.rule.openness:+d})"
        )
        lines += _table(move, titles, letters)
    return "\n".join(lines) + "\n"


def _table(move: MovePreview, titles: list[str], letters: dict[str, str]) -> list[str]:
    """Rows: starting states; columns: verdicts; each cell P, O and what else happens."""
    texts = [[_cell_text(row, c, letters) for c in row.cells] for row in move.rows]
    parts = [
        [max(len(row[i][part]) for row in texts) for part in range(3)] for i in range(len(titles))
    ]
    columns = [
        max(len(title), part[0] + 2 + part[1] + 2 + part[2])
        for title, part in zip(titles, parts, strict=True)
    ]
    labels = [
        f"{row.patience:>3}/{row.openness:<3}" + (" start" if row.start else "")
        for row in move.rows
    ]
    label_width = max(len("from P/O"), *(len(label) for label in labels))
    head = f"  {'from P/O':<{label_width}}"
    for title, width in zip(titles, columns, strict=True):
        head += f"   {title:<{width}}"
    out = [head.rstrip()]
    for label, row_texts in zip(labels, texts, strict=True):
        line = f"  {label:<{label_width}}"
        for (p, o, extra), part, width in zip(row_texts, parts, columns, strict=True):
            text = f"{p:<{part[0]}}  {o:<{part[1]}}  {extra}"
            line += f"   {text:<{width}}"
        out.append(line.rstrip())
    return out


def to_json(preview: Preview) -> dict[str, Any]:
    persona = preview.persona
    s = persona.sensitivity
    return {
        "persona": {
            "id": persona.id,
            "name": persona.name,
            "path": str(preview.setup.persona_source.path),
            "patience": persona.patience,
            "openness": persona.openness,
            "sensitivity": {"patience": s.patience, "openness": s.openness, "words": s.words},
        },
        "scenario": None if preview.synthetic_scenario else preview.setup.scenario.id,
        "verdicts": list(preview.verdicts),
        "facts": [
            {"id": f.id, "openness": f.when.openness, "on_topic": f.when.on_topic}
            for f in persona.hidden_facts
        ],
        "moves": [
            {
                "move": move.move,
                "rule": {"patience": move.rule.patience, "openness": move.rule.openness},
                "rows": [
                    {
                        "patience": row.patience,
                        "openness": row.openness,
                        "start": row.start,
                        "cells": [
                            {
                                "good_use": c.good_use,
                                "patience_change": c.patience_change,
                                "openness_change": c.openness_change,
                                "patience": c.patience,
                                "openness": c.openness,
                                "ends_call": c.ends_call,
                                "ending": c.ending,
                                "earned_if_asked": list(c.earned_if_asked),
                                "volunteered": list(c.volunteered),
                                "guarded": list(c.guarded),
                            }
                            for c in row.cells
                        ],
                    }
                    for row in move.rows
                ],
            }
            for move in preview.moves
        ],
    }
