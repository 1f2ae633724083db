"""The conversation as it happens: one block per speaker turn, text shown literally.

Every piece of text from a trainee or a model goes into a ``rich.text.Text`` built from
the plain string, never through markup, so ``[bold]`` or a stray ``[/]`` appears as
typed; control characters are dropped first so no escape sequence reaches the terminal.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from trainer.text import printable


class Utterance(Static):
    """One speaker's words; a buyer's reply grows as it streams in."""

    def __init__(self, speaker: str, text: str = "", *, classes: str = "") -> None:
        super().__init__(classes=classes)
        self.speaker = speaker
        self.words = printable(text)

    def render_text(self) -> Text:
        text = Text()
        text.append(f"{self.speaker}: ", style="bold")
        text.append(self.words)
        return text

    def on_mount(self) -> None:
        self.update(self.render_text())

    def append(self, chunk: str) -> None:
        self.words += printable(chunk)
        self.update(self.render_text())

    def set_words(self, words: str) -> None:
        self.words = printable(words)
        self.update(self.render_text())


class Transcript(VerticalScroll):
    """The scrolling transcript; keeps the newest line in view."""

    can_focus = False

    def say(self, speaker: str, text: str, role: str) -> Utterance:
        line = Utterance(speaker, text, classes=f"utterance {role}")
        self.mount(line)
        self.scroll_end(animate=False)
        return line

    def note(self, text: str, role: str = "note") -> Static:
        line = Static(Text(printable(text)), classes=f"utterance {role}")
        self.mount(line)
        self.scroll_end(animate=False)
        return line
