"""The judge file: written and read back exactly, and refused with one clear message
when it is damaged, from a newer trainer or trained for other moves."""

from __future__ import annotations

import asyncio
import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest

from trainer.content.finder import open_library
from trainer.content.models import MOVES
from trainer.engine.session import Session
from trainer.offline.assessor import SHIPPED_JUDGE, OfflineAssessor, load_judge
from trainer.offline.buyer import OfflineBuyer
from trainer.offline.model import (
    USE_THRESHOLDS,
    VERSION,
    JudgeFileError,
    JudgeModel,
    Layer,
    load,
    sigmoid,
    softmax,
)


def small_model() -> JudgeModel:
    moves = Layer(
        MOVES, tuple(0.1 * k for k in range(7)), {"w:what": tuple(float(k) for k in range(7))}
    )
    uses = Layer(USE_THRESHOLDS, (2.0, 1.0, 0.0, -1.0), {"w:what": (0.5, -0.25, 0.25, 1.0)})
    return JudgeModel(moves, uses, frozenset({"cost", "team"}), {"turns": 3}, frozenset({"please"}))


def document_of(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    return document


def write_document(path: Path, document: dict) -> None:  # type: ignore[type-arg]
    path.write_bytes(gzip.compress(json.dumps(document).encode()))


def test_a_saved_model_reads_back_with_its_weights(tmp_path: Path) -> None:
    path = tmp_path / "judge.json.gz"
    model = small_model()
    model.save(path)
    loaded = load(path, MOVES)
    assert loaded.moves.classes == MOVES and loaded.common == model.common
    assert loaded.words == model.words and loaded.uses.classes == USE_THRESHOLDS
    assert loaded.trained_on == {"turns": 3}
    for name, row in model.moves.weights.items():
        assert loaded.moves.weights[name] == pytest.approx(row, abs=6 / 32767)
    assert loaded.moves.intercepts == pytest.approx(model.moves.intercepts)


def test_saving_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    small_model().save(tmp_path / "a.gz")
    small_model().save(tmp_path / "b.gz")
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes()


def test_move_scores_are_weights_summed_and_softmaxed() -> None:
    layer = small_model().moves
    probabilities = layer.probabilities({"w:what": 2.0, "w:unknown": 1.0})
    assert probabilities == pytest.approx(softmax([0.1 * k + 2.0 * k for k in range(7)]))
    assert sum(probabilities) == pytest.approx(1.0)


def test_good_use_steps_are_one_sigmoid_each() -> None:
    layer = small_model().uses
    steps = layer.at_least({"w:what": 2.0})
    assert steps == pytest.approx([sigmoid(3.0), sigmoid(0.5), sigmoid(0.5), sigmoid(1.0)])
    assert sigmoid(-800.0) == pytest.approx(0.0) and sigmoid(800.0) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda raw: raw[: len(raw) // 2], "damaged (it does not decompress to JSON)"),
        (lambda raw: b"not a judge", "damaged (it does not decompress to JSON)"),
        (lambda raw: gzip.compress(b"[1, 2]"), "is not a trainer judge file"),
    ],
)
def test_an_unreadable_file_is_refused(tmp_path: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "judge.json.gz"
    small_model().save(path)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(JudgeFileError, match=re.escape(message)) as caught:
        load(path, MOVES)
    assert str(path) in str(caught.value)


def test_an_edited_weight_fails_the_checksum(tmp_path: Path) -> None:
    path = tmp_path / "judge.json.gz"
    small_model().save(path)
    document = document_of(path)
    document["payload"]["moves"]["intercepts"][0] = 9.0
    write_document(path, document)
    with pytest.raises(JudgeFileError, match="do not match its checksum"):
        load(path, MOVES)


def test_a_newer_format_asks_for_a_newer_trainer(tmp_path: Path) -> None:
    path = tmp_path / "judge.json.gz"
    small_model().save(path)
    document = document_of(path)
    document["version"] = VERSION + 1
    write_document(path, document)
    with pytest.raises(JudgeFileError, match=r"newer trainer .*upgrade trainer"):
        load(path, MOVES)


def test_a_judge_that_does_not_score_good_use_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "judge.json.gz"
    model = small_model()
    bad = Layer(("1", "2", "3", "4", "5"), (0.0,) * 5, {"w:what": (0.0,) * 5})
    JudgeModel(model.moves, bad, model.common, model.trained_on).save(path)
    with pytest.raises(JudgeFileError, match="does not score good use 1-5"):
        load(path, MOVES)


def test_a_judge_for_other_moves_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "judge.json.gz"
    small_model().save(path)
    with pytest.raises(JudgeFileError, match="trained for other moves"):
        load(path, (*MOVES[:-1], "small_talk"))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(JudgeFileError, match="no judge file at"):
        load(tmp_path / "nowhere.gz", MOVES)


def test_the_shipped_judge_loads_and_is_kept() -> None:
    model = load_judge()
    assert model.moves.classes == MOVES
    assert load_judge() is model  # loaded once per file version
    assert load_judge(SHIPPED_JUDGE) is model


def test_the_assessor_loads_its_model_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "judge.json.gz"
    small_model().save(path)
    assessor = OfflineAssessor(path)
    assert assessor._model is None
    assessor.prepare()
    assert assessor.model.trained_on == {"turns": 3}


def test_a_call_starting_prepares_the_judge() -> None:
    """The model loads while the buyer opens, not on the trainee's first Enter."""
    setup = open_library().resolve("cold-call-cold-chain")
    assessor = OfflineAssessor()
    session = Session(setup, OfflineBuyer(0), assessor)
    assert assessor._model is None
    asyncio.run(session.start())
    assert assessor._model is load_judge()
