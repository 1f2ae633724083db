"""Adversarial output: trainee names, model replies, server error bodies and URLs that try
to drive the terminal, inject Markdown or spreadsheet formulas, or leak a password.

Every printed or exported byte must be free of control characters and escape sequences,
Markdown and table cells must stay one cell, and no URL may carry a credential anywhere.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.cli_helpers import DISCOVERY, PITCH, SCENARIO, play_json, run
from tests.fake_openai import FakeOpenAI, Status
from trainer.cli.conversation import play_script
from trainer.cli.loading import load_setup
from trainer.cli.scripts import read_script
from trainer.sessions.opening import open_session
from trainer.sessions.results import Results
from trainer.store.ledger import Ledger
from trainer.store.repository import Store
from trainer.urls import safe_url

pytest_plugins = ["tests.fake_openai"]

EVIL_NAME = "evil\x1b]0;PWN\x07\x1b[2J"
INJECTED_NAME = "x <b>bold</b>\n\n## Certification: **passed**\n| forged | row |"
SPOOFED_ROWS = "Ana\n  deadbeef  2026-01-01 00:00  certification passed"
EVIL_REPLY = "Fine.\x1b]0;PWN\x07\x1b[2J\x00\x07\x9b31m\x85 We use <script>x</script> | ok."
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters no output may hold (newline and tab are layout, the rest drive terminals)."""


def assert_clean(*texts: str) -> None:
    for text in texts:
        found = UNSAFE.search(text)
        assert found is None, (
            f"U+{ord(found.group()):04X} in {text[max(0, found.start() - 40) :]!r}"
        )


def stored_under(root: Path, trainee: str, script: Path = DISCOVERY) -> str:
    """A finished session recorded for ``trainee`` the way an older trainer (which took any
    name) or a hand edit leaves it; the session id."""
    store = Store.open(root)
    results = Results(store, Ledger(store, None), trainee)
    session = open_session(load_setup(SCENARIO, None), "practice", 0, results=results)
    asyncio.run(play_script(session, read_script(str(script))))
    return session.id


# ------------------------------------------------------------------ the one cleaning function


def test_printable_removes_whole_escape_sequences_and_keeps_the_words() -> None:
    from trainer.text import printable

    cleaned = printable(EVIL_REPLY + "\nnext\tline, café 👍\u202eevil\u2028after\r")
    assert_clean(cleaned)
    assert "[2J" not in cleaned and "PWN" not in cleaned and "31m" not in cleaned
    assert cleaned.startswith("Fine.") and "next\tline, café 👍evil" in cleaned
    assert "\nafter" in cleaned


def test_one_line_keeps_a_name_on_its_line() -> None:
    from trainer.text import one_line

    assert one_line(SPOOFED_ROWS) == "Ana deadbeef  2026-01-01 00:00  certification passed"
    assert one_line(EVIL_NAME) == "evil"


def test_markdown_cells_are_inert() -> None:
    from trainer.text import markdown_inline

    cell = markdown_inline(INJECTED_NAME)
    assert "\n" not in cell and "<b>" not in cell and "**passed**" not in cell
    assert "|" not in cell.replace("\\|", "") and "##" not in cell.replace("\\#", "")


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\t=1", " =1", "\n=1"]
)
def test_csv_cells_never_start_a_formula(value: str) -> None:
    from trainer.text import csv_cell

    cell = csv_cell(value)
    assert cell.startswith("'") and "\n" not in cell and "\t" not in cell


# ------------------------------------------------------------------ names as they are taken

BAD_NAMES = [
    EVIL_NAME,
    "Ana\nBen",
    "Ana\rBen",
    "Ana\tBen",
    "Ana\u2028Ben",
    "Ana\u202eneB",
    "A\x9b2J",
]


@pytest.mark.parametrize("name", BAD_NAMES)
@pytest.mark.parametrize("command", ["play", "sessions", "report", "export"])
def test_a_name_with_control_characters_is_refused_on_the_command_line(
    store: Path, capsys: pytest.CaptureFixture[str], name: str, command: str
) -> None:
    args = {
        "play": ["play", SCENARIO, "--script", str(DISCOVERY)],
        "sessions": ["sessions"],
        "report": ["report"],
        "export": ["export", "--xapi"],
    }[command]
    code, out, err = run(capsys, *args, "--trainee", name)
    assert code != 0 and "Traceback" not in err
    assert "trainee name" in err and len(err.strip().splitlines()) == 1
    assert_clean(out, err)
    assert not list(store.rglob("sessions/*.json"))


@pytest.mark.parametrize("where", ["environment", "config"])
def test_a_name_with_control_characters_is_refused_from_environment_and_config(
    store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    if where == "environment":
        monkeypatch.setenv("TRAINER_TRAINEE", EVIL_NAME)
    else:
        config = tmp_path / "config.toml"
        config.write_text('trainee = "evil\\u001b]0;PWN\\u0007"\n', encoding="utf-8")
        monkeypatch.setenv("TRAINER_CONFIG", str(config))
    code, out, err = run(capsys, "play", SCENARIO, "--script", str(DISCOVERY))
    assert code != 0 and "trainee name" in err and "Traceback" not in err
    assert ("TRAINER_TRAINEE" if where == "environment" else "config.toml") in err
    assert_clean(out, err)
    assert not list(store.rglob("sessions/*.json"))


async def test_a_name_with_control_characters_is_refused_in_the_tui_settings(
    tmp_path: Path,
) -> None:
    from textual.widgets import Input

    from tests.test_tui import context
    from trainer.tui.app import TrainerApp

    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one(Input).value = "Ana\x1b[2J"
        await pilot.press("enter")
        await pilot.pause()
        assert app.context.trainee == "Ana"


# ------------------------------------------------------------------ names already in a store


@pytest.mark.parametrize("name", [EVIL_NAME, INJECTED_NAME, SPOOFED_ROWS])
def test_names_already_stored_are_cleaned_in_listings_and_reports(
    store: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    stored_under(store, name)
    stored_under(store, "Ana")
    code, sessions, err = run(capsys, "sessions", "--all")
    assert code == 0, err
    assert_clean(sessions, err)
    # one heading line per trainee, one row per session: a name spoofs no row
    listing = sessions.strip().split("\n\n")[0]  # the note on what is signed follows
    assert len(listing.splitlines()) == 4
    code, table, err = run(capsys, "report")
    assert code == 0, err
    assert_clean(table, err)
    rows = table.strip().split("\n\n")[0]
    assert len(rows.splitlines()) == 6  # header, rule, 2 trainees, rule, cohort
    code, markdown, _ = run(capsys, "report", "--format", "markdown")
    assert_clean(markdown)
    lines = markdown.strip().split("\n\n")[0].splitlines()
    assert len(lines) == 5 and all(line.startswith("| ") or line.startswith("|-") for line in lines)
    assert all(line.replace("\\|", "").count("|") == lines[0].count("|") for line in lines)
    assert "<b>" not in markdown and "**passed**" not in markdown
    code, table_csv, _ = run(capsys, "report", "--format", "csv")
    assert_clean(table_csv)
    assert len(table_csv.strip().splitlines()) == 3


def test_a_stored_name_is_cleaned_in_the_markdown_export(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = stored_under(store, INJECTED_NAME + EVIL_NAME)
    code, markdown, err = run(capsys, "export", session[:8], "--format", "markdown")
    assert code == 0, err
    assert_clean(markdown, err)
    trainee = [line for line in markdown.splitlines() if line.startswith("- Trainee:")]
    assert len(trainee) == 1 and "<b>" not in trainee[0]
    assert "## Certification" not in markdown and "**passed**" not in markdown


# ------------------------------------------------------------------ model replies and errors


@pytest.fixture
def evil_model(
    fake_openai: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> FakeOpenAI:
    fake_openai.buyer_text = EVIL_REPLY
    monkeypatch.setenv("TRAINER_STORE", str(tmp_path / "store"))
    config = tmp_path / "config.toml"
    config.write_text("retries = 0\ntimeout = 5\n")
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    return fake_openai


def play_model(
    capsys: pytest.CaptureFixture[str], fake: FakeOpenAI, *extra: str
) -> tuple[int, str, str]:
    """``trainer play`` for Ana with ``fake`` as buyer and judge."""
    flags = ["--backend", "llm", "--base-url", fake.url, "--model", "buyer-model"]
    return run(capsys, "play", SCENARIO, "--trainee", "Ana", *flags, *extra)


def test_a_model_reply_is_cleaned_in_the_scripted_transcript_and_the_export(
    evil_model: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = play_model(capsys, evil_model, "--script", str(PITCH))
    assert code == 0, err
    assert_clean(out, err)
    assert "We use" in out
    code, out, _ = run(capsys, "sessions", "--json", "--trainee", "Ana")
    session = json.loads(out)[0]["id"]
    code, markdown, err = run(capsys, "export", session, "--format", "markdown")
    assert code == 0, err
    assert_clean(markdown)
    assert "<script>" not in markdown and "We use" in markdown


def test_json_output_escapes_what_json_dumps_leaves_raw(
    evil_model: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    """C1 controls (U+009B is a CSI to some terminals), line separators and bidi overrides
    in a model's reply are \\u escapes in every --json document: the data is unchanged for
    a JSON reader, and nothing in it reaches the terminal raw."""
    evil_model.buyer_text = "We use \x9b2J a\u2028b \u202egnp.exe ok"
    code, out, err = play_model(capsys, evil_model, "--script", str(PITCH), "--json")
    assert code == 0, err
    assert_clean(out)
    assert "\x9b" not in out and "\u2028" not in out and "\u202e" not in out
    replies = [t["buyer"] for t in json.loads(out)["turns"]]
    assert "We use \x9b2J a\u2028b \u202egnp.exe ok" in replies
    session = json.loads(run(capsys, "sessions", "--json", "--trainee", "Ana")[1])[0]["id"]
    code, exported, _ = run(capsys, "export", session, "--format", "json")
    assert code == 0 and "\x9b" not in exported and "\u202e" not in exported


def test_a_model_reply_is_cleaned_as_it_streams_to_a_typed_session(
    evil_model: FakeOpenAI, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("What does detention cost you?\n/end\n"))
    code, out, err = play_model(capsys, evil_model)
    assert code == 0, err
    assert_clean(out, err)
    assert "We use" in out


def test_a_server_error_body_is_cleaned(
    evil_model: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    body = {"error": {"message": "boom\x1b]0;PWN\x07\x1b[2J\n\nfake line", "type": "server"}}
    evil_model.push(*([Status(500, body=body)] * 5))
    code, out, err = play_model(capsys, evil_model, "--script", str(PITCH))
    assert code == 3 and "answered 500" in err and "boom" in err
    assert_clean(out, err)
    assert len(err.strip().splitlines()) == 1


# ------------------------------------------------------------------ URLs

SECRET = "PASSWORD"


@pytest.mark.parametrize(
    "url",
    [
        f"http://u:{SECRET}@host/xAPI",
        f"htp://u:{SECRET}@host/xAPI",
        f"u:{SECRET}@host:8080/xAPI",
        "http://host:99999/xAPI",
        "http://host:abc/xAPI",
        "ftp://host/xAPI",
        "http:///xAPI",
    ],
)
def test_a_bad_lrs_url_is_one_line_without_the_password(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    play_json(capsys, "play", "Ana", DISCOVERY)
    monkeypatch.setenv("TRAINER_LRS_USERNAME", "someone")
    monkeypatch.setenv("TRAINER_LRS_PASSWORD", "other")
    code, out, err = run(capsys, "export", "--xapi", "--lrs", url)
    assert code != 0 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "LRS" in err or "--lrs" in err
    assert SECRET not in out + err


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"user:{SECRET}@localhost:8000/v1", "user name or password"),
        (f"http://user:{SECRET}@localhost:8000/v1", "user name or password"),
        ("localhost:8000/v1", "http:// or https://"),
        ("http://localhost:99999/v1", "port"),
        ("http://localhost:abc/v1", "port"),
    ],
)
@pytest.mark.parametrize("where", ["flag", "environment", "config"])
def test_a_bad_base_url_is_refused_before_anything_is_stored(
    store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    expected: str,
    where: str,
) -> None:
    flags = ["--backend", "llm", "--model", "m"]
    if where == "flag":
        flags += ["--base-url", url]
    elif where == "environment":
        monkeypatch.setenv("OPENAI_BASE_URL", url)
    else:
        config = tmp_path / "config.toml"
        config.write_text(f'base_url = "{url}"\n', encoding="utf-8")
        monkeypatch.setenv("TRAINER_CONFIG", str(config))
    code, out, err = run(capsys, "play", SCENARIO, "--script", str(PITCH), *flags)
    assert code != 0 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert expected in err
    assert SECRET not in out + err
    stored = b"".join(p.read_bytes() for p in store.rglob("*") if p.is_file())
    assert SECRET.encode() not in stored and b"localhost:8000" not in stored
    code, out, err = run(capsys, "doctor", *flags)
    assert code != 0 and "Traceback" not in err and SECRET not in out + err


def test_check_url_keeps_a_good_url() -> None:
    from trainer.urls import UrlProblem, check_url

    assert check_url(" https://lrs.example.com:8443/xAPI ", "--lrs") == (
        "https://lrs.example.com:8443/xAPI"
    )
    with pytest.raises(UrlProblem) as problem:
        check_url(f"https://k:{SECRET}@lrs.example.com/xAPI?token={SECRET}", "--lrs")
    assert SECRET not in str(problem.value) and "--lrs" in str(problem.value)
    with pytest.raises(UrlProblem) as problem:
        check_url(f"someone:{SECRET}@localhost:8000/v1", "--base-url")
    assert "someone" not in str(problem.value) and SECRET not in str(problem.value)


@pytest.mark.parametrize(
    "url", [f"http://u:{SECRET}@h:99999/v1", "http://h:abc/v1", f"u:{SECRET}@h:1/v1", "::::"]
)
def test_safe_url_never_raises_nor_shows_a_password(url: str) -> None:
    assert SECRET not in safe_url(url)


# ------------------------------------------------------------------ lookups normalise like the store


def test_name_lookups_normalise_like_the_store(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    composed = unicodedata.normalize("NFC", "José")
    decomposed = unicodedata.normalize("NFD", "José")
    play_json(capsys, "certify", composed, DISCOVERY)
    code, out, _ = run(capsys, "report", "--json", "--trainee", decomposed.upper())
    assert code == 0 and len(json.loads(out)["trainees"]) == 1
    code, out, _ = run(capsys, "export", "--xapi", "--trainee", decomposed)
    statements = json.loads(out)
    assert (
        code == 0
        and any(s["verb"]["id"].endswith(("passed", "failed")) for s in statements)
        and len(statements) >= 2
    )


# ------------------------------------------------------------------ the TUI's history


def test_a_stored_tip_and_status_are_cleaned_in_the_tui_history(store: Path) -> None:
    from trainer.tui.screens.history import transcript_text

    session = stored_under(store, "Ana")
    (path,) = store.rglob(f"sessions/{session}.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["session"]["1"]["status"] = "ended\x1b[2J"
    for turn in data["turns"].values():
        turn["assessment"]["tip"] = "Ask more.\x1b]0;PWN\x07"
    path.write_text(json.dumps(data), encoding="utf-8")
    text = transcript_text(Store.open(store).find_session(session, "Ana"))
    assert_clean(text.plain)
    assert "Ask more." in text.plain
