"""One error root: every error a user can cause ends ``trainer`` with one line and its
kind's exit code (README's "Exit codes" table), never a traceback; an ambiguous session id
is a field a caller reads, not a word in the message."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import DISCOVERY, SCENARIO, run
from trainer.authoring.draft import DraftError, DraftRejected
from trainer.authoring.judge_training import TrainingError
from trainer.authoring.pressure_training import PressureCorpusError
from trainer.authoring.scaffold import ScaffoldError
from trainer.cli import _guarded
from trainer.cli.errors import UserError
from trainer.config import ConfigError
from trainer.content.finder import NotFound
from trainer.content.problems import ContentError
from trainer.engine.pressure import PressureModelError
from trainer.engine.session import InvalidTurn, NotAllowed, SessionOver
from trainer.errors import (
    CannotResume,
    EndpointError,
    ExitCode,
    InputError,
    StoreError,
    TrainerError,
    UsageError,
)
from trainer.llm import endpoint
from trainer.offline.model import JudgeFileError
from trainer.reports.lrs import LrsError
from trainer.store import errors as store_errors
from trainer.store.errors import SessionNotFound
from trainer.store.repository import Store
from trainer.store.shard import QuarantinedFile
from trainer.urls import UrlProblem

REPO = Path(__file__).resolve().parents[1]


def _dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


# --- the root and its kinds --------------------------------------------------------------

USER_FACING: dict[type[TrainerError], int] = {
    UserError: 1,
    InputError: 1,
    ContentError: 1,
    NotFound: 1,
    ConfigError: 1,
    UrlProblem: 1,
    JudgeFileError: 1,
    TrainingError: 1,
    PressureModelError: 1,
    PressureCorpusError: 1,
    ScaffoldError: 1,
    DraftError: 1,
    DraftRejected: 1,
    InvalidTurn: 1,
    SessionOver: 1,
    NotAllowed: 1,
    CannotResume: 1,
    LrsError: 1,
    StoreError: 1,
    store_errors.NoStore: 1,
    store_errors.StoreBusy: 1,
    store_errors.NewerStore: 1,
    store_errors.AttemptsUsed: 1,
    store_errors.AttemptInProgress: 1,
    store_errors.SessionBusy: 1,
    store_errors.LedgerDamaged: 1,
    SessionNotFound: 1,
    QuarantinedFile: 1,
    UsageError: 2,
    EndpointError: 3,
}


@pytest.mark.parametrize(("kind", "code"), USER_FACING.items(), ids=lambda k: str(k))
def test_every_user_facing_error_has_the_root_and_its_kinds_code(
    kind: type[TrainerError], code: int
) -> None:
    assert issubclass(kind, TrainerError)  # the table's type says so; this checks it runs
    assert kind.exit_code == code


def test_old_names_and_their_old_bases_still_catch() -> None:
    # Callers that catch the standard base keep working.
    assert issubclass(ConfigError, ValueError) and issubclass(UrlProblem, ValueError)
    assert issubclass(InvalidTurn, ValueError) and issubclass(NotFound, LookupError)
    # The kinds are one class wherever they are imported from.
    assert endpoint.EndpointError is EndpointError and store_errors.StoreError is StoreError


def test_an_instance_may_carry_its_own_code_and_a_hint() -> None:
    error = UserError("the trainee name is empty", 2)
    assert error.exit_code == ExitCode.USAGE and UserError("x").exit_code == 1
    hinted = InputError("no such scenario 'x'", hint="see `trainer scenarios`")
    assert hinted.message == "no such scenario 'x'"
    assert hinted.for_user() == "no such scenario 'x'\nsee `trainer scenarios`"
    assert str(hinted) == "no such scenario 'x'"


def test_guarded_prints_the_message_and_the_hint_clean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def fails() -> int:
        raise InputError("bad \x1b[2Jfile", hint="try again")

    assert _guarded(fails) == 1
    assert capsys.readouterr().err == "trainer: bad file\ntry again\n"


def test_guarded_on_ctrl_c_and_a_closed_pipe(capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted() -> int:
        raise KeyboardInterrupt

    def piped() -> int:
        raise BrokenPipeError

    assert _guarded(interrupted) == 130
    assert capsys.readouterr().err == "\ntrainer: interrupted\n"
    assert _guarded(piped) == 0


# --- each exit code from the command line ------------------------------------------------


def test_exit_0_when_done(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "scenarios")
    assert code == ExitCode.OK and SCENARIO in out and err == ""


def test_exit_1_for_something_given_that_cannot_be_used(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    # NotFound comes up from the content layer as it is, with no conversion in the CLI.
    code, out, err = run(capsys, "play", "no-such-scenario", "--script", str(DISCOVERY))
    assert code == ExitCode.FAILED and out == ""
    assert err.startswith("trainer: ") and len(err.strip().splitlines()) == 1
    # ... and so does the store's SessionNotFound.
    Store.open(store)
    code, _, err = run(capsys, "export", "abcdef12")
    assert code == 1 and "no stored session abcdef12" in err


def test_exit_2_for_a_wrong_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "play", SCENARIO, "--json")
    assert code == ExitCode.USAGE and out == "" and "--json needs --script" in err
    with pytest.raises(SystemExit) as exited:  # argparse's own usage errors say 2 too
        run(capsys, "play", SCENARIO, "--no-such-option")
    assert exited.value.code == 2


def test_exit_3_for_an_endpoint_that_cannot_be_used(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.toml").write_text("retries = 0\n", encoding="utf-8")
    monkeypatch.setenv("TRAINER_CONFIG", str(tmp_path / "config.toml"))
    args = ["play", SCENARIO, "--script", str(DISCOVERY), "--no-record"]
    code, _, err = run(capsys, *args, "--base-url", _dead_url(), "--model", "m")
    assert code == 3
    assert err.startswith("trainer: cannot reach http://127.0.0.1:")
    assert len(err.strip().splitlines()) == 1


# --- no traceback reaches the user --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["play", "no-such-scenario", "--script", str(DISCOVERY)], 1),
        (["judge", "info", str(REPO / "README.md")], 1),
        (["play", SCENARIO, "--json"], 2),
        (["play", SCENARIO, "--bogus"], 2),
        (["play", SCENARIO, "--script", str(DISCOVERY), "--no-record", "--model", "m"], 3),
    ],
    ids=["content", "judge-file", "usage", "argparse", "endpoint"],
)
def test_a_real_process_ends_with_one_message_and_no_traceback(
    args: list[str], code: int, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("retries = 0\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRAINER_", "OPENAI_"))}
    env |= {"TRAINER_CONFIG": str(config), "TRAINER_STORE": str(tmp_path / "store")}
    if code == 3:
        args = [*args, "--base-url", _dead_url()]
    done = subprocess.run(
        [sys.executable, "-m", "trainer", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.startswith(("trainer: ", "usage: "))


# --- ambiguity is a field -----------------------------------------------------------------


def _two_sessions(root: Path, trainees: tuple[str, str]) -> tuple[Store, list[str]]:
    store = Store.open(root)
    ids = ["abcd1" + "0" * 27, "abcd2" + "0" * 27]
    for session_id, trainee in zip(ids, trainees, strict=True):
        store.begin_session({"id": session_id, "trainee": trainee, "mode": "practice"})
    return store, ids


def test_an_ambiguous_prefix_names_its_matches(tmp_path: Path) -> None:
    store, ids = _two_sessions(tmp_path, ("Ana", "Ana"))
    with pytest.raises(SessionNotFound) as found:
        store.find_session("abcd")
    assert found.value.ambiguous and found.value.matches == ids
    assert "several" in str(found.value)  # the words the user reads are unchanged
    # Looking in the preferred trainee's sessions first stops on an ambiguity there ...
    with pytest.raises(SessionNotFound) as preferred:
        store.find_session("abcd", prefer="Ana")
    assert preferred.value.matches == ids


def test_a_missing_id_is_not_ambiguous(tmp_path: Path) -> None:
    store, _ = _two_sessions(tmp_path, ("Ana", "Ana"))
    for wanted in ("ffff", "../../etc"):
        with pytest.raises(SessionNotFound) as missing:
            store.find_session(wanted)
        assert not missing.value.ambiguous and missing.value.matches == []


def test_a_preferred_trainees_single_match_wins_over_everyones(tmp_path: Path) -> None:
    # ... but finding nothing there (not ambiguity) goes on to look in everyone's.
    store, ids = _two_sessions(tmp_path, ("Ana", "Ben"))
    assert store.find_session("abcd", prefer="Ana").id == ids[0]
    assert store.find_session("abcd", prefer="Ben").id == ids[1]
    assert store.find_session("abcd2", prefer="Ana").id == ids[1]
    with pytest.raises(SessionNotFound) as everyone:
        store.find_session("abcd", prefer="Cleo")
    assert everyone.value.matches == ids
