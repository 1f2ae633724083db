"""The trainer's Textual app: the screens, the command palette, help, and one place where
a failed background task becomes a notification instead of a crash."""

from __future__ import annotations

from functools import partial

from textual.app import App
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.worker import Worker, WorkerState

from trainer.engine.ports import Mode
from trainer.llm.settings import LlmSettings
from trainer.text import printable
from trainer.tui.context import AppContext, app_context


class ScenarioCommands(Provider):
    """Scenarios and actions in the command palette (Ctrl+P)."""

    async def search(self, query: str) -> Hits:
        app = self.app
        context = app_context(app)
        matcher = self.matcher(query)
        for scenario_id in sorted(context.library.scenarios):
            setup = context.library.resolve(scenario_id)
            modes: tuple[tuple[Mode, str], ...] = (
                ("practice", "Practise"),
                ("certification", "Certify"),
            )
            for mode, verb in modes:
                label = f"{verb}: {setup.scenario.title}"
                score = matcher.match(label)
                if score > 0:
                    yield Hit(
                        score, matcher.highlight(label), partial(_start, app, scenario_id, mode)
                    )
        for label, action in (
            ("History", "history"),
            ("Settings", "settings"),
            ("Help", "help"),
        ):
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(app.run_action, action))


def _start(app: App[object], scenario_id: str, mode: Mode) -> None:
    from trainer.tui.screens.briefing import BriefingScreen

    app.push_screen(BriefingScreen(app_context(app).library.resolve(scenario_id), mode))


class TrainerApp(App[None]):
    CSS_PATH = "trainer.tcss"
    TITLE = "Trainer"
    SUB_TITLE = "was this a good use of the customer's time?"
    COMMANDS = App.COMMANDS | {ScenarioCommands}
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, context: AppContext | None = None) -> None:
        super().__init__()
        self.context = context or AppContext.from_environment()

    def on_mount(self) -> None:
        from trainer.tui.screens.library import LibraryScreen

        self.push_screen(LibraryScreen())

    def action_help(self) -> None:
        from trainer.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_history(self) -> None:
        from trainer.tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen())

    def action_settings(self) -> None:
        from trainer.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    async def action_quit(self) -> None:
        """Quit, unless a screen on the stack has something to ask first (a call in
        progress): then only once the trainee says yes."""
        from trainer.tui.screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return  # already asking; Ctrl+Q again is not an answer
        for screen in reversed(self.screen_stack):
            ask = getattr(screen, "quit_question", None)
            question = ask() if callable(ask) else None
            if isinstance(question, ConfirmScreen):
                self.push_screen(question, self._quit_if_yes)
                return
        self.exit()

    def _quit_if_yes(self, yes: bool | None) -> None:
        if yes:
            self.exit()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker runs with exit_on_error=False; its failure ends up here."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(
                printable(str(event.worker.error)), title="Something went wrong", severity="error"
            )


def run_app(llm: LlmSettings | None = None) -> int:
    """The TUI, on the backend ``trainer``'s flags chose (else the configured one)."""
    context = AppContext.from_environment(llm=llm)
    TrainerApp(context).run()
    return 0
