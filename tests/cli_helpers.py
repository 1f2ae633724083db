"""Running the command line in-process, as the CLI, results and export tests all do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from trainer.cli import main

REPO = Path(__file__).resolve().parents[1]
SCENARIO = "cold-call-cold-chain"
SCRIPTS = REPO / "tests" / "data" / "scripts" / SCENARIO
DISCOVERY = SCRIPTS / "discovery.txt"
PITCH = SCRIPTS / "pitch.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of ``trainer ARGS``."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def play_json(
    capsys: pytest.CaptureFixture[str], command: str, trainee: str, script: Path, *extra: str
) -> dict[str, Any]:
    """``trainer play|certify SCENARIO --script ... --json`` as a parsed document."""
    code, out, err = run(
        capsys, command, SCENARIO, "--script", str(script), "--json", "--trainee", trainee, *extra
    )
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    return document
