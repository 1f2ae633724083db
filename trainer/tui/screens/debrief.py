"""After the call: the score and its working, each criterion, patience and openness over
the turns, the best and worst turns with the reason, the facts missed, export, retry."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Sparkline, Static

from trainer.engine.ports import ENDINGS
from trainer.engine.session import Session
from trainer.text import printable


def score_text(session: Session) -> Text:
    breakdown = session.score()
    text = Text()
    text.append(f"Session score {breakdown.score}/100", style="bold")
    if breakdown.adjustment:
        text.append(f"  ({breakdown.adjustment:+d}: {breakdown.adjustment_reason})")
    turns = len(session.turns)
    text.append(
        f"\n{ENDINGS[session.ended_by].capitalize()} after {turns} turn{'s' if turns != 1 else ''}."
    )
    return text


def criteria_table(session: Session) -> Table:
    names = {c.id: c.name for c in session.setup.rubric.criteria}
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("Criterion")
    table.add_column("Average", justify="right")
    table.add_column("")
    for criterion, value in session.score().criteria.items():
        table.add_row(names.get(criterion, criterion), f"{value:.1f}", "▮" * round(value))
    return table


def turns_text(session: Session) -> Text:
    text = Text()
    if not session.turns:
        return Text("No turns were played.")
    ranked = sorted(session.turns, key=lambda t: (t.assessment.good_use, -t.index))
    shown = [("Best turn", ranked[-1])]
    if len(ranked) > 1:
        shown.append(("Weakest turn", ranked[0]))
    for label, turn in shown:
        text.append(f"{label} ({turn.index}, good use {turn.assessment.good_use}/5): ", "bold")
        text.append(printable(turn.seller) + "\n")
        text.append(f"  why: {turn.assessment.reason}\n", style="italic")
    return text


def missed_text(session: Session) -> Text:
    missed = session.missed_facts
    text = Text(
        f"Facts you learned: {len(session.earned_facts)} of "
        f"{len(session.earned_facts) + len(missed)}\n",
        style="bold",
    )
    for fact in missed:
        text.append(f"• missed: {fact.fact}")
        if fact.hint:
            text.append(f" ({fact.hint})", style="dim")
        text.append("\n")
    return text


class DebriefScreen(Screen[None]):
    BINDINGS = [
        Binding("r", "retry", "Try again"),
        Binding("m", "export('markdown')", "Export Markdown"),
        Binding("j", "export('json')", "Export JSON"),
        Binding("escape", "library", "Library"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        session = self.session
        certification = getattr(session.recorder, "certification", None)
        yield Header()
        with VerticalScroll(id="debrief"):
            yield Static(score_text(session), id="score")
            if certification is not None:
                verdict = "PASSED" if certification["passed"] else "NOT PASSED"
                text = Text()
                text.append(f"Certification: {verdict}", style="bold")
                for reason in certification.get("reasons", []):
                    text.append(f"\n  - {reason}")
                yield Static(text, id="certification")
            yield Static(criteria_table(session), id="criteria")
            if len(session.turns) > 1:
                with Horizontal(id="charts"):
                    yield Static("Patience", classes="chart-label")
                    yield Sparkline([t.state.patience for t in session.turns], id="patience")
                    yield Static("Openness", classes="chart-label")
                    yield Sparkline([t.state.openness for t in session.turns], id="openness")
            yield Static(turns_text(session), id="best-worst")
            yield Static(missed_text(session), id="missed")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.session.setup.scenario.title
        self.sub_title = "debrief"

    def action_retry(self) -> None:
        """Practice again at once; another attempt goes through the briefing, which says
        which attempt it would be and asks before using it."""
        from trainer.tui.screens.briefing import BriefingScreen
        from trainer.tui.screens.conversation import ConversationScreen

        setup, mode = self.session.setup, self.session.mode
        if mode == "certification":
            self.app.switch_screen(BriefingScreen(setup, mode))
        else:
            self.app.switch_screen(ConversationScreen(setup, mode))

    def action_library(self) -> None:
        self.app.pop_screen()

    def action_export(self, fmt: str) -> None:
        from trainer.reports.session_export import session_json, session_markdown
        from trainer.tui.context import app_context

        context = app_context(self.app)
        stored = context.store.find_session(self.session.id, context.trainee)
        persona = self.session.setup.persona
        facts = {f.id: f.fact for f in persona.hidden_facts}
        if fmt == "json":
            body = session_json(stored)
        else:
            body = session_markdown(stored, facts, buyer_name=persona.name)
        suffix = "json" if fmt == "json" else "md"
        path = (
            Path.cwd() / f"trainer-{self.session.setup.scenario.id}-{self.session.id[:8]}.{suffix}"
        )
        path.write_text(body, encoding="utf-8")
        self.notify(f"Saved {path}", title="Export")
