"""Ending a recorded session without playing on: ``trainer close`` (it counts, and an
attempt closed this way does not pass), and recording the end of a call that had ended
before the process died (``trainer resume`` and History find those)."""

from __future__ import annotations

from trainer.engine.session import Session
from trainer.sessions.outcome import CertificationOutcome
from trainer.store.recorder import StoreRecorder
from trainer.store.records import Status


def close_session(session: Session) -> CertificationOutcome | None:
    """Mark a restored session closed as it stands; an attempt is judged and its record
    chained into the ledger. The attempt's outcome, or None for practice."""
    return _finish(session, "closed")


def record_ended(session: Session) -> CertificationOutcome | None:
    """Save the result of a restored call that had already ended (found again in the
    ledger, not chained twice, if an earlier run got that far)."""
    return _finish(session, "ended")


def _finish(session: Session, status: Status) -> CertificationOutcome | None:
    recorder = session.recorder
    if not isinstance(recorder, StoreRecorder):
        raise TypeError("only a session restored from the store can be closed or finished")
    recorder.finish(session, status)
    recorded = recorder.certification
    return None if recorded is None else CertificationOutcome.from_record(recorded)
