"""``trainer test``: scripted sellers with expected outcomes, reported like a test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import SCENARIO, run
from trainer.content.library import Library


def test_every_starter_scenario_ships_tests_that_pass(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    for scenario_id in library.scenarios:
        tests = library.resolve(scenario_id).scenario.tests
        assert len(tests) >= 4, scenario_id
        assert any("gaming" in t.name for t in tests), scenario_id
    code, out, _ = run(capsys, "test")
    assert code == 0, out
    assert out.rstrip().endswith("passed, 0 failed")
    assert "FAIL" not in out


def test_a_persona_made_too_easy_fails_with_what_to_change(
    content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    persona = content_dir / "personas" / "dana-okafor.yaml"
    text = persona.read_text()
    assert "  pitch: {patience: -20, openness: -6}" in text
    persona.write_text(
        text.replace(
            "  pitch: {patience: -20, openness: -6}", "  pitch: {patience: 5, openness: 6}"
        )
    )
    code, out, _ = run(capsys, "test", "--content", str(content_dir))
    assert code == 1
    assert (
        "FAIL feature dump: the buyer hangs up and shares nothing: the buyer ends the call by turn 4"
        in out
    )
    assert (
        "what to change: make reactions.pitch.patience in personas/dana-okafor.yaml more "
        "negative (now +5), or start with less patience (now 55)"
    ) in out
    assert out.rstrip().split("\n")[-1].endswith("failed")


def test_expectations_must_name_real_facts_and_turns(
    content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = content_dir / "scenarios" / f"{SCENARIO}.yaml"
    text = scenario.read_text()
    broken = text.replace("    - detention-bill\n", "    - detention-bil\n", 1).replace(
        "      3: pitch\n", "      9: pitch\n"
    )
    scenario.write_text(broken)
    code, out, err = run(capsys, "validate", str(scenario))
    assert code == 1
    lines = [line for line in (out + err).splitlines() if "tests." in line]
    assert any("no hidden fact 'detention-bil' in persona dana-okafor" in line for line in lines)
    assert any("turn 9 is not in the script (5 turns)" in line for line in lines)
    line_number = broken.splitlines().index("    - detention-bil") + 1
    assert any(f"{scenario}:{line_number}:" in line for line in lines)


def test_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "test", SCENARIO, "--json")
    document = json.loads(out)
    assert code == 0 and document["failed"] == 0 and document["passed"] > 10
    first = document["tests"][0]
    assert {"scenario", "test", "passed", "turns", "ended_by", "score", "checks"} <= set(first)
