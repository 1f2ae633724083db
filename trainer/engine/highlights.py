"""Which turns a debrief holds up as the best and the weakest of a call.

Ranking alone would call a 1/5 turn "best" in a call of poor turns, and a 4/5 turn
"weakest" in a call of good ones. A turn is named best only if it was a good use of the
buyer's time (good use 4 or more), and weakest only if it was not (3 or less), so the
labels say something true about the turn, not just about its neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainer.engine.session import Turn

BEST_AT_LEAST = 4
WEAKEST_AT_MOST = 3


def best_turn(turns: Sequence[Turn]) -> Turn | None:
    """The highest good-use turn (the earliest on a tie), if it earned the name."""
    if not turns:
        return None
    best = max(turns, key=lambda t: (t.assessment.good_use, -t.index))
    return best if best.assessment.good_use >= BEST_AT_LEAST else None


def weakest_turn(turns: Sequence[Turn]) -> Turn | None:
    """The lowest good-use turn (the latest on a tie), if it was not a good use."""
    if not turns:
        return None
    weakest = min(turns, key=lambda t: (t.assessment.good_use, -t.index))
    return weakest if weakest.assessment.good_use <= WEAKEST_AT_MOST else None
