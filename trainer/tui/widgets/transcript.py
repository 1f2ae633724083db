"""The conversation as it happens: one block per speaker turn, text shown literally.

Every piece of text from a trainee or a model goes into a ``rich.text.Text`` built from
the plain string, never through markup, so ``[bold]`` or a stray ``[/]`` appears as
typed; control characters are dropped first so no escape sequence reaches the terminal.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.containers import VerticalScroll
from textual.widgets import Static

from trainer.text import printable
from trainer.tui.widgets.turns import speaker_line


class Utterance(Static):
    """One speaker's words; a buyer's reply grows as it streams in."""

    def __init__(self, speaker: str, text: str = "", *, classes: str = "") -> None:
        super().__init__(classes=classes)
        self.speaker = speaker
        self.words = printable(text)

    def render_text(self) -> Text:
        return speaker_line(self.speaker, self.words)

    def on_mount(self) -> None:
        self.update(self.render_text())

    def append(self, chunk: str) -> None:
        self.words += printable(chunk)
        self.update(self.render_text())

    def set_words(self, words: str) -> None:
        self.words = printable(words)
        self.update(self.render_text())


class Transcript(VerticalScroll):
    """The scrolling transcript, anchored to its newest line (Textual's ``anchor()``):
    it follows a reply as it streams in, but once the reader scrolls up it stays where
    they are, and follows again when they scroll back to the bottom (or :meth:`follow`).

    The anchor is only set while the lines overflow the view: an anchored view whose
    lines fit would push them down to its bottom edge, and a short call reads from the
    top, as it always has."""

    DEFAULT_CSS = """
    Transcript {
        height: 1fr;
        padding: 0 1;
    }
    Transcript .utterance {
        margin-bottom: 1;
    }
    Transcript .utterance.seller {
        color: $text;
        padding-left: 4;
    }
    Transcript .utterance.buyer {
        color: $accent;
    }
    Transcript .utterance.note {
        color: $text-muted;
        text-style: italic;
    }
    """

    can_focus = False

    def on_resize(self, event: events.Resize) -> None:
        """The terminal changed size."""
        self.call_later(self._anchor_while_overflowing)

    def watch_virtual_size(self) -> None:
        """Lines were added, grew or were removed (called before the new sizes are all
        in place, hence later)."""
        self.call_later(self._anchor_while_overflowing)

    def _anchor_while_overflowing(self) -> None:
        overflows = self.max_scroll_y > 0
        if overflows and not self.is_anchored:
            self.anchor()
        elif not overflows and self.is_anchored:
            self.anchor(False)

    def follow(self) -> None:
        """Back to the newest line and following it again, whatever the reader had
        scrolled to (for what the trainee did themselves: sending a turn, a rewind)."""
        if self.is_anchored:
            self.anchor()  # clears a reader's release and scrolls to the end

    def say(self, speaker: str, text: str, role: str) -> Utterance:
        line = Utterance(speaker, text, classes=f"utterance {role}")
        self.mount(line)
        return line

    def note(self, text: str, role: str = "note") -> Static:
        line = Static(Text(printable(text)), classes=f"utterance {role}")
        self.mount(line)
        return line
