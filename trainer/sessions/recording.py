"""What a front end may read of a recorded session: who it is recorded for, where, which
attempt it is and, once a certification attempt has ended, its outcome.

A session's recorder is the engine's ``Recorder`` port; only this module knows that a
recorded session's is the store's, so front ends never downcast it or ``getattr`` it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.engine.session import Session
from trainer.sessions.outcome import CertificationOutcome
from trainer.store.recorder import StoreRecorder
from trainer.store.repository import Store


@dataclass(frozen=True)
class Recording:
    """A live view of a session's record in the store (read when asked, so an outcome
    set when the call ends is seen by a view taken before)."""

    _recorder: StoreRecorder

    @property
    def trainee(self) -> str:
        return self._recorder.trainee

    @property
    def store(self) -> Store:
        """The store it is saved in (for its notices: files moved aside, indexes rebuilt)."""
        return self._recorder.store

    @property
    def saved_in(self) -> Path:
        return self._recorder.store.root

    @property
    def attempt(self) -> int | None:
        """Which certification attempt this is (the store counts it when the call
        starts); None for practice, or before the call has started."""
        attempt = self._recorder.header.get("attempt")
        return attempt if isinstance(attempt, int) else None

    @property
    def certification(self) -> CertificationOutcome | None:
        """The outcome of a certification attempt once it has ended and been recorded."""
        recorded = self._recorder.certification
        return None if recorded is None else CertificationOutcome.from_record(recorded)


def recording(session: Session) -> Recording | None:
    """The session's record in the store, or None when it is not recorded
    (``--no-record``, a scenario test, a preview)."""
    recorder = session.recorder
    return Recording(recorder) if isinstance(recorder, StoreRecorder) else None


def certification_of(session: Session) -> CertificationOutcome | None:
    """The recorded outcome of a certification attempt that has ended, else None."""
    recorded = recording(session)
    return None if recorded is None else recorded.certification
