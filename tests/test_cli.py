"""The command line: its JSON contract, its transcripts, and its refusals of bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import run
from trainer.content.models import MOVES

REPO = Path(__file__).resolve().parents[1]
SCENARIO = "cold-call-cold-chain"
PITCH = [
    "Hi Dana, DockWise is the leading AI-powered dock scheduling platform.",
    "Our platform gives you real-time visibility and a carrier portal.",
    "We have a dashboard and integrations. Can I book a demo?",
    "Our customers love it, let me show you our features.",
    "DockWise is trusted by Fortune 500 companies.",
    "I can give you 20% off if you sign this week.",
]


def write(tmp_path: Path, lines: list[str], name: str = "script.txt") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_json_document_has_the_contract_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = write(tmp_path, PITCH)
    code, out, _ = run(capsys, "play", SCENARIO, "--script", str(script), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["scenario"] == SCENARIO and doc["backend"] == "offline"
    assert doc["turns"], doc
    for turn in doc["turns"]:
        assert set(turn) >= {
            "seller",
            "buyer",
            "move",
            "good_use",
            "criteria",
            "evidence",
            "tip",
            "patience",
            "openness",
            "disclosed",
            "cause",
        }
        assert 1 <= turn["good_use"] <= 5
        assert turn["move"] in MOVES
        assert all(v is None or 1 <= v <= 5 for v in turn["criteria"].values())  # None: n/a
        assert 0 <= turn["patience"] <= 100 and 0 <= turn["openness"] <= 100
        assert isinstance(turn["evidence"], list) and isinstance(turn["cause"], str)
    outcome = doc["outcome"]
    assert outcome["ended_by"] == "buyer"
    assert 0 <= outcome["score"] <= 100
    assert set(outcome["disclosed"]) | set(outcome["missed"]) == {
        "detention-bill",
        "failed-rollout",
        "pharma-audit",
        "peak-overtime",
        "budget-window",
    }


def test_lines_after_the_buyer_hung_up_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = write(tmp_path, PITCH)
    _, out, _ = run(capsys, "play", SCENARIO, "--script", str(script), "--json")
    doc = json.loads(out)
    played = len(doc["turns"])
    assert played < len(PITCH)
    assert [u["seller"] for u in doc["unplayed"]] == PITCH[played:]
    _, text, _ = run(capsys, "play", SCENARIO, "--script", str(script))
    assert f"{len(PITCH) - played} line(s) not played" in text
    assert "the buyer ended the call" in text


def test_plain_transcript_shows_each_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = write(tmp_path, ["Dana, quick one: how long do trucks wait at the Savannah gate?"])
    code, out, _ = run(capsys, "play", SCENARIO, "--script", str(script))
    assert code == 0
    assert "You: Dana, quick one" in out
    assert "good use" in out and "why:" in out and "tip:" in out
    assert "Session score:" in out


def test_script_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(b"What does detention cost you?\n"))
    )
    code, out, _ = run(capsys, "play", SCENARIO, "--script", "-", "--json")
    assert code == 0
    assert json.loads(out)["turns"][0]["seller"] == "What does detention cost you?"


def test_blank_lines_are_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = write(tmp_path, ["", "How are Mondays at Savannah?", "   ", ""])
    code, out, _ = run(capsys, "play", SCENARIO, "--script", str(script), "--json")
    assert code == 0 and len(json.loads(out)["turns"]) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\n\n   \n", "has no seller turns"),
        (b"Hello\n" + b"x" * 51_200 + b"\n", ":2: the turn is 51,200 characters"),
        (b"Hello\nwhat \x1b[2J now?\n", ":2:6: the turn contains a control character, ESC"),
        (b"Hello\nCaf\xe9 talk\n", ":2: the script is not UTF-8 text (byte 0xe9)"),
    ],
)
def test_bad_scripts_get_a_clear_message_and_nothing_is_played(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    script = tmp_path / "bad.txt"
    script.write_bytes(content)
    code, out, err = run(capsys, "play", SCENARIO, "--script", str(script), "--json")
    assert code == 1
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_missing_scenario_and_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "play", "cold-call-cold-chian", "--script", "x.txt")
    assert code == 1
    assert (
        "no scenario 'cold-call-cold-chian'" in err and "Did you mean 'cold-call-cold-chain'" in err
    )
    code, _, err = run(capsys, "play", SCENARIO, "--script", str(tmp_path / "nope.txt"))
    assert code == 1 and "no script file" in err
    code, _, err = run(capsys, "play", str(tmp_path / "missing.yaml"))
    assert code == 1 and "no scenario file" in err


def test_no_traceback_from_a_real_process(tmp_path: Path) -> None:
    script = tmp_path / "bad.txt"
    script.write_bytes(b"\xff\xfe broken")
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "play", SCENARIO, "--script", str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("trainer: ")
    assert "Traceback" not in result.stderr


def test_scenario_path_with_persona_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "draft"
    folder.mkdir()
    scenario = (REPO / "scenarios" / f"{SCENARIO}.yaml").read_text(encoding="utf-8")
    persona = (REPO / "personas" / "dana-okafor.yaml").read_text(encoding="utf-8")
    (folder / "my-scenario.yaml").write_text(
        scenario.replace("id: cold-call-cold-chain", "id: my-draft"), encoding="utf-8"
    )
    (folder / "dana-okafor.yaml").write_text(
        persona.replace("name: Dana Okafor", "name: Dina Okafor"), encoding="utf-8"
    )
    script = write(tmp_path, ["How long do trucks wait at your gate?"])
    code, out, _ = run(
        capsys, "play", str(folder / "my-scenario.yaml"), "--script", str(script), "--json"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["scenario"] == "my-draft"


def test_scenario_path_whose_persona_is_nowhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = (REPO / "scenarios" / f"{SCENARIO}.yaml").read_text(encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(
        scenario.replace("persona: dana-okafor", "persona: nobody-here"), encoding="utf-8"
    )
    code, _, err = run(capsys, "play", str(path), "--content", str(tmp_path))
    assert code == 1
    assert f"{path}:" in err and "no persona with id 'nobody-here'" in err


def test_typed_conversation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = "How long do trucks wait at the Savannah gate?\n\x1b[31mred\n/end\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    code, out, _ = run(capsys, "play", SCENARIO)
    assert code == 0
    assert "Dana:" in out
    assert "not sent: the turn contains a control character" in out
    assert "Outcome: you ended the call after 1 turn." in out


def test_json_without_script_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "play", SCENARIO, "--json")
    assert code == 2 and "--json needs --script" in err


def test_validate_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate")
    assert code == 0, out
    assert out == "" and "all valid" in err


def test_validate_reports_one_line_per_problem(
    content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = content_dir / "scenarios" / "cold-call-cold-chain.yaml"
    scenario.write_text(scenario.read_text().replace("turns: 15", "turns: many"), encoding="utf-8")
    (content_dir / "personas" / "bad.yaml").write_text("id: x\nid: y\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(content_dir))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{content_dir / 'personas' / 'bad.yaml'}:2:1: duplicate key 'id'")
    assert (
        lines[1].startswith(f"{scenario}:") and "limits.turns: expected a whole number" in lines[1]
    )
    assert "2 problem(s)" in err


def test_validate_single_files_and_missing_paths(
    content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(
        capsys, "validate", str(content_dir / "scenarios" / "cold-call-cold-chain.yaml")
    )
    assert code == 0
    code, _, err = run(capsys, "validate", str(content_dir / "nope.yaml"))
    assert code == 1 and "no such file or folder" in err


def test_schema_command_writes_the_schemas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "schema", "--out", str(tmp_path))
    assert code == 0
    for name in ("persona", "scenario", "rubric"):
        schema = json.loads((tmp_path / f"{name}.schema.json").read_text())
        assert schema["type"] == "object" and schema["additionalProperties"] is False


def test_scenarios_listing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenarios", "--json")
    assert code == 0
    ids = {row["id"] for row in json.loads(out)}
    assert len(ids) >= 6 and SCENARIO in ids


def test_bare_trainer_offers_a_choice_then_plays(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.StringIO("99\n1\nHow long do trucks wait at your gate?\n/end\n")
    )
    code, out, _ = run(capsys)
    assert code == 0
    assert "Scenario number (1-" in out and "Type a number from 1 to" in out
    assert "Outcome: you ended the call after 1 turn." in out


def test_bare_trainer_quits_cleanly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    code, _, _ = run(capsys)
    assert code == 0


def test_validate_a_file_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "personas"
    path.mkdir()
    (path / "latin1.yaml").write_bytes(b"id: andre\nname: Andr\xe9\n")
    code, out, err = run(capsys, "validate", str(path / "latin1.yaml"))
    assert code == 1
    assert (
        out.strip()
        == f"{path / 'latin1.yaml'}:2:11: the file is not UTF-8 text (byte 0xe9) (hint: save the file as UTF-8 in your editor)"
    )
    assert "Traceback" not in err
