"""Past sessions, any transcript reopened read-only, and progress across attempts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trainer.errors import CannotResume
from trainer.store.errors import StoreError
from trainer.store.records import claimed_mapping
from trainer.store.repository import StoredSession
from trainer.store.restore import stored_turns
from trainer.store.signed import ShownSummary
from trainer.text import one_line, printable
from trainer.tui.context import app_context
from trainer.tui.exports import deliver_export
from trainer.tui.navigation import StartCall
from trainer.tui.widgets.chart import chart
from trainer.tui.widgets.turns import YOU, exchange_text, verdict_words

if TYPE_CHECKING:
    from trainer.reports.session_export import ExportFormat


def transcript_text(stored: StoredSession, buyer: str = "Buyer") -> Text:
    """A stored session, read back into the engine's turns (``StoreError`` if a turn
    cannot be) and shown as the call showed it."""
    turns, branches = stored_turns(stored)
    header = stored.header
    started = str(header.get("started_at") or "")[:16].replace("T", " ")
    text = Text(
        printable(f"{header.get('mode')} · started {started} UTC · {header.get('status')}") + "\n\n"
    )
    text.append(f"{buyer}: ", style="bold")
    text.append(printable(str(header.get("opening") or "")) + "\n")
    for turn in turns:
        a = turn.assessment
        text.append("\n")
        text.append_text(exchange_text(turn, buyer, you=f"{turn.index}. {YOU}"))
        text.append(f"   {verdict_words(a)} · tip: {printable(a.tip)}\n", style="dim")
    for number, branch in enumerate(branches, start=1):
        text.append(f"\nAbandoned branch {number}:\n", style="bold italic")
        for turn in branch.turns:
            text.append(f"  {turn.index}. {printable(turn.seller)}\n", style="italic")
    outcome = claimed_mapping(header.get("outcome"))
    if outcome:
        text.append(printable(f"\nScore {outcome.get('score')}/100\n"), style="bold")
    return text


class TranscriptScreen(Screen[None]):
    """One stored session, read-only."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("m", "export('markdown')", "Export Markdown"),
        Binding("j", "export('json')", "Export JSON"),
    ]

    def __init__(self, stored: StoredSession) -> None:
        super().__init__()
        self.stored = stored

    def action_export(self, fmt: ExportFormat) -> None:
        """The session as ``trainer export`` writes it, into the exports folder (hosted,
        to the browser as a download)."""
        context = app_context(self.app)
        deliver_export(self, context, context.export(self.stored, fmt))

    def compose(self) -> ComposeResult:
        library = app_context(self.app).library
        persona = library.personas.get(str(self.stored.header.get("persona")))
        buyer = persona.persona.name.split()[0] if persona else "Buyer"
        yield Header()
        with VerticalScroll(id="transcript-view"):
            yield Static(transcript_text(self.stored, buyer))
        yield Footer()

    def on_mount(self) -> None:
        self.title = str(self.stored.header.get("title") or "Transcript")
        self.sub_title = "read-only"


class HistoryScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open", "Open", priority=True),
        Binding("r", "resume", "Resume"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f1", "app.help", "Help"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="history"):
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield Static(id="progress-label")
            yield Static(id="progress")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "History"
        self.sub_title = app_context(self.app).trainee
        table = self.query_one(DataTable)
        table.add_column("Started (UTC)", width=16)
        table.add_column("Scenario", width=max(16, self.app.size.width - 58))
        table.add_columns("Mode", "Status", "Turns", "Score")
        self.summaries: list[ShownSummary] = list(reversed(app_context(self.app).history()))
        for summary in self.summaries:
            score = summary.get("score")
            # Text cells, cleaned: an index file's values are shown, never run as markup
            table.add_row(
                Text(one_line(str(summary.get("started_at") or "")[:16].replace("T", " "))),
                Text(
                    one_line(str(summary.get("title") or summary.get("scenario"))),
                    overflow="ellipsis",
                    no_wrap=True,
                ),
                Text(one_line(str(summary.get("mode")))),
                Text(
                    "not confirmed"  # the files disagree with the signed record
                    if summary.get("confirmed") == "mismatch"
                    else one_line(str(summary.get("status")))
                ),
                Text(one_line(str(summary.get("turns", 0)))),
                "-" if score is None else Text(one_line(str(score))),
                key=str(summary.get("id")),
            )
        self.show_progress()
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_progress()

    def show_progress(self) -> None:
        """Scores of every attempt at the highlighted scenario, oldest first."""
        table = self.query_one(DataTable)
        label = self.query_one("#progress-label", Static)
        if not self.summaries:
            label.update(Text("No sessions yet. Practise a scenario from the library."))
            return
        chosen = self.summaries[min(table.cursor_row, len(self.summaries) - 1)]
        scores = [
            score  # history() gives an int or None
            for s in reversed(self.summaries)
            if s.get("scenario") == chosen.get("scenario") and (score := s.get("score")) is not None
        ]
        label.update(
            Text(
                one_line(f"Scores at {chosen.get('title')}:")
                + " "
                + (", ".join(map(str, scores)) or "-")
            )
        )
        progress = self.query_one("#progress", Static)
        progress.display = len(scores) > 1  # one attempt is a number, not a trend
        progress.update(chart("Score", scores, x_label="attempts"))

    def highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.summaries:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    def action_open(self) -> None:
        key = self.highlighted()
        if key is None:
            return
        context = app_context(self.app)
        try:
            stored = context.store.find_session(key, context.trainee)
            stored_turns(stored)  # a turn a hand-edit broke is a message, not a traceback
        except StoreError as exc:
            self.notify(printable(str(exc)), title="Open", severity="warning")
            return
        self.app.push_screen(TranscriptScreen(stored))

    def action_resume(self) -> None:
        """Go on with an interrupted call (a closed terminal, a crash, Ctrl+Q) from its
        last turn, as ``trainer resume`` does."""
        key = self.highlighted()
        if key is None:
            return
        try:
            session, notes = app_context(self.app).resume_session(key)
        except (CannotResume, StoreError) as exc:
            self.notify(printable(str(exc)), title="Resume", severity="warning")
            return
        self.post_message(StartCall(session.setup, session.mode, session, tuple(notes)))
