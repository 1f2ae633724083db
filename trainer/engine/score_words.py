"""The session score's working in plain words, for the debrief and the plain-text CLI.

Both front ends show the same sentences, so a trainee reads the same explanation of a
score in the TUI, in ``trainer play`` and in the README's worked example.
"""

from __future__ import annotations

from trainer.engine.scoring import NEXT_STEP, QUALITY_SHARE, ScoreBreakdown


def _share(part: float) -> str:
    return "half" if part == 0.5 else f"{round(part * 100)}%"


def score_parts(breakdown: ScoreBreakdown) -> list[str]:
    """One line per part: quality, outcomes, each objective met or not, each cap."""
    if breakdown.outcomes_part is None:
        lines = [f"How your turns used the buyer's time: {breakdown.turns_part:.0f}/100"]
    else:
        lines = [
            f"How your turns used the buyer's time: {breakdown.turns_part:.0f}/100 "
            f"({_share(QUALITY_SHARE)} the score)",
            f"What the call achieved: {breakdown.outcomes_part:.0f}/100 "
            f"({_share(1 - QUALITY_SHARE)} the score)",
        ]
    for objective in breakdown.objectives:
        required = " (required)" if objective.required and objective.kind != NEXT_STEP else ""
        if objective.kind == NEXT_STEP:
            text = "a next step agreed" if objective.met else "no next step agreed"
        else:
            text = ("learned: " if objective.met else "not learned: ") + objective.label
        lines.append(f"  {'✓' if objective.met else '✗'} {text}{required}")
    for adjustment in breakdown.adjustments:
        if adjustment.points:
            lines.append(f"{adjustment.points:+d}: {adjustment.reason}")
    return lines
