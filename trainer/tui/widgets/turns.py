"""How a turn is shown: the one renderer of the live call, the abandoned lines and History.

The call screen's transcript (``transcript.Utterance``), the branches modal and History's
read-only transcript all show a speaker's words the same way, through ``speaker_line``,
and a turn's verdict in the same words, ``verdict_words``. History reads stored turns
back into the engine's ``Turn`` (``store/restore.stored_turns``), so every view renders
the same typed object, never a raw record. Every string is cleaned with ``printable`` and
put into a ``Text`` as it is: a trainee's ``[bold]`` or a model's escape sequence is
shown as text, never run as markup.
"""

from __future__ import annotations

from rich.text import Text

from trainer.engine.assessment import Assessment
from trainer.engine.session import Turn
from trainer.text import printable

YOU = "You"


def speaker_line(speaker: str, words: str, indent: str = "") -> Text:
    """``Speaker: words``, the speaker in bold (no line break: the caller lays lines out)."""
    text = Text(indent)
    text.append(f"{printable(speaker)}: ", style="bold")
    text.append(printable(words))
    return text


def exchange_text(turn: Turn, buyer: str, *, you: str = YOU, indent: str = "") -> Text:
    """The seller's words and the buyer's reply, a line each."""
    text = speaker_line(you, turn.seller, indent)
    text.append("\n")
    text.append_text(speaker_line(buyer, turn.buyer, indent))
    text.append("\n")
    return text


def verdict_words(assessment: Assessment) -> str:
    """What the judge made of a turn, in the words every view uses."""
    return printable(f"{assessment.move}, good use {assessment.good_use}/5")
