"""The learned judge's model: two linear layers over a turn's features, and its file.

One layer gives the move (a multinomial logistic regression: a sum of weights per move,
then a softmax); the other good use given the move (an ordinal regression: for each of
2..5, the chance that the turn is at least that good, so "how good" is one scale rather
than five unrelated classes). Scoring is done here in plain Python (a turn has a few
hundred features; no numpy needed). The file is
gzip-compressed JSON with the weights quantised to 16 bits and a SHA-256 of the payload,
so a damaged file, a file from a newer trainer or a file for other moves is refused with
one clear message instead of judging wrongly.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import math
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.errors import InputError
from trainer.offline.background import Background

SHIPPED_JUDGE = Path(__file__).with_name("judge.json.gz")
"""The judge trained on the shipped corpus (``trainer judge train`` rebuilds it)."""

FORMAT = "trainer-judge"
VERSION = 1
"""The file format's version; a file with a higher one needs a newer trainer."""

SCALE_LEVELS = 32767
USE_THRESHOLDS = ("2", "3", "4", "5")
"""The good-use layer's classes: each is the chance the turn is at least that good."""


class JudgeFileError(InputError):
    """A judge file that cannot be used; the message says which file and why."""


@dataclass(frozen=True)
class Layer:
    """A multinomial logistic regression: ``classes`` scored by ``weights[feature]``."""

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]

    def scores(self, features: Mapping[str, float]) -> list[float]:
        totals = list(self.intercepts)
        width = len(totals)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is None:
                continue
            for k in range(width):
                totals[k] += row[k] * value
        return totals

    def probabilities(self, features: Mapping[str, float]) -> list[float]:
        return softmax(self.scores(features))

    def at_least(self, features: Mapping[str, float]) -> list[float]:
        """For an ordinal layer: the chance of each class or better, one sigmoid each."""
        return [sigmoid(score) for score in self.scores(features)]


def sigmoid(score: float) -> float:
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    e = math.exp(score)
    return e / (1.0 + e)


def softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass(frozen=True)
class JudgeModel:
    """The move layer, the good-use layer (ordinal: classes "2".."5" are "at least this
    good"), the stems many worlds share, the words sellers use as words, and where the
    model came from (counts and hashes of what it was trained on)."""

    moves: Layer
    uses: Layer
    common: frozenset[str]
    trained_on: dict[str, Any] = field(default_factory=dict)
    words: frozenset[str] = frozenset()
    """Words sellers write in lower case mid-sentence: a capitalised one is not a name."""
    names: frozenset[str] = frozenset()
    """The names in the buyer worlds it was trained on (people, companies, places)."""
    terms: frozenset[str] = frozenset()
    """Stems that belong to one or two of those worlds (dock, reefer, denials)."""

    @property
    def background(self) -> Background:
        return Background(self.common, self.words, self.names, self.terms)

    def to_document(self) -> dict[str, Any]:
        payload = {
            "moves": _layer_document(self.moves),
            "uses": _layer_document(self.uses),
            "common": sorted(self.common),
            "words": sorted(self.words),
            "names": sorted(self.names),
            "terms": sorted(self.terms),
            "trained_on": self.trained_on,
        }
        body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return {
            "format": FORMAT,
            "version": VERSION,
            "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
            "payload": payload,
        }

    def save(self, path: Path) -> None:
        """Write the model; the same model always gives the same bytes."""
        document = json.dumps(self.to_document(), sort_keys=True, separators=(",", ":"))
        path.write_bytes(gzip.compress(document.encode("utf-8"), mtime=0))


def _layer_document(layer: Layer) -> dict[str, Any]:
    names = sorted(layer.weights)
    width = len(layer.classes)
    largest = max((abs(w) for row in layer.weights.values() for w in row), default=1.0) or 1.0
    scale = largest / SCALE_LEVELS
    packed = array("h", (round(layer.weights[n][k] / scale) for n in names for k in range(width)))
    if packed.itemsize != 2:  # pragma: no cover - every supported platform has 16-bit shorts
        raise RuntimeError("16-bit integers are needed to write a judge file")
    data = packed.tobytes() if _little_endian() else _swapped(packed).tobytes()
    return {
        "classes": list(layer.classes),
        "intercepts": list(layer.intercepts),
        "features": names,
        "scale": scale,
        "weights": base64.b64encode(data).decode("ascii"),
    }


def _little_endian() -> bool:
    return array("h", [1]).tobytes()[0] == 1


def _swapped(values: array[int]) -> array[int]:
    copy = array("h", values)
    copy.byteswap()
    return copy


def load(path: Path, moves: Sequence[str]) -> JudgeModel:
    """The model in ``path``, checked: readable, intact, not from a newer trainer, and
    for exactly ``moves``. ``JudgeFileError`` says what is wrong otherwise."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise JudgeFileError(f"no judge file at {path}") from None
    except OSError as exc:
        raise JudgeFileError(f"cannot read the judge file {path}: {exc.strerror}") from None
    try:
        document = json.loads(gzip.decompress(raw))
    except (OSError, EOFError, ValueError, UnicodeDecodeError):
        raise JudgeFileError(
            f"{path} is not a judge file, or it is damaged (it does not decompress to JSON); "
            "train it again with 'trainer judge train'"
        ) from None
    return from_document(document, moves, str(path))


def from_document(document: Any, moves: Sequence[str], where: str) -> JudgeModel:
    """The model in a decoded judge document (see ``load``)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise JudgeFileError(f"{where} is not a trainer judge file")
    version = document.get("version")
    if not isinstance(version, int):
        raise JudgeFileError(f"{where} has no format version; it is damaged")
    if version > VERSION:
        raise JudgeFileError(
            f"{where} was written by a newer trainer (judge format {version}; this trainer "
            f"reads up to {VERSION}); upgrade trainer to use it"
        )
    payload = document.get("payload")
    if not isinstance(payload, dict):
        raise JudgeFileError(f"{where} is damaged (it has no model in it)")
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    if hashlib.sha256(body.encode("utf-8")).hexdigest() != document.get("sha256"):
        raise JudgeFileError(
            f"{where} is damaged (its contents do not match its checksum); train it again "
            "with 'trainer judge train'"
        )
    try:
        move_layer = _layer_from(payload["moves"])
        use_layer = _layer_from(payload["uses"])
        common = frozenset(str(s) for s in payload["common"])
        words = frozenset(str(s) for s in payload["words"])
        names = frozenset(str(s) for s in payload["names"])
        terms = frozenset(str(s) for s in payload["terms"])
        trained_on = dict(payload.get("trained_on") or {})
    except (KeyError, TypeError, ValueError, base64.binascii.Error):  # type: ignore[attr-defined]
        raise JudgeFileError(f"{where} is damaged (a part of the model is missing)") from None
    if tuple(move_layer.classes) != tuple(moves):
        raise JudgeFileError(
            f"{where} was trained for other moves ({', '.join(move_layer.classes)}); this "
            f"trainer judges {', '.join(moves)}: train it again with 'trainer judge train'"
        )
    if use_layer.classes != USE_THRESHOLDS:
        raise JudgeFileError(f"{where} does not score good use 1-5; it is damaged")
    return JudgeModel(move_layer, use_layer, common, trained_on, words, names, terms)


def _layer_from(document: Mapping[str, Any]) -> Layer:
    classes = tuple(str(c) for c in document["classes"])
    names = [str(n) for n in document["features"]]
    scale = float(document["scale"])
    packed = array("h")
    packed.frombytes(base64.b64decode(document["weights"], validate=True))
    if not _little_endian():  # pragma: no cover - big-endian machines
        packed.byteswap()
    width = len(classes)
    if len(packed) != width * len(names) or len(document["intercepts"]) != width:
        raise ValueError("the weights do not fit the features and classes")
    weights = {
        name: tuple(packed[i * width + k] * scale for k in range(width))
        for i, name in enumerate(names)
    }
    return Layer(classes, tuple(float(b) for b in document["intercepts"]), weights)
