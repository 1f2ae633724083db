"""The one source of truth for certification results: the ledger, and who agrees with it.

A trainee's index and session files sit in a folder the trainee can write to on a shared
store, so what they say about a certification is a claim. The ledger's records are
hash-chained and, with an organisation key, signed: they are what a report, a listing or
an export believes about a certification's trainee, scenario, score, verdict and attempt.
This module reads the ledger once, checks each record's hash, signature and place in the
chain, and compares any claim (an index entry, a session header) with the record of its
session. A claim that disagrees is never shown as passed; ``trainer verify`` names it.

Reports read only the ledger and the indexes (no transcript is opened); ``verify`` also
hashes transcripts and checks content (``verify.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from trainer.config import ORG_KEY
from trainer.store.layout import trainee_key, trainee_slug
from trainer.store.ledger import GENESIS, Head, Ledger, head_value, key_id, record_hash, sign
from trainer.store.records import LedgerRecord, SessionHeader, SummaryRecord, claimed_mapping
from trainer.store.repository import Store
from trainer.words import plural

FINISHED = ("ended", "closed")
RUN_VERIFY = "run trainer verify"

Standing = Literal["signed", "chained", "mismatch", "unsigned"]
"""What a result rests on: ``signed`` (matches its ledger record, signed with the
organisation key), ``chained`` (matches its record; no key, so hash-chained only),
``mismatch`` (disagrees with the ledger, or the ledger does not check out) and
``unsigned`` (practice or unfinished: nothing in the ledger vouches for it)."""


@dataclass(frozen=True)
class Finding:
    """One thing wrong, tied to a record, a session or the ledger as a whole."""

    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


@dataclass(frozen=True)
class Difference:
    """A field where a trainee's file says something other than the ledger."""

    field: str
    ledger: object
    file: object


@dataclass(frozen=True)
class Confirmation:
    """What can be said about one session's result, and the record it rests on."""

    standing: Standing
    record: LedgerRecord | None = None
    message: str | None = None
    differences: tuple[Difference, ...] = ()

    @property
    def confirmed(self) -> bool:
        return self.standing in ("signed", "chained")

    @property
    def passed(self) -> bool:
        """A pass only the ledger vouches for, with nothing in the files disagreeing."""
        return self.confirmed and self.record is not None and self.record.get("passed") is True

    def applied(self, summary: SummaryRecord) -> ShownSummary:
        """A summary as it may be shown: a certification's score, verdict and criteria
        from its ledger record, or none of them when not confirmed; with ``confirmed``
        (the standing) and ``finding`` (what is wrong, if anything)."""
        shown: ShownSummary = {**summary, "confirmed": self.standing, "finding": self.message}
        if self.confirmed and self.record is not None:
            shown["score"] = self.record.get("score")
            shown["passed"] = self.record.get("passed")
            shown["criteria"] = self.record.get("criteria")
        elif self.standing == "mismatch":
            shown["score"], shown["passed"], shown["criteria"] = None, None, {}
        else:  # practice: no verdict, and an edited index must not break a report
            shown["score"] = _number(summary.get("score"))
            shown["passed"] = None
            shown["criteria"] = _scores(summary.get("criteria"))
        return shown


class ShownSummary(SummaryRecord):
    """An index entry as a listing or report may show it (``Confirmation.applied``)."""

    confirmed: Standing
    finding: str | None


UNSIGNED = Confirmation("unsigned")


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _scores(value: object) -> dict[str, float]:
    if not isinstance(value, dict):
        return {}
    # type() rather than isinstance: bool is not a score, and a cohort report calls this
    # for every session in the store
    return {str(k): float(v) for k, v in value.items() if type(v) in _NUMBERS}


_NUMBERS = (int, float)


def describe(record: LedgerRecord) -> str:
    return (
        f"record {str(record.get('id', '?'))[:12]} (#{record.get('seq', '?')}, "
        f"{record.get('trainee', '?')}, {record.get('scenario', '?')})"
    )


@dataclass
class SignedLedger:
    """The ledger as read once: its well-formed records in order, what is wrong with it,
    and the latest record of each session."""

    key: bytes | None
    records: list[LedgerRecord] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unsound: set[str] = field(default_factory=set)
    """Ids of records whose own hash or signature does not check out."""
    intact: bool = True
    """False when records are missing, re-linked or unreadable: a deleted rescore could
    then have hidden that a pass was superseded, so no pass is confirmed."""
    latest: dict[str, LedgerRecord] = field(default_factory=dict)

    def confirm_summary(
        self, owner: str, summary: SummaryRecord | Mapping[str, object]
    ) -> Confirmation:
        """An index entry (``owner`` is the name its folder's index gives) against the
        ledger."""
        if summary.get("mode") != "certification" and str(summary.get("id")) not in self.latest:
            return UNSIGNED  # practice, with no record to compare: most of a cohort report
        claims: list[tuple[str, object]] = [
            ("trainee", owner),
            ("scenario", summary.get("scenario")),
            ("mode", summary.get("mode")),
            ("attempt", summary.get("attempt")),
            ("score", summary.get("score")),
            ("passed", summary.get("passed")),
            ("record", summary.get("record")),
        ]
        if summary.get("trainee") is not None:
            claims.insert(1, ("trainee", summary.get("trainee")))
        return self._confirm(summary, claims, None)

    def confirm_header(
        self, folder: str, header: SessionHeader | Mapping[str, object]
    ) -> Confirmation:
        """A session file's header (``folder`` is the trainee folder it sits in) against
        the ledger."""
        outcome = claimed_mapping(header.get("outcome"))
        certification = claimed_mapping(header.get("certification"))
        claims: list[tuple[str, object]] = [
            ("trainee", header.get("trainee")),
            ("scenario", header.get("scenario")),
            ("mode", header.get("mode")),
            ("attempt", header.get("attempt")),
            ("seed", header.get("seed")),
            ("outcome.score", outcome.get("score")),
            ("certification.passed", certification.get("passed")),
            ("certification.record", certification.get("record")),
        ]
        return self._confirm(header, claims, folder)

    def _confirm(
        self, claim: Mapping[str, object], claims: list[tuple[str, object]], folder: str | None
    ) -> Confirmation:
        if claim.get("status") not in FINISHED:
            return UNSIGNED  # nothing is claimed of an unfinished session yet
        record = self.latest.get(str(claim.get("id")))
        if record is None:
            if claim.get("mode") == "certification":
                return Confirmation("mismatch", message=f"has no signed record; {RUN_VERIFY}")
            return UNSIGNED
        differences = tuple(
            Difference(name, _ledger_value(record, name), value)
            for name, value in claims
            if (name not in RECORDED_SINCE or name in record)
            and not _same(name, _ledger_value(record, name), value)
        )
        if folder is not None and folder != trainee_slug(str(record.get("trainee"))):
            differences = (
                Difference("folder", trainee_slug(str(record.get("trainee"))), folder),
                *differences,
            )
        if differences:
            fields = ", ".join(dict.fromkeys(d.field for d in differences))
            return Confirmation(
                "mismatch",
                record,
                f"does not match the signed record; {RUN_VERIFY} (differs in: {fields})",
                differences,
            )
        if not self.intact:
            return Confirmation(
                "mismatch",
                record,
                f"cannot be confirmed: the certification ledger does not check out; {RUN_VERIFY}",
            )
        if str(record.get("id")) in self.unsound:
            return Confirmation(
                "mismatch", record, f"its signed record does not check out; {RUN_VERIFY}"
            )
        return Confirmation("signed" if self.key is not None else "chained", record)


RECORDED_SINCE = frozenset({"seed"})
"""Fields records hold only since they were added: a record made before has none (its
hash covers that), so a claim is not compared with it on them."""

LEDGER_FIELDS = {
    "outcome.score": "score",
    "certification.passed": "passed",
    "certification.record": "id",
    "record": "id",
}


def _ledger_value(record: LedgerRecord, name: str) -> object:
    if name == "mode":
        return "certification"
    return record.get(LEDGER_FIELDS.get(name, name))


def _same(name: str, ledger: object, claim: object) -> bool:
    if name == "trainee":
        return isinstance(claim, str) and trainee_key(claim) == trainee_key(str(ledger))
    if isinstance(ledger, bool) or isinstance(claim, bool):
        return ledger is claim
    return ledger == claim


def read_ledger(store: Store, ledger: Ledger) -> SignedLedger:
    """Every record, checked for its hash, signature and place in the chain, and the head.
    Reading notices (a segment moved aside, a malformed entry skipped) become findings
    too, and stay in ``store.notices`` for a front end to print."""
    signed = SignedLedger(ledger.key)
    notices_before = len(store.notices)
    with store.lock_for_reading(store.layout.ledger_lock):
        records = list(ledger.records(raw=True))
        try:
            head: Head | None = ledger.read_head()
            head_problem = None
        except Exception as exc:  # an unreadable head is a finding, not a crash
            head, head_problem = None, str(exc)
    for notice in store.notices[notices_before:]:
        signed.findings.append(Finding("ledger", notice))
        signed.intact = False
    signed.records = records
    _check_records(signed)
    if head_problem is not None:
        signed.findings.append(Finding("ledger head", f"unreadable: {head_problem}"))
        signed.intact = False
    else:
        _check_head(signed, head)
    for record in records:
        signed.latest[str(record.get("session"))] = record
    return signed


def _check_records(signed: SignedLedger) -> None:
    key = signed.key
    if key is None and any(r.get("signature") for r in signed.records):
        signed.findings.append(
            Finding(
                "ledger",
                f"records are signed but no organisation key is set ({ORG_KEY.name} or "
                "org_key in the config), so their signatures cannot be checked",
            )
        )
    expected_seq, expected_prev = 1, GENESIS
    for record in signed.records:
        subject = describe(record)

        def fail(
            message: str,
            subject: str = subject,
            record_id: str = str(record.get("id")),
            chain: bool = False,
        ) -> None:
            signed.findings.append(Finding(subject, message))
            if chain:
                signed.intact = False
            else:
                signed.unsound.add(record_id)

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
                f"{plural(missing, 'record')} missing from the chain "
                f"before it (#{expected_seq}..#{seq - 1})",
                chain=True,
            )
        elif record.get("prev") != expected_prev:
            fail(
                "the chain is broken here: the record before it was altered or replaced", chain=True
            )
        expected_seq = (seq if isinstance(seq, int) else expected_seq) + 1
        expected_prev = str(record.get("hash"))


def _check_head(signed: SignedLedger, head: Head | None) -> None:
    records = signed.records
    last = records[-1] if records else None

    def fail(subject: str, message: str) -> None:
        signed.findings.append(Finding(subject, message))
        signed.intact = False

    if head is None:
        if last is not None and not _head_matches(Head(0, GENESIS), last):
            fail(
                "ledger head",
                "head.json is missing, so deletions at the end of the chain cannot be ruled out",
            )
        return
    if signed.key is not None and head.signature != sign(signed.key, head_value(head)):
        fail("ledger head", "its signature does not match")
    for rebuild in head.rebuilt:
        # Named by verify, but no reason to doubt every pass: a rebuild follows damage
        # (a kill, a lost file); the records before it still check out one by one.
        signed.findings.append(
            Finding(
                "ledger head",
                f"head.json was rebuilt from the chain at {rebuild.get('at')} after record "
                f"#{rebuild.get('after')} (it {rebuild.get('why')}); records removed from "
                "the end of the chain before then cannot be ruled out",
            )
        )
    last_seq = _seq(last) if last else 0
    if head.seq > last_seq:
        missing = head.seq - last_seq
        fail(
            "ledger",
            f"{plural(missing, 'record')} missing from the end of the "
            f"chain (#{last_seq + 1}..#{head.seq})",
        )
    elif last is not None and not _head_matches(head, last):
        fail("ledger head", f"does not match the last record (#{last_seq})")


def _seq(record: LedgerRecord) -> int:
    seq = record.get("seq")
    return seq if isinstance(seq, int) else 0


def _head_matches(head: Head, last: LedgerRecord) -> bool:
    if head.seq == last.get("seq"):
        return head.hash == last.get("hash")
    # A crash between writing the last record and the head leaves the head one behind.
    return head.seq == _seq(last) - 1 and head.hash == last.get("prev")


__all__ = [
    "RUN_VERIFY",
    "UNSIGNED",
    "Confirmation",
    "Difference",
    "Finding",
    "SignedLedger",
    "Standing",
    "describe",
    "read_ledger",
]
