"""The CLI's own errors: a ``trainer.errors.TrainerError`` raised by a command's code.

``UserError(message)`` ends ``trainer`` with exit 1, ``UserError(message, 2)`` (or a
``UsageError``) with exit 2; any other ``TrainerError`` from a lower layer reaches
``_guarded`` as it is, with its own kind's exit code, and needs no conversion here."""

from __future__ import annotations

from trainer.errors import TrainerError, UsageError

__all__ = ["UsageError", "UserError"]


class UserError(TrainerError):
    """Something the user can fix: a missing file, a bad script line, an unknown id."""
