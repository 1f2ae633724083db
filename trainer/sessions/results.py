"""Where sessions are recorded: the results store, its certification ledger, and whose
sessions they are. Front ends open the store here, so none builds a ledger itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.store.ledger import Ledger
from trainer.store.repository import Store


@dataclass(frozen=True)
class Results:
    """A store to record one trainee's sessions into, with the ledger that signs their
    certification results."""

    store: Store
    ledger: Ledger
    trainee: str
    one_attempt_at_a_time: bool = False
    """Refuse a certification attempt while another of the trainee's is being played
    by a live process: set when the trainer runs for a host (``Settings.hosted``)."""


def ledger_for(store: Store, org_key: bytes | None) -> Ledger:
    """The store's certification ledger, signed with the organisation's key if there is
    one (hash-chained only, otherwise)."""
    return Ledger(store, org_key)


def open_results(
    root: Path, org_key: bytes | None, read_only: bool = False
) -> tuple[Store, Ledger]:
    """The store and its ledger. Commands that only read (listings, reports, exports,
    verify) open it ``read_only``: they work on a read-only copy and never create one."""
    store = Store.open(root, read_only=read_only)
    return store, ledger_for(store, org_key)
