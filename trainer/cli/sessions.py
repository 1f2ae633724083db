"""``trainer sessions``, ``trainer resume`` and ``trainer close``: a trainee's history, and
what to do with a session a crash or a closed terminal interrupted."""

from __future__ import annotations

import argparse
import asyncio
import sys
import textwrap

from trainer.cli.backend import llm_settings_from
from trainer.cli.conversation import interactive, play_script, turns_saved_on_failure
from trainer.cli.errors import UserError
from trainer.cli.loading import load_setup
from trainer.cli.options import (
    Commands,
    add_backend_options,
    add_content_option,
    add_json_option,
    add_script_option,
    add_store_options,
)
from trainer.cli.render import describe_certification, describe_outcome
from trainer.cli.scripts import read_script
from trainer.cli.storage import (
    open_played_store,
    open_store,
    print_notices,
    settings_from,
)
from trainer.cli.transcript import play_document, print_transcript
from trainer.engine.ports import ENDINGS
from trainer.engine.session import Session
from trainer.reports.report import NOTE_PRACTICE
from trainer.sessions.ending import close_session, record_ended
from trainer.sessions.resuming import interrupted_session, resume_session
from trainer.store.ledger import Ledger
from trainer.store.repository import Store, StoredSession
from trainer.store.signed import ShownSummary, read_ledger
from trainer.text import json_text, one_line
from trainer.words import plural


def register(commands: Commands) -> None:
    listing = commands.add_parser(
        "sessions",
        description="List stored sessions with their ids (type the first few characters of "
        "an id to export, resume or close it).",
    )
    add_store_options(listing)
    listing.add_argument("--all", action="store_true", help="every trainee in the store")
    add_json_option(listing)
    listing.set_defaults(handler=run_list)

    resume = commands.add_parser(
        "resume",
        description="Continue a session that a crash or a closed terminal interrupted. Its "
        "turns so far are kept; certification attempts resume without feedback.",
    )
    resume.add_argument("session", metavar="SESSION")
    add_script_option(resume, help="play the rest from a script")
    add_json_option(resume)
    add_content_option(resume)
    add_backend_options(resume)
    add_store_options(resume)
    resume.set_defaults(handler=run_resume)

    close = commands.add_parser(
        "close",
        description="End an interrupted session without playing on. A certification "
        "attempt closed this way counts as an attempt and does not pass.",
    )
    close.add_argument("session", metavar="SESSION")
    add_content_option(close)
    add_store_options(close)
    close.set_defaults(handler=run_close)


# ------------------------------------------------------------------ listing


def run_list(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    opened = open_played_store(settings)
    if opened is None:
        if args.json:
            sys.stdout.write("[]\n")
        else:
            print(f"No sessions yet: none has been played with {settings.store}.")
        return 0
    store, ledger = opened
    if args.all:
        listed = list(store.all_sessions(count_turns=True))
    else:
        listed = [(settings.trainee, store.sessions(settings.trainee))]
    signed = read_ledger(store, ledger)
    # What the trainee's files say of a certification is shown only as the ledger has it.
    everyone = [
        (name, [signed.confirm_summary(name, s).applied(s) for s in summaries])
        for name, summaries in listed
    ]
    print_notices(store)
    if args.json:
        rows = [{**s, "trainee": name} for name, summaries in everyone for s in summaries]
        for row in rows:
            row.pop("owner", None)
            row.pop("v", None)
        sys.stdout.write(json_text(rows) + "\n")
        return 0
    total = sum(len(summaries) for _, summaries in everyone)
    if not total:
        who = "anyone" if args.all else settings.trainee
        print(one_line(f"No sessions for {who} in {store.root}."))
        return 0
    for name, summaries in everyone:
        if args.all:
            print(f"{one_line(name)}:")
        for s in summaries:
            print(session_row(s))
    interrupted = [
        str(s.get("id"))[:8]
        for _, summaries in everyone
        for s in summaries
        if s.get("status") == "interrupted"
    ]
    if interrupted:
        print(
            f"\n{len(interrupted)} interrupted: `trainer resume {interrupted[0]}` continues one, "
            f"`trainer close {interrupted[0]}` ends it as it is."
        )
    if any(
        s["confirmed"] == "unsigned" and s.get("score") is not None
        for _, ss in everyone
        for s in ss
    ):
        print("\n" + textwrap.fill(NOTE_PRACTICE, 92))
    return 0


def session_row(s: ShownSummary) -> str:
    """One line per session: every stored value is cleaned onto it, since an index file
    may have been written by hand or by an older trainer."""
    score = "-" if s.get("score") is None else one_line(str(s["score"]))
    verdict = s.get("passed")
    passed = " passed" if verdict is True else " not passed" if verdict is False else ""
    if s.get("confirmed") == "mismatch":
        passed = f" NOT CONFIRMED: {one_line(str(s.get('finding')))}"
    started = one_line(str(s.get("started_at"))[:16].replace("T", " "))
    turns = one_line(str(s.get("turns")))
    return (
        # str() throughout: an edited index may hold any type, or none, anywhere
        f"  {one_line(str(s.get('id'))[:8])}  {started}  {one_line(str(s.get('mode'))):<13} "
        f"{one_line(str(s.get('scenario'))):<36} {one_line(str(s.get('status'))):<11} "
        f"{turns:>3} {'turn ' if turns == '1' else 'turns'}  score {score:>3}{passed}"
    )


# ------------------------------------------------------------------ resume and close


def restored(
    args: argparse.Namespace, store: Store, ledger: Ledger, stored: StoredSession
) -> Session:
    """The interrupted session claimed and restored, on the backend the flags choose."""
    resumed = resume_session(
        store,
        ledger,
        stored,
        lambda scenario: load_setup(scenario, args.content),
        llm_settings_from(args),
    )
    if resumed.changed:
        print("trainer: note: the scenario has changed since this session began", file=sys.stderr)
    return resumed.session


def finish_ended(session: Session) -> int:
    """Record the end of a call that had ended before the process died."""
    outcome = record_ended(session)
    print(f"The call had already ended ({ENDINGS[session.ended_by]}); its result is now saved.")
    print(describe_outcome(session))
    if outcome is not None:
        print(describe_certification(outcome))
    return 0


def run_resume(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store, ledger = open_store(settings)
    stored = interrupted_session(store, args.session, args.trainee, settings.trainee)
    lines = read_script(args.script) if args.script else None
    if args.json and lines is None:
        raise UserError("--json needs --script (a typed conversation prints as it goes)", 2)
    session = restored(args, store, ledger, stored)
    print_notices(store)
    if session.over:
        return finish_ended(session)
    if lines is None:
        return interactive(session)
    with turns_saved_on_failure():
        result = asyncio.run(play_script(session, lines))
    if args.json:
        sys.stdout.write(json_text(play_document(result)) + "\n")
    else:
        print_transcript(result)
    return 0


def run_close(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store, ledger = open_store(settings)
    stored = interrupted_session(store, args.session, args.trainee, settings.trainee)
    session = restored(args, store, ledger, stored)
    if session.over:
        return finish_ended(session)
    outcome = close_session(session)
    print(
        f"Closed session {stored.id[:8]} after {plural(len(session.turns), 'turn')}; "
        f"score {session.score().score}."
    )
    if outcome is not None:
        print(describe_certification(outcome))
    print_notices(store)
    return 0
