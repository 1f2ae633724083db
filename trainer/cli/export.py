"""``trainer export``: a session as Markdown or JSON, or results as xAPI statements (printed,
or posted to a learning record store)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.cli.errors import UserError
from trainer.cli.options import Commands, add_content_option, add_scenario_filter, add_store_options
from trainer.cli.storage import open_store, print_notices, settings_from
from trainer.config import LRS_PASSWORD, LRS_USERNAME
from trainer.content.finder import open_library
from trainer.reports.lrs import LrsClient
from trainer.reports.session_export import export_session
from trainer.reports.xapi import StatementBuilder, all_statements
from trainer.store.signed import read_ledger
from trainer.text import json_text
from trainer.urls import UrlProblem, check_url, safe_url


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "export",
        description="Export one session (by id or the first characters of it, as `trainer "
        "sessions` lists them) as Markdown or JSON, or every result as xAPI statements. With "
        "--lrs the statements are posted to a learning record store with basic auth from "
        f"{LRS_USERNAME.name} and {LRS_PASSWORD.name}; sending twice sends nothing new.",
    )
    parser.add_argument("session", metavar="SESSION", nargs="?", help="a session id or prefix")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    parser.add_argument("--xapi", action="store_true", help="xAPI statements for all results")
    add_scenario_filter(parser, help="with --xapi: only this scenario")
    parser.add_argument("--lrs", metavar="URL", help="with --xapi: post to this LRS endpoint")
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, help="write to FILE")
    add_content_option(parser)
    add_store_options(parser)
    parser.set_defaults(handler=run)


def write_out(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
    print(f"wrote {output}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.lrs and not args.xapi:
        raise UserError("--lrs sends xAPI statements: add --xapi", 2)
    if args.xapi and args.session:
        raise UserError("--xapi exports every result; leave out SESSION (or use --trainee)", 2)
    if not args.xapi and not args.session:
        raise UserError("say which session to export (see `trainer sessions`), or --xapi", 2)
    if args.lrs:
        try:
            args.lrs = check_url(args.lrs, "--lrs")
        except UrlProblem as exc:
            raise UserError(str(exc), 2) from None
    store, ledger = open_store(settings, read_only=True)
    if args.xapi:
        signed = read_ledger(store, ledger)
        statements = all_statements(
            StatementBuilder(settings.xapi_homepage),
            store.all_sessions(),
            signed,
            trainee=args.trainee,
            scenario=args.scenario,
        )
        print_notices(store)
        if not signed.intact or signed.unsound:
            print(
                "trainer: note: the certification ledger does not check out, so results it "
                "cannot vouch for were left out; run trainer verify",
                file=sys.stderr,
            )
        if not args.lrs:
            write_out(json_text(statements), args.output)
            return 0
        return post(args.lrs, statements)
    stored = store.find_session(args.session, args.trainee, settings.trainee)
    export = export_session(store, ledger, stored, args.format, lambda: open_library(args.content))
    write_out(export.body, args.output)
    print_notices(store)
    return 0


def post(url: str, statements: list[dict[str, object]]) -> int:
    username = LRS_USERNAME.get()
    password = LRS_PASSWORD.get()
    if not username or password is None:
        raise UserError(
            f"set {LRS_USERNAME.name} and {LRS_PASSWORD.name} to the LRS's basic-auth credentials"
        )
    if not statements:
        print("No results to send.")
        return 0
    report = LrsClient(url, username, password).send(statements)
    print(
        f"{safe_url(url)}: {report.sent} statement{'s' if report.sent != 1 else ''} sent, "
        f"{report.already_there} already there."
    )
    if report.conflicts:
        print(
            f"{len(report.conflicts)} statement(s) conflict with different ones already in the "
            "LRS (a stored record was changed since it was sent): " + ", ".join(report.conflicts)
        )
        return 1
    return 0
