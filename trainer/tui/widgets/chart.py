"""A small bar chart as text, with what a sparkline leaves out: a title, a 0-100 scale on
the left and the turn (or attempt) numbers along the bottom, so "patience fell to 20 by
turn 4" can be read off it, not guessed from the shape."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

BLOCKS = " ▁▂▃▄▅▆▇█"
LABEL = 4
"""Width of the scale's numbers ("100 ")."""


def chart(
    title: str,
    values: Sequence[int],
    height: int = 4,
    x_label: str = "turns",
    high: int = 100,
    style: str = "cyan",
) -> Text:
    """``values`` (0..``high``) as columns two characters apart, ``height`` rows tall."""
    text = Text(title, style="bold")
    for row in range(height, 0, -1):
        floor = high * (row - 1) / height
        label = str(high) if row == height else "0" if row == 1 else ""
        text.append(f"\n{label:>{LABEL - 1}} ┤")
        bars = ""
        for value in values:
            filled = (min(max(value, 0), high) - floor) / (high / height)
            bars += BLOCKS[round(min(max(filled, 0.0), 1.0) * (len(BLOCKS) - 1))] + " "
        text.append(bars.rstrip(), style=style)
    text.append("\n" + " " * (LABEL - 1) + " └" + "──" * len(values))
    text.append("\n" + axis_numbers(x_label, len(values)))
    return text


def axis_numbers(x_label: str, count: int) -> str:
    """The bottom line: 1 under the first column, ``count`` under the last, every fifth
    between where there is room, then the axis's name."""
    line = list(" " * (2 * count + 2))
    for number in range(1, count + 1):
        if number in (1, count) or (number % 5 == 0 and count - number >= 2):
            digits = str(number)
            start = 2 * (number - 1)
            if all(c == " " for c in line[max(start - 1, 0) : start + len(digits)]):
                line[start : start + len(digits)] = digits
    return " " * (LABEL + 1) + "".join(line).rstrip() + f"  {x_label}"


def side_by_side(left: Text, right: Text, gap: int = 4) -> Text:
    """Two charts next to each other (the debrief's patience and openness)."""
    left_lines = left.split("\n")
    right_lines = right.split("\n")
    width = max(line.cell_len for line in left_lines) + gap
    text = Text()
    for number in range(max(len(left_lines), len(right_lines))):
        if number:
            text.append("\n")
        line = left_lines[number].copy() if number < len(left_lines) else Text()
        line.pad_right(width - line.cell_len)
        text.append_text(line)
        if number < len(right_lines):
            text.append_text(right_lines[number])
    return text
