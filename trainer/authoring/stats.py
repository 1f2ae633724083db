"""Agreement statistics for calibrating an assessor against human labels.

Plain Python on purpose: the trainer runs on machines with no numpy or scipy, and the
label sets authors write are tens to hundreds of turns, so clarity beats speed. Every
function takes the human labels first and the assessor's predictions second, pairwise;
a statistic that is undefined for the data (no variation to correlate, chance agreement
already certain) is ``None`` rather than a number that would look meaningful.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def _paired(labels: Sequence[object], predictions: Sequence[object]) -> int:
    """How many pairs there are; refuses sequences of different lengths, which would
    otherwise be silently truncated and give a wrong statistic."""
    if len(labels) != len(predictions):
        raise ValueError(
            f"{len(labels)} labels but {len(predictions)} predictions; they must pair up"
        )
    return len(labels)


def accuracy(labels: Sequence[T], predictions: Sequence[T]) -> float | None:
    """The share of predictions equal to their label: the first thing an author asks
    ("how often does it name the move I would?"). ``None`` for no pairs."""
    n = _paired(labels, predictions)
    if n == 0:
        return None
    return sum(a == b for a, b in zip(labels, predictions, strict=True)) / n


def within(labels: Sequence[int], predictions: Sequence[int], tolerance: int) -> float | None:
    """The share of numeric predictions at most ``tolerance`` away from their label.

    Good-use verdicts are on a 1-5 scale where two careful humans often differ by one;
    ``tolerance=0`` is exact agreement, ``tolerance=1`` the usual "within one" that
    separates a judge that disagrees on shading from one that disagrees on substance.
    """
    if tolerance < 0:
        raise ValueError(f"tolerance must be 0 or more, got {tolerance}")
    n = _paired(labels, predictions)
    if n == 0:
        return None
    return sum(abs(a - b) <= tolerance for a, b in zip(labels, predictions, strict=True)) / n


@dataclass(frozen=True)
class Confusion:
    """Counts of (label, prediction) pairs over ``classes``: ``counts[i][j]`` is how many
    turns labelled ``classes[i]`` were predicted as ``classes[j]``. Square, so the
    diagonal is agreement and everything off it is a specific confusion."""

    classes: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.counts)

    def count(self, label: str, prediction: str) -> int:
        return self.counts[self.classes.index(label)][self.classes.index(prediction)]


def confusion_matrix(
    labels: Sequence[str], predictions: Sequence[str], order: Sequence[str] = ()
) -> Confusion:
    """The confusion matrix over the classes that occur in either sequence.

    Classes that never occur are left out so a 7-move vocabulary with three moves in
    play stays readable; rows and columns share one class list (labels and predictions
    together) so the matrix stays square. ``order`` fixes the order of the classes it
    names (e.g. the move vocabulary); any others follow, sorted.
    """
    _paired(labels, predictions)
    seen = set(labels) | set(predictions)
    classes = [c for c in order if c in seen]
    classes += sorted(seen - set(classes))
    index = {c: i for i, c in enumerate(classes)}
    grid = [[0] * len(classes) for _ in classes]
    for label, prediction in zip(labels, predictions, strict=True):
        grid[index[label]][index[prediction]] += 1
    return Confusion(tuple(classes), tuple(tuple(row) for row in grid))


def cohen_kappa(labels: Sequence[T], predictions: Sequence[T]) -> float | None:
    """Cohen's kappa: agreement corrected for the agreement expected by chance.

    Accuracy flatters an assessor on a label set dominated by one move (call everything
    ``pitch`` on a set that is 80% pitches and score 80%); kappa compares the observed
    agreement ``p_o`` with ``p_e``, what two raters with the same marginal frequencies
    would agree on at random: ``(p_o - p_e) / (1 - p_e)``. 1 is perfect, 0 is chance,
    below 0 is worse than chance. ``None`` when ``p_e`` is 1 (both raters used one and
    the same class throughout), where kappa is 0/0, and for no pairs.
    """
    n = _paired(labels, predictions)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(labels, predictions, strict=True)) / n
    label_counts = Counter(labels)
    prediction_counts = Counter(predictions)
    expected = sum(label_counts[c] * prediction_counts[c] for c in label_counts) / (n * n)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, tied values sharing the mean of the ranks they span.

    Good-use verdicts are five-point scores, so ties are the rule, not the exception;
    giving ``[3, 1, 3]`` the ranks ``[2.5, 1, 2.5]`` (not ``[2, 1, 3]``) is what makes a
    rank correlation independent of the arbitrary order of equal scores.
    """
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = (start + end) / 2 + 1  # mean of the 1-based ranks start+1 .. end+1
        for position in range(start, end + 1):
            ranks[order[position]] = shared
        start = end + 1
    return ranks


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation; ``None`` when either side has no variation (or fewer than
    two pairs), where a correlation is 0/0 rather than zero."""
    n = _paired(xs, ys)
    if n < 2:
        return None
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx = sum(d * d for d in dx)
    syy = sum(d * d for d in dy)
    if sxx == 0 or syy == 0:
        return None
    r = sum(a * b for a, b in zip(dx, dy, strict=True)) / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))  # rounding can step a hair outside [-1, 1]


def spearman(labels: Sequence[float], predictions: Sequence[float]) -> float | None:
    """Spearman's rank correlation: Pearson's correlation of the average ranks.

    It asks whether the assessor *orders* turns the way the labeller does (better turns
    scored higher), which survives a judge that is consistently a point harsher or
    kinder, unlike exact agreement. Computed on ranks with ties averaged, not with the
    ``1 - 6 Σd² / n(n²-1)`` shortcut, which is only right when there are no ties.
    ``None`` when either side gives every turn the same score.
    """
    _paired(labels, predictions)
    return pearson(average_ranks(labels), average_ranks(predictions))
