"""``trainer certify``: a recorded, judged attempt with no feedback until the call ends.

The same runner as ``trainer play`` (``starting.py``); the session's mode makes the
difference: the engine refuses rewinds, the front end hides verdicts and hints, the store
counts the attempt against the scenario's limit and the ledger signs the result.
"""

from __future__ import annotations

from trainer.cli.options import Commands, add_run_options, add_seed_option
from trainer.cli.starting import run_new


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "certify",
        description="Take a certification attempt at SCENARIO. The pass mark, required "
        "criteria and number of attempts come from the scenario. Every attempt meets the buyer "
        "with lines drawn afresh, so no practice run replays it. With --script and --json "
        "the attempt runs unattended and the JSON document gains a 'certification' entry.",
    )
    add_run_options(parser)
    add_seed_option(parser, refused=True)
    parser.set_defaults(handler=run_new, mode="certification")
