"""Patience and openness as bars that move each turn, with the one-line cause."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

WIDTH = 14


def bar(value: int, width: int = WIDTH) -> str:
    filled = round(value / 100 * width)
    return "█" * filled + "░" * (width - filled)


class Meter(Static):
    """A labelled 0-100 bar and its last change."""

    DEFAULT_CSS = """
    Meter {
        height: auto;
    }
    """

    def __init__(self, label: str, value: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.value = value
        self.delta = 0

    def on_mount(self) -> None:
        self.refresh_text()

    def set_value(self, value: int, delta: int) -> None:
        """The new value and the change this turn caused (given, not computed, so a rewind
        shows the restored turn's own change)."""
        self.delta = delta
        self.value = value
        self.refresh_text()

    def refresh_text(self) -> None:
        text = Text(f"{self.label:<9}", style="bold")
        style = "green" if self.value >= 50 else ("yellow" if self.value >= 25 else "red")
        text.append(bar(self.value), style=style)
        text.append(f" {self.value:>3}")
        if self.delta:
            text.append(f" {self.delta:+d}", style="green" if self.delta > 0 else "red")
        self.update(text)
