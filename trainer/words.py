"""The few words every front end uses for the engine's internal names, so a trainee reads
"the model gave no usable verdict" and "1 turn", never ``judge_fallback`` or "1 turns".

Ids and flags stay as they are in records and JSON (programs read those); this is only
what people read. No Textual or Rich here: the CLI, the TUI and the reports share it."""

from __future__ import annotations

from collections.abc import Iterable

FLAG_NOTES = {
    "injection": "words aimed at the trainer, not the buyer, score 1",
    "review": "the model's and the offline verdicts differ by more than 2",
    "judge_fallback": "the model gave no usable verdict; this is the offline one",
}
"""Flags a trainee should know about, in words. ``incomplete_reply`` is shown where the
reply is ("[the reply was cut off]"); a flag not listed here is for records only."""


def flag_notes(flags: Iterable[str]) -> list[str]:
    """The notes for a turn's flags, in the order given; unknown flags are left out
    rather than shown by their internal name."""
    return [FLAG_NOTES[flag] for flag in flags if flag in FLAG_NOTES]


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 turn``, ``2 turns``: a count with its noun in the right number."""
    return f"{count} {word if count == 1 else many or word + 's'}"
