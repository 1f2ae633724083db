"""Why a turn moved patience and openness, in words: shown live on a practice call and
turn by turn in a certification attempt's debrief, so both screens say it alike (and
neither has to import the other for it)."""

from __future__ import annotations

from trainer.engine.session import Turn


def why(turn: Turn) -> str:
    """The turn's state changes and their causes, in words (fact ids stay out: what was
    learned has its own list)."""
    parts = turn.change_causes
    if turn.disclosed_now:
        parts.append("they told you something new")
    if turn.withheld_topic:
        parts.append("you touched something they are not ready to share")
    return "; ".join(parts) or "no change"
