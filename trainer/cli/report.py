"""``trainer report``: attempts, best and last scores, pass rates and weakest criteria."""

from __future__ import annotations

import argparse
import sys

from trainer.cli.options import (
    Commands,
    add_json_option,
    add_mode_filter,
    add_scenario_filter,
    add_store_options,
)
from trainer.cli.storage import (
    open_played_store,
    print_notices,
    settings_from,
)
from trainer.content.library import default_rubric
from trainer.reports.report import as_csv, as_json, as_markdown, as_table, build_report
from trainer.store.signed import read_ledger

FORMATS = ("table", "csv", "json", "markdown")


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "report",
        description="Attempts, best and last score, certification pass rate and weakest "
        "criteria for every trainee in the store, and for the cohort. --trainee narrows "
        "it to one person.",
    )
    add_store_options(parser)
    add_scenario_filter(parser)
    add_mode_filter(parser)
    parser.add_argument(
        "--by-scenario", action="store_true", help="one row per trainee and scenario"
    )
    parser.add_argument("--format", choices=FORMATS, default="table")
    add_json_option(parser, help="same as --format json")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    filters = {
        "trainee": args.trainee,
        "scenario": args.scenario,
        "mode": args.mode,
        "by_scenario": args.by_scenario,
    }
    opened = open_played_store(settings)
    if opened is None:
        report = build_report([], **filters, ledger=None)
    else:
        store, ledger = opened
        report = build_report(store.all_sessions(), **filters, ledger=read_ledger(store, ledger))
        print_notices(store)
    names = {c.id: c.name for c in default_rubric().criteria}
    fmt = "json" if args.json else args.format
    if fmt == "json":
        sys.stdout.write(as_json(report) + "\n")
    elif fmt == "csv":
        sys.stdout.write(as_csv(report, names))
    elif fmt == "markdown":
        sys.stdout.write(as_markdown(report, names) + "\n")
    elif not report.rows:
        print(
            f"No sessions in {settings.store} match."
            if any(report.filters.values())
            else f"No sessions yet in {settings.store}."
        )
    else:
        print(as_table(report, names))
    return 0
