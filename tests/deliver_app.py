"""A tiny Textual app that delivers a file to the browser when ``d`` is pressed, so the
browser harness can prove a delivery (``App.deliver_text``) reaches the trainee as a
download, before the trainer's own exports do. Run as ``python -m tests.deliver_app``."""

from __future__ import annotations

import io

from textual.app import App, ComposeResult
from textual.widgets import Static

FILENAME = "notes.md"
CONTENT = "# Call notes\n\nDana asked what a waiting truck costs — 2 h at the gate.\n"


class DeliverApp(App[None]):
    """Shows a prompt; ``d`` delivers :data:`CONTENT` as :data:`FILENAME`."""

    BINDINGS = [("d", "deliver", "Deliver")]  # noqa: RUF012 - Textual's class-level list

    def compose(self) -> ComposeResult:
        yield Static("Press d to download the notes")

    def action_deliver(self) -> None:
        self.deliver_text(io.StringIO(CONTENT), save_filename=FILENAME)
        self.query_one(Static).update("Delivered")


if __name__ == "__main__":
    DeliverApp().run()
