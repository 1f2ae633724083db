"""Labelled seller turns for the assessor tests: single turns built in a test, and the
starter scenarios' turns from the shipped corpus (corpus/turns/starter-relabelled.yaml,
labelled from docs/judging.md), replayed with the context each label describes."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from trainer.authoring.calibration import LabelledTurn
from trainer.authoring.calibration import context_for as calibration_context
from trainer.content.library import Library
from trainer.engine.assessment import Assessment
from trainer.engine.ports import AssessContext, Assessor
from trainer.offline.assessor import assess_turn

LABELS = Path(__file__).resolve().parents[1] / "corpus" / "turns" / "starter-relabelled.yaml"


@dataclass(frozen=True)
class Label:
    id: str
    scenario: str
    text: str
    move: str
    good_use: int
    disclosed: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    label: Label
    assessment: Assessment

    @property
    def move_ok(self) -> bool:
        return self.assessment.move == self.label.move

    @property
    def within_one(self) -> bool:
        return abs(self.assessment.good_use - self.label.good_use) <= 1


def load_labels() -> list[Label]:
    data = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    return [
        Label(
            id=row["id"],
            scenario=row["scenario"],
            text=row["text"],
            move=row["label"],
            good_use=int(row["good_use"]),
            disclosed=tuple((row.get("context") or {}).get("disclosed") or ()),
        )
        for row in data["turns"]
    ]


def context_for(label: Label, library: Library) -> AssessContext:
    """The same context ``trainer calibrate`` judges a labelled turn in."""
    turn = LabelledTurn.model_validate(
        {
            "text": label.text,
            "label": label.move,
            "good_use": label.good_use,
            "disclosed": list(label.disclosed),
        }
    )
    return calibration_context(library.resolve(label.scenario), turn)


def judge(
    library: Library,
    text: str,
    disclosed: tuple[str, ...] = (),
    scenario: str = "cold-call-cold-chain",
) -> Assessment:
    """The offline judge's verdict on one turn, in the context a labelled turn has."""
    return assess_turn(context_for(Label("x", scenario, text, "other", 3, disclosed), library))


def evaluate(assessor: Assessor, library: Library, labels: list[Label]) -> list[Result]:
    async def run() -> list[Result]:
        return [
            Result(label, await assessor.assess(context_for(label, library))) for label in labels
        ]

    return asyncio.run(run())


def summary(results: list[Result]) -> str:
    n = len(results)
    moves = sum(r.move_ok for r in results)
    within = sum(r.within_one for r in results)
    confusion = Counter((r.label.move, r.assessment.move) for r in results if not r.move_ok)
    lines = [
        f"{n} turns: move accuracy {moves / n:.1%}, good use within 1: {within / n:.1%}",
        "confusions (label -> assessed): "
        + ", ".join(f"{a}->{b} x{c}" for (a, b), c in confusion.most_common()),
    ]
    for r in results:
        if not (r.move_ok and r.within_one):
            lines.append(
                f"  {r.label.id}: label {r.label.move}/{r.label.good_use}, got "
                f"{r.assessment.move}/{r.assessment.good_use}: {r.label.text[:110]}"
            )
    return "\n".join(lines)
