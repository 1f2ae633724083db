"""Exports: a session as Markdown and JSON, results as xAPI, and the round trip to a real
learning record store (Ralph on 127.0.0.1)."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.cli_helpers import DISCOVERY, PITCH, SCENARIO, play_json, run
from trainer.reports.xapi import VERBS

if TYPE_CHECKING:
    from tests.lrs_server import Lrs

pytest_plugins = ["tests.lrs_server"]

SECRETS = {
    "OPENAI_API_KEY": "sk-test-0123456789abcdefSECRET",
    "TRAINER_ORG_KEY": "org-key-SECRET-5f4dcc3b",
    "TRAINER_LRS_PASSWORD": "lrs-password-SECRET-77",
}


def test_session_as_json_and_markdown(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "markup.txt"
    script.write_text("What does a [bold]bad[/] night cost you? <b>[31m</b>\n")
    session = str(play_json(capsys, "play", "Ana", script)["session"])
    code, out, _ = run(capsys, "export", session[:8], "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["session"] == session and document["trainee"] == "Ana"
    assert document["turns"][0]["seller"] == "What does a [bold]bad[/] night cost you? <b>[31m</b>"
    assert document["status"] == "ended" and document["outcome"]["turns"] == 1
    code, out, _ = run(capsys, "export", session[:8])
    assert code == 0
    assert "# Cold call to a cold-chain operations director" in out
    assert "**Dana Okafor**" in out
    # Markup is shown literally, never interpreted.
    assert r"What does a \[bold\]bad\[/\] night cost you? \<b\>" in out
    output = tmp_path / "session.md"
    assert run(capsys, "export", session[:8], "-o", str(output))[0] == 0
    assert output.read_text().startswith("# Cold call")


def test_unknown_session_is_a_clear_error(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from trainer.store.repository import Store

    Store.open(store)  # an empty store (a missing one is another message)
    code, _, err = run(capsys, "export", "abcdef12")
    assert code == 1 and "no stored session abcdef12" in err
    code, _, err = run(capsys, "export")
    assert code == 2 and "say which session" in err


def test_xapi_statements_are_derived_from_records(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = play_json(capsys, "certify", "Ana", DISCOVERY)["session"]
    play_json(capsys, "play", "Ben", PITCH)
    code, out, _ = run(capsys, "export", "--xapi")
    assert code == 0
    statements: list[dict[str, Any]] = json.loads(out)
    verbs = [(s["actor"]["name"], s["verb"]["id"]) for s in statements]
    assert sorted(verbs) == sorted(
        [
            ("Ana", VERBS["attempted"]),
            ("Ana", VERBS["completed"]),
            ("Ana", VERBS["passed"]),
            ("Ben", VERBS["attempted"]),
            ("Ben", VERBS["completed"]),
        ]
    )
    passed = next(s for s in statements if s["verb"]["id"] == VERBS["passed"])
    assert passed["result"]["success"] is True
    assert 0 < passed["result"]["score"]["scaled"] <= 1
    assert passed["context"]["registration"].replace("-", "") == session
    criteria = [k for k in passed["result"]["extensions"] if "/xapi/criteria/" in k]
    assert "https://trainer.invalid/xapi/criteria/customer_focus" in criteria
    assert json.loads(run(capsys, "export", "--xapi")[1]) == statements  # same ids every time
    only_ben = json.loads(run(capsys, "export", "--xapi", "--trainee", "ben")[1])
    assert {s["actor"]["name"] for s in only_ben} == {"Ben"}


def test_export_to_a_real_lrs_is_idempotent(
    store: Path,
    ralph_lrs: Lrs,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    play_json(capsys, "certify", "Ana", DISCOVERY)
    play_json(capsys, "certify", "Ben", PITCH)
    monkeypatch.setenv("TRAINER_LRS_USERNAME", ralph_lrs.username)
    monkeypatch.setenv("TRAINER_LRS_PASSWORD", ralph_lrs.password)
    expected: list[dict[str, Any]] = json.loads(run(capsys, "export", "--xapi")[1])

    code, out, err = run(capsys, "export", "--xapi", "--lrs", ralph_lrs.endpoint)
    assert code == 0, err
    assert "6 statements sent, 0 already there" in out
    stored = {s["id"]: s for s in ralph_lrs.statements()}
    assert set(stored) == {s["id"] for s in expected}
    for statement in expected:
        got = stored[statement["id"]]
        for key in ("actor", "verb", "object", "context", "timestamp"):
            assert got[key] == statement[key]
        assert got.get("result") == statement.get("result")

    code, out, _ = run(capsys, "export", "--xapi", "--lrs", ralph_lrs.endpoint)
    assert code == 0 and "0 statements sent, 6 already there" in out
    assert len(ralph_lrs.statements()) == 6

    # A session finished since the last export: only its statements go.
    play_json(capsys, "play", "Cy", DISCOVERY)
    code, out, _ = run(capsys, "export", "--xapi", "--lrs", ralph_lrs.endpoint + "/statements")
    assert code == 0 and "2 statements sent, 6 already there" in out


def test_lrs_conflicts_are_named(
    store: Path,
    ralph_lrs: Lrs,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    play_json(capsys, "play", "Ana", DISCOVERY)
    monkeypatch.setenv("TRAINER_LRS_USERNAME", ralph_lrs.username)
    monkeypatch.setenv("TRAINER_LRS_PASSWORD", ralph_lrs.password)
    assert run(capsys, "export", "--xapi", "--lrs", ralph_lrs.endpoint)[0] == 0
    index = next(store.glob("trainees/*/index.json"))
    data = json.loads(index.read_text())
    data["sessions"]["1"]["score"] = 100  # someone edits a result after it was sent
    index.write_text(json.dumps(data))
    code, out, _ = run(capsys, "export", "--xapi", "--lrs", ralph_lrs.endpoint)
    assert code == 1
    assert "1 statement(s) conflict with different ones already in the LRS" in out


def test_lrs_refusals_are_clear(
    store: Path,
    ralph_lrs: Lrs,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    play_json(capsys, "play", "Ana", DISCOVERY)
    code, _, err = run(capsys, "export", "--xapi", "--lrs", ralph_lrs.endpoint)
    assert code == 1 and "set TRAINER_LRS_USERNAME and TRAINER_LRS_PASSWORD" in err
    monkeypatch.setenv("TRAINER_LRS_USERNAME", ralph_lrs.username)
    monkeypatch.setenv("TRAINER_LRS_PASSWORD", "wrong")
    code, _, err = run(capsys, "export", "--xapi", "--lrs", ralph_lrs.endpoint)
    assert code == 1 and "refused the credentials (401)" in err
    assert "wrong" not in err
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = run(capsys, "export", "--xapi", "--lrs", f"http://127.0.0.1:{port}/xAPI")
    assert code == 1 and f"cannot reach the LRS at http://127.0.0.1:{port}/xAPI" in err
    # credentials belong in the environment: in the URL they are refused, never echoed
    code, _, err = run(capsys, "export", "--xapi", "--lrs", f"http://user:pw@127.0.0.1:{port}/xAPI")
    assert code == 2 and "user name or password" in err
    assert "pw" not in err.replace("/xAPI", "")


def test_no_secret_reaches_the_store_or_any_export(
    store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TRAINER_LRS_USERNAME", "someone")
    outputs = []
    for command, trainee, script in (("play", "Ana", PITCH), ("certify", "Ben", DISCOVERY)):
        code, out, err = run(
            capsys, command, SCENARIO, "--script", str(script), "--trainee", trainee
        )
        assert code == 0, err
        outputs += [out, err]
        _, out, err = run(
            capsys, command, SCENARIO, "--script", str(script), "--trainee", trainee, "--json"
        )
        outputs += [out, err]
        session = json.loads(out)["session"]
        for fmt in ("json", "markdown"):
            outputs += list(run(capsys, "export", session, "--format", fmt)[1:])
    for args in (("export", "--xapi"), ("report", "--json"), ("report",), ("verify",)):
        outputs += list(run(capsys, *args)[1:])
    stored = b"".join(p.read_bytes() for p in store.rglob("*") if p.is_file())
    assert stored and outputs[0]
    for value in SECRETS.values():
        assert value.encode() not in stored
        assert all(value not in text for text in outputs)
