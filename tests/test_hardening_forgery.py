"""Forgery: a trainee who can write to a shared store cannot make a report, a listing or
an export show a certification the signed ledger does not hold, and `verify` names every
copy that disagrees with its record."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import DISCOVERY, PITCH, SCENARIO, play_json, run
from trainer.store.layout import trainee_slug

KEY = "correct horse battery staple"


@pytest.fixture
def shared(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A signed store where Ana passed and Ben did not."""
    monkeypatch.setenv("TRAINER_ORG_KEY", KEY)
    assert play_json(capsys, "certify", "Ana", DISCOVERY)["certification"]["passed"] is True
    assert play_json(capsys, "certify", "Ben", PITCH)["certification"]["passed"] is False
    code, out, _ = run(capsys, "verify")
    assert code == 0, out
    return store


def folder(store: Path, trainee: str) -> Path:
    return store / "trainees" / trainee_slug(trainee)


def session_file(store: Path, trainee: str) -> Path:
    (path,) = (folder(store, trainee) / "sessions").glob("*.json")
    return path


def edit_json(path: Path, change: Callable[[Any], None]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def index_says_passed(store: Path) -> str:
    """(a) ``"passed": true`` in Ben's own index."""
    path = session_file(store, "Ben")

    def forge(data: dict[str, Any]) -> None:
        for summary in data["sessions"].values():
            summary.update(passed=True, score=97)

    edit_json(folder(store, "Ben") / "index.json", forge)
    return path.stem


def copied_from_ana(store: Path) -> str:
    """(b) Ana's passing session file copied into Ben's folder (and Ben's index rebuilt
    from it, as the next command Ben runs does)."""
    source = session_file(store, "Ana")
    target = folder(store, "Ben") / "sessions" / source.name
    shutil.copy(source, target)
    edit_json(target, lambda data: data["session"]["1"].update(trainee="Ben"))
    (folder(store, "Ben") / "index.json").unlink()
    return source.stem


def header_edited(store: Path) -> str:
    """(c) Ben's own session header edited to a pass, and his index deleted."""
    path = session_file(store, "Ben")

    def forge(data: dict[str, Any]) -> None:
        header = data["session"]["1"]
        header["outcome"]["score"] = 97
        header["certification"]["passed"] = True

    edit_json(path, forge)
    (folder(store, "Ben") / "index.json").unlink()
    return path.stem


FORGERIES = {
    "index": index_says_passed,
    "copied session": copied_from_ana,
    "edited header": header_edited,
}


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_forged_pass_is_named_by_verify_and_not_reported(
    shared: Path, capsys: pytest.CaptureFixture[str], forge: Callable[[Path], str]
) -> None:
    session = forge(shared)
    # Ben's next command rebuilds his index from the files in his folder.
    assert run(capsys, "sessions", "--trainee", "Ben")[0] == 0

    code, out, err = run(capsys, "verify")
    assert code == 1, out
    assert "Traceback" not in out + err
    assert f"session {session[:12]}" in out and "Ben" in out
    assert "all check out" not in out

    report = json.loads(run(capsys, "report", "--json")[1])
    rows = {r["trainee"]: r for r in report["trainees"]}
    assert rows["Ben"]["passed"] == 0 and rows["Ana"]["passed"] == 1
    assert rows["Ben"]["unconfirmed"] >= 1
    assert 97 not in (rows["Ben"]["best"], rows["Ben"]["last"])
    (finding,) = [f for f in report["findings"] if f["trainee"] == "Ben"]
    assert finding["session"] == session
    assert "does not match the signed record; run trainer verify" in finding["message"]

    table = run(capsys, "report")[1]
    ben = next(line for line in table.splitlines() if line.startswith("Ben "))
    assert " 0/" in ben
    assert f"session {session[:8]}" in table and "does not match the signed record" in table

    markdown = run(capsys, "report", "--format", "markdown")[1]
    ben_row = next(line for line in markdown.splitlines() if line.startswith("| Ben |"))
    assert "| 0/" in ben_row and "does not match the signed record" in markdown

    rows_csv = {
        r["trainee"]: r
        for r in csv.DictReader(io.StringIO(run(capsys, "report", "--format", "csv")[1]))
    }
    assert rows_csv["Ben"]["passed"] == "0" and rows_csv["Ben"]["unconfirmed"] != "0"


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_forged_pass_is_not_listed_or_exported_as_passed(
    shared: Path, capsys: pytest.CaptureFixture[str], forge: Callable[[Path], str]
) -> None:
    session = forge(shared)
    code, out, _ = run(capsys, "sessions", "--trainee", "Ben")
    line = next(line for line in out.splitlines() if session[:8] in line)
    assert re.search(r"score +\d+ passed", line) is None
    assert "NOT CONFIRMED: does not match the signed record" in line
    rows = json.loads(run(capsys, "sessions", "--trainee", "Ben", "--json")[1])
    forged = next(r for r in rows if r["id"] == session)
    assert forged["passed"] is not True and forged["confirmed"] == "mismatch"

    code, out, _ = run(capsys, "export", session[:8], "--trainee", "Ben")
    assert code == 0
    assert "Certification: **passed**" not in out
    document = json.loads(
        run(capsys, "export", session[:8], "--trainee", "Ben", "--format", "json")[1]
    )
    assert document["certification"]["passed"] is not True
    if forge is not index_says_passed:  # the index is not part of an exported session
        assert "does not match the signed record; run trainer verify" in out
        assert document["confirmed"] == "mismatch"

    statements = json.loads(run(capsys, "export", "--xapi", "--trainee", "Ben")[1])
    assert not any(s["verb"]["display"]["en-US"] == "passed" for s in statements)
    assert not any(s.get("result", {}).get("score", {}).get("raw") == 97 for s in statements)


def test_verify_names_what_differs(shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = header_edited(shared)
    code, out, _ = run(capsys, "verify")
    assert code == 1
    line = next(line for line in out.splitlines() if "certification.passed" in line)
    assert f"session {session[:12]} (Ben, {SCENARIO}" in line
    assert "the signed record says False, the session file says True" in line
    assert "outcome.score" in out


def test_verify_names_a_session_copied_from_another_trainee(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = session_file(shared, "Ana")
    shutil.copy(source, folder(shared, "Ben") / "sessions" / source.name)  # header untouched
    code, out, _ = run(capsys, "verify")
    assert code == 1
    assert f"session {source.stem[:12]}" in out
    assert "the signed record is Ana's, but the file is in the folder of Ben" in out


def test_untouched_stores_still_check_out_and_say_what_is_unsigned(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play_json(capsys, "play", "Cy", PITCH)
    code, out, _ = run(capsys, "verify")
    assert code == 0 and "all check out" in out
    report = json.loads(run(capsys, "report", "--json")[1])
    assert report["findings"] == []
    assert {r["trainee"]: r["passed"] for r in report["trainees"]} == {"Ana": 1, "Ben": 0, "Cy": 0}
    assert "Practice results are not signed" in report["note"]
    table = run(capsys, "report")[1]
    assert "Practice results are not signed" in table
    assert "checked against the signed certification ledger" in table
    listing = run(capsys, "sessions", "--all")[1]
    assert "Practice results are not signed" in listing
    practice = json.loads(run(capsys, "sessions", "--trainee", "Cy", "--json")[1])
    assert practice[0]["confirmed"] == "unsigned"
    session = practice[0]["id"]
    markdown = run(capsys, "export", session[:8], "--trainee", "Cy")[1]
    assert "Practice session: this score is not signed" in markdown
    document = json.loads(
        run(capsys, "export", session[:8], "--trainee", "Cy", "--format", "json")[1]
    )
    assert document["confirmed"] == "unsigned" and "not signed" in document["note"]
    signed = json.loads(run(capsys, "sessions", "--trainee", "Ana", "--json")[1])
    assert signed[0]["confirmed"] == "signed" and signed[0]["passed"] is True


def test_without_an_organisation_key_results_say_they_are_only_chained(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play_json(capsys, "certify", "Ana", DISCOVERY)
    report = json.loads(run(capsys, "report", "--json")[1])
    assert report["trainees"][0]["passed"] == 1
    assert "not signed" in report["note"] and "no organisation key" in report["note"]
    rows = json.loads(run(capsys, "sessions", "--trainee", "Ana", "--json")[1])
    assert rows[0]["confirmed"] == "chained"


def segment(store: Path) -> Path:
    return store / "certification" / "ledger-000001.json"


MALFORMED: dict[str, Callable[[Path], None]] = {
    "a record that is a string": lambda store: edit_json(
        segment(store), lambda data: data["records"].update({"2": "passed"})
    ),
    "a key that is not a number": lambda store: edit_json(
        segment(store), lambda data: data["records"].update({"two": data["records"].pop("2")})
    ),
    "records that are a list": lambda store: edit_json(
        segment(store), lambda data: data.update(records=[1, 2])
    ),
    "a session header that is a number": lambda store: edit_json(
        session_file(store, "Ben"), lambda data: data["session"].update({"1": 5})
    ),
    "a record whose content hashes are a string": lambda store: edit_json(
        segment(store), lambda data: data["records"]["2"].update(content_hashes="x")
    ),
    "a header whose outcome and certification are strings": lambda store: edit_json(
        session_file(store, "Ben"),
        lambda data: data["session"]["1"].update(outcome="x", certification="passed"),
    ),
}


@pytest.mark.parametrize("damage", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_records_are_findings_not_tracebacks(
    shared: Path, capsys: pytest.CaptureFixture[str], damage: Callable[[Path], None]
) -> None:
    damage(shared)
    code, out, err = run(capsys, "verify")
    assert code == 1, out + err
    assert "BAD" in out and "Traceback" not in out + err
    (folder(shared, "Ben") / "index.json").unlink()  # rebuilt from the damaged files
    for command in (["report"], ["sessions", "--trainee", "Ben"], ["export", "--xapi"]):
        code, out, err = run(capsys, *command)
        assert "Traceback" not in out + err
        assert code in (0, 1)
        if damage in (MALFORMED["a record that is a string"], MALFORMED["records that are a list"]):
            assert "ledger-000001.json" in err  # the skipped entries are named, not swallowed
    report = json.loads(run(capsys, "report", "--json")[1])
    assert sum(r["passed"] for r in report["trainees"]) <= 1


def test_an_index_with_nonsense_values_is_listed_without_a_traceback(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play_json(capsys, "play", "Ben", PITCH)
    index = json.loads((folder(shared, "Ben") / "index.json").read_text())
    real_best = max(s["score"] for s in index["sessions"].values())

    def forge(data: dict[str, Any]) -> None:
        for summary in data["sessions"].values():
            summary.update(passed="yes", score="abc", criteria=["x"], mode=None, turns=None)
            del summary["id"], summary["status"], summary["started_at"]

    edit_json(folder(shared, "Ben") / "index.json", forge)
    for command in (["report"], ["report", "--json"], ["sessions", "--all"], ["export", "--xapi"]):
        code, out, err = run(capsys, *command)
        assert code == 0 and "Traceback" not in out + err
    report = json.loads(run(capsys, "report", "--json")[1])
    ben = next(r for r in report["trainees"] if r["trainee"] == "Ben")
    # an index that is not one is read past: the session files say what was played
    assert ben["passed"] == 0 and ben["best"] == real_best


def test_a_copy_under_a_folder_that_claims_the_owner_name_is_counted_once(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ben copies Ana's session file and Ana's index into his own folder."""
    for name in ("index.json", f"sessions/{session_file(shared, 'Ana').name}"):
        shutil.copy(folder(shared, "Ana") / name, folder(shared, "Ben") / name)
    code, out, _ = run(capsys, "verify")
    assert code == 1 and "the signed record is Ana's, but the file is in the folder of" in out
    report = json.loads(run(capsys, "report", "--json")[1])
    (ana,) = report["trainees"]
    # Everything in Ben's folder now claims to be Ana's: her pass is counted once, and
    # the copy and Ben's own attempt (its record is Ben's) count as unconfirmed attempts
    assert ana["passed"] == 1 and ana["certification_attempts"] == 3
    assert ana["unconfirmed"] == 2
    assert "more than one trainee's folder" in report["findings"][0]["message"]


def test_without_an_organisation_key_an_edited_index_is_still_caught(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The files are still checked against the chained ledger; only rewriting the ledger
    itself (recomputing its hashes) goes unseen without a key."""
    play_json(capsys, "certify", "Ben", PITCH)
    session = index_says_passed(store)
    code, out, _ = run(capsys, "verify")
    assert code == 1 and f"session {session[:12]} (Ben" in out
    report = json.loads(run(capsys, "report", "--json")[1])
    assert report["trainees"][0]["passed"] == 0 and report["findings"]
