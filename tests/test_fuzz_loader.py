"""Fuzzing the content loader and ``trainer play --script`` with generated input.

2,000 YAML documents (random bytes, control characters, deep nesting, huge lists, wrong
types, mutations of the starter persona and scenario, escapes) are loaded in libraries
beside the good starter files, and 2,000 generated script lines are played through the
CLI's ``main`` and read as a scenario test's script. Nothing may raise; every problem is
at a line and column inside its file and prints no control character; the good files
always load; a script's bad lines are refused at exactly their line and column, and a
good script's lines are played or listed as unplayed under the numbers an editor shows.
The seed is fixed (``tests/fuzz_content.py``); ``benchmarks/fuzz_loader.py`` times it.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.cli_helpers import SCENARIO, run
from tests.fuzz_content import (
    STARTERS,
    Document,
    ScriptLine,
    documents,
    script_bytes,
    scripts,
    starter_text,
)
from trainer.content.library import load_library
from trainer.content.models import Scenario
from trainer.content.problems import Problem
from trainer.content.validation import validate_document
from trainer.content.yaml_loader import read_yaml
from trainer.text import CONTROL_IN_TEXT, clean_turn_text

DOCUMENTS = 2_000
SCRIPT_LINES = 2_000
PER_SCRIPT = 20
BATCH = 250
VALIDATE_BATCH = 96  # three rounds of the kinds' rotation
ALWAYS_BROKEN = {"random-bytes", "control-characters", "deep-nesting", "huge-list", "escapes"}


def library_folder(root: Path, batch: list[tuple[int, Document]]) -> dict[Path, Document]:
    """A content folder with the good starter pair and this batch's documents."""
    written: dict[Path, Document] = {}
    for model, source in STARTERS.items():
        (root / f"{model}s").mkdir(parents=True)
        shutil.copy(source, root / f"{model}s" / source.name)
    for number, document in batch:
        path = root / f"{document.model}s" / f"fuzz-{number:04d}-{document.kind}.yaml"
        path.write_bytes(document.data)
        written[path] = document
    return written


def assert_located(problem: Problem, data: bytes) -> None:
    lines = data.count(b"\n") + 1
    assert 1 <= problem.line <= lines + 1, problem
    assert problem.column >= 1, problem
    assert problem.message, problem
    assert not CONTROL_IN_TEXT.search(str(problem)), repr(str(problem))


def test_generated_documents_never_raise_and_every_problem_is_located(tmp_path: Path) -> None:
    made = list(enumerate(documents(DOCUMENTS)))
    assert len(made) == DOCUMENTS
    for start in range(0, DOCUMENTS, BATCH):
        root = tmp_path / f"batch-{start}"
        written = library_folder(root, made[start : start + BATCH])
        library = load_library([root])
        assert SCENARIO in library.scenarios
        assert "dana-okafor" in library.personas
        with_problems = {p.path for p in library.problems}
        for problem in library.problems:
            assert problem.path in written, problem
            assert_located(problem, written[problem.path].data)
        for path, document in written.items():
            if document.kind in ALWAYS_BROKEN:
                assert path in with_problems, (path, document.data[:200])


def test_validate_reports_each_generated_file_at_a_line_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    made = list(enumerate(documents(DOCUMENTS)))[:VALIDATE_BATCH]
    written = library_folder(tmp_path, made)
    code, out, err = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert "Traceback" not in out + err
    located = re.compile(rf"^({re.escape(str(tmp_path))}/\S+\.yaml):(\d+):(\d+): \S")
    reported = set()
    for line in out.splitlines():
        match = located.match(line)
        assert match, repr(line)
        reported.add(Path(match.group(1)))
    broken = {p for p, d in written.items() if d.kind in ALWAYS_BROKEN}
    assert broken <= reported
    assert not any(p.name in {"dana-okafor.yaml", f"{SCENARIO}.yaml"} for p in reported)


def expected_refusals(script: list[ScriptLine]) -> set[tuple[int, int | None]]:
    return {
        (number, line.bad_column if line.bad_column is not None else None)
        for number, line in enumerate(script, start=1)
        if line.bad_column is not None or line.too_long
    }


def test_generated_script_lines_are_played_or_refused_where_they_are(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    made = scripts(SCRIPT_LINES, PER_SCRIPT)
    assert sum(len(s) for s in made) >= SCRIPT_LINES
    content = tmp_path / "content"
    library_folder(content, [])  # the scenario and its persona only: a fast library load
    played = refused = 0
    for number, script in enumerate(made):
        path = tmp_path / f"script-{number}.txt"
        path.write_bytes(script_bytes(script, windows=number % 4 == 1))
        code, out, err = run(
            capsys, "play", SCENARIO, "--content", str(content), "--script", str(path),
            "--no-record", "--json",
        )  # fmt: skip
        assert "Traceback" not in out + err
        expected = expected_refusals(script)
        playable = [n for n, line in enumerate(script, start=1) if line.playable]
        if expected:
            assert code == 1, err
            found = set()
            for line in err.splitlines():
                match = re.match(rf"^{re.escape(str(path))}:(\d+):(?:(\d+):)? ", line)
                if match:
                    column = int(match.group(2)) if match.group(2) else None
                    found.add((int(match.group(1)), column))
            assert found == expected, (script, err)
            refused += 1
        elif not playable:
            assert code == 1 and "no seller turns" in err
        else:
            assert code == 0, err
            document = json.loads(out)
            turns = document["turns"]
            unplayed = [item["line"] for item in document["unplayed"]]
            assert playable == playable[: len(turns)] + unplayed
            texts = [clean_turn_text(script[n - 1].text) for n in playable[: len(turns)]]
            assert [t["seller"] for t in turns] == texts
            played += 1
    assert played >= 10 and refused >= 10


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: every character that must be refused is
    written as an escape, so the loader meets it only once the escapes are read."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\t" or (char.isprintable() and char not in "\x85\u2028\u2029"):
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}")
    return '"' + "".join(out) + '"'


def scenario_with_script(script: list[ScriptLine]) -> tuple[str, int]:
    """The starter scenario with one test whose seller turns are the script's non-blank
    lines, each a double-quoted scalar on its own line, and the line the first is on."""
    text = starter_text("scenario")
    head = text[: text.index("\ntests:\n") + 1]
    body = "tests:\n- name: fuzz\n  expect: {}\n  seller:\n"
    first = head.count("\n") + 5
    items = "".join(f"  - {quoted(line.text)}\n" for line in script if not line.blank)
    return head + body + items, first


def test_generated_script_lines_in_a_scenario_test_are_located(tmp_path: Path) -> None:
    for number, script in enumerate(scripts(SCRIPT_LINES, PER_SCRIPT)):
        text, first = scenario_with_script(script)
        path = tmp_path / f"scenario-{number}.yaml"
        path.write_text(text, encoding="utf-8")
        document = read_yaml(path)
        lines = [line for line in script if not line.blank]
        bad = [i for i, line in enumerate(lines) if line.bad_column is not None]
        long = [i for i, line in enumerate(lines) if line.too_long]
        if bad:
            assert isinstance(document, Problem)
            assert (document.line, document.column) == (first + bad[0], 5)
            assert document.field == f"tests.0.seller.{bad[0]}"
            continue
        assert not isinstance(document, Problem), document
        result = validate_document(document, Scenario)
        if long:
            assert isinstance(result, list)
            assert [(p.line, p.field) for p in result] == [
                (first + i, f"tests.0.seller.{i}") for i in long
            ]
        else:
            assert isinstance(result, Scenario), result
