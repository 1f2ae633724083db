"""A yes/no question before something that cannot be taken back (starting a certification
attempt, leaving a call): one modal for every such question, so they look and answer alike.

The safe answer has the focus, so a trainee typing ahead or pressing Enter twice does not
burn an attempt or lose a call: saying yes takes `y` or a deliberate move to the button.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Dismissed with True for yes, False for no (Esc, `n`, or the "no" button). Its look
    comes with it (``DEFAULT_CSS``), so any app that asks with it shows the same box."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen #confirm {
        width: 64;
        max-width: 100%;
        height: auto;
        border: thick $warning;
        background: $panel;
        padding: 1 2;
    }
    ConfirmScreen #question {
        height: auto;
    }
    ConfirmScreen #answers {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    ConfirmScreen #answers Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No", show=False),
        Binding("left,right", "app.focus_next", "Switch", show=False),
    ]

    def __init__(self, title: str, message: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question_title = title
        self.message = message
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        text = Text()
        text.append(self.question_title + "\n\n", style="bold")
        text.append(self.message)
        with Vertical(id="confirm"):
            yield Static(text, id="question")
            with Horizontal(id="answers"):
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button(f"{self.no} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
