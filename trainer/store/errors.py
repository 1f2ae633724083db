"""What can go wrong with the store, as messages a trainee or an admin can act on.

Each is a ``trainer.errors.StoreError`` (exit 1), defined in ``trainer.errors`` so a
front end catches the kind without importing the store."""

from __future__ import annotations

from collections.abc import Sequence

from trainer.errors import StoreError as StoreError


class NoStore(StoreError):
    """A reader was pointed at a folder that holds no results store (never created)."""


class StoreBusy(StoreError):
    """Another process held a lock for too long."""


class NewerStore(StoreError):
    """The store or a record was written by a newer trainer than this one."""


class AttemptsUsed(StoreError):
    """The trainee has used every certification attempt the scenario allows."""


class AttemptInProgress(StoreError):
    """The trainee already has a certification attempt being played by another live
    process (another browser, another terminal): one attempt at a time."""


class SessionNotFound(StoreError):
    """No stored session matches the id (or the prefix) given, or several do.

    ``matches`` holds the ids of the sessions an ambiguous prefix matched (empty when
    none did), so a caller tells the two apart without reading the message."""

    def __init__(self, message: str, matches: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.matches: list[str] = list(matches)

    @property
    def ambiguous(self) -> bool:
        """True when the prefix matched several sessions: typing more would find one."""
        return len(self.matches) > 1


class SessionBusy(StoreError):
    """Another live trainer process owns the session (it is being played there)."""


class LedgerDamaged(StoreError):
    """The certification ledger cannot take a record until someone restores a file; the
    message names the file and what to do."""
