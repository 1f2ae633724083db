"""The buyer's seed for a new session: the trainee's choice in practice, a fresh draw for
every certification attempt, so an attempt cannot be rehearsed."""

from __future__ import annotations

from collections.abc import Callable

from trainer.engine.ports import Mode
from trainer.engine.seeds import draw_certification_seed, practice_seed_problem
from trainer.errors import UsageError

SEED_REFUSED = (
    "certify does not take --seed: every attempt draws its own buyer, so an "
    "attempt cannot be rehearsed (trainer play --seed N practises with a chosen one)"
)


def session_seed(
    mode: Mode,
    chosen: int | str | None,
    draw: Callable[[], int] = draw_certification_seed,
) -> int:
    """The seed for a session in ``mode``. A certification attempt refuses any chosen
    seed (``certify`` parses ``--seed`` only to refuse it clearly) and draws one; a
    practice seed must be in the practice range (0 when none is chosen)."""
    if mode == "certification":
        if chosen is not None:
            raise UsageError(SEED_REFUSED)
        return draw()
    seed = int(chosen or 0)
    problem = practice_seed_problem(seed)
    if problem is not None:
        raise UsageError(problem)
    return seed
