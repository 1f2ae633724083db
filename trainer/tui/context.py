"""What every screen needs from outside the TUI: content, settings, the store, sessions.

Kept apart from the widgets so that tests can hand the app a prepared context (a
temporary store, a fixed clock, a slow buyer) and so that nothing here imports Textual.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.config import Settings, Sources, resolve_settings
from trainer.content.finder import open_library
from trainer.content.library import Library, ResolvedScenario
from trainer.engine.ports import Mode
from trainer.engine.seeds import draw_certification_seed
from trainer.engine.session import Session
from trainer.llm.settings import LlmSettings, resolve_llm
from trainer.sessions.backends import BackendFactory
from trainer.sessions.ending import record_ended
from trainer.sessions.opening import open_session
from trainer.sessions.results import Results, ledger_for
from trainer.sessions.resuming import interrupted_session, resume_session
from trainer.sessions.seeding import session_seed
from trainer.store.repository import Store, StoredSession, utc_now
from trainer.store.signed import ShownSummary, read_ledger

if TYPE_CHECKING:
    from trainer.reports.session_export import ExportFormat, SessionExport


@dataclass
class AppContext:
    settings: Settings
    llm: LlmSettings
    content: list[Path] | None = None
    seed: int = 0
    """The buyer's seed for practice; a certification attempt draws its own."""
    draw_seed: Callable[[], int] = draw_certification_seed
    """Where an attempt's seed comes from; a snapshot test pins it, nothing else does."""
    clock: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = utc_now
    """Wall-clock time for stored records; tests fix it for repeatable screenshots."""
    backends: BackendFactory | None = None
    """Tests put a slow or scripted buyer here; None builds the configured backend."""
    _library: Library | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)

    @classmethod
    def from_environment(
        cls, content: list[Path] | None = None, llm: LlmSettings | None = None
    ) -> AppContext:
        """The settings from the environment and one reading of the config file; ``llm``
        when the command line already chose the backend."""
        sources = Sources.read()
        return cls(
            settings=resolve_settings(sources=sources),
            llm=llm or resolve_llm(sources=sources),
            content=content,
        )

    @property
    def library(self) -> Library:
        if self._library is None:
            self._library = open_library(self.content)
        return self._library

    def reload_library(self) -> Library:
        self._library = None
        return self.library

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.settings.store, now=self.now)
        return self._store

    @property
    def trainee(self) -> str:
        return self.settings.trainee

    def history(self) -> list[ShownSummary]:
        """The trainee's sessions as a listing may show them: a certification's score and
        verdict are the ledger's, and values an edited index holds are dropped."""
        signed = read_ledger(self.store, ledger_for(self.store, self.settings.org_key))
        return [
            signed.confirm_summary(self.trainee, s).applied(s)
            for s in self.store.sessions(self.trainee)
        ]

    def results(self) -> Results:
        """Where this trainee's sessions are recorded."""
        ledger = ledger_for(self.store, self.settings.org_key)
        return Results(self.store, ledger, self.trainee, self.settings.hosted)

    def export(self, stored: StoredSession, fmt: ExportFormat) -> SessionExport:
        """A stored session as ``trainer export`` writes it (the ledger's word on a
        certification included), for the debrief and History to save."""
        # imported here: bare `trainer` loads no report code before the library shows
        from trainer.reports.session_export import export_session

        ledger = ledger_for(self.store, self.settings.org_key)
        return export_session(
            self.store, ledger, stored, fmt, lambda: self.library, self.settings.hosted
        )

    def resume_session(self, session_id: str) -> tuple[Session, list[str]]:
        """An interrupted session of this trainee, claimed and restored as ``trainer
        resume`` restores it, with notes for the trainee; ``CannotResume`` says why not.
        A call that had ended before the process died has its result recorded now."""
        stored = interrupted_session(self.store, session_id, self.trainee, held_here=False)
        results = self.results()
        resumed = resume_session(
            results.store,
            results.ledger,
            stored,
            self.library.resolve,
            self.llm,
            backends=self.backends,
            clock=self.clock,
        )
        notes = ["The scenario has changed since this session began."] if resumed.changed else []
        if resumed.session.over:
            record_ended(resumed.session)
        return resumed.session, notes

    def new_session(self, setup: ResolvedScenario, mode: Mode) -> Session:
        """A new recorded session: the practice seed, or a fresh draw for an attempt."""
        chosen = None if mode == "certification" else self.seed
        seed = session_seed(mode, chosen, self.draw_seed)
        return open_session(
            setup,
            mode,
            seed,
            llm=self.llm,
            results=self.results(),
            backends=self.backends,
            clock=self.clock,
        )


def app_context(app: object) -> AppContext:
    """The context of the running trainer app (screens reach it through ``self.app``)."""
    context = getattr(app, "context", None)
    if not isinstance(context, AppContext):
        raise RuntimeError("the screen is not running inside the trainer app")
    return context
