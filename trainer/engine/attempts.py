"""Which certification attempt a trainee is about to use, and what counts as one, in the
words every front end says before an attempt starts (the TUI's briefing and question,
``trainer certify``), so a trainee is never surprised that one was used.

An attempt is counted when its call starts, the way the store counts it (``Store.
begin_session`` under the trainee's lock): a call ended at once, or left by quitting,
is an attempt like any other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

WHAT_COUNTS = (
    "Starting the call uses one attempt. It counts however the call ends: finished, "
    "ended early by you or the buyer, or left by quitting."
)


def attempts_used(summaries: Iterable[Mapping[str, object]], scenario: str) -> int:
    """How many certification attempts at ``scenario`` these session summaries hold."""
    return sum(
        1 for s in summaries if s.get("mode") == "certification" and s.get("scenario") == scenario
    )


@dataclass(frozen=True)
class Attempts:
    used: int
    allowed: int

    @property
    def number(self) -> int:
        """The number the next attempt will have."""
        return self.used + 1

    @property
    def left(self) -> int:
        return max(0, self.allowed - self.used)

    def heading(self) -> str:
        if not self.left:
            return f"All {self.allowed} attempt{_s(self.allowed)} used"
        return f"Attempt {self.number} of {self.allowed}"

    def none_left(self) -> str:
        return (
            f"You have used all {self.allowed} certification attempt{_s(self.allowed)} at this "
            "scenario; ask your enablement team if you need another."
        )


def _s(count: int) -> str:
    return "" if count == 1 else "s"
