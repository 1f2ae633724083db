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

from trainer.config import Settings, Sources, resolve_settings
from trainer.content.finder import open_library
from trainer.content.library import Library, ResolvedScenario
from trainer.engine.ports import Assessor, Buyer, Mode
from trainer.engine.seeds import draw_certification_seed
from trainer.engine.session import Session
from trainer.errors import TrainerError
from trainer.llm.backends import make_backends
from trainer.llm.settings import LlmSettings, resolve_llm
from trainer.store.ledger import Ledger
from trainer.store.recorder import StoreRecorder
from trainer.store.repository import Store, utc_now
from trainer.store.restore import claim
from trainer.store.signed import ShownSummary, read_ledger

BackendFactory = Callable[[ResolvedScenario, int], tuple[Buyer, Assessor]]


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
        signed = read_ledger(self.store, Ledger(self.store, self.settings.org_key))
        return [
            signed.confirm_summary(self.trainee, s).applied(s)
            for s in self.store.sessions(self.trainee)
        ]

    def resume_session(self, session_id: str) -> tuple[Session, list[str]]:
        """An interrupted session of this trainee, claimed and restored as ``trainer
        resume`` restores it, with notes for the trainee; ``CannotResume`` says why not."""
        store = self.store
        stored = store.find_session(session_id, self.trainee)
        status = store.live_status(stored.header)
        if store.owned_elsewhere(stored.header):
            raise CannotResume("this session is being played by another trainer window")
        if status != "interrupted":
            raise CannotResume(f"only an interrupted session can be resumed; this one is {status}")
        header = stored.header
        try:
            setup = self.library.resolve(str(header["scenario"]))
        except KeyError:
            raise CannotResume(
                f"the scenario {header['scenario']} is no longer in the library"
            ) from None
        changed = setup.content_hashes != header.get("content_hashes")
        certification = header.get("mode") == "certification"
        if changed and certification:
            raise CannotResume(
                "the scenario changed since this attempt began, so it cannot go on "
                f"(`trainer close {stored.id[:8]}` ends it)"
            )
        claimed = claim(store, Ledger(store, self.settings.org_key), stored)
        mode: Mode = "certification" if certification else "practice"
        session = self._session(setup, mode, claimed.recorder, claimed.seed)
        session.id = stored.id
        opening = str(claimed.header.get("opening") or "")
        session.restore(opening, claimed.turns, claimed.branches, claimed.ended_by)
        notes = ["The scenario has changed since this session began."] if changed else []
        if session.over:  # it ended before the process died: record that now
            claimed.recorder.finish(session, "ended")
        return session, notes

    def new_session(self, setup: ResolvedScenario, mode: Mode) -> Session:
        seed = self.draw_seed() if mode == "certification" else self.seed
        recorder = StoreRecorder(
            self.store,
            Ledger(self.store, self.settings.org_key),
            self.trainee,
            {**self.llm.describe(), "seed": seed},
            seed,
        )
        return self._session(setup, mode, recorder, seed)

    def _session(
        self, setup: ResolvedScenario, mode: Mode, recorder: StoreRecorder, seed: int
    ) -> Session:
        if self.backends is not None:
            buyer, assessor = self.backends(setup, seed)
        else:
            buyer, assessor = make_backends(self.llm, seed, mode)
        return Session(setup, buyer, assessor, recorder=recorder, mode=mode, clock=self.clock)


class CannotResume(TrainerError):
    """This session cannot go on from History; the message says why, in words."""


def app_context(app: object) -> AppContext:
    """The context of the running trainer app (screens reach it through ``self.app``)."""
    context = getattr(app, "context", None)
    if not isinstance(context, AppContext):
        raise RuntimeError("the screen is not running inside the trainer app")
    return context
