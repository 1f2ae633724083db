"""The keys, and the one idea behind the scoring."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = [
    ("Library", "Enter practise · c certify · / search"),
    ("", "h history · s settings · q quit"),
    ("Briefing", "Enter start the call · Esc back"),
    ("Call", "Enter send · Ctrl+J new line · Ctrl+E end the call"),
    ("", "Esc cancel a reply · PgUp/PgDn scroll the transcript"),
    ("", "Practice only: Ctrl+T hint · Ctrl+Z rewind a turn"),
    ("", "Ctrl+B the lines you abandoned"),
    ("Debrief", "r try again · m / j export Markdown / JSON · Esc library"),
    ("History", "Enter transcript (m / j export) · r resume a call"),
    ("Anywhere", "Ctrl+P command palette (themes too) · F1 help · Ctrl+Q quit"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Trainer — help\n\n", style="bold")
        text.append("Every turn is judged on one question: ")
        text.append("was this a good use of the customer's time?\n\n", style="italic")
        for label, words in HELP:
            text.append(f"{label:<10}", style="bold")
            text.append(words + "\n")
        text.append("\nEsc closes this.", style="dim")
        with VerticalScroll(id="help"):
            yield Static(text)
