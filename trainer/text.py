"""Plain-text helpers shared by the engine, the offline assessor and the front ends.

Seller text arrives from keyboards, pastes and script files. It is data: it may hold
escape sequences, stray control characters or 50 KB of pasted e-mail thread, and it is
never interpreted. These helpers decide what is acceptable and normalise it for matching.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MAX_TURN_CHARS = 4000
"""A seller turn longer than this is not a turn in a conversation; it is a paste."""

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""What no typed, scripted or authored text may hold: C0 controls but tab and newline,
DEL, C1 controls, and U+2028/U+2029, which some readers (PyYAML, ``str.splitlines``) take
for line breaks, so a line number counted by one tool would not be the editor's."""

_CONTROL_NAMES = {
    "\x00": "NUL",
    "\x07": "a bell",
    "\x08": "a backspace",
    "\x0b": "a vertical tab",
    "\x0c": "a form feed",
    "\r": "a carriage return",
    "\x7f": "DEL",
    "\x85": "NEL, a next-line mark",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
}


@dataclass(frozen=True)
class TurnTextProblem:
    """Why a seller turn cannot be played, in words a trainee understands."""

    message: str
    column: int | None = None


def check_turn_text(text: str) -> TurnTextProblem | None:
    """None when ``text`` can be played as a seller turn, else what is wrong with it."""
    if not text.strip():
        return TurnTextProblem("the turn is empty; say something to the buyer")
    match = CONTROL_IN_TEXT.search(text)
    if match:
        return TurnTextProblem(
            f"the turn contains a control character, {control_name(match.group())}, "
            f"at column {match.start() + 1}; "
            "remove it and type plain text",
            match.start() + 1,
        )
    if len(text) > MAX_TURN_CHARS:
        return TurnTextProblem(
            f"the turn is {len(text):,} characters; a turn can be at most "
            f"{MAX_TURN_CHARS:,} — say it in fewer words, the buyer is busy"
        )
    return None


def control_name(char: str) -> str:
    """How a message names a control character, so an author can find an invisible one."""
    if char == "\x1b":
        return "ESC (an escape sequence)"
    name = _CONTROL_NAMES.get(char)
    return f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"


def clean_turn_text(text: str) -> str:
    """Tabs and runs of spaces become one space; the words are kept exactly."""
    return _SPACE.sub(" ", text.replace("\t", " ")).strip()


def normalise(text: str) -> str:
    """Lower-case ASCII-ish form for matching: curly quotes and dashes flattened."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _SPACE.sub(" ", text.replace("—", " - ").replace("–", " - "))


def words(text: str) -> list[str]:
    """The words of normalised text (apostrophes kept inside words: don't, we're)."""
    return [w.replace("’", "'") for w in _WORD.findall(text)]


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One regex that finds any of the phrases as whole words, longest first."""
    cleaned = sorted({normalise(p).strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternatives = "|".join(_phrase_regex(p) for p in cleaned)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def _phrase_regex(phrase: str) -> str:
    parts = [re.escape(w) for w in phrase.split()]
    # a trailing "s" or "es" still matches: "detention fee" finds "detention fees"
    return r"[\s-]+".join(parts) + r"(?:e?s)?"


def printable(text: str) -> str:
    """Text as a screen may show it: control characters and escape sequences removed
    (a model's reply is not checked like a seller's turn, and must not drive the
    terminal); line breaks and tabs kept."""
    return _CONTROL.sub("", text.replace("\r\n", "\n"))
