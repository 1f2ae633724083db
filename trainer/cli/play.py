"""``trainer play``: a practice conversation in the plain terminal, scripted or typed.

With ``--script`` the whole script is checked before the first line is played, so a bad
line never leaves half a session behind. Without it the trainee types line by line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from trainer.cli.backend import llm_settings_from
from trainer.cli.conversation import interactive, play_script, turns_saved_on_failure
from trainer.cli.errors import UserError
from trainer.cli.loading import load_setup
from trainer.cli.options import Commands, add_run_options, add_seed_option
from trainer.cli.scripts import read_script
from trainer.cli.storage import open_store, print_notices, settings_from
from trainer.cli.transcript import play_document, print_transcript
from trainer.content.library import ResolvedScenario
from trainer.engine.attempts import WHAT_COUNTS, Attempts, attempts_used
from trainer.engine.ports import Mode
from trainer.engine.seeds import draw_certification_seed, practice_seed_problem
from trainer.engine.session import Session
from trainer.llm.backends import make_backends
from trainer.llm.settings import LlmSettings
from trainer.store.recorder import StoreRecorder
from trainer.text import json_text, printable


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


def backend_settings(llm: LlmSettings, seed: int) -> dict[str, Any]:
    """What a record says about who played the buyer and who judged (never a key)."""
    return {**llm.describe(), "seed": seed}


def new_session(
    setup: ResolvedScenario,
    seed: int,
    mode: Mode = "practice",
    recorder: StoreRecorder | None = None,
    llm: LlmSettings | None = None,
) -> Session:
    """A session on the offline backend, or on a model when ``llm`` says so (the model
    code, and the openai SDK with it, is imported only then)."""
    buyer, assessor = make_backends(llm, seed, mode)
    session = Session(setup, buyer, assessor, mode=mode)
    if recorder is not None:
        session.recorder = recorder
    return session


def make_recorder(
    args: argparse.Namespace, seed: int, llm: LlmSettings | None = None
) -> StoreRecorder | None:
    if getattr(args, "no_record", False):
        return None
    settings = settings_from(args)
    if not settings.trainee:
        raise UserError("the trainee name is empty; pass --trainee NAME", 2)
    store, ledger = open_store(settings)
    print_notices(store)
    backend = backend_settings(llm or LlmSettings("offline"), seed)
    return StoreRecorder(store, ledger, settings.trainee, backend, seed)


def session_seed(args: argparse.Namespace) -> int:
    """The buyer's seed: the trainee's choice in practice, a fresh draw for every
    certification attempt (``certify`` parses ``--seed`` only to refuse it clearly)."""
    if args.mode == "certification":
        if args.seed is not None:
            raise UserError(
                "certify does not take --seed: every attempt draws its own buyer, so an "
                "attempt cannot be rehearsed (trainer play --seed N practises with a chosen one)",
                2,
            )
        return draw_certification_seed()
    problem = practice_seed_problem(args.seed)
    if problem is not None:
        raise UserError(problem, 2)
    return int(args.seed)


def run(args: argparse.Namespace) -> int:
    mode: Mode = args.mode
    seed = session_seed(args)
    setup = load_setup(args.scenario, args.content)
    if args.script is None and args.json:
        raise UserError("--json needs --script (a typed conversation prints as it goes)", 2)
    lines = read_script(args.script) if args.script is not None else None
    llm = llm_settings_from(args)
    recorder = make_recorder(args, seed, llm)
    session = new_session(setup, seed, mode, recorder, llm)
    if lines is None:
        if (
            recorder is not None
            and mode == "certification"
            and not confirm_attempt(recorder, setup)
        ):
            return 0
        return interactive(session)
    with turns_saved_on_failure(recorder is not None):
        result = asyncio.run(play_script(session, lines))
    if args.json:
        sys.stdout.write(json_text(play_document(result)))
        sys.stdout.write("\n")
    else:
        print_transcript(result)
    if recorder is not None:
        print_notices(recorder.store)
    return 0


def confirm_attempt(recorder: StoreRecorder, setup: ResolvedScenario) -> bool:
    """Say which attempt this is and what counts as one, and start only on a yes typed at
    a terminal: with no terminal (CI, a pipe) nothing is asked, so nothing can hang, and
    no attempt is used (``--script`` is the way to run one unattended)."""
    allowed = setup.scenario.certification.attempts
    attempts = Attempts(
        attempts_used(recorder.store.sessions(recorder.trainee), setup.scenario.id), allowed
    )
    if not attempts.left:
        raise UserError(attempts.none_left())
    where = f"{attempts.heading().lower()} at {setup.scenario.id}"
    if not sys.stdin.isatty():
        raise UserError(
            f"a typed certification attempt ({where}) must be confirmed at a terminal, and "
            "none was started; to run one unattended, pass --script FILE",
            2,
        )
    print(printable(f"Certification: {attempts.heading()} at {setup.scenario.title}."))
    print(WHAT_COUNTS)
    try:
        answer = input("Start the attempt now? [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() in ("y", "yes"):
        return True
    print("Not started: no attempt was used.")
    return False


def run_default(llm: LlmSettings | None = None) -> int:
    """``trainer`` with no command (and not on a terminal): choose a scenario and
    practise, on the backend the flags chose."""
    from trainer.cli.scenarios import choose_scenario

    scenario_id = choose_scenario()
    if scenario_id is None:
        return 0
    setup = load_setup(scenario_id, None)
    llm = llm or llm_settings_from(argparse.Namespace())
    recorder = make_recorder(argparse.Namespace(), seed=0, llm=llm)
    return interactive(new_session(setup, seed=0, recorder=recorder, llm=llm))
