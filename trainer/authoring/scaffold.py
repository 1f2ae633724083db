"""Starting a persona or scenario file from a commented template (``trainer new``).

The templates (``templates/persona.yaml`` and ``templates/scenario.yaml``, package data)
hold example content that validates as it is, with a note on every field for authors who
are not programmers. They contain ``{{key}}`` placeholders, filled here:

- ``id``, ``persona``, ``name``, ``title``: whole values, written plain when that reads
  back as the same text (an id such as ``true`` or ``42`` does not), else double-quoted;
- ``first_name``: a person's first name, checked to be plain-safe (letters, digits, spaces,
  ``.'-``) because it sits inside plain text lines;
- ``persona_name``, ``organisation``: taken from an existing persona, so any text; they
  appear only inside ``>`` block text, where every character is literal.

Before anything is written the rendered text is read back with the project's own loader
and models, so a file that would not validate is never written.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel

from trainer.content.library import (
    YAML_SUFFIXES,
    Library,
    LoadedPersona,
    LoadedScenario,
    Source,
    check_references,
    load_library,
    load_persona_file,
    sha256_of,
    yaml_files,
)
from trainer.content.models import Persona, Scenario
from trainer.content.problems import Problem
from trainer.content.validation import validate_document
from trainer.content.yaml_loader import StrictLoader, parse_yaml, read_yaml
from trainer.errors import InputError

Kind = Literal["persona", "scenario"]
KINDS: tuple[Kind, ...] = ("persona", "scenario")
FOLDERS: dict[Kind, str] = {"persona": "personas", "scenario": "scenarios"}
MAX_ID = 64

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PERSON = re.compile(r"^[^\W\d_][\w .'-]*$")
"""A person's name: starts with a letter; letters, digits, spaces, full stops, apostrophes
and hyphens. Safe anywhere inside a plain YAML line."""
_PLAIN = re.compile(r"^\w[\w .,'()&/!?-]*$")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
M = TypeVar("M", bound=BaseModel)


class ScaffoldError(InputError):
    """The file cannot be written; the message says why and what to do instead."""


@dataclass(frozen=True)
class Written:
    """What ``scaffold`` wrote."""

    kind: Kind
    item_id: str
    name: str
    path: Path
    replaced: bool
    persona_id: str | None = None
    persona_path: Path | None = None
    """For a scenario: the persona file it refers to, if it is in the target folder."""


# ----------------------------------------------------------------------------- names


def make_id(name: str) -> str:
    """The id for a name: "Jane Doe" -> ``jane-doe``, "José Álvarez" -> ``jose-alvarez``.

    An id that is already valid is kept as it is. Raises ``ScaffoldError`` when no valid
    id can be made.
    """
    text = name.strip()
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise ScaffoldError("the name contains a control character; type plain text")
    if not text:
        raise ScaffoldError(
            'the name is empty; give a name such as "Jane Doe" or an id such as jane-doe'
        )
    if "/" in text or "\\" in text:
        raise ScaffoldError(
            f"'{text}' looks like a path; give a name such as \"Jane Doe\" and choose the "
            "folder with --dir"
        )
    if _SLUG.match(text):
        slug = text
    else:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        ascii_text = re.sub(r"['’`]", "", ascii_text.lower())
        slug = re.sub(r"[^a-z0-9_]+", "-", ascii_text).strip("-_")
        slug = re.sub(r"-{2,}", "-", slug)
    if not slug or not _SLUG.match(slug):
        raise ScaffoldError(
            f"cannot make an id from '{text}': an id needs letters a-z or digits "
            '(for example "Jane Doe" becomes jane-doe)'
        )
    if len(slug) > MAX_ID:
        raise ScaffoldError(
            f"the id '{slug}' is {len(slug)} characters; at most {MAX_ID}. Use a shorter name"
        )
    return slug


def display_name(name: str, kind: Kind) -> str:
    """The name shown to trainees: the text as given, or words made from an id."""
    text = " ".join(name.split())
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise ScaffoldError("the name contains a control character; type plain text")
    if _SLUG.match(text):
        words = re.split(r"[-_]+", text)
        text = " ".join(w.capitalize() for w in words) if kind == "persona" else " ".join(words)
        text = text[:1].upper() + text[1:]
    if kind == "persona" and not _PERSON.match(text):
        raise ScaffoldError(
            f"'{text}' cannot be a person's name here: start with a letter and use only "
            "letters, digits, spaces, full stops, apostrophes and hyphens (you can change "
            "the name: field in the file afterwards)"
        )
    if len(text) > 200:
        raise ScaffoldError(f"the name is {len(text)} characters; keep it under 200")
    return text


def yaml_value(text: str) -> str:
    """``text`` as a YAML scalar on one line: plain when that reads back the same, else quoted."""
    if _PLAIN.match(text) and _reads_back(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _reads_back(text: str) -> bool:
    """Whether ``key: text`` reads back as that very text (not a number, true, null...)."""
    try:
        data = yaml.load(f"key: {text}", Loader=StrictLoader)
    except Exception:  # a YAML error, or the strict loader's refusal
        return False
    return isinstance(data, dict) and data.get("key") == text


def _block_text(text: str) -> str:
    """Text for inside a ``>`` block: one line, every character literal."""
    return " ".join(text.split())


# ----------------------------------------------------------------------------- templates


def template(kind: Kind) -> str:
    """The raw template, with its ``{{key}}`` placeholders."""
    files = resources.files("trainer.authoring").joinpath("templates", f"{kind}.yaml")
    return files.read_text(encoding="utf-8")


def render(kind: Kind, values: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"the {kind} template needs a value for {{{{{key}}}}}")
        return values[key]

    return _PLACEHOLDER.sub(fill, template(kind))


def persona_text(name: str) -> tuple[str, str, str]:
    """(id, display name, file text) of a new persona."""
    item_id = make_id(name)
    shown = display_name(name, "persona")
    text = render(
        "persona",
        {"id": yaml_value(item_id), "name": yaml_value(shown), "first_name": shown.split()[0]},
    )
    return item_id, shown, text


def scenario_text(name: str, persona: Persona) -> tuple[str, str, str]:
    """(id, title, file text) of a new scenario for ``persona``."""
    item_id = make_id(name)
    title = display_name(name, "scenario")
    text = render(
        "scenario",
        {
            "id": yaml_value(item_id),
            "title": yaml_value(title),
            "persona": yaml_value(persona.id),
            "persona_name": _block_text(persona.name),
            "organisation": _block_text(persona.organisation),
        },
    )
    return item_id, title, text


def _check(path: Path, text: str, model: type[M]) -> tuple[M, Source]:
    """The rendered text, read back as the loader would read the file."""
    doc = parse_yaml(path, text, text.encode("utf-8"))
    problems: list[Problem]
    if isinstance(doc, Problem):
        problems = [doc]
    else:
        item = validate_document(doc, model)
        if not isinstance(item, list):
            return item, Source(path, sha256_of(doc.raw), doc)
        problems = item
    listing = "\n".join(str(p) for p in problems)
    raise ScaffoldError(f"the new {model.__name__.lower()} would not validate:\n{listing}")


# ----------------------------------------------------------------------------- personas


def _loaded_personas(folder: Path) -> tuple[list[LoadedPersona], list[Path]]:
    """The personas in ``folder/personas`` that load, and the files that do not."""
    loaded: list[LoadedPersona] = []
    broken: list[Path] = []
    for path in yaml_files(folder / "personas"):
        item = load_persona_file(path)
        if isinstance(item, list):
            broken.append(path)
        else:
            loaded.append(item)
    return loaded, broken


def choose_persona(
    folder: Path, persona_id: str | None, library_roots: list[Path]
) -> LoadedPersona:
    """The persona a new scenario refers to: ``persona_id`` from the folder or the content
    folders, else the first persona in ``folder/personas`` that loads."""
    local, broken = _loaded_personas(folder)
    personas_dir = folder / "personas"
    if persona_id is not None:
        for item in local:
            if item.persona.id == persona_id:
                return item
        library = load_library([r for r in library_roots if r.resolve() != folder.resolve()])
        if persona_id in library.personas:
            return library.personas[persona_id]
        known = sorted({p.persona.id for p in local} | set(library.personas))
        raise ScaffoldError(
            f"no persona '{persona_id}' in {personas_dir} or the content folders "
            f"(known: {', '.join(known) or 'none'}). Create it first with: "
            f'trainer new persona "{persona_id}"'
        )
    if local:
        return local[0]
    if broken:
        raise ScaffoldError(
            f"a scenario needs a persona, and none of the {len(broken)} file(s) in "
            f"{personas_dir} loads. Fix them (trainer validate {personas_dir}) or name a "
            "persona with --persona ID"
        )
    same_dir = "" if folder == Path(".") else f" --dir {shlex.quote(str(folder))}"
    raise ScaffoldError(
        f"a scenario needs a persona, and there is none in {personas_dir}/ yet. Create one "
        f'first with: trainer new persona "Jane Doe"{same_dir}, or name an existing one '
        "with --persona ID (for example --persona dana-okafor)"
    )


# ----------------------------------------------------------------------------- writing


def refuse_clashes(kind: Kind, target: Path, item_id: str, force: bool) -> bool:
    """Whether ``target`` exists (and may be replaced); ``ScaffoldError`` if it may not."""
    folder = target.parent
    for suffix in YAML_SUFFIXES:
        twin = target.with_suffix(suffix)
        if twin != target and twin.exists():
            raise ScaffoldError(
                f"{twin} already exists with the same id; edit that file, or choose another name"
            )
    for path in yaml_files(folder):
        if path == target:
            continue
        doc = read_yaml(path)
        data = getattr(doc, "data", None)
        if isinstance(data, dict) and data.get("id") == item_id:
            raise ScaffoldError(
                f"{path} already has the {kind} id '{item_id}'; edit that file, or choose "
                "another name"
            )
    if target.is_dir():
        raise ScaffoldError(f"{target} is a folder; choose another name")
    exists = target.exists()
    if exists and not force:
        raise ScaffoldError(
            f"{target} already exists; choose another name, or add --force to replace it "
            "(your changes in it will be lost)"
        )
    return exists


def write_file(target: Path, text: str, replace: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = "w" if replace else "x"
    try:
        with target.open(mode, encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(
            f"{target} already exists; choose another name, or add --force to replace it"
        ) from None
    except OSError as exc:
        raise ScaffoldError(f"cannot write {target}: {exc.strerror or exc}") from None


def scaffold(
    kind: Kind,
    name: str,
    folder: Path,
    *,
    persona_id: str | None = None,
    force: bool = False,
    library_roots: list[Path] | None = None,
) -> Written:
    """Write a new persona or scenario under ``folder`` and say what was written.

    ``library_roots`` are the content folders a scenario's ``persona_id`` may also come
    from (the starter library, the folders in the content environment variable).
    """
    if kind not in KINDS:
        raise ScaffoldError(f"cannot make a '{kind}'; choose persona or scenario")
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder} is a file; --dir needs a folder")
    subfolder = folder / FOLDERS[kind]
    if kind == "persona":
        if persona_id is not None:
            raise ScaffoldError("--persona is for scenarios; a persona does not refer to one")
        item_id, shown, text = persona_text(name)
        target = subfolder / f"{item_id}.yaml"
        _check(target, text, Persona)
        replaced = refuse_clashes(kind, target, item_id, force)
        write_file(target, text, replaced)
        return Written(kind, item_id, shown, target, replaced)

    item_id = make_id(name)  # a bad name is reported before a missing persona
    persona = choose_persona(folder, persona_id, library_roots or [])
    item_id, shown, text = scenario_text(name, persona.persona)
    target = subfolder / f"{item_id}.yaml"
    scenario, source = _check(target, text, Scenario)
    probe = Library(roots=[folder], personas={persona.persona.id: persona})
    problems = check_references(probe, LoadedScenario(scenario, source))
    if problems:
        listing = "\n".join(str(p) for p in problems)
        raise ScaffoldError(f"the new scenario would not validate:\n{listing}")
    replaced = refuse_clashes(kind, target, item_id, force)
    write_file(target, text, replaced)
    in_folder = persona.source.path.resolve().is_relative_to(folder.resolve())
    return Written(
        kind,
        item_id,
        shown,
        target,
        replaced,
        persona_id=persona.persona.id,
        persona_path=persona.source.path if in_folder else None,
    )
