"""Keeping a rescore: the store writes the new summary, and for a certification a new
ledger record that supersedes the old one (which stays). Written here, beside the
recorder that writes the first ones, so no front end writes ledger or store records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trainer.engine.certification import CertificationResult
from trainer.engine.records import turn_record
from trainer.engine.scoring import ScoreBreakdown
from trainer.engine.session import Turn
from trainer.store.ledger import Ledger
from trainer.store.recorder import certification_body, outcome_from
from trainer.store.repository import Store, StoredSession


def keep_rescore(
    store: Store,
    ledger: Ledger,
    stored: StoredSession,
    new: ScoreBreakdown,
    turns: list[Turn],
    certification: CertificationResult | None,
    content_hashes: dict[str, str],
) -> str | None:
    """Keep a session's new score: a new ledger record for certification, then the new
    summary. The new record's id, or None for practice."""
    header = stored.header
    outcome: Mapping[str, Any] = header.get("outcome") or {}
    changes: dict[str, Any] = {
        "status": header.get("status"),
        "ended_by": header.get("ended_by"),
        "ended_at": header.get("ended_at"),
        "outcome": outcome_from(
            new,
            len(turns),
            list(outcome.get("disclosed", [])),
            list(outcome.get("missed", [])),
        ),
        "rescored_with": content_hashes,
    }
    new_record = None
    if certification is not None:
        certified: Mapping[str, Any] = header.get("certification") or {}
        old = certified.get("record")
        body = certification_body(
            header,
            certification,
            new.criteria,
            [turn_record(t) for t in turns],
            content_hashes,
            supersedes=str(old) if old else None,
        )
        body["kind"] = "rescore"
        stored_record = ledger.append(body)
        new_record = str(stored_record["id"])
        changes["certification"] = {"passed": certification.passed, "record": new_record}
    store.finish_session(str(header["trainee"]), stored.id, changes)
    return new_record
