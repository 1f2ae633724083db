"""``trainer scenarios``: what there is to practise, and a chooser for a bare ``trainer``."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from trainer.cli.options import Commands, add_content_option, add_json_option
from trainer.content.finder import open_library


def register(commands: Commands) -> None:
    parser = commands.add_parser("scenarios")
    add_content_option(parser)
    add_json_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    library = open_library(args.content)
    rows = [library.resolve(sid) for sid in sorted(library.scenarios)]
    if args.json:
        json.dump(
            [
                {
                    "id": r.scenario.id,
                    "title": r.scenario.title,
                    "persona": r.persona.id,
                    "setting": r.scenario.setting,
                    "difficulty": r.scenario.difficulty,
                    "path": str(r.scenario_source.path),
                }
                for r in rows
            ],
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        for r in rows:
            print(f"{r.scenario.id:<36} {r.scenario.difficulty:<7} {r.scenario.title}")
    for problem in library.problems:
        print(f"not loaded: {problem}", file=sys.stderr)
    return 0 if not library.problems else 1


def choose_scenario() -> str | None:
    """Ask which scenario to play; None if the trainee leaves."""
    library = open_library(None)
    ids = sorted(library.scenarios)
    if not ids:
        print("No scenarios could be loaded.", file=sys.stderr)
        for problem in library.problems:
            print(f"  {problem}", file=sys.stderr)
        return None
    print("Trainer — was this a good use of the customer's time?\n")
    for number, sid in enumerate(ids, start=1):
        r = library.resolve(sid)
        print(f"  {number}. {r.scenario.title} ({r.scenario.difficulty})")
        print(
            textwrap.fill(r.scenario.summary, 88, initial_indent="     ", subsequent_indent="     ")
        )
    for problem in library.problems:
        print(f"  (not loaded: {problem})")
    while True:
        try:
            answer = input(f"\nScenario number (1-{len(ids)}, q to quit): ").strip().lower()
        except EOFError:
            return None
        if answer in {"q", "quit", ""}:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(ids):
            return ids[int(answer) - 1]
        if answer in ids:
            return answer
        print(f"Type a number from 1 to {len(ids)}.")
