"""``trainer preview PERSONA``: how a persona reacts to each kind of turn, before playing it.

Every number comes from the engine's own ``react()``; see ``trainer.authoring.preview``.
"""

from __future__ import annotations

import argparse
import sys

from trainer.authoring.preview import preview_persona, render_text, to_json
from trainer.cli.errors import UserError
from trainer.cli.options import Commands, add_content_option, add_json_option
from trainer.content.finder import open_library
from trainer.content.problems import ContentError
from trainer.text import json_text


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "preview",
        description="For each kind of seller turn, from several starting states and for a "
        "weak and a strong turn: the change to the buyer's patience and openness, whether "
        "the buyer ends the call, and which hidden facts the turn could earn.",
    )
    parser.add_argument("persona", metavar="PERSONA", help="a persona id or a persona file")
    add_content_option(parser)
    add_json_option(parser)
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
