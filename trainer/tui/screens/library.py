"""The start: every scenario with its persona, setting, difficulty, your attempts and best
score; search; files that failed to load, listed with their errors."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from trainer.content.library import ResolvedScenario
from trainer.engine.ports import Mode
from trainer.tui.context import app_context
from trainer.tui.navigation import OpenBriefing, OpenHistory, OpenSettings

COLUMNS = {"Buyer": 16, "Level": 6, "Tries": 5, "Best": 4}
"""The columns after the title, with their widths ("medium", "100")."""


class LibraryScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "start('practice')", "Practise", priority=True),
        Binding("c", "start('certification')", "Certify"),
        Binding("slash", "search", "Search"),
        Binding("h", "history", "History"),
        Binding("s", "settings", "Settings"),
        Binding("f1", "app.help", "Help"),
        Binding("q", "app.quit", "Quit", show=False),  # the footer has the app's ^q
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="library"):
            yield Input(placeholder="Search scenarios (/)", id="search")
            yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
            yield Static(id="problems")
        yield Footer()

    def on_mount(self) -> None:
        self.columns_for(self.app.size.width)
        self.fill("")
        self.query_one(DataTable).focus()

    def columns_for(self, width: int) -> None:
        """The title takes what the other columns leave (room kept for a scrollbar), so
        Level, Tries and Best stay on screen from 80 columns up, and again after the
        terminal is made smaller."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        fixed = sum(w + 2 for w in COLUMNS.values())  # each cell has one space each side
        table.add_column("Scenario", width=max(12, width - fixed - 8))
        for label, column_width in COLUMNS.items():
            table.add_column(label, width=column_width)
        self.width_used = width

    def on_resize(self) -> None:
        width = self.app.size.width
        if width != getattr(self, "width_used", width):
            table = self.query_one(DataTable)
            row = table.cursor_row
            self.columns_for(width)
            self.fill(self.query_one(Input).value)
            table.move_cursor(row=row)

    @property
    def setups(self) -> list[ResolvedScenario]:
        library = app_context(self.app).library
        return [library.resolve(sid) for sid in sorted(library.scenarios)]

    def fill(self, query: str) -> None:
        context = app_context(self.app)
        table = self.query_one(DataTable)
        table.clear()
        stats: dict[str, tuple[int, int | None]] = {}
        try:
            for summary in context.history():
                tries, best = stats.get(str(summary.get("scenario")), (0, None))
                score = summary.get("score")
                if score is not None:
                    best = score if best is None else max(best, int(score))
                stats[str(summary.get("scenario"))] = (tries + 1, best)
        except Exception as exc:  # a broken store must not hide the library
            self.notify(str(exc), title="Results store", severity="warning")
        words = query.lower().split()
        for setup in self.setups:
            scenario, persona = setup.scenario, setup.persona
            haystack = " ".join(
                [
                    scenario.id,
                    scenario.title,
                    persona.name,
                    persona.role,
                    scenario.setting,
                    scenario.difficulty,
                    scenario.summary,
                ]
            ).lower()
            if not all(word in haystack for word in words):
                continue
            tries, best = stats.get(scenario.id, (0, None))
            table.add_row(
                Text(scenario.title, overflow="ellipsis", no_wrap=True),
                Text(persona.name, overflow="ellipsis", no_wrap=True),
                scenario.difficulty,
                str(tries),
                "-" if best is None else str(best),
                key=scenario.id,
            )
        problems = context.library.problems
        text = Text()
        if problems and context.settings.hosted:
            # the content's files are the host's: a trainee is not shown their paths
            text.append(
                f"{len(problems)} file(s) could not be loaded; "
                "the host's manager can see which with trainer validate.",
                style="bold red",
            )
        elif problems:
            text.append(f"{len(problems)} file(s) could not be loaded:\n", style="bold red")
            for problem in problems:
                text.append(f"{problem}\n")
        self.query_one("#problems", Static).update(text)
        self.query_one("#problems").display = bool(problems)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def action_search(self) -> None:
        self.query_one(Input).focus()

    def selected(self) -> ResolvedScenario | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        library = app_context(self.app).library
        return library.resolve(str(key)) if key else None

    def action_start(self, mode: Mode) -> None:
        setup = self.selected()
        if setup is None:
            self.notify("No scenario matches the search.", severity="warning")
            return
        self.post_message(OpenBriefing(setup, mode))

    def action_history(self) -> None:
        self.post_message(OpenHistory())

    def action_settings(self) -> None:
        self.post_message(OpenSettings())

    def on_screen_resume(self) -> None:
        self.fill(self.query_one(Input).value)
