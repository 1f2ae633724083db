"""The results store in one process: formats, recording as played, bad files, versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from trainer.content.library import Library
from trainer.engine.records import turn_from_record, turn_record
from trainer.engine.session import Session
from trainer.offline.assessor import OfflineAssessor
from trainer.offline.buyer import OfflineBuyer
from trainer.store import migrations
from trainer.store.errors import AttemptsUsed, NewerStore, SessionNotFound, StoreError
from trainer.store.ledger import Ledger
from trainer.store.recorder import StoreRecorder
from trainer.store.repository import Store
from trainer.store.shard import QuarantinedFile

SCENARIO = "cold-call-cold-chain"
TURNS = [
    "Thanks for picking up. I'll be brief: what made you take this call?",
    "What happens on a night when a freezer alarm goes off?",
    "How do you find out today, and how long does that take?",
]


def recorded_session(
    library: Library, store: Store, trainee: str = "Ana López", mode: str = "practice"
) -> tuple[Session, StoreRecorder]:
    recorder = StoreRecorder(store, Ledger(store, None), trainee, {"buyer": "offline"}, 0)
    session = Session(
        library.resolve(SCENARIO),
        OfflineBuyer(seed=0),
        OfflineAssessor(),
        recorder=recorder,
        mode=mode,  # type: ignore[arg-type]
        clock=lambda: 1000.0,
    )
    return session, recorder


def all_json(root: Path) -> dict[Path, Any]:
    return {p: json.loads(p.read_text()) for p in root.rglob("*.json")}


async def test_each_turn_is_on_disk_when_play_returns(library: Library, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store")
    session, _ = recorded_session(library, store)
    await session.start()
    for number, text in enumerate(TURNS, start=1):
        await session.play(text)
        stored = Store.open(tmp_path / "store").find_session(session.id)
        assert [t["seller"] for t in stored.main_line()] == TURNS[:number]
        assert stored.header["status"] == "open"
    await session.end_by_seller()
    stored = store.find_session(session.id[:6])
    assert stored.header["status"] == "ended"
    outcome = stored.header["outcome"]
    assert outcome is not None and outcome["score"] == session.score().score
    assert stored.header["content_hashes"] == session.setup.content_hashes
    (summary,) = store.sessions("ana lópez")  # names compare without case
    assert summary["turns"] == 3 and summary["score"] == session.score().score
    assert summary["trainee"] == "Ana López"


async def test_turn_records_round_trip(library: Library, tmp_path: Path) -> None:
    session, _ = recorded_session(library, Store.open(tmp_path))
    await session.start()
    for text in TURNS:
        await session.play(text)
    for turn in session.turns:
        assert turn_from_record(json.loads(json.dumps(turn_record(turn)))) == turn


async def test_rewind_is_recorded_as_a_branch(library: Library, tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    session, _ = recorded_session(library, store)
    await session.start()
    for text in TURNS:
        await session.play(text)
    await session.rewind(1)
    await session.play("What would a bad night cost you?")
    stored = store.find_session(session.id)
    assert [t["index"] for t in stored.main_line()] == [1, 2]
    assert [t["seller"] for t in stored.branches()[1]] == TURNS[1:]


async def test_interrupted_session_is_shown_as_interrupted(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path)
    session, _ = recorded_session(library, store)
    await session.start()
    await session.play(TURNS[0])
    (summary,) = store.sessions("Ana López")
    assert summary["status"] == "in progress" and summary["turns"] == 1
    # The process that owns it dies (a live owner's session cannot be claimed): a pid far
    # above any running one takes it over.
    with monkeypatch.context() as patch:
        patch.setattr("trainer.store.repository._pid_alive", lambda pid: False)
        Store.open(tmp_path, pid=2**22 + 12345).claim("Ana López", session.id)
    (summary,) = store.sessions("Ana López")
    assert summary["status"] == "interrupted" and summary["turns"] == 1


async def test_certification_attempts_are_limited(library: Library, tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    allowed = library.resolve(SCENARIO).scenario.certification.attempts
    for _ in range(allowed):
        session, _ = recorded_session(library, store, mode="certification")
        await session.start()
    session, _ = recorded_session(library, store, mode="certification")
    with pytest.raises(AttemptsUsed, match=f"all {allowed} certification attempts"):
        await session.start()
    other, _ = recorded_session(library, store, trainee="Ben", mode="certification")
    await other.start()  # attempts are per trainee


async def test_certification_is_chained_into_the_ledger(library: Library, tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    session, recorder = recorded_session(library, store, mode="certification")
    await session.start()
    for text in TURNS:
        await session.play(text)
    await session.end_by_seller()
    assert recorder.certification is not None
    records = list(Ledger(store, None).records())
    assert [r["id"] for r in records] == [recorder.certification["record"]]
    assert records[0]["session"] == session.id and records[0]["attempt"] == 1
    certification = store.find_session(session.id).header["certification"]
    assert certification is not None and certification["record"] == records[0]["id"]


def test_unreadable_index_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    header = {"id": "ab" * 16, "trainee": "Ana", "mode": "practice", "scenario": "s"}
    store.begin_session(header)
    index = next(tmp_path.glob("trainees/*/index.json"))
    index.write_text('{"sessions": {"1": {"id": "ab', encoding="utf-8")
    fresh = Store.open(tmp_path)
    (summary,) = fresh.sessions("Ana")
    assert summary["id"] == "ab" * 16
    assert any("moved to" in n for n in fresh.notices)
    assert any("rebuilt the session index" in n for n in fresh.notices)
    moved = list((tmp_path / "quarantine").rglob("index.json.*.unreadable"))
    assert len(moved) == 1 and moved[0].read_text().startswith('{"sessions"')
    assert json.loads(index.read_text())["sessions"]["1"]["id"] == "ab" * 16


def test_unreadable_session_file_is_never_overwritten(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    session_id = "cd" * 16
    store.begin_session({"id": session_id, "trainee": "Ana", "mode": "practice", "scenario": "s"})
    path = next(tmp_path.glob(f"trainees/*/sessions/{session_id}.json"))
    path.write_bytes(b"\x00\x00garbage")
    with pytest.raises(QuarantinedFile, match="moved to") as caught:
        store.append_turn("Ana", session_id, {"index": 1})
    assert caught.value.moved_to.read_bytes() == b"\x00\x00garbage"
    assert not path.exists()
    with pytest.raises(StoreError, match="no file"):
        store.append_turn("Ana", session_id, {"index": 1})


def test_newer_store_is_refused(tmp_path: Path) -> None:
    Store.open(tmp_path)
    (tmp_path / "store.json").write_text('{"format": "trainer-store", "version": 99}')
    with pytest.raises(NewerStore, match="upgrade trainer"):
        Store.open(tmp_path)


def test_a_folder_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a trainer store"):
        Store.open(tmp_path)


def test_old_records_are_upgraded_on_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(tmp_path)
    store.begin_session({"id": "ef" * 16, "trainee": "Ana", "mode": "practice", "scenario": "s"})
    # Pretend this trainer is one version newer, with a migration that renames a field.
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setattr("trainer.store.repository.SCHEMA_VERSION", 2)

    def rename(record: dict[str, Any]) -> dict[str, Any]:
        record["scenario_id"] = record.pop("scenario")
        return record

    for kind in ("session", "summary"):
        monkeypatch.setitem(migrations.MIGRATIONS, (kind, 1), rename)
    monkeypatch.setitem(migrations.MIGRATIONS, ("trainee", 1), lambda r: r)
    upgraded = Store.open(tmp_path)
    assert any("upgraded the store" in n for n in upgraded.notices)
    assert json.loads((tmp_path / "store.json").read_text())["version"] == 2
    files = all_json(tmp_path / "trainees")
    session_file = next(v for p, v in files.items() if p.parent.name == "sessions")
    assert session_file["session"]["1"]["scenario_id"] == "s"
    assert session_file["session"]["1"]["v"] == 2


def test_a_record_without_a_version_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no valid version"):
        migrations.upgrade("turn", {"index": 1}, "somewhere.json")


def test_session_lookup_by_prefix(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    for session_id in ("abcd1" + "0" * 27, "abcd2" + "0" * 27):
        store.begin_session({"id": session_id, "trainee": "Ana", "mode": "practice"})
    assert store.find_session("abcd2").id.startswith("abcd2")
    with pytest.raises(SessionNotFound, match="several"):
        store.find_session("abcd")
    with pytest.raises(SessionNotFound, match="not a session id"):
        store.find_session("../../etc")
    with pytest.raises(SessionNotFound, match="no stored session"):
        store.find_session("ffff")


def test_store_files_are_readable_by_the_team(tmp_path: Path) -> None:
    """A shared results folder: files get the user's usual mode, not mkstemp's 0600."""
    import os
    import stat

    mask = os.umask(0o022)
    os.umask(mask)
    store = Store.open(tmp_path)
    store.begin_session({"id": "ab" * 16, "trainee": "Ana", "mode": "practice"})
    for path in tmp_path.rglob("*.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path


def test_the_index_catches_up_after_a_kill_between_writes(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    for n in (1, 2):
        store.begin_session({"id": f"{n}" * 32, "trainee": "Ana", "mode": "practice"})
    store.finish_session("Ana", "2" * 32, {"status": "ended", "ended_by": "seller"})
    index = next(tmp_path.glob("trainees/*/index.json"))
    data = json.loads(index.read_text())
    # As a kill would leave it: session 1's summary never written, session 2's still open.
    del data["sessions"]["1"]
    data["sessions"]["2"]["status"] = "open"
    index.write_text(json.dumps(data))
    summaries = Store.open(tmp_path).sessions("Ana")
    assert [(s["id"][0], s["status"]) for s in summaries] == [("1", "in progress"), ("2", "ended")]
    assert len(json.loads(index.read_text())["sessions"]) == 2


async def test_a_header_is_read_without_the_turns_and_the_same_as_a_whole_read(
    library: Library, tmp_path: Path
) -> None:
    """``load_header`` decodes the header table the store writes first and stops there; a
    file laid out otherwise (hand-edited, reordered) is read whole and says the same."""
    store = Store.open(tmp_path)
    session, _ = recorded_session(library, store)
    await session.start()
    for line in TURNS:
        await session.play(line)
    await session.end_by_seller()
    (path,) = store.session_files()
    whole = store.load(path).header
    assert path.read_bytes().startswith(b'{"session":')
    assert store.load_header(path) == whole

    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({"turns": data["turns"], "session": data["session"]}))
    assert store.load_header(path) == whole

    path.write_text('{"session":{"2":{}},"turns":{}}')
    with pytest.raises(StoreError, match="no session header"):
        store.load_header(path)
