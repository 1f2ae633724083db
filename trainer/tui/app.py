"""The trainer's Textual app: the screens, the command palette, help, and one place where
a failed background task becomes a notification instead of a crash.

Screens say where to go next with the messages in ``navigation.py``; the handlers here
are the one place that turns them into pushed or switched screens, so this module is the
only one that imports every screen.
"""

from __future__ import annotations

from functools import partial

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from trainer.engine.ports import Mode
from trainer.errors import StoreError
from trainer.llm.settings import LlmSettings
from trainer.text import printable
from trainer.tui.context import AppContext, app_context
from trainer.tui.navigation import (
    OpenBranches,
    OpenBriefing,
    OpenDebrief,
    OpenHistory,
    OpenSettings,
    StartCall,
)
from trainer.tui.screens.branches import BranchesScreen
from trainer.tui.screens.briefing import BriefingScreen
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.conversation import ConversationScreen
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.screens.help import HelpScreen, screen_keys
from trainer.tui.screens.history import HistoryScreen
from trainer.tui.screens.library import LibraryScreen
from trainer.tui.screens.settings import SettingsScreen


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
    app.post_message(OpenBriefing(app_context(app).library.resolve(scenario_id), mode))


IDLE_CHECK_SECONDS = 15.0
"""How often a hosted app looks at how long it has been idle."""
IDLE_MESSAGE = "Ended after a long time without a key or a click; your turns are saved."


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
        self.last_input = self.context.clock()
        """When the trainee last pressed a key or used the mouse (the context's clock)."""

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen())
        if self.context.settings.hosted:
            self.set_interval(IDLE_CHECK_SECONDS, self.end_if_idle)

    # ---------------------------------------------------------------- idle timeout

    async def on_event(self, event: events.Event) -> None:
        """Every key and mouse event reaches the app first: each one is the trainee
        still there."""
        if isinstance(event, events.Key | events.MouseEvent):
            self.last_input = self.context.clock()
        await super().on_event(event)

    def end_if_idle(self) -> bool:
        """Hosted, a session nobody has touched for ``idle_minutes`` ends, so a tab left
        open does not hold one of the host's places. Nothing is lost: every committed
        turn is already on disk, and the call is left open, as a closed terminal leaves
        it, for History to resume (a certification attempt counts, as it would)."""
        idle = self.context.clock() - self.last_input
        if idle < self.context.settings.idle_minutes * 60:
            return False
        self.exit(message=IDLE_MESSAGE)
        return True

    # ---------------------------------------------------------------- navigation

    @on(OpenBriefing)
    def open_briefing(self, message: OpenBriefing) -> None:
        self._show(BriefingScreen(message.setup, message.mode), message.replace)

    @on(StartCall)
    def start_call(self, message: StartCall) -> None:
        try:
            call = ConversationScreen(message.setup, message.mode, message.resumed, message.notes)
        except StoreError as exc:  # another attempt in progress, a store that cannot open
            self.notify(printable(str(exc)), title="Not started", severity="error", timeout=12)
            return
        self._show(call, message.replace)

    @on(OpenDebrief)
    def open_debrief(self, message: OpenDebrief) -> None:
        self.switch_screen(DebriefScreen(message.session))

    @on(OpenBranches)
    def open_branches(self, message: OpenBranches) -> None:
        self.push_screen(BranchesScreen(message.session))

    @on(OpenHistory)
    def open_history(self) -> None:
        self.push_screen(HistoryScreen())

    @on(OpenSettings)
    def open_settings(self) -> None:
        self.push_screen(SettingsScreen())

    def _show(self, screen: Screen[None], replace: bool) -> None:
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # ---------------------------------------------------------------- actions

    def action_help(self) -> None:
        """Help with the keys of the screen it is opened from, as they are right now."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(screen_keys(self.screen)))

    def action_history(self) -> None:
        self.post_message(OpenHistory())

    def action_settings(self) -> None:
        self.post_message(OpenSettings())

    async def action_quit(self) -> None:
        """Quit, unless a screen on the stack has something to ask first (a call in
        progress): then only once the trainee says yes."""
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
