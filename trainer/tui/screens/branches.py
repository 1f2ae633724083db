"""The lines a trainee abandoned by rewinding, kept so they can compare what they tried."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from trainer.engine.session import Session
from trainer.text import printable
from trainer.tui.widgets.turns import exchange_text, verdict_words


def branches_text(session: Session) -> Text:
    first = session.setup.persona.name.split()[0]
    text = Text()
    text.append("Abandoned lines\n", style="bold")
    for number, branch in enumerate(session.branches, start=1):
        text.append(f"\n{number}. After turn {branch.from_index}:\n", style="bold")
        for turn in branch.turns:
            a = turn.assessment
            text.append_text(exchange_text(turn, first, indent="  "))
            text.append(f"  {verdict_words(a)}: {printable(a.reason)}\n", style="italic")
    text.append("\nEsc closes this.", style="dim")
    return text


class BranchesScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,ctrl+b", "app.pop_screen", "Close")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="branches"):
            yield Static(branches_text(self.session))
