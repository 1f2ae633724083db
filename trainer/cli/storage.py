"""Command-line access to the results store: the shared options and opening it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.config import Settings, Sources, default_store, resolve_settings
from trainer.sessions.results import open_results
from trainer.store.errors import NoStore
from trainer.store.ledger import Ledger
from trainer.store.repository import Store
from trainer.text import printable


def sources_from(args: argparse.Namespace) -> Sources:
    """The config file, read once per command line and kept on it: a command that resolves
    both the store settings and the backend reads the file once and sees one version."""
    sources = getattr(args, "config_sources", None)
    if not isinstance(sources, Sources):
        sources = Sources.read()
        args.config_sources = sources
    return sources


def settings_from(args: argparse.Namespace) -> Settings:
    return resolve_settings(
        store=getattr(args, "store", None),
        trainee=getattr(args, "trainee", None),
        sources=sources_from(args),
    )


def open_store(settings: Settings, read_only: bool = False) -> tuple[Store, Ledger]:
    """The store and its ledger. Commands that only read (listings, reports, exports,
    verify) open it ``read_only``: they work on a read-only copy and never create one."""
    return open_results(Path(settings.store), settings.org_key, read_only)


def open_played_store(settings: Settings) -> tuple[Store, Ledger] | None:
    """The store, read-only, for a listing or a report; None when it is the default one
    and no session was ever played into it.

    A listing or report then has nothing to show, which is not an error on a new
    machine; a store named with --store, the environment or the config that is not there
    is (a typo must not read as "no results")."""
    try:
        return open_store(settings, read_only=True)
    except NoStore:
        if Path(settings.store) == default_store():
            return None
        raise


def print_notices(store: Store) -> None:
    """Say what the store had to do (files moved aside, indexes rebuilt), once."""
    for notice in store.notices:
        print(f"trainer: note: {printable(notice)}", file=sys.stderr)
    store.notices.clear()
