"""Checking every certification record: is it as written, all there, and still valid?

A record fails when its contents no longer match its hash, its signature does not match
the organisation key, the chain skips or re-links around it, its transcript was edited,
or the scenario, persona or rubric it was scored with has changed since (unless a later
rescore under the current content supersedes it). Certification sessions that ended
with no record in the ledger are named too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from trainer.engine.records import transcript_digest
from trainer.store.errors import StoreError
from trainer.store.ledger import GENESIS, Head, Ledger, head_value, key_id, record_hash, sign
from trainer.store.migrations import Record
from trainer.store.recorder import stored_turn_records
from trainer.store.repository import Store

CurrentHashes = Callable[[str], dict[str, str] | None]
"""Scenario id → the content hashes it has now, or None if it is gone."""


@dataclass(frozen=True)
class Finding:
    """One thing wrong, tied to a record (or a session, for a missing record)."""

    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


@dataclass
class VerifyReport:
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def describe(record: Record) -> str:
    return (
        f"record {str(record.get('id', '?'))[:12]} (#{record.get('seq', '?')}, "
        f"{record.get('trainee', '?')}, {record.get('scenario', '?')})"
    )


def verify(store: Store, ledger: Ledger, current_hashes: CurrentHashes) -> VerifyReport:
    report = VerifyReport()
    notices_before = len(store.notices)
    # Sessions first, then the ledger and its head together under the ledger's lock: an
    # attempt finishing meanwhile is then either in neither snapshot or only in the
    # ledger's, never a session pointing at a record we did not read.
    everyone = list(store.all_sessions())
    with store.lock_for_reading(store.layout.ledger_lock):
        records = list(ledger.records(raw=True))
        try:
            head: Head | None = ledger.read_head()
            head_problem = None
        except Exception as exc:  # an unreadable head is a finding, not a crash
            head, head_problem = None, str(exc)
    for notice in store.notices[notices_before:]:
        report.findings.append(Finding("ledger", notice))
    del store.notices[notices_before:]

    key = ledger.key
    if key is None and any(r.get("signature") for r in records):
        report.findings.append(
            Finding(
                "ledger",
                "records are signed but no organisation key is set (TRAINER_ORG_KEY or "
                "org_key in the config), so their signatures cannot be checked",
            )
        )

    superseded = {
        str(r.get("supersedes"))
        for r in records
        if r.get("supersedes") and current_hashes(str(r.get("scenario"))) == r.get("content_hashes")
    }
    expected_seq, expected_prev = 1, GENESIS
    for record in records:
        report.checked += 1
        subject = describe(record)

        def fail(message: str, subject: str = subject) -> None:
            report.findings.append(Finding(subject, message))

        seq = record.get("seq")
        if record_hash(record) != record.get("hash"):
            fail("altered: its contents no longer match its hash")
        if key is not None:
            signature = record.get("signature")
            if not signature:
                fail("unsigned: made without the organisation key, or its signature was removed")
            elif sign(key, str(record.get("hash"))) != signature:
                fail(
                    "signature does not match: altered, or signed with another key "
                    f"(signed by key {record.get('key_id')}, yours is {key_id(key)})"
                )
        if isinstance(seq, int) and seq > expected_seq:
            missing = seq - expected_seq
            fail(
                f"{missing} record{'s' if missing != 1 else ''} missing from the chain "
                f"before it (#{expected_seq}..#{seq - 1})"
            )
        elif record.get("prev") != expected_prev:
            fail("the chain is broken here: the record before it was altered or replaced")
        expected_seq = (seq if isinstance(seq, int) else expected_seq) + 1
        expected_prev = str(record.get("hash"))

        now = current_hashes(str(record.get("scenario")))
        then = record.get("content_hashes") or {}
        if now is None:
            fail("its scenario is no longer in the library, so the result cannot be rechecked")
        elif now != then and str(record.get("id")) not in superseded:
            changed = ", ".join(part for part in sorted(now) if now[part] != then.get(part))
            fail(
                f"scored with content that has changed since ({changed}); "
                "run `trainer rescore --record` to score it under the current content"
            )
        _check_transcript(store, record, fail)

    if head_problem is not None:
        report.findings.append(Finding("ledger head", f"unreadable: {head_problem}"))
    else:
        _check_head(ledger, head, records, report)
    _check_sessions_have_records(everyone, records, report)
    return report


def _check_transcript(store: Store, record: Record, fail: Callable[[str], None]) -> None:
    try:
        stored = store.find_session(str(record.get("session")), str(record.get("trainee")))
    except StoreError:
        fail("its session transcript is missing from the store")
        return
    digest = transcript_digest(str(stored.header.get("opening", "")), stored_turn_records(stored))
    if digest != record.get("transcript_sha256"):
        fail("its transcript was edited after it was scored")


def _check_head(
    ledger: Ledger, head: Head | None, records: list[Record], report: VerifyReport
) -> None:
    last = records[-1] if records else None
    if head is None:
        if last is not None and not _head_matches(Head(0, GENESIS), last):
            report.findings.append(
                Finding(
                    "ledger head",
                    "head.json is missing, so deletions at the end of the "
                    "chain cannot be ruled out",
                )
            )
        return
    if ledger.key is not None and head.signature != sign(ledger.key, head_value(head)):
        report.findings.append(Finding("ledger head", "its signature does not match"))
    for rebuild in head.rebuilt:
        report.findings.append(
            Finding(
                "ledger head",
                f"head.json was rebuilt from the chain at {rebuild.get('at')} after record "
                f"#{rebuild.get('after')} (it {rebuild.get('why')}); records removed from "
                "the end of the chain before then cannot be ruled out",
            )
        )
    last_seq = int(last["seq"]) if last else 0
    if head.seq > last_seq:
        missing = head.seq - last_seq
        report.findings.append(
            Finding(
                "ledger",
                f"{missing} record{'s' if missing != 1 else ''} missing from the end of the "
                f"chain (#{last_seq + 1}..#{head.seq})",
            )
        )
    elif last is not None and not _head_matches(head, last):
        report.findings.append(
            Finding("ledger head", f"does not match the last record (#{last_seq})")
        )


def _head_matches(head: Head, last: Record) -> bool:
    if head.seq == last.get("seq"):
        return head.hash == last.get("hash")
    # A crash between writing the last record and the head leaves the head one behind.
    return head.seq == int(last["seq"]) - 1 and head.hash == last.get("prev")


def _check_sessions_have_records(
    everyone: list[tuple[str, list[Record]]], records: list[Record], report: VerifyReport
) -> None:
    ids = {str(r.get("id")) for r in records}
    for trainee, summaries in everyone:
        for summary in summaries:
            if summary.get("mode") != "certification" or summary.get("status") not in (
                "ended",
                "closed",
            ):
                continue
            record = summary.get("record")
            subject = (
                f"session {str(summary.get('id'))[:12]} ({trainee}, {summary.get('scenario')})"
            )
            if not record:
                report.findings.append(
                    Finding(subject, "a finished certification attempt with no ledger record")
                )
            elif str(record) not in ids:
                report.findings.append(
                    Finding(subject, f"its record {str(record)[:12]} is missing from the chain")
                )
