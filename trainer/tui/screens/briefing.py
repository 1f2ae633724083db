"""Before the call: the seller's brief, what is publicly known, the objectives, what the
trainee is judged on, and the turn or time budget."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from trainer.content.library import ResolvedScenario
from trainer.engine.certification import min_turns, next_step_required
from trainer.engine.ports import Mode


def briefing_text(setup: ResolvedScenario, mode: Mode) -> Text:
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
        text.append(
            f"\nCertification attempt: no feedback, hints or rewinds until the call ends. "
            f"Pass mark {rules.pass_mark}; at least {min_turns(scenario)} turns; "
            f"{'a next step agreed; ' if next_step_required(scenario) else ''}"
            f"{rules.attempts} attempts allowed.\n",
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

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="briefing"):
            yield Static(briefing_text(self.setup, self.mode), id="brief")
        yield Footer()

    def action_begin(self) -> None:
        from trainer.tui.screens.conversation import ConversationScreen

        self.app.switch_screen(ConversationScreen(self.setup, self.mode))
