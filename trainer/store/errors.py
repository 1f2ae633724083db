"""What can go wrong with the store, as messages a trainee or an admin can act on."""

from __future__ import annotations


class StoreError(Exception):
    """The store cannot do what was asked; the message says why and what to do."""


class NoStore(StoreError):
    """A reader was pointed at a folder that holds no results store (never created)."""


class StoreBusy(StoreError):
    """Another process held a lock for too long."""


class NewerStore(StoreError):
    """The store or a record was written by a newer trainer than this one."""


class AttemptsUsed(StoreError):
    """The trainee has used every certification attempt the scenario allows."""


class SessionNotFound(StoreError):
    """No stored session matches the id (or the prefix) given."""


class SessionBusy(StoreError):
    """Another live trainer process owns the session (it is being played there)."""


class LedgerDamaged(StoreError):
    """The certification ledger cannot take a record until someone restores a file; the
    message names the file and what to do."""
