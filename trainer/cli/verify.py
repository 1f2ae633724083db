"""``trainer verify``: check every certification record; exit 1 naming each bad one."""

from __future__ import annotations

import argparse

from trainer.cli.options import Commands, add_content_option, add_store_options
from trainer.cli.storage import open_store, print_notices, settings_from
from trainer.config import ORG_KEY
from trainer.content.finder import open_library
from trainer.content.library import Library
from trainer.store.verify import CurrentHashes, verify
from trainer.text import one_line


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "verify",
        description="Check every certification record in the store: its hash, its signature "
        f"(with the organisation key in {ORG_KEY.name} or the config), its place in the "
        "chain, its transcript, and whether its scenario, persona or rubric changed since. "
        "Exits 0 when every record checks out, 1 otherwise.",
    )
    add_content_option(parser)
    add_store_options(parser)
    parser.set_defaults(handler=run)


def hashes_from(library: Library) -> CurrentHashes:
    def current(scenario_id: str) -> dict[str, str] | None:
        setup = library.find(scenario_id)
        return setup.content_hashes if setup is not None else None

    return current


def run(args: argparse.Namespace) -> int:
    store, ledger = open_store(settings_from(args), read_only=True)
    report = verify(store, ledger, hashes_from(open_library(args.content)))
    print_notices(store)
    for finding in report.findings:
        print(f"BAD  {one_line(str(finding))}")
    plural = "s" if report.checked != 1 else ""
    if report.ok:
        print(f"{report.checked} certification record{plural} checked: all check out.")
        return 0
    print(
        f"{report.checked} certification record{plural} checked: "
        f"{len(report.findings)} problem{'s' if len(report.findings) != 1 else ''}."
    )
    return 1
