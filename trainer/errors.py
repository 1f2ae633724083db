"""The root of every error a user can cause, and the exit code each kind ends the CLI with.

Any layer may import this module (it imports nothing of the trainer's), so the engine,
the store and the model backend raise errors a front end handles in one place: the CLI's
``_guarded`` prints ``for_user()`` and exits with ``exit_code``; the TUI shows the same
words. A kind fixes the exit code; a subclass keeps its own name (``StoreBusy``,
``ContentError``, ...) so callers can still catch exactly what they expect.

Exceptions that never leave the trainer (an assessor's ``NoVerdict``, a model's
``InvalidVerdict``, a store file's ``UnreadableFile``, a turn record's ``BadRecord``)
are caught and turned into one of these where they happen, and do not derive from it.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What ``trainer`` exits with; README's "Exit codes" table says the same."""

    OK = 0
    FAILED = 1
    """Something given cannot be used (content, a file, an id, the config, the store),
    or a check did not pass (``validate``, ``verify``, ``test``, ``doctor``...)."""
    USAGE = 2
    """A wrong command line: an unknown option, or options that do not go together."""
    ENDPOINT = 3
    """The model endpoint cannot be used: refused, unauthorised, rate-limited, too slow."""
    INTERRUPTED = 130
    """Ctrl+C, as a shell reports a process ended by SIGINT."""


class TrainerError(Exception):
    """Something the user can fix; the message says what, in words, on its own.

    ``exit_code`` is the kind's unless one is given; ``hint`` is an optional next step
    printed on its own line after the message."""

    exit_code: int = ExitCode.FAILED
    hint: str = ""

    def __init__(self, message: str = "", exit_code: int | None = None, *, hint: str = "") -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code
        if hint:
            self.hint = hint

    @property
    def message(self) -> str:
        return str(self)

    def for_user(self) -> str:
        """The message, then the hint if there is one: what a front end shows."""
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class UsageError(TrainerError):
    """The command line asks for something that cannot be done as given."""

    exit_code = ExitCode.USAGE


class InputError(TrainerError):
    """Content, a file, an id or a setting the user gave cannot be used."""


class StoreError(TrainerError):
    """The store cannot do what was asked; the message says why and what to do.

    (Defined here so front ends catch it without importing the store; ``trainer.store
    .errors`` re-exports it with the store's other errors.)"""


class EndpointError(TrainerError):
    """The endpoint cannot be used: refused, unauthorised, rate-limited, broken, too slow.

    (Defined here so the CLI reports it without importing the model backend;
    ``trainer.llm.endpoint`` re-exports it.)"""

    exit_code = ExitCode.ENDPOINT


class CannotResume(InputError):
    """This session cannot be resumed or closed (another process plays it, it is not
    interrupted, its scenario is gone or changed under an attempt); the message says why,
    in the same words in the CLI and the TUI."""
