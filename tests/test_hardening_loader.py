"""Adversarial content: bytes that once crashed, hung or slowed the loader, and odd paths.

Every case here was reproduced on the code before the fix: a traceback (control
characters, deep nesting, dates and numbers Python cannot build), a file that took tens
of seconds (huge lists), escape sequences that validated and reached the terminal, script
lines split by characters that are not newlines, and folders or FIFOs named like YAML files
that passed as "0 files, all valid".
"""

from __future__ import annotations

import os
import signal
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import DISCOVERY, SCENARIO, run
from trainer.cli.errors import UserError
from trainer.cli.scripts import read_script
from trainer.content import yaml_loader
from trainer.content.library import load_library
from trainer.content.models import Persona, Scenario
from trainer.content.problems import Problem
from trainer.content.validation import validate_document
from trainer.content.yaml_loader import read_yaml

REPO = Path(__file__).resolve().parents[1]
STARTER_SCENARIO = REPO / "scenarios" / f"{SCENARIO}.yaml"
STARTER_PERSONA = REPO / "personas" / "dana-okafor.yaml"

RAW_CONTROLS = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]


def read_problem(path: Path, text: str | bytes) -> Problem:
    """The one problem the reader reports for a file with these contents."""
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    result = read_yaml(path)
    assert isinstance(result, Problem), result
    return result


def problems_of(path: Path, model: type[Persona] | type[Scenario]) -> list[Problem]:
    result = read_yaml(path)
    if isinstance(result, Problem):
        return [result]
    validated = validate_document(result, model)
    return validated if isinstance(validated, list) else []


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in the file; the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")
    return text[: text.index(old)].count("\n") + 1


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail instead of blocking forever if anything opens a FIFO for reading."""

    def boom(signum: int, frame: object) -> None:
        raise AssertionError("blocked: something opened a FIFO for reading")

    previous = signal.signal(signal.SIGALRM, boom)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# ------------------------------------------------------------------ control characters


@pytest.mark.parametrize("code", RAW_CONTROLS, ids=lambda c: f"0x{c:02x}")
def test_a_raw_control_character_is_a_located_problem(tmp_path: Path, code: int) -> None:
    problem = read_problem(tmp_path / "p.yaml", f"id: a\nname: An{chr(code)}n\n")
    assert (problem.line, problem.column) == (2, 9)
    assert "control character" in problem.message
    assert f"U+{code:04X}" in problem.message or "ESC" in problem.message


@pytest.mark.parametrize(
    "char", ["\u2028", "\u2029", "\x85", "\r", "\x9b"], ids=["LS", "PS", "NEL", "CR", "CSI"]
)
def test_line_separators_and_c1_are_refused_where_an_editor_sees_them(
    tmp_path: Path, char: str
) -> None:
    # PyYAML counts U+2028, U+2029, NEL and a bare CR as line breaks; an editor does not,
    # so they are refused at the line and column counted on newlines only.
    problem = read_problem(tmp_path / "p.yaml", f"id: a\nname: Ann\nrole: C{char}FO\n")
    assert (problem.line, problem.column) == (3, 8)
    assert "control character" in problem.message or "line separator" in problem.message


def test_windows_line_endings_still_read(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"id: a\r\nname: Ann\r\n")
    result = read_yaml(path)
    assert not isinstance(result, Problem), result
    assert result.data == {"id": "a", "name": "Ann"}


@pytest.mark.parametrize(
    "escape",
    [r"\e]0;TITLE\a", r"\x1b[2J", r"\0", r"\u009b", r"\N", r"\L", r"\P", r"\r", r"\v", r"\b"],
)
def test_escapes_written_as_yaml_escapes_are_refused_in_any_text(
    tmp_path: Path, escape: str
) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(STARTER_SCENARIO.read_text(encoding="utf-8"), encoding="utf-8")
    line = replace_in(path, "title: ", f'title: "Cold call {escape} now" #')
    problems = problems_of(path, Scenario)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.line, problem.column) == (line, 8)
    assert problem.field == "title"
    assert "control character" in problem.message


def test_an_escape_in_a_key_is_refused_too(tmp_path: Path) -> None:
    problem = read_problem(tmp_path / "p.yaml", 'id: a\n"na\\eme": Ann\n')
    assert (problem.line, problem.column) == (2, 1)
    assert "control character" in problem.message


def test_tabs_and_newlines_inside_text_are_still_text(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text('a: "one\\ttwo"\nb: |\n  three\n  four\n', encoding="utf-8")
    result = read_yaml(path)
    assert not isinstance(result, Problem), result
    assert result.data == {"a": "one\ttwo", "b": "three\nfour\n"}


def test_a_script_line_in_a_scenario_test_cannot_hide_a_line_separator(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(STARTER_SCENARIO.read_text(encoding="utf-8"), encoding="utf-8")
    line = replace_in(path, "  - Hi Dana,", "  - Hi\u2028 Dana,")
    problems = problems_of(path, Scenario)
    assert [(p.line, p.column) for p in problems] == [(line, 7)]
    assert "U+2028" in problems[0].message


def test_half_a_character_written_as_an_escape_is_a_problem(tmp_path: Path) -> None:
    # found by the fuzz test: JSON-style "\ud83d\ude9a" gives two lone surrogates, which
    # validated as pydantic's "unable to parse raw data as a unicode string"
    problem = read_problem(tmp_path / "p.yaml", 'id: a\nname: "truck \\ud83d\\ude9a"\n')
    assert (problem.line, problem.column) == (2, 7)
    assert problem.field == "name"
    assert "half a character (U+D83D)" in problem.message


@pytest.mark.parametrize(
    "text",
    ["a: !!set [1]\n", "a: !!set {x, y}\n", "a: !!binary aGk=\n", "a: !!timestamp 2020-01-01\n"],
)
def test_tags_are_refused(tmp_path: Path, text: str) -> None:
    # found by the fuzz test: !!set on a list raised ValueError from construct_mapping
    problem = read_problem(tmp_path / "p.yaml", text)
    assert (problem.line, problem.column) == (1, 4)
    assert "tags (!!" in problem.message


# ------------------------------------------------------------------------- sizes, depth


def test_deep_nesting_is_a_problem_not_a_recursion_error(tmp_path: Path) -> None:
    problem = read_problem(tmp_path / "p.yaml", "[" * 500 + "]" * 500 + "\n")
    assert problem.line == 1
    assert problem.column == yaml_loader.MAX_DEPTH + 1
    assert "nested" in problem.message


def test_deep_block_nesting_is_a_problem(tmp_path: Path) -> None:
    text = "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "v\n"
    problem = read_problem(tmp_path / "p.yaml", text)
    assert problem.line == yaml_loader.MAX_DEPTH
    assert "nested" in problem.message


def test_a_huge_flow_list_is_refused_at_the_first_item_past_the_limit(tmp_path: Path) -> None:
    """Refused where it passes the limit, so the rest is never built (it took 25 s and
    893 MB; how long it takes now is benchmarks/fuzz_loader.py's to measure)."""
    text = "a: [" + ",".join(["1"] * 330_000) + "]\n"
    problem = read_problem(tmp_path / "p.yaml", text)
    limit = yaml_loader.MAX_ITEMS
    assert (problem.line, problem.column) == (1, 5 + 2 * limit)
    assert f"{limit:,}" in problem.message


def test_a_valid_scenario_with_a_huge_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(STARTER_SCENARIO.read_text(encoding="utf-8"), encoding="utf-8")
    # 300k items in 600 KB: under the file size limit, and valid to the models
    text = path.read_text(encoding="utf-8")
    start = text.index("    vocabulary:\n")
    end = start + len("    vocabulary:\n")
    while text.startswith("      - ", end):
        end = text.index("\n", end) + 1
    huge = "    vocabulary: [" + "w, " * 300_000 + "w]\n"
    path.write_text(text[:start] + huge + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    problems = problems_of(path, Scenario)
    assert len(problems) == 1, problems
    assert problems[0].line == line
    assert "items" in problems[0].message


def test_a_list_past_the_item_limit_is_located_at_the_first_extra_item(tmp_path: Path) -> None:
    limit = yaml_loader.MAX_ITEMS
    text = "a:\n" + "".join(f"  - w{i}\n" for i in range(limit + 5))
    problem = read_problem(tmp_path / "p.yaml", text)
    assert (problem.line, problem.column) == (limit + 2, 5)
    assert f"more than {limit:,} items" in problem.message


def test_a_mapping_past_the_item_limit_is_a_problem(tmp_path: Path) -> None:
    limit = yaml_loader.MAX_ITEMS
    text = "".join(f"k{i}: v\n" for i in range(limit + 5))
    problem = read_problem(tmp_path / "p.yaml", text)
    assert (problem.line, problem.column) == (limit + 1, 1)


def test_too_many_values_in_one_file_is_a_problem(tmp_path: Path) -> None:
    per_list = yaml_loader.MAX_ITEMS // 2
    lists = yaml_loader.MAX_NODES // per_list + 2
    text = "".join(f"l{n}: [" + ",".join(["1"] * per_list) + "]\n" for n in range(lists))
    problem = read_problem(tmp_path / "p.yaml", text)
    assert problem.line > 1 and problem.column > 1
    assert f"{yaml_loader.MAX_NODES:,}" in problem.message


def test_a_string_past_the_limit_is_a_problem(tmp_path: Path) -> None:
    text = "id: a\nname: " + "x" * (yaml_loader.MAX_STRING_CHARS + 1) + "\n"
    problem = read_problem(tmp_path / "p.yaml", text)
    assert (problem.line, problem.column) == (2, 7)
    assert f"{yaml_loader.MAX_STRING_CHARS:,}" in problem.message


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    with path.open("wb") as handle:
        handle.truncate(200_000_000)  # sparse: costs no disk
    tracemalloc.start()
    try:
        problem = read_yaml(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * yaml_loader.MAX_FILE_BYTES  # read up to the limit, not 200 MB
    assert isinstance(problem, Problem)
    assert (problem.line, problem.column) == (1, 1)
    assert f"{yaml_loader.MAX_FILE_BYTES:,}" in problem.message


@pytest.mark.parametrize(
    "value",
    ["2020-13-45", "2021-02-30", "2021-01-01 25:00:00", "1" * 5000, "-" + "9" * 4400],
    ids=["month-13", "feb-30", "hour-25", "long-int", "long-negative"],
)
def test_values_python_cannot_build_are_problems(tmp_path: Path, value: str) -> None:
    problem = read_problem(tmp_path / "p.yaml", f"id: a\nwhen: {value}\n")
    assert (problem.line, problem.column) == (2, 7)


# ------------------------------------------------------------------- one bad file only


@pytest.mark.parametrize(
    "bad",
    [b"id: x\x0b\n", b"[" * 500 + b"]" * 500, b"a: [" + b"1," * 100_000 + b"1]\n"],
    ids=["vertical-tab", "deep", "huge-list"],
)
def test_one_bad_file_never_takes_the_library_down(content_dir: Path, bad: bytes) -> None:
    (content_dir / "scenarios" / "broken.yaml").write_bytes(bad)
    (content_dir / "personas" / "broken.yaml").write_bytes(bad)
    library = load_library([content_dir])
    assert SCENARIO in library.scenarios
    assert "dana-okafor" in library.personas
    assert {p.path.name for p in library.problems} == {"broken.yaml"}
    assert all(p.line >= 1 and p.column >= 1 for p in library.problems)


COMMANDS = {
    "validate": lambda d: ["validate", str(d)],
    "scenarios": lambda d: ["scenarios", "--content", str(d)],
    "test": lambda d: ["test", "--content", str(d)],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_library_commands_report_a_control_character_at_its_line(
    capsys: pytest.CaptureFixture[str], content_dir: Path, command: str
) -> None:
    bad = content_dir / "scenarios" / "broken.yaml"
    bad.write_bytes(b"id: broken\ntitle: Word\x0bpaste\n")
    code, out, err = run(capsys, *COMMANDS[command](content_dir))
    assert code == 1
    assert f"{bad}:2:12:" in out + err
    assert "Traceback" not in out + err


def test_play_of_a_good_scenario_survives_a_bad_neighbour(
    capsys: pytest.CaptureFixture[str], content_dir: Path
) -> None:
    (content_dir / "scenarios" / "broken.yaml").write_bytes(b"[" * 500 + b"]" * 500)
    code, _, err = run(
        capsys, "play", SCENARIO, "--content", str(content_dir), "--script", str(DISCOVERY),
        "--no-record",
    )  # fmt: skip
    assert code == 0, err


def test_play_of_a_bad_scenario_file_is_a_message(
    capsys: pytest.CaptureFixture[str], content_dir: Path
) -> None:
    path = content_dir / "scenarios" / f"{SCENARIO}.yaml"
    line = replace_in(path, "title: ", 'title: "\\e]0;PWN\\a" #')
    code, out, err = run(capsys, "play", str(path), "--script", str(DISCOVERY), "--no-record")
    assert code == 1
    assert f"{path}:{line}:8: title:" in err
    assert "\x1b" not in out + err


def test_preview_of_a_persona_with_a_control_character_is_a_message(
    capsys: pytest.CaptureFixture[str], content_dir: Path
) -> None:
    path = content_dir / "personas" / "dana-okafor.yaml"
    line = replace_in(path, "name: ", "name: \x0c")
    code, out, err = run(capsys, "preview", str(path))
    assert code == 1
    assert f"{path}:{line}:7:" in err
    assert "Traceback" not in out + err


def test_calibrate_on_a_labels_file_with_a_control_character_is_a_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "labels.yaml"
    path.write_bytes(b"scenario: cold-call-cold-chain\nturns:\n  - text: hi\x1b[2J\n")
    code, out, err = run(capsys, "calibrate", str(path))
    assert code == 1
    assert f"{path}:3:13:" in err
    assert "\x1b" not in out + err


# ------------------------------------------------------------------------------ scripts


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u2028", "U+2028"),
        ("\u2029", "U+2029"),
        ("\x0b", "U+000B"),
        ("\x0c", "U+000C"),
        ("\x85", "U+0085"),
        ("\r", "U+000D"),
    ],
)
def test_a_script_splits_on_newlines_only(tmp_path: Path, char: str, name: str) -> None:
    script = tmp_path / "script.txt"
    script.write_bytes(f"Hello there.\nWhat is{char} slowing you down?\nThanks.\n".encode())
    with pytest.raises(UserError) as caught:
        read_script(str(script))
    message = str(caught.value)
    assert f"{script}:2:8: " in message
    assert name in message
    assert f"{script}:3" not in message


def test_a_windows_script_still_plays_with_its_own_line_numbers(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_bytes(b"Hello there.\r\n\r\nWhat is slowing you down?\r\n")
    lines = read_script(str(script))
    assert [(line.number, line.text) for line in lines] == [
        (1, "Hello there."),
        (3, "What is slowing you down?"),
    ]


# ---------------------------------------------------------------------------- odd paths


def test_validate_a_folder_named_like_yaml_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    code, out, err = run(capsys, "validate", str(folder))
    assert code == 1
    assert f"{folder} is a folder" in err
    assert "all valid" not in out + err


def test_test_a_folder_named_like_yaml_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    code, out, err = run(capsys, "test", str(folder))
    assert code == 1
    assert f"{folder} is a folder" in err
    assert "0 passed" not in out


def test_test_a_folder_without_scenarios_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "test", str(tmp_path))
    assert code == 1
    assert "no scenario files" in err


def test_validate_a_plain_folder_without_yaml_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert f"no YAML files (.yaml or .yml) in {tmp_path}" in err
    assert "all valid" not in out + err


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


FIFO_COMMANDS = {
    "validate": lambda f: ["validate", str(f)],
    "test": lambda f: ["test", str(f)],
    "play": lambda f: ["play", str(f), "--script", str(DISCOVERY), "--no-record"],
    "preview": lambda f: ["preview", str(f)],
    "calibrate": lambda f: ["calibrate", str(f)],
}


@pytest.mark.parametrize("command", sorted(FIFO_COMMANDS))
def test_a_fifo_is_named_and_never_opened(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, no_hang: None, command: str
) -> None:
    pipe = fifo(tmp_path / "pipe.yaml")
    code, out, err = run(capsys, *FIFO_COMMANDS[command](pipe))
    assert code == 1, out + err
    assert f"{pipe}" in err and "named pipe" in err
    assert "no such file" not in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize("command", ["preview", "calibrate", "play"])
def test_a_folder_named_like_yaml_is_named_by_every_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    code, out, err = run(capsys, *FIFO_COMMANDS[command](folder))
    assert code == 1, out + err
    assert f"{folder} is a folder" in err


def test_odd_entries_in_a_content_folder_are_problems_of_their_own(
    content_dir: Path, no_hang: None
) -> None:
    (content_dir / "scenarios" / "folder.yaml").mkdir()
    fifo(content_dir / "personas" / "pipe.yaml")
    library = load_library([content_dir])
    assert SCENARIO in library.scenarios
    found = {p.path.name: p.message for p in library.problems}
    assert set(found) == {"folder.yaml", "pipe.yaml"}
    assert "is a folder" in found["folder.yaml"]
    assert "named pipe" in found["pipe.yaml"]


def test_the_limits_are_the_ones_authoring_md_documents() -> None:
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    for value in (
        yaml_loader.MAX_FILE_BYTES,
        yaml_loader.MAX_DEPTH,
        yaml_loader.MAX_ITEMS,
        yaml_loader.MAX_NODES,
        yaml_loader.MAX_STRING_CHARS,
    ):
        assert f"| {value:,}" in guide, value


@pytest.mark.parametrize("command", ["validate", "scenarios"])
def test_a_file_name_with_an_escape_sequence_is_printed_clean(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    """The loader refuses escapes inside a file; the file's own name is the filesystem's
    and reaches the problem line too."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "evil\x1b]0;PWN\x07\x1b[2J\nfake.yaml").write_text("id: [\n", encoding="utf-8")
    argv = (
        [command, str(folder)] if command == "validate" else [command, "--content", str(tmp_path)]
    )
    code, out, err = run(capsys, *argv)
    assert code == 1  # a broken file is a failure, named
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "fake.yaml" in out + err
    assert not any(line.startswith("fake.yaml") for line in (out + err).splitlines())
