"""``trainer new persona|scenario NAME``: start a content file from a commented template.

The file validates as written; every field carries a note saying what to write. The
command prints what it wrote and the command to check the author's edits.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from trainer.authoring.scaffold import KINDS, ScaffoldError, Written, scaffold
from trainer.cli.errors import UserError
from trainer.content.finder import content_roots


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "new",
        help="start a persona or scenario file from a commented template",
        description="Write personas/ID.yaml or scenarios/ID.yaml from a template that "
        "validates as written, with a note on every field saying what to write.",
    )
    parser.add_argument("kind", choices=KINDS, metavar="persona|scenario")
    parser.add_argument(
        "name",
        nargs="+",
        metavar="NAME",
        help='a name, such as "Jane Doe" (the id becomes jane-doe), or an id',
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the content folder to write into (default: the current folder)",
    )
    parser.add_argument(
        "--persona",
        metavar="ID",
        help="for a scenario: the persona it uses (default: the first in DIR/personas)",
    )
    parser.add_argument("--force", action="store_true", help="replace a file that exists")
    parser.set_defaults(handler=run)


def shown(path: Path) -> str:
    """The path as an author would type it: relative to here when it is under here."""
    try:
        text = str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        text = str(path)
    return shlex.quote(text)


def next_steps(written: Written) -> list[str]:
    """The lines printed after writing: what was written and what to do next."""
    path = shown(written.path)
    verb = "Replaced" if written.replaced else "Wrote"
    if written.kind == "persona":
        return [
            f"{verb} {path}: persona '{written.name}' (id {written.item_id}).",
            "Next: edit it (every field has a note saying what to write), then run:",
            f"  trainer validate {path}",
            "See how this buyer reacts to each kind of turn:",
            f"  trainer preview {path}",
        ]
    persona = (
        f"{written.persona_id} ({shown(written.persona_path)})"
        if written.persona_path is not None
        else f"{written.persona_id}"
    )
    check = f"{shown(written.persona_path)} {path}" if written.persona_path else path
    return [
        f"{verb} {path}: scenario '{written.name}' (id {written.item_id}) with persona {persona}.",
        "Next: edit it (every field has a note saying what to write), then run:",
        f"  trainer validate {check}",
        "Play it:",
        f"  trainer play {path}",
    ]


def run(args: argparse.Namespace) -> int:
    name = " ".join(args.name)
    try:
        written = scaffold(
            args.kind,
            name,
            args.dir,
            persona_id=args.persona,
            force=args.force,
            library_roots=content_roots(None),
        )
    except ScaffoldError as exc:
        raise UserError(str(exc)) from None
    for line in next_steps(written):
        print(line)
    return 0
