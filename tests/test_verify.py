"""Tamper evidence: every kind of edit to the certification record is named by verify."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import DISCOVERY, PITCH, play_json, run
from trainer.store.ledger import record_hash

KEY = "correct horse battery staple"


def certify(
    capsys: pytest.CaptureFixture[str], store: Path, trainee: str, script: Path, *extra: str
) -> dict[str, Any]:
    return play_json(capsys, "certify", trainee, script, "--store", str(store), *extra)


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A store with three certification records: pass, fail, pass."""
    root = tmp_path / "store"
    certify(capsys, root, "Ana", DISCOVERY)
    certify(capsys, root, "Ben", PITCH)
    certify(capsys, root, "Cy", DISCOVERY)
    return root


def segment(store: Path) -> Path:
    return store / "certification" / "ledger-000001.json"


def edit_records(store: Path, change: Any) -> None:
    path = segment(store)
    data = json.loads(path.read_text())
    change(data["records"])
    path.write_text(json.dumps(data))


def verify(capsys: pytest.CaptureFixture[str], store: Path, *extra: str) -> tuple[int, str]:
    code, out, _ = run(capsys, "verify", "--store", str(store), *extra)
    return code, out


def test_untouched_records_check_out(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = verify(capsys, store)
    assert code == 0
    assert "3 certification records checked: all check out." in out


def test_certify_json_names_its_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    passed = certify(capsys, tmp_path, "Ana", DISCOVERY)["certification"]
    failed = certify(capsys, tmp_path, "Ana", PITCH)["certification"]
    assert passed["passed"] is True and failed["passed"] is False
    assert failed["reasons"] and failed["attempt"] == 2
    ledger = json.loads(segment(tmp_path).read_text())["records"]
    assert [r["id"] for r in ledger.values()] == [passed["record"], failed["record"]]


def test_an_edited_result_is_named(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_records(store, lambda records: records["2"].update(passed=True, score=99))
    code, out = verify(capsys, store)
    assert code == 1
    assert "(#2, Ben, cold-call-cold-chain): altered" in out


def test_an_edit_with_a_recomputed_hash_breaks_the_chain(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def forge(records: dict[str, Any]) -> None:
        records["2"]["passed"] = True
        records["2"]["hash"] = record_hash(records["2"])

    edit_records(store, forge)
    code, out = verify(capsys, store)
    assert code == 1
    assert "(#3, Cy, cold-call-cold-chain): the chain is broken here" in out


def test_a_forged_last_record_does_not_match_the_head(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def forge(records: dict[str, Any]) -> None:
        records["3"]["score"] = 100
        records["3"]["hash"] = record_hash(records["3"])

    edit_records(store, forge)
    code, out = verify(capsys, store)
    assert code == 1 and "ledger head: does not match the last record (#3)" in out


def test_a_deleted_record_is_missing_from_the_chain(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_records(store, lambda records: records.pop("2"))
    code, out = verify(capsys, store)
    assert code == 1
    assert "1 record missing from the chain before it (#2..#2)" in out
    assert "(Ben, cold-call-cold-chain): its record" in out and "missing from the chain" in out


def test_deleting_the_last_records_is_caught_by_the_head(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_records(store, lambda records: [records.pop("3"), records.pop("2")])
    code, out = verify(capsys, store)
    assert code == 1
    assert "2 records missing from the end of the chain (#2..#3)" in out


def test_a_deleted_ledger_file_is_caught(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    segment(store).unlink()
    code, out = verify(capsys, store)
    assert code == 1 and "3 records missing from the end of the chain" in out


def test_an_edited_transcript_is_named(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = next(store.glob("trainees/ben-*/sessions/*.json"))
    data = json.loads(path.read_text())
    data["turns"]["1"]["seller"] = "What keeps you up at night?"
    path.write_text(json.dumps(data))
    code, out = verify(capsys, store)
    assert code == 1 and "(#2, Ben, cold-call-cold-chain): its transcript was edited" in out


def test_records_scored_with_changed_content_are_named(
    tmp_path: Path, content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "store"
    certify(capsys, root, "Ana", DISCOVERY, "--content", str(content_dir))
    persona = content_dir / "personas" / "dana-okafor.yaml"
    persona.write_text(persona.read_text().replace("\npatience: 55", "\npatience: 50", 1))
    code, out = verify(capsys, root, "--content", str(content_dir))
    assert code == 1
    assert "scored with content that has changed since (persona)" in out


def test_with_an_organisation_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "store"
    monkeypatch.setenv("TRAINER_ORG_KEY", KEY)
    certify(capsys, root, "Ana", DISCOVERY)
    certify(capsys, root, "Ben", PITCH)
    assert verify(capsys, root)[0] == 0

    def forge(records: dict[str, Any]) -> None:
        records["2"]["passed"] = True
        records["2"]["hash"] = record_hash(records["2"])

    edit_records(root, forge)
    code, out = verify(capsys, root)
    assert code == 1 and "(#2, Ben, cold-call-cold-chain): signature does not match" in out

    monkeypatch.setenv("TRAINER_ORG_KEY", "another key")
    code, out = verify(capsys, root)
    assert "(#1, Ana, cold-call-cold-chain): signature does not match" in out

    monkeypatch.delenv("TRAINER_ORG_KEY")
    code, out = verify(capsys, root)
    assert code == 1 and "no organisation key is set" in out


def test_a_stripped_signature_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAINER_ORG_KEY", KEY)
    root = tmp_path / "store"
    certify(capsys, root, "Ana", DISCOVERY)
    edit_records(root, lambda records: records["1"].update(signature=None))
    code, out = verify(capsys, root)
    assert code == 1 and "unsigned" in out
    assert KEY not in "".join(p.read_text() for p in root.rglob("*.json"))
