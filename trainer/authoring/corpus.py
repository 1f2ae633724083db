"""The shipped labelled corpus: the turns the offline judge is trained on.

It lives in ``corpus/`` beside the starter library (inside the wheel when installed):
``corpus/worlds/`` holds the buyer worlds (personas and scenarios) that exist only for
judging, ``corpus/turns/`` the labelled turns, written from docs/judging.md by people
who had not seen the judge. ``trainer judge train`` fits on it (and on a team's own
labels on top); ``trainer calibrate --cross-validate`` measures on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from trainer.authoring.calibration import Sample, load_samples
from trainer.content.library import load_library, package_content_root


def corpus_root() -> Path:
    return package_content_root() / "corpus"


def corpus_files() -> list[Path]:
    """The labelled-turn files of the shipped corpus, in a fixed order."""
    return sorted((corpus_root() / "turns").glob("*.yaml"))


def corpus_content(extra: Sequence[Path] = ()) -> list[Path]:
    """Content folders the corpus's scenarios are found in: its own worlds, the starter
    library, and any others given."""
    return [corpus_root() / "worlds", package_content_root(), *extra]


def load_corpus(extra_content: Sequence[Path] = ()) -> list[Sample]:
    """Every turn of the shipped corpus (``ContentError`` if any file is broken)."""
    return load_samples(corpus_files(), load_library(corpus_content(extra_content)))
