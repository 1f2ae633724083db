"""``trainer doctor``: is the configured endpoint ready for a trainee? With ``--call``,
is its model fit to play the buyer (``trainer.llm.call_check`` says how that is judged)?"""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from trainer.cli.backend import llm_settings_from
from trainer.cli.errors import UserError
from trainer.cli.options import Commands, add_backend_options, add_content_option
from trainer.content.finder import find_scenario, open_library
from trainer.content.problems import ContentError
from trainer.llm.settings import LlmSettings, how_to_configure
from trainer.text import one_line, printable

if TYPE_CHECKING:
    from trainer.llm.call_check import CallReport


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "doctor",
        description="Check the configured endpoint (or the one the flags name) and say what "
        "to fix. Exits 0 when the trainer can use it, 1 otherwise. With --call SCENARIO, "
        "play the scenario's scripted sellers against the model as the buyer (the offline "
        "judge assesses) and check each reply: in character, within its word budget, less "
        "patient with pitch and pressure than with good questions, no hidden fact it was not "
        "given. Exits 0 when fit for trainees, 1 when not, 3 when the endpoint cannot be used.",
    )
    parser.add_argument(
        "--call",
        metavar="SCENARIO",
        help="play SCENARIO's scripted sellers against the model and check its replies",
    )
    add_content_option(parser)
    add_backend_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = llm_settings_from(args)
    if args.call is not None:
        return run_call(args, settings)
    if settings.backend == "offline":
        print(
            "backend: offline (no endpoint is configured, so the built-in buyer plays).\n"
            + how_to_configure()
        )
        return 0
    from trainer.llm.doctor import run_checks

    print(
        printable(
            f"backend: llm · {settings.describe()['base_url']} · model {settings.buyer_model} · "
            f"judge {settings.judging_model}"
        )
    )
    checks = asyncio.run(run_checks(settings))
    for check in checks:
        print(f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
        if check.fix:
            print(f"     fix: {check.fix}")
    return 0 if checks and all(c.ok for c in checks) else 1


# ------------------------------------------------------------------ --call


def run_call(args: argparse.Namespace, settings: LlmSettings) -> int:
    if settings.backend == "offline":
        raise UserError(
            "--call checks a model playing the buyer, and no endpoint is configured (the "
            "offline buyer needs no check). " + how_to_configure(),
            exit_code=2,
        )
    library = open_library(args.content)
    try:
        setup = find_scenario(args.call, library)
    except ContentError as exc:
        raise UserError(f"{args.call} cannot be loaded:\n{exc}") from None
    if not setup.scenario.tests:
        raise UserError(
            f"scenario {setup.scenario.id} has no scripted sellers to play; add some under "
            "tests: in the scenario, or choose another"
        )
    from trainer.llm.call_check import play_call

    print(
        printable(
            f"backend: llm · {settings.describe()['base_url']} · model {settings.buyer_model} "
            f"as the buyer · the offline judge assesses · scenario {setup.scenario.id}"
        )
    )
    report = asyncio.run(play_call(setup, settings))
    print_call(report)
    return 0 if report.fit else 1


REPLY_CHARS = 90


def print_call(report: CallReport) -> None:
    from trainer.llm.call_check import TITLES

    script = None
    for result in report.replies:
        if result.script != script:
            script = result.script
            print(printable(f"\n{one_line(script)}"))
        mark = (
            "ok"
            if result.ok
            else "FAIL " + "; ".join(f"{check} ({why})" for check, why in result.failed.items())
        )
        reply = one_line(result.reply)
        if len(reply) > REPLY_CHARS:
            reply = reply[: REPLY_CHARS - 1].rstrip() + "…"
        print(printable(f"  turn {result.turn:>2}  {result.move:<16} {mark}  {reply}"))
    print("\nchecks:")
    for summary in report.summaries:
        title = TITLES[summary.check]
        which = "pitch and pressure replies" if summary.check == "patience" else "replies"
        if summary.applied == 0:
            print(f"  --   {title}: no {which} to check")
        elif summary.ok:
            print(f"  ok   {title}: all {summary.applied} {which}")
        else:
            shown = "; ".join(one_line(e) for e in summary.examples)
            counted = f"{summary.failed} of {summary.applied} {which}"
            print(printable(f"  FAIL {title}: {counted} ({shown})"))
    for note in report.notes:
        print(printable(f"       {one_line(note)}"))
    print(f"\nverdict: {report.verdict}")
