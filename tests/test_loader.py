"""Every content problem is reported as file:line:col: field: message, with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.content.library import load_library
from trainer.content.models import Persona, Scenario
from trainer.content.problems import Problem
from trainer.content.validation import validate_document
from trainer.content.yaml_loader import YamlDocument, parse_yaml, read_yaml

RUBRIC_YAML = """\
id: tiny
title: Tiny
headline: Was it useful?
criteria:
  - id: focus
    name: Focus
    question: About them?
    anchors:
      1: no
      2: a little
      3: neutral
      4: yes
      5: entirely
"""


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def problems_in(path: Path, model: type[Persona] | type[Scenario] = Scenario) -> list[Problem]:
    doc = read_yaml(path)
    if isinstance(doc, Problem):
        return [doc]
    result = validate_document(doc, model)
    return result if isinstance(result, list) else []


def load_scenario(path: Path) -> list[Problem]:
    return problems_in(path, Scenario)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def yaml_problem(tmp_path: Path, content: str | bytes) -> Problem:
    """The problem the strict reader reports for a file with this content."""
    path = tmp_path / "file.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    problem = read_yaml(path)
    assert isinstance(problem, Problem), problem
    return problem


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_syntax_error_points_at_the_line(tmp_path: Path) -> None:
    problem = yaml_problem(tmp_path, "id: x\ntitle: [unclosed\nsetting: cold_call\n")
    assert (problem.line, problem.column) == (3, 8)
    assert str(problem).startswith(f"{problem.path}:3:8: ")
    assert problem.hint


def test_tab_indentation_gets_a_hint(tmp_path: Path) -> None:
    problem = yaml_problem(tmp_path, "id: x\nbrief:\n\tsituation: y\n")
    assert problem.line == 3
    assert "tab" in problem.message and "spaces" in problem.hint


def test_wrong_type_names_field_line_and_column(content_dir: Path) -> None:
    path = content_dir / "scenarios" / "cold-call-cold-chain.yaml"
    edit(path, "  turns: 15", "  turns: fifteen")
    problem = only(load_scenario(path))
    assert problem.field == "limits.turns"
    assert (problem.line, problem.column) == (line_of(path, "turns: fifteen"), 10)
    assert "expected a whole number, got text" in problem.message
    assert "without quotes" in problem.hint


def test_unknown_field_suggests_the_right_one(content_dir: Path) -> None:
    path = content_dir / "scenarios" / "cold-call-cold-chain.yaml"
    edit(path, "difficulty: medium", "dificulty: medium")
    problems = load_scenario(path)
    unknown = [p for p in problems if p.field == "dificulty"]
    assert len(unknown) == 1
    assert (unknown[0].line, unknown[0].column) == (line_of(path, "dificulty:"), 1)
    assert unknown[0].message == "unknown field 'dificulty'"
    assert unknown[0].hint == "did you mean 'difficulty'?"
    missing = [p for p in problems if p.field == "difficulty"]
    assert missing and missing[0].message == "required field 'difficulty' is missing"


def test_unknown_nested_field(content_dir: Path) -> None:
    path = content_dir / "personas" / "dana-okafor.yaml"
    edit(path, "  words_per_reply: 35", "  words_per_reply: 35\n  accent: southern")
    problem = only(problems_in(path, Persona))
    assert problem.field == "voice.accent"
    assert (problem.line, problem.column) == (line_of(path, "accent: southern"), 3)
    assert "style" in problem.hint or "words_per_reply" in problem.hint


def test_unknown_persona_is_a_reference_error(content_dir: Path) -> None:
    path = content_dir / "scenarios" / "cold-call-cold-chain.yaml"
    edit(path, "persona: dana-okafor", "persona: dana-okafore")
    library = load_library([content_dir])
    problem = only(library.problems)
    assert problem.path == path
    assert (problem.line, problem.column) == (line_of(path, "persona: dana"), 1)
    assert problem.field == "persona"
    assert problem.message == "no persona with id 'dana-okafore'"
    assert "dana-okafor" in problem.hint
    assert "cold-call-cold-chain" not in library.scenarios


def test_duplicate_key_is_refused_at_the_second(tmp_path: Path) -> None:
    problem = yaml_problem(tmp_path, "id: a\nname: Ann\nrole: CFO\nname: Bea\n")
    assert (problem.line, problem.column) == (4, 1)
    assert problem.message == "duplicate key 'name' (first at line 2)"


def test_alias_is_refused(tmp_path: Path) -> None:
    problem = yaml_problem(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert (problem.line, problem.column) == (1, 4)
    assert "anchors (&x) are not allowed" in problem.message


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    problem = yaml_problem(tmp_path, bomb)
    assert "not allowed" in problem.message


def test_no_stays_a_string_and_is_reported_where_a_boolean_is_expected() -> None:
    doc = parse_yaml(Path("x.yaml"), "answer: no\nflag: yes\nreal: true\nversion: 1.10\n")
    assert isinstance(doc, YamlDocument)
    assert doc.data == {"answer": "no", "flag": "yes", "real": True, "version": 1.1}


def test_no_as_a_value_gives_a_located_message(content_dir: Path) -> None:
    path = content_dir / "personas" / "dana-okafor.yaml"
    edit(path, "when: {openness: 30, on_topic: true}", "when: {openness: 30, on_topic: no}")
    problem = only(problems_in(path, Persona))
    assert problem.field == "hidden_facts.0.when.on_topic"
    line = line_of(path, "on_topic: no")
    assert (problem.line, problem.column) == (
        line,
        path.read_text().splitlines()[line - 1].index("no}") + 1,
    )
    assert problem.message == "expected true or false, got no"


def test_number_where_text_is_expected_suggests_quotes(content_dir: Path) -> None:
    path = content_dir / "scenarios" / "cold-call-cold-chain.yaml"
    edit(path, "title: Cold call to a cold-chain operations director", "title: 1.10")
    problem = only(load_scenario(path))
    assert problem.field == "title"
    assert "got a number 1.1" in problem.message
    assert "quotes" in problem.hint


def test_non_utf8_file(tmp_path: Path) -> None:
    problem = yaml_problem(tmp_path, b"id: a\nname: Andr\xe9\n")
    assert (problem.line, problem.column) == (2, 11)
    assert "not UTF-8" in problem.message


def test_empty_and_non_mapping_files(tmp_path: Path) -> None:
    empty = tmp_path / "e.yaml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    doc = read_yaml(empty)
    assert isinstance(doc, YamlDocument)
    problem = only(validate_document(doc, Scenario))  # type: ignore[arg-type]
    assert problem.message == "the file is empty"
    listing = tmp_path / "l.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    doc = read_yaml(listing)
    assert isinstance(doc, YamlDocument)
    problem = only(validate_document(doc, Scenario))  # type: ignore[arg-type]
    assert "field: value" in problem.message


def test_one_bad_file_does_not_stop_the_others(content_dir: Path) -> None:
    (content_dir / "scenarios" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    library = load_library([content_dir])
    assert "cold-call-cold-chain" in library.scenarios
    assert [p.path.name for p in library.problems] == ["broken.yaml"]


def test_duplicate_ids_across_files(content_dir: Path) -> None:
    source = content_dir / "scenarios" / "cold-call-cold-chain.yaml"
    copy = content_dir / "scenarios" / "zz-copy.yaml"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    library = load_library([content_dir])
    problem = only(library.problems)
    assert problem.path == copy
    assert (problem.line, problem.field) == (line_of(copy, "id: cold-call"), "id")
    assert str(source) in problem.message


def test_unknown_criterion_in_rubric_tweaks(content_dir: Path) -> None:
    path = content_dir / "scenarios" / "cold-call-cold-chain.yaml"
    edit(path, "    customer_focus: 3", "    customer_fokus: 3")
    library = load_library([content_dir])
    problem = only(library.problems)
    assert problem.field == "certification.required_criteria.customer_fokus"
    assert problem.line == line_of(path, "customer_fokus")
    assert "customer_focus" in problem.hint


def test_problem_format_is_one_line() -> None:
    problem = Problem(Path("a.yaml"), 3, 5, "limits.turns", "expected a whole number", "write 15")
    assert str(problem) == "a.yaml:3:5: limits.turns: expected a whole number (hint: write 15)"


def test_every_shipped_file_has_the_schema_modeline() -> None:
    repo = Path(__file__).resolve().parents[1]
    for folder, kind in (("personas", "persona"), ("scenarios", "scenario")):
        for path in sorted((repo / folder).glob("*.yaml")):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json", path


def test_committed_schemas_match_the_models() -> None:
    from trainer.content.schema import SCHEMAS, schema_text

    repo = Path(__file__).resolve().parents[1]
    for name in SCHEMAS:
        committed = (repo / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert committed == schema_text(name), f"run `trainer schema` to refresh {name}"


@pytest.mark.parametrize("fixture_text", [RUBRIC_YAML])
def test_a_rubric_file_validates(tmp_path: Path, fixture_text: str) -> None:
    from trainer.content.models import Rubric

    doc = parse_yaml(tmp_path / "r.yaml", fixture_text)
    assert isinstance(doc, YamlDocument)
    rubric = validate_document(doc, Rubric)
    assert isinstance(rubric, Rubric)
    assert rubric.criteria[0].anchors.for_score(5) == "entirely"


def test_default_rubric_has_every_required_criterion() -> None:
    from trainer.content.library import default_rubric

    ids = {c.id for c in default_rubric().criteria}
    assert ids >= {
        "customer_focus",
        "preparation",
        "insight",
        "questions",
        "restraint",
        "no_pressure",
        "economy",
        "moves_forward",
    }
