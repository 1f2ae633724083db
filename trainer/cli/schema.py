"""``trainer schema``: write the JSON Schemas editors use to complete content files."""

from __future__ import annotations

import argparse
from pathlib import Path

from trainer.cli.options import Commands
from trainer.content.schema import write_schemas


def register(commands: Commands) -> None:
    parser = commands.add_parser("schema")
    parser.add_argument(
        "--out", type=Path, default=Path("schemas"), help="folder to write to (default: schemas)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    for path in write_schemas(args.out):
        print(path)
    return 0
