"""The pressure classifier: its file, its fitting, and the labelling guide's own examples.

Engine tests, no Textual. The examples below are the guide's wording (docs and the corpus
prompt), not lines from the training corpus.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from trainer.authoring.pressure_training import (
    Example,
    PressureCorpusError,
    fit,
    read_corpus,
)
from trainer.engine.pressure import (
    PressureModelError,
    features,
    kind_probabilities,
    likeliest_kind,
    load,
    pressure_kind,
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I can take 15% off if you sign this week.", "discount"),
        ("The special price I sent you ends Friday.", "deadline"),
        ("Just checking in: are you free Tuesday for a demo?", "meeting"),
        ("Circling back on my last email. Any update?", "chasing"),
        ("Everyone in your industry uses us.", "social_proof"),
        ("What deadline are you working to?", None),
        ("What did the last vendor charge you?", None),
    ],
)
def test_the_guides_examples_get_their_kind(text: str, kind: str | None) -> None:
    assert pressure_kind(text) == kind


def test_a_push_of_unclear_kind_still_gets_its_likeliest_kind() -> None:
    chances = kind_probabilities("You really need to move on this.")
    assert abs(sum(chances.values()) - 1.0) < 1e-9
    assert likeliest_kind("You really need to move on this.") in chances


def test_features_read_numbers_days_and_the_patterns() -> None:
    found = features("Our price goes up on Friday the 30th, 20% more.")
    assert {"w:<day>", "w:<ordinal>", "w:<num>", "re:deadline"} <= set(found)


def test_a_damaged_or_foreign_file_is_refused_with_its_name(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(PressureModelError, match=r"broken\.json\.gz"):
        load(broken)
    foreign = tmp_path / "foreign.json.gz"
    foreign.write_bytes(gzip.compress(json.dumps({"format": "other"}).encode()))
    with pytest.raises(PressureModelError, match="not a pressure model"):
        load(foreign)


TINY = [
    ("I can knock 20% off today.", "discount"),
    ("Free onboarding if you sign.", "discount"),
    ("We can waive the setup fee.", "discount"),
    ("This price ends Friday.", "deadline"),
    ("The offer expires at month end.", "deadline"),
    ("Prices go up next week.", "deadline"),
    ("Just checking in.", "chasing"),
    ("Any update on my email?", "chasing"),
    ("Circling back on this.", "chasing"),
    ("Can we book a demo next week?", "meeting"),
    ("Could I grab thirty minutes?", "meeting"),
    ("Let's set up a call Tuesday.", "meeting"),
    ("Everyone in retail uses us.", "social_proof"),
    ("Most of your peers run on us.", "social_proof"),
    ("Trusted by the biggest brands.", "social_proof"),
    ("What happens at the dock on Mondays?", "none"),
    ("Who else signs off on this?", "none"),
    ("What did you try before?", "none"),
]


def test_fitting_gives_the_same_bytes_and_the_same_answers(tmp_path: Path) -> None:
    examples = [
        Example(str(i), f"w{i % 4}", kind, text, "t") for i, (text, kind) in enumerate(TINY * 2)
    ]
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    fit(examples).save(first)
    fit(examples).save(second)
    assert first.read_bytes() == second.read_bytes()
    model = load(first)
    assert pressure_kind("Can we book a demo next week?", model) == "meeting"
    assert model.trained_on["turns"] == len(examples)


def test_a_bad_corpus_line_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "x.jsonl").write_text(
        '{"id": "1", "world": "w", "kind": "none", "text": "Hello?"}\n{"kind": "bribe", '
        '"text": "a"}\n',
        encoding="utf-8",
    )
    with pytest.raises(PressureCorpusError, match=r"x\.jsonl:2: unknown kind 'bribe'"):
        read_corpus(tmp_path)
