"""``trainer preview``: a persona's reactions, as the engine's own react() computes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import run
from trainer.authoring.preview import PREVIEW_MOVES, assessment_for
from trainer.content.library import Library, ResolvedScenario
from trainer.content.models import MOVES
from trainer.engine.assessment import Assessment
from trainer.engine.reactions import react
from trainer.engine.state import BuyerState

REPO = Path(__file__).resolve().parents[1]
PERSONA = "dana-okafor"
SCENARIO = "cold-call-cold-chain"


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, "preview", *args, "--json")
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    return document


def _cell(doc: dict[str, Any], move: str, patience: int, openness: int, good_use: int) -> Any:
    entry = next(m for m in doc["moves"] if m["move"] == move)
    row = next(
        r
        for r in entry["rows"]
        if r["patience"] == patience and r["openness"] == openness and not r["start"]
    )
    return next(c for c in row["cells"] if c["good_use"] == good_use)


def _assessment(move: str, good_use: int) -> Assessment:
    """Built here, independently of the preview, for the expected values."""
    relevant = move == "relevant_pitch"
    return Assessment(
        move="pitch" if relevant else move,  # type: ignore[arg-type]
        good_use=good_use,
        criteria={},
        evidence=(),
        tip="",
        reason="test",
        relevant_pitch=relevant,
    )


CELLS = [
    ("pitch", 50, 40, 2),
    ("pitch", 20, 10, 2),
    ("relevant_pitch", 80, 70, 4),
    ("pressure", 20, 70, 4),
    ("discovery", 50, 40, 4),
    ("discovery", 20, 10, 2),
    ("insight", 50, 10, 4),
    ("agenda", 80, 40, 4),
    ("injection", 50, 10, 2),
    ("other", 80, 70, 2),
]


@pytest.mark.parametrize(("move", "patience", "openness", "good_use"), CELLS)
def test_numbers_are_what_react_returns(
    move: str,
    patience: int,
    openness: int,
    good_use: int,
    library: Library,
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = _json(capsys, PERSONA)
    got = _cell(doc, move, patience, openness, good_use)
    setup = library.resolve(SCENARIO)
    reacted = react(setup, _assessment(move, good_use), "", BuyerState(patience, openness), 1)
    assert got["patience"] == reacted.state.patience
    assert got["openness"] == reacted.state.openness
    assert got["patience_change"] == sum(c.delta for c in reacted.changes if c.field == "patience")
    assert got["openness_change"] == sum(c.delta for c in reacted.changes if c.field == "openness")
    assert got["ending"] == reacted.ending
    assert got["ends_call"] == (reacted.ending == "buyer")


@pytest.mark.parametrize(("move", "patience", "openness", "good_use"), CELLS)
def test_facts_are_what_react_discloses(
    move: str,
    patience: int,
    openness: int,
    good_use: int,
    library: Library,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A fact is listed when react() discloses it to a seller who asks about its topic."""
    doc = _json(capsys, PERSONA)
    got = _cell(doc, move, patience, openness, good_use)
    setup = library.resolve(SCENARIO)
    facts = setup.persona.hidden_facts
    expected = []
    for fact in facts:
        told = tuple(f.id for f in facts if f is not fact)
        text = f"Can I ask about {fact.topics[0]}?"
        reacted = react(
            setup, _assessment(move, good_use), text, BuyerState(patience, openness, told), 1
        )
        if reacted.new_facts == (fact,):
            expected.append(fact.id)
    assert got["earned_if_asked"] == expected


def test_a_weak_turn_can_end_the_call_and_a_strong_question_earns_facts(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _json(capsys, PERSONA)
    assert _cell(doc, "pressure", 20, 40, 2)["ends_call"] is True
    assert _cell(doc, "pressure", 20, 40, 2)["earned_if_asked"] == []
    strong = _cell(doc, "discovery", 50, 70, 4)
    assert "detention-bill" in strong["earned_if_asked"]
    assert _cell(doc, "discovery", 50, 10, 4)["earned_if_asked"] == []
    # a fact with on_topic: false is offered without being asked
    assert "budget-window" in strong["volunteered"]
    assert "detention-bill" not in strong["volunteered"]


def test_the_preview_uses_the_assessment_the_engine_expects() -> None:
    for move in PREVIEW_MOVES:
        a = assessment_for(move, 4)
        assert a.move in MOVES
        assert a.relevant_pitch == (move == "relevant_pitch")
        assert a.words == 0 and not a.proposes_next_step


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    doc = _json(capsys, PERSONA)
    assert set(doc) == {"persona", "scenario", "verdicts", "facts", "moves"}
    assert doc["persona"]["id"] == PERSONA
    assert doc["persona"]["patience"] == 55 and doc["persona"]["openness"] == 15
    assert doc["scenario"] == SCENARIO
    assert doc["verdicts"] == [2, 4]
    assert doc["facts"][0]["id"] == "detention-bill"
    assert set(doc["facts"][0]) == {"id", "openness", "on_topic"}
    assert [m["move"] for m in doc["moves"]] == list(PREVIEW_MOVES)
    for move in doc["moves"]:
        assert set(move) == {"move", "rule", "rows"}
        assert len(move["rows"]) == 1 + 9
        assert move["rows"][0]["start"] is True
        assert (move["rows"][0]["patience"], move["rows"][0]["openness"]) == (55, 15)
        states = {(r["patience"], r["openness"]) for r in move["rows"][1:]}
        assert states == {(p, o) for p in (20, 50, 80) for o in (10, 40, 70)}
        for row in move["rows"]:
            assert [c["good_use"] for c in row["cells"]] == [2, 4]
            for c in row["cells"]:
                assert set(c) == {
                    "good_use",
                    "patience_change",
                    "openness_change",
                    "patience",
                    "openness",
                    "ends_call",
                    "ending",
                    "earned_if_asked",
                    "volunteered",
                    "guarded",
                }
                assert 0 <= c["patience"] <= 100 and 0 <= c["openness"] <= 100


def test_text_table_fits_100_columns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "preview", PERSONA)
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert lines[0].startswith("Dana Okafor — Director of Operations")
    for move in PREVIEW_MOVES:
        assert any(line.startswith(f"{move}: ") for line in lines), move
    assert "ENDS CALL" in out
    assert "A  detention-bill: openness 30+, when asked about it" in out
    assert "budget-window: openness 60+, offered unasked" in out
    row = next(line for line in lines if line.strip().startswith("20/10"))
    assert "P 20→0 (-23)" in row and "ENDS CALL" in row  # the first table: pitch


def test_every_starter_persona_previews(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    for persona in sorted(library.personas):
        code, out, err = run(capsys, "preview", persona)
        assert code == 0, err
        assert max(len(line) for line in out.splitlines()) <= 100, persona


def test_a_path_gives_the_same_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    by_id = _json(capsys, PERSONA)
    by_path = _json(capsys, str(REPO / "personas" / f"{PERSONA}.yaml"))
    assert by_id["moves"] == by_path["moves"]


def test_unknown_persona_gives_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "preview", "dana")
    assert code == 1 and out == ""
    assert "no persona 'dana'" in err
    assert "Did you mean 'dana-okafor'?" in err
    assert "Known personas:" in err
    assert "Traceback" not in err


def test_a_scenario_id_or_file_points_to_its_persona(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "preview", SCENARIO)
    assert code == 1 and "trainer preview dana-okafor" in err
    code, _, err = run(capsys, "preview", str(REPO / "scenarios" / f"{SCENARIO}.yaml"))
    assert code == 1 and "is a scenario" in err and "dana-okafor" in err


def test_missing_and_broken_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "preview", str(tmp_path / "nobody.yaml"))
    assert code == 1 and "no persona file at" in err
    broken = tmp_path / "personas" / "broken.yaml"
    broken.parent.mkdir()
    broken.write_text("id: broken\npatience: lots\n", encoding="utf-8")
    code, _, err = run(capsys, "preview", str(broken))
    assert code == 1 and "the persona cannot be loaded" in err and "broken.yaml:2" in err


def test_a_new_persona_without_a_scenario_previews(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A persona no scenario uses yet is previewed with a scenario built in memory."""
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "new", "persona", "Jane Doe")[0] == 0
    doc = _json(capsys, "personas/jane-doe.yaml")
    assert doc["scenario"] is None
    assert doc["persona"]["id"] == "jane-doe"
    code, out, _ = run(capsys, "preview", "jane-doe", "--content", str(tmp_path))
    assert code == 0
    assert "(no scenario uses this persona yet)" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_the_engine_setup_is_a_real_resolved_scenario(library: Library) -> None:
    from trainer.authoring.preview import find_persona, setup_for

    setup = setup_for(find_persona(PERSONA, library), library)
    assert isinstance(setup, ResolvedScenario)
    assert setup.scenario.id == SCENARIO and setup.persona.id == PERSONA
