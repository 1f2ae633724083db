"""Who is training, where results go, which backend plays the buyer, and a check of the
endpoint (the same checks as ``trainer doctor``)."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from trainer.config import OPENAI_BASE_URL, STORE, TRAINEE, config_path
from trainer.text import name_problem
from trainer.tui.context import app_context


class SettingsScreen(Screen[None]):
    BINDINGS = [
        Binding("f5", "check", "Check endpoint"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings"):
            yield Static(Text("Trainee name (Enter to use it for this run)", style="bold"))
            yield Input(id="trainee")
            yield Static(id="current")
            yield Static(id="checks")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Settings"
        box = self.query_one(Input)
        box.value = app_context(self.app).trainee
        box.focus()
        self.show_current()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        problem = name_problem(name)
        if problem is not None:
            self.notify(problem[0].upper() + problem[1:] + ".", severity="warning")
            return
        context = app_context(self.app)
        context.settings = replace(context.settings, trainee=name)
        self.show_current()
        self.notify(
            f"Sessions are now recorded for {name}. To keep it, set trainee in the config file."
        )

    def show_current(self) -> None:
        context = app_context(self.app)
        llm = context.llm.describe()
        text = Text()
        for label, value in (
            ("Trainee", context.trainee),
            ("Results store", str(context.settings.store)),
            ("Exports", str(context.settings.exports)),
            ("Backend", f"{llm['buyer']} buyer, {llm['assessor']} assessment"),
            ("Endpoint", str(llm.get("base_url", "-"))),
            ("Model", str(llm.get("model", "-"))),
            ("Judge model", str(llm.get("judge_model", "-"))),
            ("Config file", str(config_path())),
        ):
            text.append(f"{label:<14}", style="bold")
            text.append(f"{value}\n")
        text.append(
            f"\nChange these in the config file (or with {TRAINEE.name}, {STORE.name}, "
            f"{OPENAI_BASE_URL.name}) and restart.",
            style="dim",
        )
        self.query_one("#current", Static).update(text)

    def action_check(self) -> None:
        context = app_context(self.app)
        if context.llm.backend == "offline":
            self.query_one("#checks", Static).update(Text("The offline buyer needs no endpoint."))
            return
        self.query_one("#checks", Static).update(Text("Checking the endpoint..."))
        self.run_checks()

    @work(exclusive=True, exit_on_error=False)
    async def run_checks(self) -> None:
        from trainer.llm.doctor import run_checks

        checks = await run_checks(app_context(self.app).llm)
        text = Text()
        for check in checks:
            text.append("ok   " if check.ok else "FAIL ", style="green" if check.ok else "red")
            text.append(f"{check.name}: {check.detail}\n")
            if check.fix:
                text.append(f"     fix: {check.fix}\n", style="yellow")
        self.query_one("#checks", Static).update(text)
