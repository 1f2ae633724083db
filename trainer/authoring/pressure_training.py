"""Fitting the pressure classifier (``trainer.engine.pressure``) on labelled seller turns.

Run ``python -m trainer.authoring.pressure_training`` (needs scikit-learn, the ``train``
extra): it reads ``corpus/pressure/*.jsonl`` (one ``{"id", "world", "kind", "text"}`` per
line, written for this from the labelling guide by people who never saw the classifier),
prints cross-validated figures (folds by buyer world, and each author's turns judged by a
model fitted on the other's), and with ``--write`` saves the model fitted on everything.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.engine.pressure import CLASSES, SHIPPED, PressureModel, features
from trainer.errors import InputError

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "pressure"
C = 2.0
MIN_COUNT = 2
FOLDS = 5


@dataclass(frozen=True)
class Example:
    id: str
    world: str
    kind: str
    text: str
    part: str


class PressureCorpusError(InputError):
    """A corpus line that cannot be used: the message names the file and line."""


def read_corpus(folder: Path = CORPUS) -> list[Example]:
    examples: list[Example] = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                kind = str(row["kind"])
                text = str(row["text"])
            except (ValueError, KeyError, TypeError) as exc:
                raise PressureCorpusError(f"{path}:{number}: {exc}") from None
            if kind not in CLASSES:
                raise PressureCorpusError(f"{path}:{number}: unknown kind {kind!r}")
            world = str(row.get("world", ""))
            examples.append(Example(str(row.get("id", number)), world, kind, text, path.stem))
    return examples


def fit(examples: Sequence[Example], c: float = C, min_count: int = MIN_COUNT) -> PressureModel:
    try:
        from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    except ImportError:
        raise SystemExit("fitting needs scikit-learn: pip install 'trainer[train]'") from None
    rows = [features(e.text) for e in examples]
    counts: Counter[str] = Counter(k for row in rows for k in row)
    kept = [{k: v for k, v in row.items() if counts[k] >= min_count} for row in rows]
    vectorizer = DictVectorizer(sparse=True)
    matrix = vectorizer.fit_transform(kept)
    labels = [CLASSES.index(e.kind) for e in examples]
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(matrix, labels)
    order = [list(model.classes_).index(k) for k in range(len(CLASSES))]
    names = [str(n) for n in vectorizer.get_feature_names_out()]
    weights: dict[str, tuple[float, ...]] = {}
    for column, name in enumerate(names):
        row = tuple(float(model.coef_[k][column]) for k in order)
        if max(abs(v) for v in row) >= 1e-4:
            weights[name] = row
    intercepts = tuple(float(model.intercept_[k]) for k in order)
    trained_on: dict[str, Any] = {
        "turns": len(examples),
        "kinds": dict(sorted(Counter(e.kind for e in examples).items())),
        "worlds": len({e.world for e in examples}),
        "parts": sorted({e.part for e in examples}),
        "c": c,
        "min_count": min_count,
    }
    return PressureModel(intercepts, weights, trained_on)


def predicted(model: PressureModel, examples: Sequence[Example]) -> list[str]:
    out = []
    for e in examples:
        chances = model.probabilities(features(e.text))
        out.append(max(CLASSES, key=lambda cls: chances[cls]))
    return out


def report(name: str, examples: Sequence[Example], guesses: Sequence[str]) -> list[str]:
    right = sum(g == e.kind for g, e in zip(guesses, examples, strict=True))
    pushes = [(g, e) for g, e in zip(guesses, examples, strict=True) if e.kind != "none"]
    kind_right = sum(g == e.kind for g, e in pushes)
    false_push = sum(
        g != "none" for g, e in zip(guesses, examples, strict=True) if e.kind == "none"
    )
    nones = sum(e.kind == "none" for e in examples)
    lines = [
        f"{name}: {right}/{len(examples)} right ({100 * right / len(examples):.1f}%); "
        f"pressure turns given their kind {kind_right}/{len(pushes)} "
        f"({100 * kind_right / max(1, len(pushes)):.1f}%); "
        f"turns with no pressure read as pressure {false_push}/{nones}"
    ]
    confusion: Counter[tuple[str, str]] = Counter(
        (e.kind, g) for g, e in zip(guesses, examples, strict=True) if g != e.kind
    )
    for (want, got), n in confusion.most_common(6):
        lines.append(f"    {want} read as {got}: {n}")
    return lines


def cross_validated(examples: Sequence[Example]) -> list[str]:
    """Folds by world (no world's turns on both sides), then author against author."""
    worlds = sorted({e.world for e in examples})
    random.Random(13).shuffle(worlds)
    fold_of = {w: i % FOLDS for i, w in enumerate(worlds)}
    guesses: dict[str, str] = {}
    for fold in range(FOLDS):
        train = [e for e in examples if fold_of[e.world] != fold]
        test = [e for e in examples if fold_of[e.world] == fold]
        for e, g in zip(test, predicted(fit(train), test), strict=True):
            guesses[e.id] = g
    lines = report(
        f"cross-validated by world ({FOLDS} folds)", examples, [guesses[e.id] for e in examples]
    )
    parts: defaultdict[str, list[Example]] = defaultdict(list)
    for e in examples:
        parts[e.part].append(e)
    if len(parts) > 1:
        for part, mine in sorted(parts.items()):
            others = [e for e in examples if e.part != part]
            lines += report(
                f"{part} judged by a model fitted on the others", mine, predicted(fit(others), mine)
            )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--write", action="store_true", help=f"save the model to {SHIPPED}")
    args = parser.parse_args(argv)
    examples = read_corpus(args.corpus)
    print(f"{len(examples)} turns, {len({e.world for e in examples})} worlds")
    for line in cross_validated(examples):
        print(line)
    model = fit(examples)
    for line in report("in-sample", examples, predicted(model, examples)):
        print(line)
    if args.write:
        model.save(SHIPPED)
        print(f"wrote {SHIPPED} ({len(model.weights)} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
