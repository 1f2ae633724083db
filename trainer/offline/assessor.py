"""The offline assessor: the learned judge, with no model server and no network.

It reads the turn in its context (``reading.py``), lets the judge model weigh the move
and then good use given the move (``decision.py``, within the guide's limits), and
explains the verdict: the evidence quoted from the turn, a reason and a tip a trainee
understands, and a score per rubric criterion. The model ships inside the package
(``judge.json.gz``, trained on ``corpus/``); a team can train its own with
``trainer judge train`` and point ``judge_file`` at it. The model is loaded on the first
turn of a call (or by ``prepare`` when the call starts), not when the trainer starts, and
kept for the next call; the judging code itself (``verdict.py``) likewise.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from trainer.content.models import MOVES
from trainer.engine.assessment import Assessment
from trainer.engine.ports import AssessContext
from trainer.offline.model import SHIPPED_JUDGE, JudgeModel, load

__all__ = ["SHIPPED_JUDGE", "OfflineAssessor", "assess_turn", "load_judge"]


@lru_cache(maxsize=4)
def _cached(path: str, stamp: tuple[int, int]) -> JudgeModel:
    return load(Path(path), MOVES)


def load_judge(path: Path | None = None) -> JudgeModel:
    """The judge model in ``path`` (the shipped one by default), loaded once per file
    version. ``JudgeFileError`` if it cannot be used."""
    target = path or SHIPPED_JUDGE
    try:
        info = target.stat()
        stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = (0, 0)
    return _cached(str(target), stamp)


class OfflineAssessor:
    """The learned offline judge behind the engine's ``Assessor`` port."""

    name = "offline"

    def __init__(self, judge_file: Path | None = None, model: JudgeModel | None = None) -> None:
        self.judge_file = judge_file
        self._model = model

    @property
    def model(self) -> JudgeModel:
        if self._model is None:
            self._model = load_judge(self.judge_file)
        return self._model

    def prepare(self) -> None:
        """Get ready now (a call is starting): load the model and the judging code, so
        the first turn does not wait. The engine runs this in a thread."""
        _ = self.model
        import trainer.offline.verdict  # noqa: F401  (compiles the cue patterns)
        from trainer.offline.library_worlds import starter_names

        starter_names()  # reads the starter library once, here rather than on the first turn

    async def assess(self, context: AssessContext) -> Assessment:
        return assess_turn(context, self.model)


def assess_turn(context: AssessContext, model: JudgeModel | None = None) -> Assessment:
    """The verdict on one turn, with its evidence, reason, tip and criteria."""
    from trainer.offline.verdict import verdict  # compiled once, on a call's first turn

    return verdict(context, model or load_judge())
