"""``trainer validate``: check content files and print one line per problem.

Paths may be content folders (holding personas/ and scenarios/), plain folders of YAML
files, or single files. A scenario is checked against the personas it can see: those
named on the command line and those in the content folders.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.cli.errors import UserError
from trainer.cli.options import Commands, add_content_option
from trainer.content.finder import content_roots
from trainer.content.library import (
    YAML_SUFFIXES,
    Library,
    check_references,
    load_library,
    load_persona_file,
    load_scenario_file,
    yaml_files,
)
from trainer.content.models import Rubric
from trainer.content.paths import special_kind
from trainer.content.problems import Problem
from trainer.content.validation import validate_document
from trainer.content.yaml_loader import read_yaml


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "validate",
        description="Check content files. Exit 0 when all are valid, 1 otherwise.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    add_content_option(parser)
    parser.set_defaults(handler=run)


def _kind(path: Path) -> str:
    """persona, scenario or rubric: by folder name, else by the fields the file has."""
    folder = path.parent.name
    if folder in {"personas", "scenarios", "rubrics"}:
        return folder.removesuffix("s")
    doc = read_yaml(path)
    data = getattr(doc, "data", None)
    if isinstance(data, dict):
        if "hidden_facts" in data or "reactions" in data:
            return "persona"
        if "criteria" in data and "persona" not in data:
            return "rubric"
    return "scenario"


def run(args: argparse.Namespace) -> int:
    targets: list[Path] = args.paths or content_roots(args.content)
    roots: list[Path] = []
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            if (target / "personas").is_dir() or (target / "scenarios").is_dir():
                roots.append(target)
            elif target.suffix in YAML_SUFFIXES:
                raise UserError(f"{target} is a folder, not a YAML file")
            else:
                listed = yaml_files(target)
                if not listed and args.paths:
                    raise UserError(f"no YAML files (.yaml or .yml) in {target}")
                files += listed
        elif target.is_file():
            if target.suffix not in YAML_SUFFIXES:
                raise UserError(f"{target} is not a YAML file (.yaml or .yml)")
            files.append(target)
        else:
            kind = special_kind(target)  # a FIFO, socket or device: said, never opened
            raise UserError(
                f"{target} is {kind}, not a YAML file"
                if kind
                else f"no such file or folder: {target}"
            )

    library = load_library(roots or [])
    context = load_library([r for r in content_roots(args.content) if r not in roots])
    problems = list(library.problems)
    checked = len(library.personas) + len(library.scenarios)
    by_kind: dict[str, list[Path]] = {"persona": [], "scenario": [], "rubric": []}
    for path in files:
        by_kind[_kind(path)].append(path)
    for path in by_kind["persona"]:
        loaded = load_persona_file(path)
        if isinstance(loaded, list):
            problems += loaded
        else:
            library.personas.setdefault(loaded.persona.id, loaded)
            checked += 1
    for path in by_kind["rubric"]:
        doc = read_yaml(path)
        result = doc if isinstance(doc, Problem) else validate_document(doc, Rubric)
        if isinstance(result, Problem):
            problems.append(result)
        elif isinstance(result, list):
            problems += result
        else:
            checked += 1
    visible = Library(roots=library.roots, personas={**context.personas, **library.personas})
    for path in by_kind["scenario"]:
        loaded_s = load_scenario_file(path)
        if isinstance(loaded_s, list):
            problems += loaded_s
            continue
        found = check_references(visible, loaded_s)
        problems += found
        checked += 0 if found else 1

    for problem in sorted(problems):
        print(problem)
    total = checked + len({p.path for p in problems})
    if problems:
        print(
            f"{len(problems)} problem(s) in {len({p.path for p in problems})} of {total} file(s)",
            file=sys.stderr,
        )
        return 1
    print(f"{total} file(s) checked: all valid", file=sys.stderr)
    return 0
