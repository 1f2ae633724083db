"""A model's verdict, checked against the offline one: hard to game, never lost.

The offline assessment runs on every turn beside the model's. Either one calling the
turn an ``injection`` (words aimed at the trainer rather than the buyer) makes it
verdict 1, flagged, whatever the other said. Verdicts more than two points apart are
flagged for review. A model that gives no usable verdict leaves the turn to the
offline assessment, flagged ``judge_fallback``. Both verdicts are kept on the turn.

Either side may call a criterion n/a (None). The judge's scores stand, its n/a included,
except where it calls n/a a criterion the offline assessment scored 2 or less: the
offline reading found the very fault that criterion asks about (a pitch before the need,
a push for commitment), and a model calling it n/a must not wave it through.
"""

from __future__ import annotations

from dataclasses import replace

from trainer.engine.assessment import Assessment
from trainer.engine.ports import AssessContext, Assessor, NoVerdict

REVIEW_GAP = 2
FAULT_AT_MOST = 2


class CheckedAssessor:
    name = "llm+offline"

    def __init__(self, judge: Assessor, offline: Assessor) -> None:
        self.judge = judge
        self.offline = offline

    def prepare(self) -> None:
        """Get the offline assessment ready (the judge model loads) before the call."""
        prepare = getattr(self.offline, "prepare", None)
        if callable(prepare):
            prepare()

    async def assess(self, context: AssessContext) -> Assessment:
        offline = await self.offline.assess(context)
        try:
            judged = await self.judge.assess(context)
        except NoVerdict as exc:
            return replace(
                offline,
                flags=(*offline.flags, "judge_fallback"),
                verdicts={"offline": offline.good_use, "judge": None},
                usage=exc.usage,
            )
        verdicts: dict[str, int | None] = {"offline": offline.good_use, "judge": judged.good_use}
        flags = [f for f in judged.flags if f != "injection"]
        if "injection" in (offline.move, judged.move):
            base = offline if offline.move == "injection" else judged
            return replace(
                base,
                move="injection",
                good_use=1,
                criteria={name: 1 for name in base.criteria},
                flags=(*flags, "injection"),
                verdicts=verdicts,
                usage=judged.usage,
            )
        if abs(judged.good_use - offline.good_use) > REVIEW_GAP:
            flags.append("review")
        # a tip the trainee has had in this call is no coaching: the offline one is new
        tip = offline.tip if judged.tip in context.tips_given else judged.tip
        return replace(
            judged,
            criteria=_checked_criteria(judged.criteria, offline.criteria),
            flags=tuple(flags),
            verdicts=verdicts,
            tip=tip,
        )


def _checked_criteria(
    judged: dict[str, int | None], offline: dict[str, int | None]
) -> dict[str, int | None]:
    """The judge's criteria, with a fault the offline assessment found kept over its n/a."""
    checked = dict(judged)
    for name, score in judged.items():
        found = offline.get(name)
        if score is None and found is not None and found <= FAULT_AT_MOST:
            checked[name] = found
    return checked
