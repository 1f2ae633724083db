"""Certification attempts that cannot be rehearsed (a fresh, unchoosable buyer seed per
attempt, recorded in the ledger and checked by verify) and that are explicit (the
briefing says which attempt it is, starting and quitting ask first)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Button, Static

from trainer.tui.screens.confirm import ConfirmScreen


class Asker(App[None]):
    """A bare app that asks one question and keeps the answers."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool | None] = []

    def compose(self) -> ComposeResult:
        yield Static("behind")

    def ask(self) -> None:
        self.push_screen(
            ConfirmScreen("Start attempt 1 of 3?", "It uses one attempt.", "Start", "Not yet"),
            self.answers.append,
        )


async def test_the_confirmation_answers_yes_only_when_asked_for() -> None:
    app = Asker()
    async with app.run_test(size=(80, 24)) as pilot:
        app.ask()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Start attempt 1 of 3?" in str(app.screen.query_one("#question", Static).render())
        # The safe answer has the focus: Enter pressed twice in a hurry says no.
        assert app.screen.focused is app.screen.query_one("#no", Button)
        await pilot.press("enter")
        await pilot.pause()
        assert app.answers == [False] and not isinstance(app.screen, ConfirmScreen)
        for key in ("escape", "n"):
            app.ask()
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
        assert app.answers == [False, False, False]
        app.ask()
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        app.ask()
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert app.answers == [False, False, False, True, True]
