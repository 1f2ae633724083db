"""``trainer preview PERSONA``: how a persona reacts to each kind of turn, before playing it.

Every number comes from the engine's own ``react()``; see ``trainer.authoring.preview``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.authoring.preview import preview_persona, render_text, to_json
from trainer.cli.errors import UserError
from trainer.content.finder import open_library
from trainer.content.problems import ContentError
from trainer.text import json_text


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "preview",
        help="show how a persona reacts to each kind of turn",
        description="For each kind of seller turn, from several starting states and for a "
        "weak and a strong turn: the change to the buyer's patience and openness, whether "
        "the buyer ends the call, and which hidden facts the turn could earn.",
    )
    parser.add_argument("persona", metavar="PERSONA", help="a persona id or a persona file")
    parser.add_argument("--content", metavar="DIR", action="append", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    library = open_library(args.content)
    try:
        preview = preview_persona(args.persona, library)
    except ContentError as exc:
        raise UserError("the persona cannot be loaded:\n" + str(exc)) from None
    if args.json:
        sys.stdout.write(json_text(to_json(preview)))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(preview))
    return 0
