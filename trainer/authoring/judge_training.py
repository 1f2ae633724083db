"""Fitting the offline judge to labelled turns, and measuring it fairly.

Training needs scikit-learn (the ``train`` extra); judging does not: the fitted weights
are copied into a ``JudgeModel`` that scores in plain Python. ``cross_validate`` holds
out one scenario at a time (leave-one-scenario-out), refitting everything, the shared
stems included, on the other scenarios only, so its figures say how the judge does on a
buyer world it has never seen.

It is an authoring tool, not part of ``trainer/offline/``: it replays turns through
authoring's calibration (``replay``, ``context_for``), and the judge a trainee meets loads
the fitted file and needs none of this.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from trainer.authoring.calibration import Prediction, Sample, context_for, replay
from trainer.content.models import MOVES
from trainer.errors import InputError
from trainer.offline.assessor import OfflineAssessor
from trainer.offline.background import Background
from trainer.offline.decision import use_features
from trainer.offline.model import USE_THRESHOLDS, JudgeModel, Layer
from trainer.offline.reading import Reading, read
from trainer.offline.vocabulary import STOPWORDS, content_stems, vocabulary_for

USES = ("1", "2", "3", "4", "5")


class TrainingError(InputError):
    """The labelled turns cannot train a judge (scikit-learn missing, a move with no
    turns); the message says what to do."""


@dataclass(frozen=True)
class Settings:
    """How the judge is fitted. The defaults are chosen by leave-one-scenario-out
    cross-validation on the shipped corpus, never on the locked test set."""

    c_move: float = 4.0
    c_use: float = 2.0
    min_count: int = 2
    common_worlds: int = 3
    max_iter: int = 3000


def common_stems(samples: Sequence[Sample], worlds: int) -> frozenset[str]:
    """Stems used in the turns of at least ``worlds`` different scenarios: the words
    every buyer conversation shares, as opposed to one world's own."""
    seen: dict[str, set[str]] = defaultdict(set)
    for sample in _in_their_own_world(samples):
        texts = [sample.turn.text, *(e.seller for e in sample.turn.exchanges)]
        for text in texts:
            for stem in content_stems(text):
                seen[stem].add(sample.scenario_id)
    return frozenset(stem for stem, where in seen.items() if len(where) >= worlds)


def _in_their_own_world(samples: Sequence[Sample]) -> list[Sample]:
    """Turns that are not a waste of the buyer's time: a script meant for another buyer
    (always judged 1) would make that buyer's words look common to every world."""
    return [s for s in samples if s.turn.good_use >= 2]


_CAPITALISED = re.compile(r"\b([A-Z][a-z][a-zA-Z'-]+)")
_LOWER_WORD = re.compile(r"(?<![.!?]\s)(?<=\s)([a-z][a-z'-]{2,})\b")


def lower_case_words(samples: Sequence[Sample], worlds: int) -> frozenset[str]:
    """Words sellers write in lower case mid-sentence, in the turns of at least ``worlds``
    scenarios: a capitalised one at the start of a sentence is a word, not somebody's
    name (a name typed in lower case stays in its own world)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for sample in _in_their_own_world(samples):
        for text in (sample.turn.text, *(e.seller for e in sample.turn.exchanges)):
            for word in _LOWER_WORD.findall(text):
                seen[word].add(sample.scenario_id)
    return frozenset(word for word, where in seen.items() if len(where) >= worlds)


def world_names(samples: Sequence[Sample], words: frozenset[str]) -> frozenset[str]:
    """Names that belong to exactly one buyer world of ``samples`` (its people, company,
    product, sites): in that world's files and in no other's, and not something sellers
    in other worlds mention too ("Chicago", "Slack"). Said to another buyer, they show a
    seller reading someone else's script."""
    in_files: dict[str, set[str]] = defaultdict(set)
    for setup in {id(s.setup): s.setup for s in samples}.values():
        vocabulary = vocabulary_for(setup)
        for name in vocabulary.names | vocabulary.buyer_names:
            in_files[name].add(setup.scenario.id)
    in_turns: dict[str, set[str]] = defaultdict(set)
    for sample in _in_their_own_world(samples):
        for name in _CAPITALISED.findall(sample.turn.text):
            in_turns[name.lower()].add(sample.scenario_id)
    found = set()
    for name, worlds in in_files.items():
        if len(worlds) != 1 or name in words or name in STOPWORDS or len(name) < 3:
            continue
        if len(in_turns.get(name, set()) - worlds) >= 2:
            continue  # other worlds' sellers say it too
        found.add(name)
    return frozenset(found)


def world_terms(samples: Sequence[Sample], worlds: int) -> frozenset[str]:
    """Stems in the files of fewer than ``worlds`` buyer worlds: the vocabulary of a
    trade (dock, reefer, denials, millwrights), not of selling in general."""
    seen: dict[str, set[str]] = defaultdict(set)
    for setup in {id(s.setup): s.setup for s in samples}.values():
        for stem in vocabulary_for(setup).own:
            seen[stem].add(setup.scenario.id)
    return frozenset(stem for stem, where in seen.items() if len(where) < worlds)


def background_of(samples: Sequence[Sample], settings: Settings) -> Background:
    words = lower_case_words(samples, settings.common_worlds)
    common = common_stems(samples, settings.common_worlds)
    return Background(
        common,
        words,
        world_names(samples, words),
        world_terms(samples, settings.common_worlds) - common,
    )


def reading_of(sample: Sample, background: Background | None = None) -> Reading:
    return read(context_for(sample.setup, sample.turn), background)


def _sklearn() -> tuple[Any, Any]:
    try:
        from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    except ImportError:
        raise TrainingError(
            "training the judge needs scikit-learn: pip install 'trainer[train]' "
            "(or pip install scikit-learn)"
        ) from None
    return DictVectorizer, LogisticRegression


def _matrix(rows: list[dict[str, float]], min_count: int) -> tuple[Any, list[str]]:
    """The rows as a sparse matrix over the features seen at least ``min_count`` times
    (a word one labeller used once teaches nothing), and the features' names."""
    dict_vectorizer, _ = _sklearn()
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(row.keys())
    kept = [{k: v for k, v in row.items() if counts[k] >= min_count} for row in rows]
    vectorizer = dict_vectorizer(sparse=True)
    matrix = vectorizer.fit_transform(kept)
    return matrix, [str(n) for n in vectorizer.get_feature_names_out()]


def _fit_ordinal(
    rows: list[dict[str, float]], uses: list[int], c: float, min_count: int, max_iter: int
) -> Layer:
    """One binary logistic regression per step (at least 2, 3, 4, 5), sharing features."""
    _, logistic_regression = _sklearn()
    matrix, names = _matrix(rows, min_count)
    columns = []
    intercepts = []
    for threshold in USE_THRESHOLDS:
        target = [int(u >= int(threshold)) for u in uses]
        model = logistic_regression(C=c, max_iter=max_iter)
        model.fit(matrix, target)
        columns.append(model.coef_[0])
        intercepts.append(float(model.intercept_[0]))
    weights = {
        str(name): tuple(float(column[j]) for column in columns)
        for j, name in enumerate(names)
        if any(abs(column[j]) > 1e-4 for column in columns)
    }
    return Layer(USE_THRESHOLDS, tuple(intercepts), weights)


def _fit_layer(
    rows: list[dict[str, float]],
    labels: list[str],
    classes: Sequence[str],
    c: float,
    min_count: int,
    max_iter: int,
) -> Layer:
    _, logistic_regression = _sklearn()
    matrix, names = _matrix(rows, min_count)
    model = logistic_regression(C=c, max_iter=max_iter)
    model.fit(matrix, labels)
    order = [list(model.classes_).index(k) for k in classes]
    coef = model.coef_
    weights = {
        str(name): tuple(float(coef[k, j]) for k in order)
        for j, name in enumerate(names)
        if any(abs(coef[k, j]) > 1e-4 for k in order)
    }
    return Layer(tuple(classes), tuple(float(model.intercept_[k]) for k in order), weights)


def fit(
    samples: Sequence[Sample],
    settings: Settings | None = None,
    describe: dict[str, Any] | None = None,
) -> JudgeModel:
    """A judge fitted to ``samples``. ``TrainingError`` if a move or a good-use score has
    no turns (the layer could not learn it)."""
    settings = settings or Settings()
    moves: Counter[str] = Counter(s.turn.label for s in samples)
    missing = [m for m in MOVES if not moves[m]]
    if missing:
        raise TrainingError(
            "the labelled turns have no turn labelled " + ", ".join(missing) + "; every move "
            "needs examples (the shipped corpus has them: train on top of it)"
        )
    uses = Counter(str(s.turn.good_use) for s in samples)
    missing_uses = [u for u in USES if not uses[u]]
    if missing_uses:
        raise TrainingError(
            "the labelled turns have no turn with good use " + ", ".join(missing_uses)
        )
    background = background_of(samples, settings)
    readings = [reading_of(s, background) for s in samples]
    move_layer = _fit_layer(
        [r.features for r in readings],
        [s.turn.label for s in samples],
        MOVES,
        settings.c_move,
        settings.min_count,
        settings.max_iter,
    )
    # an injection is good use 1 by rule: its words must not teach the good-use layer that
    # "ignore" or "rating" in an ordinary sentence is a waste of time
    judged = [(r, s) for r, s in zip(readings, samples, strict=True) if s.turn.label != "injection"]
    use_layer = _fit_ordinal(
        [use_features(r.features, s.turn.label) for r, s in judged],
        [s.turn.good_use for _, s in judged],
        settings.c_use,
        settings.min_count,
        settings.max_iter,
    )
    trained_on = {
        "turns": len(samples),
        "scenarios": sorted({s.scenario_id for s in samples}),
        "labels_sha256": labels_digest(samples),
        "settings": {
            "c_move": settings.c_move,
            "c_use": settings.c_use,
            "min_count": settings.min_count,
            "common_worlds": settings.common_worlds,
        },
    } | (describe or {})
    return JudgeModel(
        move_layer,
        use_layer,
        background.common,
        trained_on,
        background.words,
        background.names,
        background.terms,
    )


def labels_digest(samples: Sequence[Sample]) -> str:
    """A SHA-256 over what the judge learns from: each turn's scenario, text, context
    and labels, in order."""
    digest = hashlib.sha256()
    for sample in samples:
        turn = sample.turn
        record = [
            sample.scenario_id,
            turn.text,
            turn.label,
            turn.good_use,
            list(turn.facts_disclosed),
            [[e.seller, e.buyer] for e in turn.exchanges],
        ]
        digest.update(json.dumps(record, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def judged_by(model: JudgeModel, samples: Sequence[Sample]) -> list[Prediction]:
    """Each turn's verdict from ``model``, as ``trainer calibrate`` replays them."""
    return asyncio.run(replay(OfflineAssessor(model=model), samples))


def cross_validate(
    samples: Sequence[Sample],
    settings: Settings | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Prediction]:
    """Leave-one-scenario-out verdicts for every turn in ``samples``, in order: each
    scenario is judged by a judge fitted on all the others."""
    scenarios = sorted({s.scenario_id for s in samples})
    results: dict[int, Prediction] = {}
    for number, scenario in enumerate(scenarios, 1):
        if progress is not None:
            progress(scenario, number, len(scenarios))
        model = fit([s for s in samples if s.scenario_id != scenario], settings)
        held = [i for i, s in enumerate(samples) if s.scenario_id == scenario]
        for index, prediction in zip(
            held, judged_by(model, [samples[i] for i in held]), strict=True
        ):
            results[index] = prediction
    return [results[i] for i in range(len(samples))]
