"""Checking every certification record: is it as written, all there, and still valid?

A record fails when its contents no longer match its hash, its signature does not match
the organisation key, the chain skips or re-links around it (those checks are
``signed.py``'s, shared with reports), its transcript was edited, or the scenario,
persona or rubric it was scored with has changed since (unless a later rescore under the
current content supersedes it).

Then every index entry and every session header is compared with its ledger record,
field by field (an attempt's buyer seed included), since reports must never believe a
trainee's files over the ledger: a session file copied from another trainee's folder, an
edited header or index, and a finished certification with no record are each named, as
is a file that will not read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from trainer.engine.records import transcript_digest
from trainer.store.errors import StoreError
from trainer.store.layout import trainee_slug
from trainer.store.ledger import Ledger
from trainer.store.recorder import stored_turn_records
from trainer.store.records import LedgerRecord, SessionHeader, SummaryRecord, claimed_mapping
from trainer.store.repository import Store
from trainer.store.signed import Confirmation, Finding, SignedLedger, describe, read_ledger

CurrentHashes = Callable[[str], dict[str, str] | None]
"""Scenario id → the content hashes it has now, or None if it is gone."""


@dataclass
class VerifyReport:
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def verify(store: Store, ledger: Ledger, current_hashes: CurrentHashes) -> VerifyReport:
    report = VerifyReport()
    # Sessions first, then the ledger and its head together under the ledger's lock: an
    # attempt finishing meanwhile is then either in neither snapshot or only in the
    # ledger's, never a session pointing at a record we did not read.
    everyone = _indexes(store, report)
    files = _session_files(store, report)
    notices_before = len(store.notices)
    signed = read_ledger(store, ledger)
    del store.notices[notices_before:]  # they are findings here; not printed twice
    report.findings += signed.findings
    records = signed.records

    superseded = {
        str(r.get("supersedes"))
        for r in records
        if r.get("supersedes") and current_hashes(str(r.get("scenario"))) == r.get("content_hashes")
    }
    for record in records:
        report.checked += 1
        subject = describe(record)

        def fail(message: str, subject: str = subject) -> None:
            report.findings.append(Finding(subject, message))

        now = current_hashes(str(record.get("scenario")))
        then = record.get("content_hashes")
        then = then if isinstance(then, dict) else {}
        if now is None:
            fail("its scenario is no longer in the library, so the result cannot be rechecked")
        elif now != then and str(record.get("id")) not in superseded:
            changed = ", ".join(part for part in sorted(now) if now[part] != then.get(part))
            fail(
                f"scored with content that has changed since ({changed}); "
                "run `trainer rescore --record` to score it under the current content"
            )
        _check_transcript(store, record, fail)

    _check_indexes(everyone, signed, report)
    owners = {trainee_slug(name): name for name, _ in everyone}
    _check_headers(files, signed, owners, report)
    return report


def _check_transcript(store: Store, record: LedgerRecord, fail: Callable[[str], None]) -> None:
    try:
        stored = store.find_session(str(record.get("session")), str(record.get("trainee")))
    except StoreError:
        fail("its session transcript is missing from the store")
        return
    digest = transcript_digest(str(stored.header.get("opening", "")), stored_turn_records(stored))
    if digest != record.get("transcript_sha256"):
        fail("its transcript was edited after it was scored")


def _indexes(store: Store, report: VerifyReport) -> list[tuple[str, list[SummaryRecord]]]:
    try:
        return list(store.all_sessions())
    except StoreError as exc:  # a malformed index is a finding; the session files remain
        report.findings.append(Finding("index", str(exc)))
        return []


def _session_files(store: Store, report: VerifyReport) -> list[tuple[Path, SessionHeader]]:
    """Every session file and its header (the turns of those with a ledger record are
    checked against it in ``_check_transcript``)."""
    files = []
    for path in list(store.session_files()):
        try:
            files.append((path, store.load_header(path)))
        except StoreError as exc:
            report.findings.append(Finding(f"session file {path.name}", str(exc)))
    return files


def _check_indexes(
    everyone: list[tuple[str, list[SummaryRecord]]], signed: SignedLedger, report: VerifyReport
) -> None:
    for owner, summaries in everyone:
        for summary in summaries:
            subject = f"session {str(summary.get('id'))[:12]} ({owner}, {summary.get('scenario')})"
            _name(report, subject, summary, signed.confirm_summary(owner, summary), "index", {})


def _check_headers(
    files: list[tuple[Path, SessionHeader]],
    signed: SignedLedger,
    owners: dict[str, str],
    report: VerifyReport,
) -> None:
    for path, header in files:
        folder = path.parent.parent.name
        subject = (
            f"session {str(header.get('id'))[:12]} ({header.get('trainee')}, "
            f"{header.get('scenario')}, file {folder}/{path.name})"
        )
        confirmation = signed.confirm_header(folder, header)
        _name(report, subject, header, confirmation, "session file", owners)


def _name(
    report: VerifyReport,
    subject: str,
    claim: SummaryRecord | SessionHeader,
    confirmation: Confirmation,
    where: str,
    owners: dict[str, str],
) -> None:
    """Each way a trainee's file disagrees with the ledger, as its own finding."""
    if confirmation.standing != "mismatch":
        return
    if confirmation.record is None:
        claimed = cast(Mapping[str, object], claim)
        record = claimed.get("record") or claimed_mapping(claimed.get("certification")).get(
            "record"
        )
        if record:
            message = f"its record {str(record)[:12]} is missing from the chain"
        else:
            message = "a finished certification attempt with no ledger record"
        report.findings.append(Finding(subject, f"{message} ({where})"))
        return
    for difference in confirmation.differences:
        if difference.field == "folder":
            message = (
                f"a copy: the signed record is {confirmation.record.get('trainee')}'s, but the "
                f"file is in the folder of {owners.get(str(difference.file), difference.file)}"
            )
        else:
            message = (
                f"{difference.field}: the signed record says {difference.ledger}, "
                f"the {where} says {difference.file}"
            )
        report.findings.append(Finding(subject, message))
