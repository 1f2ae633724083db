"""``trainer play``: a practice conversation in the plain terminal, scripted or typed
(the runner it shares with ``certify`` is ``starting.py``), and bare ``trainer`` off a
terminal."""

from __future__ import annotations

import argparse

from trainer.cli.backend import llm_settings_from
from trainer.cli.conversation import interactive
from trainer.cli.loading import load_setup
from trainer.cli.options import Commands, add_run_options, add_seed_option
from trainer.cli.starting import recorded_into, run_new
from trainer.llm.settings import LlmSettings
from trainer.sessions.opening import open_session


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "play",
        description="Play a scenario. SCENARIO is a library id or a path to a scenario file. "
        "The session is recorded in the results store as it is played.",
    )
    add_run_options(parser)
    add_seed_option(parser)
    parser.add_argument(
        "--no-record", action="store_true", help="do not keep this session in the results store"
    )
    parser.set_defaults(handler=run, mode="practice")


def run(args: argparse.Namespace) -> int:
    return run_new(args)


def run_default(llm: LlmSettings | None = None) -> int:
    """``trainer`` with no command (and not on a terminal): choose a scenario and
    practise, on the backend the flags chose."""
    from trainer.cli.scenarios import choose_scenario

    scenario_id = choose_scenario()
    if scenario_id is None:
        return 0
    setup = load_setup(scenario_id, None)
    llm = llm or llm_settings_from(argparse.Namespace())
    results = recorded_into(argparse.Namespace())
    return interactive(open_session(setup, "practice", 0, llm=llm, results=results))
