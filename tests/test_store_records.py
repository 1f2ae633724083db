"""The store's record types describe the files key for key, and typing them changed no byte.

The fixture is the store written before the types existed (``test_store_written_before``):
each kind of record in it has exactly its TypedDict's keys in the written order, and each
goes through this trainer's writer (or reader and writer) back to the same bytes. A claim
of the wrong type in a hand-edited index or header is read as it was before: no
traceback, never a pass.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, cast

import pytest

from trainer.engine.records import TurnRecord, turn_from_record, turn_record
from trainer.store.layout import trainee_slug
from trainer.store.ledger import Ledger, record_hash
from trainer.store.records import (
    CertificationBody,
    HeadRecord,
    LedgerRecord,
    NewSession,
    OutcomeRecord,
    SessionHeader,
    SummaryRecord,
    TraineeRecord,
    claimed_ending,
    claimed_int,
    claimed_mapping,
    claimed_text,
)
from trainer.store.repository import STORE_KEYS, Store, summary_of

FIXTURE = Path(__file__).parent / "data" / "store-2026-11-27" / "store"
ORG_KEY = b"fixture-organisation-key-0001"
CHAIN = ("at", "seq", "prev", "key_id", "hash", "signature")


def load(path: Path) -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(path.read_text(encoding="utf-8")))


def keys(kind: type, optional: bool = False) -> list[str]:
    """A TypedDict's keys in declared order (bases first); ``NotRequired`` ones only if
    asked for (annotations are strings here, so they are told apart by name)."""
    found = {k: getattr(v, "__forward_arg__", str(v)) for k, v in kind.__annotations__.items()}
    return [k for k, v in found.items() if optional or not v.startswith("NotRequired")]


def session_files() -> list[Path]:
    return sorted(FIXTURE.glob("trainees/*/sessions/*.json"))


def index_files() -> list[Path]:
    return sorted(FIXTURE.glob("trainees/*/index.json"))


def ledger_records() -> list[dict[str, Any]]:
    table = load(FIXTURE / "certification" / "ledger-000001.json")["records"]
    return [table[k] for k in sorted(table, key=int)]


def dumped(value: object) -> str:
    """What the store's files hold: ``json.dumps`` as TinyDB writes it (insertion order)."""
    return json.dumps(value)


# ------------------------------------------------------------------ the types are the files


def test_every_record_kind_has_its_types_keys_in_the_order_written() -> None:
    for path in session_files():
        data = load(path)
        header = data["session"]["1"]
        assert list(header) == keys(SessionHeader), path
        if header["outcome"] is not None:
            assert list(header["outcome"]) == keys(OutcomeRecord), path
        for turn in data["turns"].values():
            assert list(turn) == [*STORE_KEYS, *keys(TurnRecord)], path
    for path in index_files():
        index = load(path)
        assert list(index["trainee"]["1"]) == keys(TraineeRecord)
        for summary in index["sessions"].values():
            assert list(summary) == keys(SummaryRecord), path
    body = [k for k in keys(CertificationBody)]
    for record in ledger_records():
        assert list(record) == ["v", "id", *body, *CHAIN]
        assert set(keys(LedgerRecord, optional=True)) == set(record)
    head = load(FIXTURE / "certification" / "head.json")
    assert list(head) == keys(HeadRecord)


# ------------------------------------------------------------------ round trips keep the bytes


def test_a_turn_read_into_the_engine_and_written_again_is_the_same_bytes() -> None:
    turns = 0
    for path in session_files():
        for stored in load(path)["turns"].values():
            engine = {k: v for k, v in stored.items() if k not in STORE_KEYS}
            assert dumped(turn_record(turn_from_record(engine))) == dumped(engine), path
            turns += 1
    assert turns >= 10


def test_an_index_entry_is_what_summary_of_writes_for_its_header() -> None:
    for path in session_files():
        header = load(path)["session"]["1"]
        index = load(path.parent.parent / "index.json")
        (entry,) = [s for s in index["sessions"].values() if s["id"] == header["id"]]
        assert dumped(summary_of(cast(SessionHeader, header))) == dumped(entry), path


def test_the_ledger_chained_again_from_its_bodies_is_the_same_bytes(tmp_path: Path) -> None:
    """Each record's body appended to an empty ledger under the same key gives the very
    same record (hash, signature and all) and the same head file."""
    store = Store.open(tmp_path / "store")
    ledger = Ledger(store, ORG_KEY)
    for record in ledger_records():
        body = {k: v for k, v in record.items() if k not in ("v", *CHAIN[1:])}
        again = ledger.append(cast(CertificationBody, body))
        assert dumped(again) == dumped(record)
        assert record_hash(again) == record["hash"]
    written = tmp_path / "store" / "certification"
    assert (written / "head.json").read_bytes() == (
        FIXTURE / "certification" / "head.json"
    ).read_bytes()
    assert load(written / "ledger-000001.json") == load(
        FIXTURE / "certification" / "ledger-000001.json"
    )


def test_a_session_begun_writes_its_keys_in_the_typed_order(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store", host="here", pid=1)
    new: NewSession = {
        "id": "ab" * 16,
        "trainee": "Ana",
        "mode": "practice",
        "scenario": "s",
        "title": "S",
        "persona": "p",
        "content_hashes": {},
        "backend": {"backend": "offline"},
        "seed": 7,
        "opening": "Hello.",
        "ended_by": None,
        "ended_at": None,
        "attempt": None,
        "outcome": None,
        "certification": None,
    }
    header = store.begin_session(new)
    on_disk = load(store.layout.session(trainee_slug("Ana"), new["id"]))["session"]["1"]
    assert list(on_disk) == keys(SessionHeader) == list(header)
    (summary,) = store.sessions("Ana")
    assert list(summary) == keys(SummaryRecord)


# ------------------------------------------------------------------ claims of the wrong type


@pytest.mark.parametrize(
    ("value", "number", "text", "ending"),
    [
        (None, None, None, None),
        (3, 3, None, None),
        (True, None, None, None),
        ("3", None, "3", None),
        ("buyer", None, "buyer", "buyer"),
        ("BUYER", None, "BUYER", None),
        (["agreement"], None, None, None),
        ({"x": 1}, None, None, None),
    ],
)
def test_checked_readers_answer_none_for_a_value_of_the_wrong_type(
    value: object, number: int | None, text: str | None, ending: str | None
) -> None:
    assert claimed_int(value) == number
    assert claimed_text(value) == text
    assert claimed_ending(value) == ending
    assert claimed_mapping(value) == (value if isinstance(value, dict) else {})


def edited_store(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    shutil.copytree(FIXTURE, root)
    return root


def test_an_index_entry_of_the_wrong_types_is_listed_without_a_traceback_or_a_pass(
    tmp_path: Path,
) -> None:
    from trainer.cli.sessions import session_row
    from trainer.store.signed import read_ledger

    root = edited_store(tmp_path)
    (index,) = root.glob("trainees/bo-*/index.json")
    data = load(index)
    for summary in data["sessions"].values():
        summary.update(score="100", passed="yes", owner="someone", status=["ended"], turns={"n": 1})
    index.write_text(json.dumps(data), encoding="utf-8")
    store = Store.open(root, read_only=True)
    signed = read_ledger(store, Ledger(store, ORG_KEY))
    summaries = store.sessions("bo")
    assert summaries and all(str(s["passed"]) == "yes" for s in summaries)  # read as it is
    for summary in summaries:
        shown = signed.confirm_summary("bo", summary).applied(summary)
        assert shown["passed"] is not True
        assert "passed" not in session_row(shown).replace("not passed", "")


def test_an_owner_that_is_not_an_object_reads_as_interrupted(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store", host="here", pid=1)
    assert store.live_status({"status": "open", "owner": "here"}) == "interrupted"
    assert not store.owned_elsewhere({"status": "open", "owner": ["here", 1]})
    assert store.live_status({"status": "open", "owner": {"host": "here", "pid": 1}}) == (
        "in progress"
    )


def test_summary_of_a_header_with_nested_claims_of_the_wrong_type(tmp_path: Path) -> None:
    header = {"id": "cd" * 16, "status": "ended", "outcome": "99", "certification": [True]}
    summary = summary_of(header)
    assert (summary["score"], summary["passed"], summary["record"]) == (None, None, None)
    assert summary["trainee"] is None and summary["turns"] == 0  # missing keys read None
