"""A call is scored on what it achieved, and certification lists every unmet requirement.

These are the issue's "done when" runs: scripted ``--json`` runs through ``trainer play``
and ``trainer certify`` in every starter scenario, with turn quality held equal by reusing
the same good lines, so only what the call achieved differs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import REPO, run

SCRIPTS = REPO / "tests" / "data" / "scripts"
STARTERS = sorted(p.stem for p in (REPO / "scenarios").glob("*.yaml"))
CHASING = ["Any update?"] * 6 + [
    "Could we get thirty minutes in the diary next week to go through it?"
]


def _discovery(scenario: str) -> list[str]:
    return (SCRIPTS / scenario / "discovery.txt").read_text().splitlines()


def _pitch(scenario: str) -> list[str]:
    return (SCRIPTS / scenario / "pitch.txt").read_text().splitlines()


def _doc(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: str,
    scenario: str,
    lines: list[str],
    trainee: str = "casey",
) -> dict[str, Any]:
    script = tmp_path / f"{command}-{scenario}-{len(lines)}.txt"
    script.write_text("\n".join(lines) + "\n")
    code, out, err = run(
        capsys, command, scenario, "--script", str(script), "--json", "--trainee", trainee
    )
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    return document


@pytest.mark.parametrize("scenario", STARTERS)
def test_one_good_turn_then_end_scores_at_most_40(
    scenario: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = _doc(capsys, tmp_path, "play", scenario, _discovery(scenario)[:1])
    outcome = doc["outcome"]
    assert outcome["ended_by"] == "seller"
    assert outcome["score"] <= 40  # a call of one question achieved nothing ...
    assert outcome["quality"] >= 70  # ... although the turn itself was good


@pytest.mark.parametrize("scenario", STARTERS)
def test_three_good_questions_with_no_next_step_fail_with_what_was_missing(
    scenario: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = _doc(capsys, tmp_path, "certify", scenario, _discovery(scenario)[:3])
    outcome, verdict = doc["outcome"], doc["certification"]
    assert not verdict["passed"]
    assert verdict["score"] < verdict["pass_mark"]
    facts = [o for o in outcome["objectives"] if o["kind"] == "fact"]
    assert sum(o["met"] for o in facts) < len(facts) / 2
    reasons = " ".join(verdict["reasons"])
    assert "no next step was agreed" in reasons
    assert "below the pass mark" in reasons
    missed = [o for o in facts if o["required"] and not o["met"]]
    for objective in missed:
        assert objective["label"] in reasons


@pytest.mark.parametrize("scenario", STARTERS)
def test_each_good_discovery_script_scores_80_and_passes(
    scenario: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = _doc(capsys, tmp_path, "certify", scenario, _discovery(scenario))
    assert doc["outcome"]["score"] >= 80, doc["outcome"]
    assert doc["certification"]["passed"], doc["certification"]["reasons"]
    assert doc["certification"]["reasons"] == []


@pytest.mark.parametrize("scenario", STARTERS)
def test_a_hang_up_is_below_the_pass_mark_whatever_came_before(
    scenario: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = _discovery(scenario)[:4]
    doc = _doc(capsys, tmp_path, "certify", scenario, good + _pitch(scenario) * 3)
    outcome, verdict = doc["outcome"], doc["certification"]
    assert outcome["ended_by"] == "buyer"
    assert verdict["score"] < verdict["pass_mark"]
    assert not verdict["passed"]
    assert any("hung up" in a["reason"] for a in outcome["adjustments"])
    assert any("the buyer ended the call" in r for r in verdict["reasons"])


@pytest.mark.parametrize("scenario", STARTERS)
def test_chasing_fails_certification(
    scenario: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = _doc(capsys, tmp_path, "certify", scenario, CHASING)
    assert not doc["certification"]["passed"]
    assert doc["certification"]["reasons"]


@pytest.mark.parametrize("scenario", STARTERS)
def test_another_scenarios_good_script_fails_certification(
    scenario: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    other = STARTERS[(STARTERS.index(scenario) + 1) % len(STARTERS)]
    doc = _doc(capsys, tmp_path, "certify", scenario, _discovery(other))
    assert not doc["certification"]["passed"], doc["outcome"]
