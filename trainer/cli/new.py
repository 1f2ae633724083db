"""``trainer new persona|scenario NAME``: start a content file from a commented template,
or, with ``--from SENTENCE``, have a model draft it (a scenario comes with its persona).

The file validates as written; every field carries a note saying what to write. The
command prints what it wrote and the command to check the author's edits. A draft is
written only if it validates; else its problems are printed at file:line (exit 1). No
model configured: one line saying how to configure one (exit 2); one that cannot be
used: one line saying what to do (exit 3).
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.authoring.scaffold import KINDS, Written, scaffold
from trainer.cli.backend import llm_settings_from
from trainer.cli.errors import UserError
from trainer.cli.options import Commands, add_endpoint_options
from trainer.config import ConfigError
from trainer.content.finder import content_roots
from trainer.llm.settings import how_to_configure
from trainer.text import printable
from trainer.words import plural

if TYPE_CHECKING:
    from trainer.authoring.draft import Drafted


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "new",
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
    parser.add_argument(
        "--from",
        dest="sentence",
        metavar="SENTENCE",
        help="have the model draft it from a description (a scenario comes with a new persona), "
        'such as --from "a CFO at a regional hospital chain burned by an analytics vendor"',
    )
    group = parser.add_argument_group(
        "model (for --from)", "the endpoint settings every model feature uses (see trainer doctor)"
    )
    add_endpoint_options(group, model_help="the model that drafts")
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


def drafted_steps(drafted: Drafted) -> list[str]:
    """The lines printed after a draft was written."""
    persona = shown(drafted.persona_path)
    lines = [
        f"{'Replaced' if drafted.persona_replaced else 'Wrote'} {persona}: persona "
        f"'{drafted.persona_name}' (id {drafted.persona_id})."
    ]
    paths = persona
    if drafted.scenario_path is not None:
        scenario = shown(drafted.scenario_path)
        verb = "Replaced" if drafted.scenario_replaced else "Wrote"
        lines.append(
            f"{verb} {scenario}: scenario '{drafted.scenario_title}' (id {drafted.scenario_id}) "
            f"with persona {drafted.persona_id}."
        )
        paths = f"{persona} {scenario}"
    lines += [
        "They validate. A model wrote every line: read them all, make them true to your "
        "buyers, then check again with:",
        f"  trainer validate {paths}",
        "See how this buyer reacts to each kind of turn:",
        f"  trainer preview {persona}",
    ]
    if drafted.scenario_path is not None:
        lines += ["Play it:", f"  trainer play {shown(drafted.scenario_path)}"]
    return lines


def run_draft(args: argparse.Namespace, name: str) -> int:
    """``--from``: draft with the configured model; write only what validates."""
    if args.persona is not None:
        raise UserError(
            "--persona cannot be used with --from: --from drafts a new persona for the "
            "scenario (draft a persona alone with: trainer new persona NAME --from ...)",
            exit_code=2,
        )
    try:
        settings = llm_settings_from(args)
    except ConfigError as exc:
        raise UserError(f"--from needs a model: {exc}", exit_code=2) from None
    if settings.backend == "offline":
        raise UserError(
            f"--from needs a model, and no endpoint is configured. {how_to_configure()}",
            exit_code=2,
        )
    from trainer.authoring.draft import DraftRejected, draft

    def announce() -> None:
        where = settings.describe()["base_url"]
        print(
            printable(
                f"Drafting with {settings.buyer_model} at {where} (this can take a few minutes)..."
            ),
            flush=True,
        )

    try:
        drafted = draft(
            args.kind, name, args.sentence, args.dir, settings, force=args.force, announce=announce
        )
    except DraftRejected as exc:
        for problem in exc.problems:
            print(str(problem))
        where = shown(exc.folder)
        count = plural(len(exc.problems), "problem")
        raise UserError(
            f"the draft does not validate ({count} above), so nothing "
            f"was written to personas/ or scenarios/. The drafts are in {where}: fix them "
            f"there and check with: trainer validate {where} (then move them into "
            "personas/ and scenarios/), or run the command again"
        ) from None
    for line in drafted_steps(drafted):
        print(printable(line))
    return 0


def run(args: argparse.Namespace) -> int:
    name = " ".join(args.name)
    if args.sentence is not None:
        return run_draft(args, name)
    written = scaffold(
        args.kind,
        name,
        args.dir,
        persona_id=args.persona,
        force=args.force,
        library_roots=content_roots(None),
    )
    for line in next_steps(written):
        print(line)
    return 0
