"""Who is training, where results go, which backend plays the buyer, and a check of the
endpoint (the same checks as ``trainer doctor``).

Hosted (``trainer host``), the trainee is who the host's link says: the name is shown,
not offered for change, and nothing of the host is shown (no store, exports or config
path, no endpoint, no endpoint check)."""

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
from trainer.text import name_problem, printable
from trainer.tui.context import app_context


class SettingsScreen(Screen[None]):
    BINDINGS = [
        Binding("f5", "check", "Check endpoint"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    @property
    def hosted(self) -> bool:
        return app_context(self.app).settings.hosted

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings"):
            if not self.hosted:
                yield Static(Text("Trainee name (Enter to use it for this run)", style="bold"))
                yield Input(id="trainee")
            yield Static(id="current")
            yield Static(id="checks")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Settings"
        if not self.hosted:
            box = self.query_one(Input)
            box.value = app_context(self.app).trainee
            box.focus()
        self.show_current()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hosted, the endpoint is the host's business: no check from a browser."""
        return not (action == "check" and self.hosted)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.hosted:  # no box is shown; a name is never taken from the browser
            return
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
        if context.settings.hosted:
            self.query_one("#current", Static).update(hosted_text(context.trainee, llm))
            return
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
        if context.settings.hosted:
            return
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


def hosted_text(trainee: str, llm: dict[str, object]) -> Text:
    """What a hosted trainee may see of the settings: who they train as (their link says,
    so it cannot change here), who plays the buyer, and where exports go."""
    text = Text()
    for label, value in (
        ("Trainee", trainee),
        ("Backend", f"{llm['buyer']} buyer, {llm['assessor']} assessment"),
        ("Exports", "downloaded by your browser"),
    ):
        text.append(f"{label:<14}", style="bold")
        text.append(f"{printable(value)}\n")
    text.append(
        "\nYou are training as the person your link was made for; the name cannot be "
        "changed here. Ask whoever gave you the link if it is not you.",
        style="dim",
    )
    return text
