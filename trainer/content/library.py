"""The content library: every persona and scenario under a content folder, checked
against each other, with one bad file never stopping the others from loading.

A content folder holds ``personas/*.yaml`` and ``scenarios/*.yaml``. Each item keeps
the SHA-256 of its file so a recorded session can say exactly which content it ran on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from trainer.content.models import Criterion, Persona, Rubric, Scenario
from trainer.content.persona_checks import persona_problems
from trainer.content.problems import ContentError, Problem
from trainer.content.validation import validate_document
from trainer.content.yaml_loader import (
    YamlDocument,
    key_node_at,
    node_at,
    parse_yaml,
    read_yaml,
)

YAML_SUFFIXES = (".yaml", ".yml")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Source:
    """Where an item came from and the hash of the exact bytes it was read from."""

    path: Path
    sha256: str
    doc: YamlDocument | None = field(default=None, compare=False, repr=False)

    def locate(self, *loc: int | str) -> tuple[int, int]:
        """Line and column (1-based) of a key in the file, for reference errors."""
        if self.doc is None:
            return 1, 1
        node = key_node_at(self.doc.root, loc)
        if node is None:  # a list item, or a key that is not there: the nearest node
            node, _ = node_at(self.doc.root, loc)
        if node is None:
            return 1, 1
        return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass(frozen=True)
class LoadedPersona:
    persona: Persona
    source: Source


@dataclass(frozen=True)
class LoadedScenario:
    scenario: Scenario
    source: Source


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario with its persona and effective rubric: everything a session needs."""

    scenario: Scenario
    persona: Persona
    rubric: Rubric
    scenario_source: Source
    persona_source: Source

    @property
    def content_hashes(self) -> dict[str, str]:
        return {
            "scenario": self.scenario_source.sha256,
            "persona": self.persona_source.sha256,
            "rubric": rubric_hash(self.rubric),
        }


@dataclass
class Library:
    """Everything that loaded, and every problem with what did not."""

    roots: list[Path]
    personas: dict[str, LoadedPersona] = field(default_factory=dict)
    scenarios: dict[str, LoadedScenario] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rubric: Rubric = field(default_factory=lambda: _default_rubric())
    _found: dict[str, ResolvedScenario | None] = field(default_factory=dict, repr=False)

    def find(self, scenario_id: str) -> ResolvedScenario | None:
        """The scenario with its persona, or None if either is missing; remembered, for
        commands that look the same scenario up once per stored session."""
        if scenario_id not in self._found:
            loaded = self.scenarios.get(scenario_id)
            found = loaded is not None and loaded.scenario.persona in self.personas
            self._found[scenario_id] = self.resolve(scenario_id) if found else None
        return self._found[scenario_id]

    def resolve(self, scenario_id: str) -> ResolvedScenario:
        """The scenario with its persona; ``KeyError`` if either is not in the library."""
        loaded = self.scenarios[scenario_id]
        persona = self.personas[loaded.scenario.persona]
        return ResolvedScenario(
            scenario=loaded.scenario,
            persona=persona.persona,
            rubric=effective_rubric(self.rubric, loaded.scenario),
            scenario_source=loaded.source,
            persona_source=persona.source,
        )


def _default_rubric() -> Rubric:
    return default_rubric()


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def rubric_hash(rubric: Rubric) -> str:
    return sha256_of(rubric.model_dump_json(by_alias=True).encode())


@cache
def default_rubric() -> Rubric:
    """The rubric that ships with the package. A problem here is a packaging bug."""
    text = resources.files("trainer.content").joinpath("default_rubric.yaml").read_text("utf-8")
    doc = parse_yaml(Path("trainer/content/default_rubric.yaml"), text)
    if not isinstance(doc, YamlDocument):
        raise ContentError([doc])
    rubric = validate_document(doc, Rubric)
    if isinstance(rubric, list):
        raise ContentError(rubric)
    return rubric


def effective_rubric(base: Rubric, scenario: Scenario) -> Rubric:
    """The base rubric with the scenario's weights and extra criteria applied."""
    tweaks = scenario.rubric
    if not tweaks.weights and not tweaks.extra_criteria:
        return base
    criteria: list[Criterion] = [
        c.model_copy(update={"weight": tweaks.weights[c.id]}) if c.id in tweaks.weights else c
        for c in base.criteria
    ]
    for extra in tweaks.extra_criteria:
        weight = tweaks.weights.get(extra.id, extra.weight)
        criteria.append(extra.model_copy(update={"weight": weight}))
    return base.model_copy(update={"criteria": criteria})


def yaml_files(folder: Path) -> list[Path]:
    """Everything in ``folder`` named like a YAML file. A folder or a FIFO so named is
    listed too, so reading it reports what it is instead of skipping it in silence; a
    dangling link (an editor's lock file, ``.#name.yaml``) is not."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.exists())


def _read_item(path: Path, model: type[M]) -> tuple[M, Source] | list[Problem]:
    doc = read_yaml(path)
    if isinstance(doc, Problem):
        return [doc]
    item = validate_document(doc, model)
    if isinstance(item, list):
        return item
    return item, Source(path, sha256_of(doc.raw), doc)


def load_persona_file(path: Path) -> LoadedPersona | list[Problem]:
    read = _read_item(path, Persona)
    if isinstance(read, list):
        return read
    problems = persona_problems(*read)
    return problems if problems else LoadedPersona(*read)


def load_scenario_file(path: Path) -> LoadedScenario | list[Problem]:
    read = _read_item(path, Scenario)
    return read if isinstance(read, list) else LoadedScenario(*read)


def load_library(roots: list[Path], extra_scenarios: list[Path] | None = None) -> Library:
    """Load every persona and scenario under the roots, then check references.

    Later roots may not redefine an id an earlier root defined: a duplicate is reported
    at its ``id:`` line, naming the file that has it first.
    """
    library = Library(roots=list(roots))
    persona_files = [p for root in roots for p in yaml_files(root / "personas")]
    scenario_files = [p for root in roots for p in yaml_files(root / "scenarios")]
    scenario_files += [p for p in extra_scenarios or [] if p not in scenario_files]

    for path in persona_files:
        loaded = load_persona_file(path)
        if isinstance(loaded, list):
            library.problems.extend(loaded)
        elif _claim_id(library, library.personas, loaded.persona.id, loaded.source, "persona"):
            library.personas[loaded.persona.id] = loaded

    for path in scenario_files:
        loaded_s = load_scenario_file(path)
        if isinstance(loaded_s, list):
            library.problems.extend(loaded_s)
            continue
        scenario = loaded_s.scenario
        if not _claim_id(library, library.scenarios, scenario.id, loaded_s.source, "scenario"):
            continue
        reference_problems = check_references(library, loaded_s)
        if reference_problems:
            library.problems.extend(reference_problems)
            continue
        library.scenarios[scenario.id] = loaded_s
    return library


def _claim_id(library: Library, taken: dict, item_id: str, source: Source, kind: str) -> bool:  # type: ignore[type-arg]
    first = taken.get(item_id)
    if first is None:
        return True
    line, column = source.locate("id")
    library.problems.append(
        Problem(
            source.path,
            line,
            column,
            "id",
            f"{kind} id '{item_id}' is already used by {first.source.path}",
            "give this one a different id",
        )
    )
    return False


def check_references(library: Library, loaded: LoadedScenario) -> list[Problem]:
    """Problems with what a scenario refers to: its persona and its rubric criteria."""
    scenario = loaded.scenario
    source = loaded.source
    problems: list[Problem] = []
    if scenario.persona not in library.personas:
        line, column = source.locate("persona")
        known = ", ".join(sorted(library.personas)) or "none loaded"
        problems.append(
            Problem(
                source.path,
                line,
                column,
                "persona",
                f"no persona with id '{scenario.persona}'",
                f"use the id of a file in personas/ (known: {known})",
            )
        )
    criteria = {c.id for c in library.rubric.criteria}
    extra_ids = [c.id for c in scenario.rubric.extra_criteria]
    for extra_id in extra_ids:
        if extra_id in criteria:
            line, column = source.locate("rubric", "extra_criteria")
            problems.append(
                Problem(
                    source.path,
                    line,
                    column,
                    "rubric.extra_criteria",
                    f"criterion '{extra_id}' is already in the rubric",
                    "give the extra criterion a new id, or change its weight under 'weights'",
                )
            )
    known_criteria = criteria | set(extra_ids)
    for section in ("weights", "required"):
        keys = (
            scenario.rubric.weights
            if section == "weights"
            else scenario.certification.required_criteria
        )
        loc: tuple[str, ...] = (
            ("rubric", "weights")
            if section == "weights"
            else ("certification", "required_criteria")
        )
        for criterion_id in keys:
            if criterion_id not in known_criteria:
                line, column = source.locate(*loc, criterion_id)
                problems.append(
                    Problem(
                        source.path,
                        line,
                        column,
                        ".".join((*loc, criterion_id)),
                        f"no criterion '{criterion_id}' in the rubric",
                        "use one of: " + ", ".join(sorted(known_criteria)),
                    )
                )
    problems += _check_outcomes(library, loaded)
    problems += _check_tests(library, loaded)
    return problems


def _check_outcomes(library: Library, loaded: LoadedScenario) -> list[Problem]:
    """The facts an outcome or a certification requirement names must be the persona's."""
    scenario, source = loaded.scenario, loaded.source
    persona = library.personas.get(scenario.persona)
    if persona is None:
        return []
    facts = {f.id for f in persona.persona.hidden_facts}
    named: list[tuple[tuple[str | int, ...], str]] = [
        (("outcomes", "facts", position, "id"), outcome.id)
        for position, outcome in enumerate(scenario.outcomes.facts or [])
    ]
    named += [
        (("certification", "required_facts", position), fact)
        for position, fact in enumerate(scenario.certification.required_facts)
    ]
    problems: list[Problem] = []
    for loc, fact in named:
        if fact not in facts:
            line, column = source.locate(*loc)
            problems.append(
                Problem(
                    source.path,
                    line,
                    column,
                    ".".join(str(part) for part in loc),
                    f"no hidden fact '{fact}' in persona {scenario.persona}",
                    "use one of: " + ", ".join(sorted(facts)),
                )
            )
    return problems


def _check_tests(library: Library, loaded: LoadedScenario) -> list[Problem]:
    """A scenario test must name facts the persona has and turns its script plays."""
    scenario, source = loaded.scenario, loaded.source
    persona = library.personas.get(scenario.persona)
    facts = {f.id for f in persona.persona.hidden_facts} if persona else set()
    problems: list[Problem] = []
    for number, test in enumerate(scenario.tests):
        for key in ("disclosed", "not_disclosed"):
            for position, fact in enumerate(getattr(test.expect, key)):
                if persona is not None and fact not in facts:
                    line, column = source.locate("tests", number, "expect", key, position)
                    problems.append(
                        Problem(
                            source.path,
                            line,
                            column,
                            f"tests.{number}.expect.{key}",
                            f"no hidden fact '{fact}' in persona {scenario.persona}",
                            "use one of: " + ", ".join(sorted(facts)),
                        )
                    )
        for turn in test.expect.moves:
            if not 1 <= turn <= len(test.seller):
                line, column = source.locate("tests", number, "expect", "moves", turn)
                problems.append(
                    Problem(
                        source.path,
                        line,
                        column,
                        f"tests.{number}.expect.moves",
                        f"turn {turn} is not in the script ({len(test.seller)} turns)",
                        "number the turns from 1, as they appear under seller:",
                    )
                )
    return problems


def package_content_root() -> Path:
    """Where the starter library lives: inside the wheel when installed, else the repo."""
    packaged = Path(__file__).resolve().parent.parent / "_library"
    if (packaged / "scenarios").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]
