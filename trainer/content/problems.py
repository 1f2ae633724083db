"""Problems found in content files, addressed the way editors and compilers do.

Authors are not programmers: every problem names the file, the line and column, the
field, what is wrong and what to do about it, on one line that editors can jump to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.errors import InputError
from trainer.text import one_line


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one content file. Lines and columns are 1-based."""

    path: Path
    line: int
    column: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        """One clean line: a file name can hold an escape sequence or a newline too."""
        where = f"{self.path}:{self.line}:{self.column}:"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return one_line(f"{where} {what}" + (f" (hint: {self.hint})" if self.hint else ""))


class ContentError(InputError):
    """Raised when content cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
