"""Store faults from issue 11: races, a damaged ledger, a stale index, a full disk, odd
layouts and read-only copies. Each test reproduced its fault on the code as it was."""

from __future__ import annotations

import asyncio
import builtins
import errno
import io
import itertools
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import DISCOVERY, PITCH, REPO, SCENARIO, run
from tests.cli_helpers import play_json as play
from trainer.cli import sessions as sessions_cli
from trainer.config import default_store
from trainer.sessions import resuming
from trainer.store.errors import StoreError
from trainer.store.ledger import Ledger
from trainer.store.repository import Store

DEAD_PID = 2**22 + 4321
KEY = "store-faults-org-key"


# ------------------------------------------------------------------ helpers


def interrupted(store: Path, trainee: str, lines: list[str], mode: str = "practice") -> str:
    """A session whose process died after ``lines`` were played."""
    from trainer.content.finder import find_scenario, open_library
    from trainer.sessions.opening import open_session
    from trainer.sessions.results import Results

    opened = Store.open(store, pid=DEAD_PID)
    key = os.environ.get("TRAINER_ORG_KEY")
    results = Results(opened, Ledger(opened, key.encode() if key else None), trainee)
    setup = find_scenario(SCENARIO, open_library(None))
    session = open_session(setup, mode, 0, results=results)  # type: ignore[arg-type]

    async def played() -> str:
        await session.start()
        for line in lines:
            await session.play(line)
        return session.id

    return asyncio.run(played())


def one_line(err: str) -> None:
    """A user error: one readable line, no traceback."""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def ledger_dir(store: Path) -> Path:
    return store / "certification"


def certification_records(store: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for path in sorted(ledger_dir(store).glob("ledger-*.json")):
        docs = json.loads(path.read_text())["records"]
        records += [docs[k] for k in sorted(docs, key=int)]
    return records


def attempts(store: Path, trainee: str) -> int:
    return sum(1 for s in Store.open(store).sessions(trainee) if s["mode"] == "certification")


@contextmanager
def disk_full(after: int = 0, under: str = "") -> Iterator[list[str]]:
    """Every fsync of a file (whose path has ``under`` in it) after the first ``after``
    fails with ENOSPC, as a full disk makes a write fail. Yields the paths whose writes
    failed."""
    real = os.fsync
    calls = [0]
    failed: list[str] = []

    def fsync(fd: int) -> None:
        path = os.readlink(f"/proc/self/fd/{fd}")
        if stat.S_ISREG(os.fstat(fd).st_mode) and under in path:
            calls[0] += 1
            if calls[0] > after:
                failed.append(path)
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", fsync)
        yield failed


# ------------------------------------------------------------------ resuming twice


def test_a_second_claim_on_a_session_being_played_is_refused(tmp_path: Path) -> None:
    """The check that a session is not being played must happen under the lock that
    claims it: a claim when a live process already owns it is refused."""
    session = interrupted(tmp_path, "Ana", ["What made you take this call?"])
    first = Store.open(tmp_path)  # this process: alive
    rival = Store.open(tmp_path, pid=os.getppid())  # another live process
    first.claim("Ana", session)
    with pytest.raises(StoreError, match="already being played"):
        rival.claim("Ana", session)
    header = Store.open(tmp_path).find_session(session).header
    assert header["owner"]["pid"] == os.getpid()


def test_a_claim_on_a_session_that_has_ended_is_refused(tmp_path: Path) -> None:
    session = interrupted(tmp_path, "Ana", ["What made you take this call?"])
    store = Store.open(tmp_path)
    store.finish_session("Ana", session, {"status": "closed", "ended_by": "seller"})
    with pytest.raises(StoreError, match="closed"):
        Store.open(tmp_path, pid=os.getppid()).claim("Ana", session)


def test_resume_refuses_a_session_claimed_after_it_was_checked(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another `trainer resume` claims the session between this one's check and its
    claim: this one must stop with one line, and the session must not be played."""
    monkeypatch.setenv("TRAINER_ORG_KEY", KEY)
    lines = DISCOVERY.read_text().splitlines()
    session = interrupted(store, "Ana", lines[:3], "certification")
    checked = resuming.interrupted_session

    def then_claimed_elsewhere(*args: Any) -> Any:
        found = checked(*args)
        Store.open(store, pid=os.getppid()).claim("Ana", session)
        return found

    monkeypatch.setattr(sessions_cli, "interrupted_session", then_claimed_elsewhere)
    code, out, err = run(capsys, "resume", session[:8], "--script", str(DISCOVERY))
    assert code == 1 and "already being played" in err, (out, err)
    one_line(err)
    stored = Store.open(store).find_session(session)
    assert len(stored.turns) == 3 and stored.header["status"] == "open"
    assert certification_records(store) == []


def _resume_process(store: Path, session: str, script: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "TRAINER_ORG_KEY": KEY}
    command = ["resume", session, "--script", str(script), "--store", str(store)]
    return subprocess.Popen(
        [sys.executable, "-m", "trainer", *command, "--trainee", "Ana"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_resume_processes_at_once_play_it_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two real `trainer resume` processes on one interrupted attempt: one plays it, the
    other is refused, and the ledger's record matches the stored transcript."""
    monkeypatch.setenv("TRAINER_ORG_KEY", KEY)
    lines = [line for line in DISCOVERY.read_text().splitlines() if line.strip()]
    rest = tmp_path / "rest.txt"
    rest.write_text("\n".join(lines[2:] * 3) + "\n")
    for trial in range(3):
        store = tmp_path / f"store-{trial}"
        session = interrupted(store, "Ana", lines[:2], "certification")
        children = [_resume_process(store, session, rest) for _ in range(2)]
        results = [(child.wait(timeout=120), *child.communicate()) for child in children]
        codes = sorted(code for code, _, _ in results)
        errors = [err for code, _, err in results if code]
        assert codes == [0, 1], results
        (err,) = errors
        assert "already being played" in err or "is ended" in err, err
        one_line(err)
        (record,) = certification_records(store)
        stored = Store.open(store).find_session(session)
        assert record["turns"] == len(stored.main_line())
        code, out, _ = run(capsys, "verify", "--store", str(store))
        assert code == 0, out


# ------------------------------------------------------------------ the ledger head


def _break_head(store: Path, how: str) -> None:
    head = ledger_dir(store) / "head.json"
    if how == "missing":
        head.unlink()
    elif how == "unreadable":
        head.write_text('{"v": 1, "seq": ')
    elif how == "behind":  # a head that names the start of the chain
        head.write_text(json.dumps({"v": 1, "seq": 0, "hash": "0" * 64, "signature": None}))
    elif how == "nonsense":  # JSON, but no record named
        head.write_text(json.dumps({"v": 1, "hash": 7}))


@pytest.mark.parametrize("how", ["missing", "unreadable", "behind", "nonsense"])
def test_a_broken_head_is_rebuilt_before_the_next_attempt(
    store: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    play(capsys, "certify", "Ana", DISCOVERY)
    play(capsys, "certify", "Ben", PITCH)
    _break_head(store, how)
    for trainee in ("Cy", "Dee"):
        code, out, err = run(
            capsys, "certify", SCENARIO, "--script", str(DISCOVERY), "--trainee", trainee
        )
        assert code == 0, err
    records = certification_records(store)
    assert [r["seq"] for r in records] == [1, 2, 3, 4]
    assert [r["trainee"] for r in records] == ["Ana", "Ben", "Cy", "Dee"]
    assert all(later["prev"] == earlier["hash"] for earlier, later in itertools.pairwise(records))
    head = json.loads((ledger_dir(store) / "head.json").read_text())
    assert (head["seq"], head["hash"]) == (4, records[-1]["hash"])
    assert attempts(store, "Cy") == 1 and attempts(store, "Dee") == 1
    # The rebuilt head cannot vouch for what came before it: verify still says so.
    code, out, _ = run(capsys, "verify")
    assert code == 1 and "rebuilt" in out and "cannot be ruled out" in out
    if how in ("unreadable", "nonsense"):
        assert list((store / "quarantine").rglob("head.json.*.unreadable"))


def test_a_head_that_cannot_be_read_for_lack_of_rights_is_not_moved(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permission to read is not the file's fault: a message, the head left in place,
    no attempt started."""
    play(capsys, "certify", "Ana", DISCOVERY)
    head = ledger_dir(store) / "head.json"
    kept = head.read_bytes()
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path == head:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, _, err = run(capsys, "certify", SCENARIO, "--script", str(PITCH), "--trainee", "Ana")
    monkeypatch.undo()
    assert code == 1 and "Permission denied" in err and "no attempt was started" in err, err
    one_line(err)
    assert head.read_bytes() == kept and not (store / "quarantine").exists()
    assert attempts(store, "Ana") == 1


def test_a_head_missing_after_one_record_is_a_kill_not_a_rebuild(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A kill before the very first head write leaves one record and no head: that is
    repaired like any kill, and verify has nothing to report."""
    play(capsys, "certify", "Ana", DISCOVERY)
    (ledger_dir(store) / "head.json").unlink()
    play(capsys, "certify", "Ben", PITCH)
    assert [r["seq"] for r in certification_records(store)] == [1, 2]
    assert run(capsys, "verify")[0] == 0


def test_an_unreadable_ledger_segment_starts_no_attempt(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play(capsys, "certify", "Ana", DISCOVERY)
    segment = ledger_dir(store) / "ledger-000001.json"
    good = segment.read_bytes()
    segment.write_bytes(b'{"records": {"1": ')
    code, _, err = run(capsys, "certify", SCENARIO, "--script", str(PITCH), "--trainee", "Ana")
    assert code == 1 and "quarantine" in err and "no attempt was started" in err, err
    one_line(err)
    assert attempts(store, "Ana") == 1
    (moved,) = (store / "quarantine").rglob("ledger-000001.json.*.unreadable")
    assert moved.read_bytes() == b'{"records": {"1": '
    # Until the segment is back, attempts cannot start (the chain's end is missing),
    # and none is counted.
    code, _, err = run(capsys, "certify", SCENARIO, "--script", str(PITCH), "--trainee", "Ana")
    assert code == 1 and "no attempt was started" in err, err
    one_line(err)
    assert attempts(store, "Ana") == 1
    segment.write_bytes(good)  # restored from a backup
    document = play(capsys, "certify", "Ana", PITCH)
    assert document["certification"]["attempt"] == 2
    assert [r["seq"] for r in certification_records(store)] == [1, 2]


def test_close_with_an_unreadable_segment_leaves_the_session_to_close_again(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play(capsys, "certify", "Ana", DISCOVERY)
    session = interrupted(store, "Ana", ["What made you take this call?"], "certification")
    segment = ledger_dir(store) / "ledger-000001.json"
    good = segment.read_bytes()
    segment.write_bytes(b"\x00garbage")
    code, _, err = run(capsys, "close", session[:8])
    assert code == 1 and "quarantine" in err, err
    one_line(err)
    assert Store.open(store).find_session(session).header["status"] == "open"
    segment.write_bytes(good)
    code, _, err = run(capsys, "close", session[:8])
    assert code == 0, err
    assert [r["seq"] for r in certification_records(store)] == [1, 2]


# ------------------------------------------------------------------ a missing or stale index


def _index(store: Path, trainee: str) -> Path:
    from trainer.store.layout import trainee_slug

    return store / "trainees" / trainee_slug(trainee) / "index.json"


def test_sessions_a_kill_left_out_of_the_index_are_still_listed(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ana = play(capsys, "certify", "Ana", DISCOVERY)["session"]
    ben = [play(capsys, "play", "Ben", PITCH)["session"] for _ in range(2)]
    _index(store, "Ana").unlink()  # missing
    data = json.loads(_index(store, "Ben").read_text())
    del data["sessions"]["2"]  # stale: a kill between the session file and the index
    _index(store, "Ben").write_text(json.dumps(data))
    index_bytes = {p: p.read_bytes() for p in store.glob("trainees/*/index.json")}

    listed = json.loads(run(capsys, "sessions", "--all", "--json")[1])
    assert sorted(s["id"] for s in listed) == sorted([ana, *ben])
    report = json.loads(run(capsys, "report", "--json")[1])
    rows = {r["trainee"]: r for r in report["trainees"]}
    assert rows["Ana"]["certification_attempts"] == 1 and rows["Ana"]["passed"] == 1
    assert rows["Ben"]["attempts"] == 2
    statements = json.loads(run(capsys, "export", "--xapi")[1])
    assert {s["context"]["registration"] for s in statements} >= {
        _registration(ana),
        *map(_registration, ben),
    }
    # Readers find them without writing: the index files are as the kill left them.
    assert {p: p.read_bytes() for p in store.glob("trainees/*/index.json")} == index_bytes


def _registration(session_id: str) -> str:
    import uuid

    return str(uuid.UUID(session_id))


def test_verify_sees_a_finished_attempt_the_index_does_not_list(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opened = Store.open(store)
    session = "ab" * 16
    opened.begin_session(
        {"id": session, "trainee": "Ana", "mode": "certification", "scenario": SCENARIO}, 3
    )
    opened.finish_session("Ana", session, {"status": "ended", "ended_by": "seller"})
    _index(store, "Ana").unlink()
    code, out, _ = run(capsys, "verify")
    assert code == 1 and f"session {session[:12]}" in out and "no ledger record" in out


# ------------------------------------------------------------------ disk full, odd layouts


def test_a_full_disk_while_playing_is_one_line_and_keeps_what_was_played(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # store.json, the session file, the index (two writes), the first turn: the second
    # turn's write finds the disk full.
    with disk_full(after=5) as failed:
        code, out, err = run(
            capsys, "play", SCENARIO, "--script", str(DISCOVERY), "--trainee", "Ana"
        )
    assert failed and code == 1, (out, err, failed)
    one_line(err)
    assert "No space left on device" in err
    (summary,) = Store.open(store).sessions("Ana")
    stored = Store.open(store).find_session(summary["id"])
    assert len(stored.turns) == 1, failed
    assert not list(store.rglob("*.tmp"))


def test_a_full_disk_does_not_stop_the_session_listing(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = play(capsys, "play", "Ana", PITCH)["session"]
    second = play(capsys, "play", "Ana", PITCH)["session"]
    data = json.loads(_index(store, "Ana").read_text())
    del data["sessions"]["2"]
    _index(store, "Ana").write_text(json.dumps(data))
    with disk_full():
        code, out, err = run(capsys, "sessions", "--trainee", "Ana")
    assert code == 0, err
    assert first[:8] in out and second[:8] in out


def test_a_full_disk_while_certifying_burns_no_attempt_and_breaks_no_chain(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play(capsys, "certify", "Ana", DISCOVERY)
    with disk_full():
        code, _, err = run(capsys, "certify", SCENARIO, "--script", str(PITCH), "--trainee", "Ana")
    assert code == 1 and "No space left on device" in err
    one_line(err)
    assert attempts(store, "Ana") == 1 and len(certification_records(store)) == 1
    assert run(capsys, "verify")[0] == 0


def test_a_full_disk_when_an_attempt_ends_keeps_it_to_resume(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The ledger cannot take the record: the attempt stays interrupted with its turns,
    and `trainer resume` saves its result once there is room."""
    with disk_full(under=f"{os.sep}certification{os.sep}") as failed:
        code, _, err = run(
            capsys, "certify", SCENARIO, "--script", str(DISCOVERY), "--trainee", "Ana"
        )
    assert failed and code == 1 and "No space left on device" in err
    one_line(err)
    (summary,) = Store.open(store).sessions("Ana")
    assert summary["status"] == "in progress" and summary["turns"] > 0  # this process
    assert certification_records(store) == []
    code, out, err = run(capsys, "resume", summary["id"][:8], "--script", str(DISCOVERY))
    assert code == 0 and "its result is now saved" in out, err
    (record,) = certification_records(store)
    assert record["turns"] == summary["turns"] and record["attempt"] == 1
    assert run(capsys, "verify")[0] == 0


@pytest.mark.parametrize("command", ["play", "sessions", "report", "verify"])
def test_store_json_that_is_a_folder(
    store: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    play(capsys, "play", "Ana", PITCH)
    (store / "store.json").unlink()
    (store / "store.json").mkdir()
    args = [SCENARIO, "--script", str(PITCH)] if command == "play" else []
    code, _, err = run(capsys, command, *args)
    assert code == 1 and "store.json" in err and "folder" in err, err
    one_line(err)


@pytest.mark.parametrize("command", ["play", "sessions", "report", "verify"])
def test_trainees_that_is_a_file(
    store: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    play(capsys, "play", "Ana", PITCH)
    shutil.move(store / "trainees", store / "trainees-moved")
    (store / "trainees").write_text("not a folder")
    args = [SCENARIO, "--script", str(PITCH)] if command == "play" else []
    code, _, err = run(capsys, command, *args)
    assert code == 1 and "trainees" in err and "not a folder" in err, err
    one_line(err)
    assert (store / "trainees").read_text() == "not a folder"


# ------------------------------------------------------------------ read-only stores


READ_ONLY_COMMANDS: list[tuple[str, ...]] = [
    ("sessions",),
    ("sessions", "--all", "--json"),
    ("report",),
    ("report", "--format", "markdown"),
    ("verify",),
    ("export", "--xapi"),
    ("rescore",),
]


def _audited_store(store: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A store with what readers used to repair: a certification, practice, an
    interrupted session and an index a kill left stale."""
    play(capsys, "certify", "Ana", DISCOVERY)
    session = play(capsys, "play", "Ana", PITCH)["session"]
    assert isinstance(session, str)
    interrupted(store, "Ben", ["What made you take this call?"])
    data = json.loads(_index(store, "Ana").read_text())
    del data["sessions"]["2"]
    _index(store, "Ana").write_text(json.dumps(data))
    return session


@contextmanager
def writes_refused() -> Iterator[list[str]]:
    """Every way this code could create, change or remove a file fails as on a read-only
    file system, and is noted, except taking a lock: a reader may try to (verify wants a
    consistent snapshot of a live store) and must go on without it, as it fails here."""
    attempts: list[str] = []

    def refuse(what: str) -> OSError:
        if not what.endswith(".lock')"):
            attempts.append(what)
        return OSError(errno.EROFS, os.strerror(errno.EROFS), what)

    real_open, real_os_open = builtins.open, os.open
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

    def guarded_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(c in mode for c in "wax+"):
            raise refuse(f"open({file!r}, {mode!r})")
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & write_flags:
            raise refuse(f"os.open({path!r})")
        return real_os_open(path, flags, *args, **kwargs)

    def refused(name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if name in ("os.mkdir", "os.makedirs") and os.path.exists(args[0]):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), args[0])
            raise refuse(f"{name}{args!r}")

        return call

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builtins, "open", guarded_open)
        patch.setattr(io, "open", guarded_open)
        patch.setattr(os, "open", guarded_os_open)
        for name in ("replace", "rename", "mkdir", "makedirs", "unlink", "remove", "rmdir"):
            patch.setattr(os, name, refused(f"os.{name}"))
        patch.setattr(tempfile, "mkstemp", refused("tempfile.mkstemp"))
        yield attempts


def test_read_only_commands_never_write(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = _audited_store(store, capsys)
    for command in [*READ_ONLY_COMMANDS, ("export", session[:8], "--format", "json")]:
        with writes_refused() as attempts:
            code, _, err = run(capsys, *command)
        assert code == 0 and not attempts, (command, attempts, err)
        assert "Traceback" not in err
    with writes_refused() as attempts:
        listed = json.loads(run(capsys, "sessions", "--all", "--json")[1])
    assert len(listed) == 3 and not attempts


def test_read_only_commands_on_a_missing_store_say_so_and_create_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "typo"
    for command in [*READ_ONLY_COMMANDS, ("export", "abcd1234")]:
        code, _, err = run(capsys, *command, "--store", str(typo))
        assert code == 1 and "no results store" in err and str(typo) in err, (command, err)
        one_line(err)
        assert not typo.exists()


def test_on_a_new_machine_listings_say_nothing_was_played_and_create_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The default store, never played into, is an empty history, not an error; a named
    store that is not there stays an error (above)."""
    default = default_store()
    assert not default.exists()  # conftest points the data folder at a temporary one
    code, out, err = run(capsys, "sessions")
    assert (code, err) == (0, "") and out.startswith("No sessions yet")
    assert run(capsys, "sessions", "--json")[:2] == (0, "[]\n")
    code, out, err = run(capsys, "report")
    assert (code, err) == (0, "") and out.startswith("No sessions yet")
    code, out, _ = run(capsys, "report", "--json")
    assert code == 0 and json.loads(out)["trainees"] == []
    code, _, err = run(capsys, "verify")  # an auditor is told, not reassured
    assert code == 1 and "no results store" in err
    assert not default.exists()


def test_an_empty_folder_is_not_a_store_to_readers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "verify", "--store", str(tmp_path))
    assert code == 1 and "no results store" in err
    assert list(tmp_path.iterdir()) == []


def _unprivileged() -> list[str] | None:
    """How to run a command as a user chmod binds: nothing as a normal user; as root,
    `setpriv` to nobody (root ignores file modes)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.mark.slow
def test_a_read_only_copy_can_be_audited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real read-only copy (chmod -R a-w), read by a user the modes bind."""
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("running as root without setpriv: chmod cannot make a folder read-only")
    original = tmp_path / "store"
    monkeypatch.setenv("TRAINER_STORE", str(original))
    session = _audited_store(original, capsys)
    monkeypatch.delenv("TRAINER_STORE")
    base = Path(tempfile.mkdtemp(prefix="trainer-ro-"))
    try:
        os.chmod(base, 0o755)
        copy = base / "store"
        shutil.copytree(original, copy)
        before = {p: p.stat().st_mtime_ns for p in copy.rglob("*")}
        for path in [copy, *copy.rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            os.chmod(path, (mode | 0o444 | (0o111 if path.is_dir() else 0)) & ~0o222)
        commands = [*READ_ONLY_COMMANDS, ("export", session[:8], "--format", "json")]
        code = (
            "import json, sys\nfrom trainer.cli import main\n"
            "print(json.dumps([main(list(a) + ['--store', sys.argv[1]]) "
            f"for a in {commands!r}]))\n"
        )
        env = {**os.environ, "PYTHONPATH": str(REPO), "HOME": str(base)}
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env[name] = str(base / name.lower())
        probe = [*prefix, sys.executable, "-c", "import trainer.cli"]
        if prefix and subprocess.run(probe, cwd=base, env=env, capture_output=True).returncode:
            pytest.skip("the unprivileged user cannot read this checkout or its Python")
        done = subprocess.run(
            [*prefix, sys.executable, "-c", code, str(copy)],
            cwd=base,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        codes = json.loads(done.stdout.strip().splitlines()[-1])
        assert codes == [0] * len(commands), done.stderr
        assert "Traceback" not in done.stderr
        assert {p: p.stat().st_mtime_ns for p in copy.rglob("*")} == before
    finally:
        for path in [base, *base.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        shutil.rmtree(base)
