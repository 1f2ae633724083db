"""After the call: the score and its working, each criterion, patience and openness over
the turns, the best and worst turns with the reason, the facts missed, export, retry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from trainer.engine.highlights import best_turn, weakest_turn
from trainer.engine.ports import ENDINGS
from trainer.engine.score_words import score_parts
from trainer.engine.session import Session
from trainer.engine.unearned import Unearned, stand_in
from trainer.sessions.recording import certification_of
from trainer.text import criterion_average, printable
from trainer.tui.causes import why
from trainer.tui.context import app_context
from trainer.tui.exports import deliver_export
from trainer.tui.navigation import OpenBriefing, StartCall
from trainer.tui.widgets.chart import chart, side_by_side
from trainer.words import plural

if TYPE_CHECKING:
    from trainer.reports.session_export import ExportFormat


def unearned(session: Session) -> Unearned:
    """The facts this call did not earn: what a hosted debrief never names."""
    return Unearned(session.missed_facts)


def score_text(session: Session, hosted: bool = False) -> Text:
    """The score and its working; ``hosted``, an objective not met names no fact."""
    breakdown = session.score()
    lines = score_parts(breakdown)
    if hosted:
        lines = unearned(session).withhold_all(lines)
    text = Text()
    text.append(f"Session score {breakdown.score}/100", style="bold")
    for line in lines:
        text.append("\n" + printable(line))
    text.append(
        f"\n{ENDINGS[session.ended_by].capitalize()} after {plural(len(session.turns), 'turn')}."
    )
    return text


def criteria_rows(session: Session) -> list[tuple[str, str, str]]:
    """Each rubric criterion's name, its average over the turns it applied to ("4.5
    (2 turns)", or "n/a" when it applied to none) and a bar, in the rubric's order."""
    breakdown = session.score()
    rows = []
    for criterion in session.setup.rubric.criteria:
        value = breakdown.criteria.get(criterion.id)
        average = criterion_average(value, breakdown.applied.get(criterion.id, 0))
        rows.append((criterion.name, average, "" if value is None else "▮" * round(value)))
    return rows


def criteria_table(session: Session) -> Table:
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("Criterion")
    table.add_column("Average", justify="right")
    table.add_column("")
    for row in criteria_rows(session):
        table.add_row(*row)
    return table


def turns_text(session: Session) -> Text:
    text = Text()
    if not session.turns:
        return Text("No turns were played.")
    best, weakest = best_turn(session.turns), weakest_turn(session.turns)
    shown = [(label, t) for label, t in (("Best turn", best), ("Weakest turn", weakest)) if t]
    for label, turn in shown:
        text.append(f"{label} ({turn.index}, good use {turn.assessment.good_use}/5): ", "bold")
        text.append(printable(turn.seller) + "\n")
        text.append(f"  why: {turn.assessment.reason}\n", style="italic")
    return text


def missed_text(session: Session, hosted: bool = False) -> Text:
    """How many facts the call learned, and each one missed with its hint; ``hosted``,
    a missed fact is its hint only (the content, and so the fact, stays on the host)."""
    missed = session.missed_facts
    text = Text(
        f"Facts you learned: {len(session.earned_facts)} of "
        f"{len(session.earned_facts) + len(missed)}\n",
        style="bold",
    )
    for fact in missed:
        if hosted:
            text.append(f"• missed: {printable(stand_in(fact))}\n")
            continue
        text.append(f"• missed: {fact.fact}")
        if fact.hint:
            text.append(f" ({fact.hint})", style="dim")
        text.append("\n")
    return text


def state_charts(session: Session, width: int = 76) -> Text:
    """Patience and openness after each turn, side by side when both fit."""
    patience = chart("Patience", [t.state.patience for t in session.turns])
    openness = chart("Openness", [t.state.openness for t in session.turns], style="green")
    together = side_by_side(patience, openness)
    if max(line.cell_len for line in together.split("\n")) <= width:
        return together
    return patience + Text("\n\n") + openness


def turn_by_turn(session: Session) -> Text:
    """What a certification attempt kept from the trainee during the call: how patience
    and openness moved on each turn, why, and what each turn learned."""
    facts = {f.id: f.fact for f in session.setup.persona.hidden_facts}
    text = Text("Turn by turn\n", style="bold")
    for turn in session.turns:
        text.append(
            f"{turn.index}. patience {turn.state.patience}, openness {turn.state.openness}: "
        )
        text.append(printable(why(turn)) + "\n")
        for fact_id in turn.disclosed_now:
            text.append(f"   learned: {printable(facts.get(fact_id, fact_id))}\n")
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
        certification = certification_of(session)
        hosted = app_context(self.app).settings.hosted
        yield Header()
        with VerticalScroll(id="debrief"):
            yield Static(score_text(session, hosted), id="score")
            if certification is not None:
                verdict = "PASSED" if certification.passed else "NOT PASSED"
                reasons = list(certification.reasons)
                if hosted:
                    reasons = unearned(session).withhold_all(reasons)
                text = Text()
                text.append(f"Certification: {verdict}", style="bold")
                for reason in reasons:
                    text.append(f"\n  - {printable(reason)}")
                yield Static(text, id="certification")
            yield Static(criteria_table(session), id="criteria")
            if len(session.turns) > 1:
                yield Static(state_charts(session), id="charts")
            yield Static(turns_text(session), id="best-worst")
            yield Static(missed_text(session, hosted), id="missed")
            if session.mode == "certification" and session.turns:
                yield Static(turn_by_turn(session), id="turn-by-turn")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.session.setup.scenario.title
        self.sub_title = "debrief"

    def action_retry(self) -> None:
        """Practice again at once; another attempt goes through the briefing, which says
        which attempt it would be and asks before using it."""
        setup, mode = self.session.setup, self.session.mode
        if mode == "certification":
            self.post_message(OpenBriefing(setup, mode, replace=True))
        else:
            self.post_message(StartCall(setup, mode))

    def action_library(self) -> None:
        self.app.pop_screen()

    def action_export(self, fmt: ExportFormat) -> None:
        """The session as ``trainer export`` writes it, into the exports folder (hosted,
        to the browser as a download)."""
        context = app_context(self.app)
        stored = context.store.find_session(self.session.id, context.trainee)
        deliver_export(self, context, context.export(stored, fmt))
