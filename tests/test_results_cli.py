"""The results commands: sessions, resume, close, rescore, report, and store options."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli_helpers import DISCOVERY, PITCH, SCENARIO, run
from tests.cli_helpers import play_json as play
from trainer.store.repository import Store

DEAD_PID = 2**22 + 4321


def interrupt(store: Path, trainee: str, lines: list[str]) -> str:
    """A session whose process died after ``lines`` were played (typed, then killed)."""
    import asyncio

    from trainer.cli.starting import recorded_into
    from trainer.content.finder import find_scenario, open_library
    from trainer.sessions.opening import open_session

    setup = find_scenario(SCENARIO, open_library(None))

    async def played() -> str:
        import argparse

        results = recorded_into(argparse.Namespace(store=str(store), trainee=trainee))
        assert results is not None
        results.store.pid = DEAD_PID  # as if written by a process that has since died
        session = open_session(setup, "practice", 0, results=results)
        await session.start()
        for line in lines:
            await session.play(line)
        return session.id

    return asyncio.run(played())


def test_trainee_comes_from_flag_env_or_config(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert play(capsys, "play", "Flag Name", PITCH)["trainee"] == "Flag Name"
    config = tmp_path / "config.toml"
    config.write_text('trainee = "Config Name"\n')
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    code, out, _ = run(capsys, "play", SCENARIO, "--script", str(PITCH), "--json")
    assert json.loads(out)["trainee"] == "Config Name"
    monkeypatch.setenv("TRAINER_TRAINEE", "Env Name")
    code, out, _ = run(capsys, "play", SCENARIO, "--script", str(PITCH), "--json")
    assert json.loads(out)["trainee"] == "Env Name"
    config.write_text('trainee = "x"\ntrainees = "typo"\n')
    code, _, err = run(capsys, "play", SCENARIO, "--script", str(PITCH))
    assert code == 1 and "unknown setting trainees" in err and str(config) in err


def test_store_defaults_to_the_user_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = play(capsys, "play", "Ana", PITCH)
    assert Path(document["store"]).is_relative_to(Path.home())
    assert "trainer" in document["store"]


def test_no_record_keeps_nothing(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = play(capsys, "play", "Ana", PITCH, "--no-record")
    assert "trainee" not in document and not store.exists()


def test_a_store_folder_that_cannot_be_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "play", SCENARIO, "--script", str(PITCH), "--store", str(blocker))
    assert code == 1 and "cannot create the store folder" in err and "Traceback" not in err


def test_sessions_lists_interrupted_ones_with_what_to_do(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play(capsys, "play", "Ana", PITCH)
    session = interrupt(store, "Ana", ["What made you take this call?"])
    code, out, _ = run(capsys, "sessions", "--trainee", "Ana")
    assert code == 0
    assert f"{session[:8]}" in out and "interrupted" in out and "ended" in out
    assert f"trainer resume {session[:8]}" in out
    listed = json.loads(run(capsys, "sessions", "--all", "--json")[1])
    assert [s["status"] for s in listed] == ["ended", "interrupted"]
    assert all("owner" not in s for s in listed)


def test_resume_goes_on_from_the_last_stored_turn(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = DISCOVERY.read_text().splitlines()
    session = interrupt(store, "Ana", first[:2])
    rest = tmp_path / "rest.txt"
    rest.write_text("\n".join(first[2:]) + "\n")
    code, out, err = run(capsys, "resume", session[:8], "--script", str(rest), "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["session"] == session
    assert [t["seller"] for t in document["turns"]][:2] == first[:2]
    stored = Store.open(store).find_session(session)
    assert [t["seller"] for t in stored.main_line()] == [t["seller"] for t in document["turns"]]
    assert stored.header["status"] == "ended"
    code, _, err = run(capsys, "resume", session[:8], "--script", str(rest))
    assert code == 1 and "is ended: only interrupted ones go on" in err


def test_close_scores_an_interrupted_certification_as_not_passed(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play(capsys, "certify", "Ana", DISCOVERY)
    lines = DISCOVERY.read_text().splitlines()[:5]
    # An interrupted certification attempt, then closed.
    import asyncio

    from trainer.content.finder import find_scenario, open_library
    from trainer.sessions.opening import open_session
    from trainer.sessions.results import Results
    from trainer.store.ledger import Ledger

    opened = Store.open(store, pid=DEAD_PID)
    results = Results(opened, Ledger(opened, None), "Ana")
    setup = find_scenario(SCENARIO, open_library(None))
    session = open_session(setup, "certification", 0, results=results)

    async def played() -> None:
        await session.start()
        for line in lines:
            await session.play(line)

    asyncio.run(played())
    code, out, err = run(capsys, "close", session.id[:8])
    assert code == 0, err
    assert "Closed session" in out and "NOT PASSED" in out and "not finished" in out
    assert "attempt 2 of 3" in out
    assert run(capsys, "verify")[0] == 0
    report = json.loads(run(capsys, "report", "--json")[1])
    (ana,) = report["trainees"]
    assert ana["certification_attempts"] == 2 and ana["passed"] == 1


def test_rescore_shows_changes_and_records_them_as_new_records(
    store: Path, content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = ("--content", str(content_dir))
    first = play(capsys, "certify", "Ana", DISCOVERY, *content)
    scenario = content_dir / "scenarios" / f"{SCENARIO}.yaml"
    scenario.write_text(scenario.read_text().replace("pass_mark: 65", "pass_mark: 99"))
    assert run(capsys, "verify", *content)[0] == 1

    code, out, _ = run(capsys, "rescore", *content)
    assert code == 0
    assert "passed -> not passed" in out and "add --record to keep" in out
    certification = Store.open(store).find_session(first["session"]).header["certification"]
    assert certification is not None and certification["passed"]

    code, out, _ = run(capsys, "rescore", "--record", *content)
    assert "1 new certification record(s) in the ledger (the old ones stay)" in out
    assert run(capsys, "verify", *content)[0] == 0
    ledger = json.loads((store / "certification" / "ledger-000001.json").read_text())
    old, new = ledger["records"]["1"], ledger["records"]["2"]
    assert old["passed"] is True and old["id"] == first["certification"]["record"]
    assert new["kind"] == "rescore" and new["supersedes"] == old["id"] and not new["passed"]
    report = json.loads(run(capsys, "report", "--json")[1])
    assert report["trainees"][0]["passed"] == 0
    code, out, _ = run(capsys, "rescore", "--record", *content)
    assert "Nothing to keep" in out


def test_report_contract_and_formats(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    play(capsys, "certify", "Ana", DISCOVERY)
    play(capsys, "certify", "Ana", PITCH)
    play(capsys, "play", "=cmd|' /C calc'!A0", PITCH)
    report = json.loads(run(capsys, "report", "--json")[1])
    rows = {r["trainee"]: r for r in report["trainees"]}
    ana = rows["Ana"]
    assert ana["attempts"] == 2 and ana["passed"] == 1 and ana["pass_rate"] == 0.5
    assert ana["last"] < ana["best"] <= 100
    assert len(ana["weakest"]) == 2
    assert report["cohort"]["trainees"] == 2 and report["cohort"]["attempts"] == 3

    table = run(capsys, "report")[1]
    assert table.splitlines()[0].split()[:3] == ["Trainee", "Attempts", "Interrupted"]
    assert "All (2)" in table
    markdown = run(capsys, "report", "--format", "markdown")[1]
    assert markdown.startswith("| Trainee |") and "\\|" in markdown  # a | in a name is escaped
    rows_csv = list(csv.DictReader(io.StringIO(run(capsys, "report", "--format", "csv")[1])))
    assert {r["trainee"] for r in rows_csv} == {"Ana", "'=cmd|' /C calc'!A0"}
    only = json.loads(run(capsys, "report", "--json", "--mode", "practice")[1])
    assert [r["trainee"] for r in only["trainees"]] == ["=cmd|' /C calc'!A0"]
    by = json.loads(run(capsys, "report", "--json", "--by-scenario")[1])
    assert {r["scenario"] for r in by["trainees"]} == {SCENARIO}


def test_report_on_an_empty_store(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Store.open(store)  # readers never create a store (a missing one is an error)
    code, out, _ = run(capsys, "report")
    assert code == 0 and "No sessions yet" in out
    assert json.loads(run(capsys, "report", "--json")[1])["trainees"] == []


def test_ctrl_c_in_a_typed_session_leaves_it_to_resume(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = iter(["How long do trucks wait at the Savannah gate?"])

    def keyboard(prompt: str = "") -> str:
        try:
            return next(typed)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr("builtins.input", keyboard)
    code, _, err = run(capsys, "play", SCENARIO, "--trainee", "Ana")
    assert code == 130
    (summary,) = Store.open(store).sessions("Ana")
    assert summary["turns"] == 1 and summary["status"] == "in progress"  # this process lives
    assert f"trainer resume {str(summary['id'])[:8]}" in err


def test_typed_certification_hides_feedback_until_the_end(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    lines = ["y", *DISCOVERY.read_text().splitlines()[:4], "/end"]  # y: start the attempt
    monkeypatch.setattr("sys.stdin", Terminal("\n".join(lines) + "\n"))
    code, out, _ = run(capsys, "certify", SCENARIO, "--trainee", "Ana")
    assert code == 0
    conversation, _, debrief = out.partition("Outcome:")
    assert "Certification attempt: no feedback" in conversation
    assert "good use" not in conversation and "tip:" not in conversation
    assert "Certification:" in debrief and "attempt 1 of 3" in debrief


def test_resume_after_the_buyer_hung_up_only_saves_the_ending(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.store.recorder import StoreRecorder

    async def killed_before_the_end_was_saved(self: StoreRecorder, session: object) -> None:
        return None

    with monkeypatch.context() as patch:
        patch.setattr(StoreRecorder, "session_ended", killed_before_the_end_was_saved)
        session = interrupt(store, "Ana", PITCH.read_text().splitlines()[:3])
    (summary,) = Store.open(store).sessions("Ana")
    assert summary["status"] == "interrupted"
    code, out, err = run(capsys, "resume", session[:8], "--script", str(DISCOVERY))
    assert code == 0, err
    assert "The call had already ended (the buyer ended the call)" in out
    stored = Store.open(store).find_session(session)
    assert stored.header["status"] == "ended" and len(stored.main_line()) == 3
