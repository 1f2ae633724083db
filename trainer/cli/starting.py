"""What ``trainer play`` and ``trainer certify`` share: a new session from the command
line, played from a script or typed. The session itself is assembled by
``trainer.sessions``; this module reads the command line into it and prints.

With ``--script`` the whole script is checked before the first line is played, so a bad
line never leaves half a session behind. Without it the trainee types line by line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from trainer.cli.backend import llm_settings_from
from trainer.cli.conversation import interactive, play_script, turns_saved_on_failure
from trainer.cli.errors import UserError
from trainer.cli.loading import load_setup
from trainer.cli.scripts import read_script
from trainer.cli.storage import open_store, print_notices, settings_from
from trainer.cli.transcript import play_document, print_transcript
from trainer.content.library import ResolvedScenario
from trainer.engine.attempts import WHAT_COUNTS, Attempts, attempts_used
from trainer.engine.ports import Mode
from trainer.sessions.opening import open_session
from trainer.sessions.results import Results
from trainer.sessions.seeding import session_seed
from trainer.text import json_text, printable


def recorded_into(args: argparse.Namespace) -> Results | None:
    """Where the session is recorded, from the store flags; None with ``--no-record``."""
    if getattr(args, "no_record", False):
        return None
    settings = settings_from(args)
    if not settings.trainee:
        raise UserError("the trainee name is empty; pass --trainee NAME", 2)
    store, ledger = open_store(settings)
    print_notices(store)
    return Results(store, ledger, settings.trainee, settings.hosted)


def run_new(args: argparse.Namespace) -> int:
    """Play a new session of ``args.mode``: ``play`` (practice) and ``certify``."""
    mode: Mode = args.mode
    seed = session_seed(mode, args.seed)
    setup = load_setup(args.scenario, args.content)
    if args.script is None and args.json:
        raise UserError("--json needs --script (a typed conversation prints as it goes)", 2)
    lines = read_script(args.script) if args.script is not None else None
    llm = llm_settings_from(args)
    results = recorded_into(args)
    session = open_session(setup, mode, seed, llm=llm, results=results)
    if lines is None:
        if results is not None and mode == "certification" and not confirm_attempt(results, setup):
            return 0
        return interactive(session)
    with turns_saved_on_failure(results is not None):
        result = asyncio.run(play_script(session, lines))
    if args.json:
        sys.stdout.write(json_text(play_document(result)))
        sys.stdout.write("\n")
    else:
        print_transcript(result)
    if results is not None:
        print_notices(results.store)
    return 0


def confirm_attempt(results: Results, setup: ResolvedScenario) -> bool:
    """Say which attempt this is and what counts as one, and start only on a yes typed at
    a terminal: with no terminal (CI, a pipe) nothing is asked, so nothing can hang, and
    no attempt is used (``--script`` is the way to run one unattended)."""
    allowed = setup.scenario.certification.attempts
    attempts = Attempts(
        attempts_used(results.store.sessions(results.trainee), setup.scenario.id), allowed
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
