"""A script for ``play``, ``certify`` and ``resume --script``: the seller's turns, one a
line, checked whole before the first is played so a bad line never leaves half a session."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from trainer.cli.errors import UserError
from trainer.text import check_turn_text

MAX_SCRIPT_BYTES = 2_000_000


@dataclass
class ScriptLine:
    number: int
    text: str


def read_script(source: str) -> list[ScriptLine]:
    """The script's seller turns, or a ``UserError`` naming every bad line."""
    name = "standard input" if source == "-" else source
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except FileNotFoundError:
        raise UserError(f"no script file at {source}") from None
    except IsADirectoryError:
        raise UserError(f"{source} is a folder; --script needs a text file") from None
    except OSError as exc:
        raise UserError(f"cannot read the script {source}: {exc.strerror or exc}") from None
    if len(raw) > MAX_SCRIPT_BYTES:
        raise UserError(f"the script is {len(raw):,} bytes; at most {MAX_SCRIPT_BYTES:,}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError(
            f"{name}:{line}: the script is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save it as UTF-8"
        ) from None
    lines: list[ScriptLine] = []
    problems: list[str] = []
    for number, line in enumerate(script_lines(text), start=1):
        if not line.strip():
            continue
        problem = check_turn_text(line)
        if problem is not None:
            column = f"{problem.column}:" if problem.column else ""
            problems.append(f"{name}:{number}:{column} {problem.message}")
            continue
        lines.append(ScriptLine(number, line))
    if problems:
        raise UserError("the script has lines that cannot be played:\n" + "\n".join(problems))
    if not lines:
        raise UserError(f"the script {name} has no seller turns (every line is blank)")
    return lines


def script_lines(text: str) -> list[str]:
    """A script's lines as an editor numbers them: split on newlines only, a Windows
    line ending taken whole. ``str.splitlines`` would also split on U+2028, a vertical
    tab or a stray CR, so every later line number, and ``unplayed``, would be wrong;
    here they stay inside their line, where ``check_turn_text`` refuses them."""
    return [line.removesuffix("\r") for line in text.split("\n")]
