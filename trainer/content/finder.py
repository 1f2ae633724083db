"""Finding content from what a user typed: a library id or a path to a scenario file.

A scenario file outside the library still needs its persona. It is looked for where an
author would put it: beside the file, in a ``personas/`` folder next to the file's
folder, then in the content folders (by file name, then by id).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from trainer.config import CONTENT
from trainer.content.library import (
    Library,
    LoadedPersona,
    ResolvedScenario,
    check_references,
    default_rubric,
    effective_rubric,
    load_library,
    load_persona_file,
    load_scenario_file,
    package_content_root,
)
from trainer.content.paths import not_a_file_message
from trainer.content.problems import ContentError, Problem
from trainer.errors import InputError


class NotFound(InputError, LookupError):
    """The scenario or persona the user asked for does not exist; the message says so."""


def content_roots(explicit: list[Path] | None = None) -> list[Path]:
    """Content folders in order: --content, then the folders in the ``CONTENT`` environment
    variable (``trainer.config``), then the starter library."""
    roots: list[Path] = list(explicit or [])
    env = CONTENT.get()
    if env:
        roots += [Path(p) for p in env.split(os.pathsep) if p]
    if not explicit:
        roots.append(package_content_root())
    unique: list[Path] = []
    for root in roots:
        if root not in unique:
            unique.append(root)
    return unique


def looks_like_path(argument: str) -> bool:
    return argument.endswith((".yaml", ".yml")) or os.sep in argument or Path(argument).is_file()


def find_scenario(argument: str, library: Library) -> ResolvedScenario:
    """The scenario named by id or path, with its persona, or ``NotFound``/``ContentError``."""
    if looks_like_path(argument):
        return _scenario_from_file(Path(argument), library)
    if argument in library.scenarios:
        return library.resolve(argument)
    broken = [p for p in library.problems if p.path.stem == argument]
    if broken:
        raise ContentError(broken)
    known = sorted(library.scenarios)
    close = difflib.get_close_matches(argument, known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    listing = ", ".join(known) if known else "none"
    raise NotFound(f"no scenario '{argument}'.{hint} Known scenarios: {listing}")


def _scenario_from_file(path: Path, library: Library) -> ResolvedScenario:
    unusable = not_a_file_message(path, "a scenario file", f"no scenario file at {path}")
    if unusable is not None:
        raise NotFound(unusable)
    loaded = load_scenario_file(path)
    if isinstance(loaded, list):
        raise ContentError(loaded)
    scenario = loaded.scenario
    persona = _persona_for(path, scenario.persona, library)
    if persona is None:
        line, column = loaded.source.locate("persona")
        raise ContentError(
            [
                Problem(
                    path,
                    line,
                    column,
                    "persona",
                    f"no persona with id '{scenario.persona}' beside the file, in "
                    f"{path.parent.parent / 'personas'} or in the content folders",
                    f"put {scenario.persona}.yaml next to the scenario, or pass --content DIR",
                )
            ]
        )
    probe = Library(roots=library.roots, personas={persona.persona.id: persona})
    problems = check_references(probe, loaded)
    if problems:
        raise ContentError(problems)
    return ResolvedScenario(
        scenario=scenario,
        persona=persona.persona,
        rubric=effective_rubric(default_rubric(), scenario),
        scenario_source=loaded.source,
        persona_source=persona.source,
    )


def _persona_for(path: Path, persona_id: str, library: Library) -> LoadedPersona | None:
    folders = [path.parent, path.parent.parent / "personas"]
    folders += [root / "personas" for root in library.roots]
    for folder in folders:
        for suffix in (".yaml", ".yml"):
            candidate = folder / f"{persona_id}{suffix}"
            if candidate.is_file():
                loaded = load_persona_file(candidate)
                if isinstance(loaded, list):
                    raise ContentError(loaded)
                if loaded.persona.id == persona_id:
                    return loaded
    return library.personas.get(persona_id)


def open_library(explicit: list[Path] | None = None) -> Library:
    return load_library(content_roots(explicit))
