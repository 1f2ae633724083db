"""Before the call: the seller's brief, what is publicly known, the objectives, what the
trainee is judged on, and the turn or time budget; before an attempt, which attempt it
is and what counts as one, and a question before it is used."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from trainer.content.library import ResolvedScenario
from trainer.engine.attempts import WHAT_COUNTS, Attempts, attempts_used
from trainer.engine.certification import min_turns, next_step_required
from trainer.engine.ports import Mode
from trainer.store.errors import StoreError
from trainer.store.repository import attempt_in_progress_message
from trainer.text import printable
from trainer.tui.context import app_context
from trainer.tui.navigation import StartCall
from trainer.tui.screens.confirm import ConfirmScreen


def briefing_text(setup: ResolvedScenario, mode: Mode, attempts: Attempts | None = None) -> Text:
    scenario, persona = setup.scenario, setup.persona
    text = Text()

    def heading(words: str) -> None:
        text.append(f"\n{words}\n", style="bold underline")

    text.append(scenario.title + "\n", style="bold")
    text.append(
        f"{persona.name}, {persona.role}, {persona.organisation} · "
        f"{scenario.setting.replace('_', ' ')} · {scenario.difficulty}\n"
    )
    if mode == "certification":
        rules = scenario.certification
        if attempts is None:  # not counted (the store could not be read)
            heading_words, counts = f"{rules.attempts} attempts allowed", WHAT_COUNTS
        else:
            heading_words = attempts.heading()
            counts = WHAT_COUNTS if attempts.left else attempts.none_left()
        text.append(f"\nCertification · {heading_words}\n", style="bold yellow")
        text.append(counts + "\n")
        text.append(
            f"No feedback, hints or rewinds until the call ends. "
            f"Pass mark {rules.pass_mark}; at least {min_turns(scenario)} turns"
            f"{'; a next step agreed' if next_step_required(scenario) else ''}.\n",
            style="bold yellow",
        )
    heading("Your situation")
    text.append(scenario.brief.situation.strip() + "\n")
    heading(f"What you sell: {scenario.brief.product.name}")
    text.append(scenario.brief.product.summary.strip() + "\n")
    if scenario.brief.research:
        heading("What is publicly known")
        for item in scenario.brief.research:
            text.append(f"• {item}\n")
    heading("Objectives")
    for item in scenario.objectives:
        text.append(f"• {item}\n")
    heading("What you are judged on, every turn")
    text.append("Was this a good use of the customer's time? (1-5), and:\n")
    for criterion in setup.rubric.criteria:
        text.append(f"• {criterion.name}: ", style="bold")
        text.append(f"{criterion.question}\n")
    heading("Budget")
    limits = scenario.limits
    budget = f"Up to {limits.turns} turns"
    if limits.minutes:
        budget += f" or {limits.minutes} minutes"
    text.append(budget + ". The buyer can end the call sooner.\n")
    return text


class BriefingScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "begin", "Start the call"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, setup: ResolvedScenario, mode: Mode) -> None:
        super().__init__()
        self.setup = setup
        self.mode = mode
        self.attempts: Attempts | None = None
        self.store_problem: str | None = None

    def compose(self) -> ComposeResult:
        if self.mode == "certification":
            self.attempts = self.count_attempts()
        yield Header()
        with VerticalScroll(id="briefing"):
            yield Static(briefing_text(self.setup, self.mode, self.attempts), id="brief")
        yield Footer()

    def count_attempts(self) -> Attempts | None:
        context = app_context(self.app)
        scenario = self.setup.scenario
        try:
            used = attempts_used(context.store.sessions(context.trainee), scenario.id)
        except StoreError as exc:  # said when Enter is pressed; no attempt can start
            self.store_problem = f"No attempt can start: {exc}"
            return None
        return Attempts(used, scenario.certification.attempts)

    def action_begin(self) -> None:
        """Practice starts at once; an attempt only once the trainee has said yes to
        using it (the store counts it when the call starts, however it ends)."""
        if self.store_problem is not None:
            self.notify(printable(self.store_problem), severity="error", timeout=10)
            return
        attempts = self.attempts
        if attempts is None:
            self.start()
            return
        if not attempts.left:
            self.notify(attempts.none_left(), severity="error", timeout=8)
            return
        busy = self.attempt_elsewhere()
        if busy is not None:
            self.notify(printable(busy), title="Not started", severity="error", timeout=12)
            return
        question = ConfirmScreen(
            f"Start certification {attempts.heading().lower()}?",
            f"{WHAT_COUNTS} No feedback, hints or rewinds until the call ends.",
            yes="Start the attempt",
            no="Not yet",
        )
        self.app.push_screen(question, self.answered)

    def attempt_elsewhere(self) -> str | None:
        """Why no attempt can start now: another of this trainee's attempts is being
        played in another window or terminal (one at a time)."""
        context = app_context(self.app)
        if not context.settings.hosted:
            return None
        try:
            busy = context.store.attempt_in_progress(context.trainee)
        except StoreError:
            return None  # the store's own refusal comes when the call starts
        return None if busy is None else attempt_in_progress_message(context.trainee, busy)

    def answered(self, start: bool | None) -> None:
        if start:
            self.start()

    def start(self) -> None:
        self.post_message(StartCall(self.setup, self.mode))
