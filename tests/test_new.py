"""``trainer new``: templates that validate as written, with a note on every field."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from tests.cli_helpers import run
from trainer.authoring.scaffold import ScaffoldError, display_name, make_id, template
from trainer.content.library import load_library

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty content folder that is also the current folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _new(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run(capsys, "new", *args)


# ----------------------------------------------------------------------------- validates


def test_new_persona_validates_as_written(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _new(capsys, "persona", "Jane Doe")
    assert code == 0, err
    path = here / "personas" / "jane-doe.yaml"
    assert path.is_file()
    library = load_library([here])
    assert library.problems == []
    persona = library.personas["jane-doe"].persona
    assert persona.name == "Jane Doe"
    assert "trainer validate personas/jane-doe.yaml" in out
    code, _, err = run(capsys, "validate", "personas/jane-doe.yaml")
    assert code == 0, err


def test_new_scenario_uses_the_persona_in_the_folder_and_validates(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new(capsys, "persona", "Jane Doe")[0] == 0
    code, out, err = _new(capsys, "scenario", "Cold call to a clinic")
    assert code == 0, err
    library = load_library([here])
    assert library.problems == []
    scenario = library.scenarios["cold-call-to-a-clinic"].scenario
    assert scenario.persona == "jane-doe"
    assert scenario.title == "Cold call to a clinic"
    assert "Jane Doe at Harbourside Physiotherapy" in scenario.brief.situation
    # the printed command checks the pair as it is
    command = next(line.strip() for line in out.splitlines() if "trainer validate" in line)
    code, _, err = run(capsys, *shlex.split(command)[1:])
    assert code == 0, err
    assert run(capsys, "validate", str(here))[0] == 0


def test_new_scenario_can_use_a_starter_persona(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _new(capsys, "scenario", "dana-practice", "--persona", "dana-okafor")
    assert code == 0, err
    path = here / "scenarios" / "dana-practice.yaml"
    text = path.read_text(encoding="utf-8")
    assert "persona: dana-okafor\n" in text
    assert "Dana Okafor at Meridian Cold Chain" in " ".join(text.split())
    assert "  trainer validate scenarios/dana-practice.yaml\n" in out
    code, _, err = run(capsys, "validate", "scenarios/dana-practice.yaml")
    assert code == 0, err


def test_dir_option_writes_under_that_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "my content"
    assert _new(capsys, "persona", "Sam Lee", "--dir", str(content))[0] == 0
    code, out, err = _new(capsys, "scenario", "first-call", "--dir", str(content))
    assert code == 0, err
    assert (content / "personas" / "sam-lee.yaml").is_file()
    assert (content / "scenarios" / "first-call.yaml").is_file()
    library = load_library([content])
    assert library.problems == []
    assert library.scenarios["first-call"].scenario.title == "First call"
    assert "'" in out  # a path with a space is quoted so it can be pasted
    command = next(line.strip() for line in out.splitlines() if "trainer validate" in line)
    code, _, err = run(capsys, *shlex.split(command)[1:])
    assert code == 0, err


def test_the_commented_examples_validate_once_uncommented(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _new(capsys, "persona", "Jane Doe")
    _new(capsys, "scenario", "clinic-call")
    path = here / "scenarios" / "clinic-call.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    inside: str | None = None  # the indentation of the example being uncommented
    for line in lines:
        start = re.match(r"^(\s*)# ((?:tests|rubric|opening|minutes):.*)$", line)
        if start:
            inside = start.group(1)
            out.append(start.group(1) + start.group(2))
        elif inside is not None and line.startswith(inside + "#  "):
            out.append(inside + line[len(inside) + 2 :])
        else:
            inside = None
            out.append(line)
    text = "\n".join(out) + "\n"
    for key in ("tests:", "rubric:", "opening:", "minutes:"):
        assert re.search(rf"^\s*{key}", text, re.M), key
    path.write_text(text, encoding="utf-8")
    library = load_library([here])
    assert library.problems == []
    scenario = library.scenarios["clinic-call"].scenario
    assert scenario.tests and scenario.limits.minutes == 10 and scenario.opening
    assert scenario.rubric.weights == {"questions": 2.0}


# ----------------------------------------------------------------------------- the file


@pytest.mark.parametrize("kind", ["persona", "scenario"])
def test_modeline_is_line_one(kind: str, here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _new(capsys, "persona", "Jane Doe")
    if kind == "scenario":
        _new(capsys, "scenario", "clinic-call")
    folder = here / f"{kind}s"
    path = next(folder.glob("*.yaml"))
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json"
    assert (REPO / "schemas" / f"{kind}.schema.json").is_file()


def _keys(node: Node) -> Iterator[Node]:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield from _keys(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _keys(item)


@pytest.mark.parametrize("kind", ["persona", "scenario"])
def test_every_field_has_a_note(kind: str, here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every line that starts a field has a comment on the line above or beside it."""
    _new(capsys, "persona", "Jane Doe")
    if kind == "scenario":
        _new(capsys, "scenario", "clinic-call")
    path = next((here / f"{kind}s").glob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    root = yaml.compose(text)
    assert root is not None
    field_lines = sorted({key.start_mark.line for key in _keys(root)})
    assert len(field_lines) > (60 if kind == "persona" else 25)
    bare = [
        f"{number + 1}: {lines[number]}"
        for number in field_lines
        if " #" not in lines[number] and not lines[number - 1].lstrip().startswith("#")
    ]
    assert bare == [], "fields without a note:\n" + "\n".join(bare)
    # the same check the simple way: any line that looks like "key:" outside a comment
    for number, line in enumerate(lines):
        if re.match(r"^\s*(?:- )?[a-z_]+:(?:\s|$)", line):
            assert " #" in line or lines[number - 1].lstrip().startswith("#"), line


@pytest.mark.parametrize("kind", ["persona", "scenario"])
def test_templates_have_only_known_placeholders(kind: str) -> None:
    found = set(re.findall(r"\{\{(\w+)\}\}", template(kind)))  # type: ignore[arg-type]
    expected = {
        "persona": {"id", "name", "first_name"},
        "scenario": {"id", "title", "persona", "persona_name", "organisation"},
    }
    assert found == expected[kind]


def test_no_placeholder_is_left(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _new(capsys, "persona", "Jane Doe")
    _new(capsys, "scenario", "clinic-call")
    for path in here.rglob("*.yaml"):
        assert "{{" not in path.read_text(encoding="utf-8"), path


# ----------------------------------------------------------------------------- refusals


def test_refuses_to_overwrite_without_force(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _new(capsys, "persona", "Jane Doe")[0] == 0
    path = here / "personas" / "jane-doe.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# my edits\n", encoding="utf-8")
    code, out, err = _new(capsys, "persona", "jane-doe")
    assert code == 1
    assert "already exists" in err and "--force" in err
    assert path.read_text(encoding="utf-8").endswith("# my edits\n")
    assert out == ""


def test_force_replaces(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _new(capsys, "persona", "Jane Doe")
    path = here / "personas" / "jane-doe.yaml"
    path.write_text("id: broken\n", encoding="utf-8")
    code, out, err = _new(capsys, "persona", "Jane Doe", "--force")
    assert code == 0, err
    assert out.startswith("Replaced personas/jane-doe.yaml")
    assert load_library([here]).problems == []


def test_refuses_an_id_another_file_already_has(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _new(capsys, "persona", "Jane Doe")
    (here / "personas" / "jane-doe.yaml").rename(here / "personas" / "jane.yaml")
    code, _, err = _new(capsys, "persona", "Jane Doe", "--force")
    assert code == 1
    assert "jane.yaml already has the persona id 'jane-doe'" in err
    (here / "personas" / "jane.yaml").rename(here / "personas" / "jane-doe.yml")
    code, _, err = _new(capsys, "persona", "Jane Doe", "--force")
    assert code == 1 and "jane-doe.yml already exists" in err


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "the name is empty"),
        ("!!!", "cannot make an id"),
        ("李雷", "cannot make an id"),
        ("../people/jane", "looks like a path"),
        ("x" * 65, "at most 64"),
        ("Jane: the boss", "cannot be a person's name"),
        ("42", "cannot be a person's name"),
        ("Jane\x1b[31mDoe", "control character"),
    ],
)
def test_bad_names(name: str, message: str, here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _new(capsys, "persona", name)
    assert code == 1
    assert message in err
    assert out == ""
    assert not (here / "personas").exists() or not any((here / "personas").iterdir())


@pytest.mark.parametrize(
    ("name", "item_id", "shown"),
    [
        ("Jane Doe", "jane-doe", "Jane Doe"),
        ("jane-doe", "jane-doe", "Jane Doe"),
        ("jane_doe", "jane_doe", "Jane Doe"),
        ("José Álvarez", "jose-alvarez", "José Álvarez"),
        ("Siobhan O'Neil", "siobhan-oneil", "Siobhan O'Neil"),
        ("Dr. Amy Li-Chen", "dr-amy-li-chen", "Dr. Amy Li-Chen"),
    ],
)
def test_names_become_ids(
    name: str, item_id: str, shown: str, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert make_id(name) == item_id
    assert display_name(name, "persona") == shown
    code, _, err = _new(capsys, "persona", name)
    assert code == 0, err
    library = load_library([here])
    assert library.problems == []
    assert library.personas[item_id].persona.name == shown


def test_a_name_in_several_words_needs_no_quotes(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _new(capsys, "persona", "Jane", "Doe")
    assert code == 0, err
    assert (here / "personas" / "jane-doe.yaml").is_file()


@pytest.mark.parametrize(
    "title", ["Renewal: the at-risk account", "True", "No #1 priority", "42", "2024 kick-off"]
)
def test_scenario_titles_that_need_quotes(
    title: str, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _new(capsys, "persona", "Jane Doe")
    code, _, err = _new(capsys, "scenario", title)
    assert code == 0, err
    library = load_library([here])
    assert library.problems == []
    assert library.scenarios[make_id(title)].scenario.title == title


def test_scenario_without_a_persona_says_to_make_one(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _new(capsys, "scenario", "clinic-call")
    assert code == 1
    assert "a scenario needs a persona" in err
    assert 'trainer new persona "Jane Doe", or' in err and "--persona" in err
    assert not (here / "scenarios").exists()
    assert out == ""
    code, _, err = _new(capsys, "scenario", "clinic-call", "--dir", "my content")
    assert code == 1 and "trainer new persona \"Jane Doe\" --dir 'my content'" in err


def test_scenario_with_an_unknown_persona(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _new(capsys, "persona", "Jane Doe")
    code, _, err = _new(capsys, "scenario", "clinic-call", "--persona", "jane-do")
    assert code == 1
    assert "no persona 'jane-do'" in err and "jane-doe" in err and "dana-okafor" in err


def test_scenario_when_every_persona_is_broken(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "personas").mkdir()
    (here / "personas" / "bad.yaml").write_text("id: bad\n", encoding="utf-8")
    code, _, err = _new(capsys, "scenario", "clinic-call")
    assert code == 1
    assert "none of the 1 file(s)" in err and "trainer validate" in err


def test_persona_option_is_for_scenarios(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _new(capsys, "persona", "Jane Doe", "--persona", "dana-okafor")
    assert code == 1 and "--persona is for scenarios" in err


def test_a_bad_scenario_name_is_reported_before_a_missing_persona(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _new(capsys, "scenario", "!!!")
    assert code == 1 and "cannot make an id" in err


def test_scaffold_error_is_a_plain_exception() -> None:
    with pytest.raises(ScaffoldError, match="empty"):
        make_id("")
