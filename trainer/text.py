"""Plain-text helpers shared by the engine, the offline assessor and the front ends.

Seller text arrives from keyboards, pastes and script files. It is data: it may hold
escape sequences, stray control characters or 50 KB of pasted e-mail thread, and it is
never interpreted. These helpers decide what is acceptable and normalise it for matching.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from trainer.words import plural

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


@lru_cache(maxsize=2048)
def phrases_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """``phrase_pattern`` compiled once per set of phrases: the same fact and topic words
    are looked for on every turn of every call."""
    return phrase_pattern(phrases)


def mentions(phrases: Iterable[str], normalised_text: str) -> bool:
    """Whether normalised text says any of the phrases, as whole words."""
    pattern = phrases_pattern(tuple(phrases))
    return pattern is not None and pattern.search(normalised_text) is not None


def _phrase_regex(phrase: str) -> str:
    parts = [re.escape(w) for w in phrase.split()]
    # a trailing "s" or "es" still matches: "detention fee" finds "detention fees"
    return r"[\s-]+".join(parts) + r"(?:e?s)?"


# A terminal acts on whole sequences, not just on ESC: removing only the ESC would leave
# "]0;PWN" and "[2J" on screen as litter, so each sequence goes as one.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: cursor, colour, clear screen
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)"  # OSC, DCS…
    r"|\x1b[ -/]*[0-~]"  # the short forms: ESC c (reset), ESC 7, ESC ( B
)
_LINE_BREAK = re.compile("[\u2028\u2029\x85]")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Controls (tab and newline are layout), and the bidi overrides that make a line read
differently from the bytes in it."""
_NAME_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LINE_JOIN = re.compile(r"\s*[\n\t]\s*")
_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>#|~&")
_FORMULA_START = ("=", "+", "-", "@")


def printable(text: str) -> str:
    """Text as a screen or a file may show it: escape sequences, control characters and
    bidi overrides removed, line breaks and tabs kept.

    Every string from outside the program (a model's reply, a server's error body, a
    trainee name someone else stored, content text) passes here before it is printed or
    exported: a model's reply is not checked like a seller's turn, and neither it nor a
    name may drive the terminal (clear the screen, set the title) or fake a line."""
    text = _ESCAPE_SEQUENCE.sub("", text.replace("\r\n", "\n"))
    return _UNSAFE.sub("", _LINE_BREAK.sub("\n", text))


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(value: object) -> str:
    """JSON for a terminal or a file, non-ASCII kept readable: ``json.dumps`` escapes the
    C0 controls but leaves C1 (``\\x9b`` is a CSI to some terminals), line separators and
    bidi overrides raw; here they are ``\\u`` escapes too, so the data is unchanged for
    any JSON reader and nothing in it can drive the terminal it is printed on."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    """``printable`` text on one line, for a name or a cell: a newline inside a name must
    not start what looks like another row of a listing."""
    return _LINE_JOIN.sub(" ", printable(text)).strip()


def markdown_escape(text: str) -> str:
    """Every Markdown and HTML metacharacter backslash-escaped (CommonMark shows an escaped
    punctuation character literally), so text can neither style nor start a heading,
    a table cell, a link or a tag."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in text)


def markdown_inline(text: str) -> str:
    """Text for one line or one table cell of a Markdown page, shown literally."""
    return markdown_escape(one_line(text))


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: on one line, and with a leading apostrophe
    where it would otherwise run as a formula (a trainee named ``=HYPERLINK(...)``)."""
    cell = one_line(value)
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def name_problem(name: str) -> str | None:
    """None when ``name`` can be a trainee name, else why not (never echoing the name: it
    may hold the very sequence that should not reach the terminal)."""
    if not name.strip():
        return "the trainee name is empty"
    match = _NAME_UNSAFE.search(name)
    if match is None:
        return None
    char = match.group()
    what = {"\x1b": "ESC (an escape sequence)", "\n": "a line break", "\t": "a tab"}.get(
        char, f"U+{ord(char):04X}"
    )
    return (
        f"the trainee name contains {what} at character {match.start() + 1}; a trainee name "
        "is one line of plain text"
    )


# ------------------------------------------------------------------ content words

_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if in into
    is it its itself just me more most my no nor not now of off on once only or other
    our ours out over own same she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yourself one two
    three four five six new get got make made last next first year years month months
    week weeks day days time times way ways thing things lot much many every per across
    around still even well back like want need said says say know think company
    companies customer customers business team teams people work working help inc llc
    plc ltd group i'm you're we're it's that's don't can't i'd i've you've we've let's
    really actually just maybe quite pretty sure right okay yes yeah thanks thank hi
    hello hey
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def stem(word: str) -> str:
    """A crude stem, enough to match 'dock' with 'docks' and 'audits' with 'audit'."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    return word.rstrip("s") if len(word) > 4 else word


def content_stems(text: str) -> set[str]:
    """The stems of the words that carry meaning: four letters or more, no stopwords."""
    return {
        stem(w)
        for w in words(normalise(text))
        if len(w) >= 4 and w not in STOPWORDS and not w.isdigit()
    }


def criterion_average(average: float | None, turns: int | None) -> str:
    """A criterion's average as a trainee reads it: "4.5 (2 turns)", or "n/a" when it
    applied to no turn. The count says how much the average rests on; ``None`` (a record
    from before criteria could be n/a) shows the average alone."""
    if average is None:
        return "n/a"
    if turns is None:
        return f"{average:.1f}"
    return f"{average:.1f} ({plural(turns, 'turn')})"
