"""The one exception front ends turn into a message instead of a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: a missing file, a bad script line, an unknown id."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
