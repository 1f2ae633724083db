"""A store written by an earlier trainer stays readable, verifiable and identical.

``tests/data/store-2026-11-27/store`` was written by the trainer of 27 November 2026
(commit 9ea3dc7, before issue 14 typed the store's records): two trainees, practice and
certification sessions, a failed attempt, a passed one, and a practice call killed after
two turns. ``expected/`` holds what that trainer printed for it. Changing how records are
built or read must keep every ledger hash valid and every listing, report and export the
same, byte for byte; the scenarios it was played on are copied beside it in ``content/``
so that a change to the starter library does not move these figures.

One line of ``expected/`` was changed on purpose since (issue 15): ``sessions --all`` now
counts the killed call's 2 stored turns, as ``sessions`` for one trainee always did, where
it printed 0.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli_helpers import DISCOVERY, run
from trainer.reports.session_export import ExportFormat
from trainer.tui.context import AppContext

FIXTURE = Path(__file__).parent / "data" / "store-2026-11-27"
CONTENT = FIXTURE / "content"
EXPECTED = FIXTURE / "expected"
ORG_KEY = "fixture-organisation-key-0001"
SESSIONS = {
    "ana": ("31328ff4", "c585b8a0", "4064687a", "93bb3396"),
    "bo": ("f66e92ff", "6f60ed29"),
}
INTERRUPTED = "93bb3396"


@pytest.fixture
def old_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the old store (commands may add lock files), with its key and trainee."""
    root = tmp_path / "store"
    shutil.copytree(FIXTURE / "store", root)
    monkeypatch.setenv("TRAINER_STORE", str(root))
    monkeypatch.setenv("TRAINER_ORG_KEY", ORG_KEY)
    monkeypatch.setenv("TRAINER_TRAINEE", "ana")
    return root


def files(root: Path) -> dict[str, bytes]:
    """Every record file of a store, by its path inside it (lock files left out)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*.json"))
        if p.is_file()
    }


def ledger_records(root: Path) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for part in sorted((root / "certification").glob("ledger-*.json")):
        table = json.loads(part.read_text())["records"]
        records += [table[k] for k in sorted(table, key=int)]
    return records


READ_ONLY = [
    ("verify.txt", ("verify", "--content", str(CONTENT))),
    ("sessions.json", ("sessions", "--all", "--json")),
    ("sessions.txt", ("sessions", "--all")),
    ("report.json", ("report", "--json")),
    ("report.md", ("report", "--format", "markdown")),
    ("report-by-scenario.csv", ("report", "--by-scenario", "--format", "csv")),
    ("xapi.json", ("export", "--xapi")),
] + [
    (f"export-{sid}.{ext}", ("export", sid, "--trainee", who, "--content", str(CONTENT), *fmt))
    for who, ids in SESSIONS.items()
    for sid in ids
    for ext, fmt in (("md", ()), ("json", ("--format", "json")))
]


@pytest.mark.parametrize(("expected", "argv"), READ_ONLY, ids=[e for e, _ in READ_ONLY])
def test_reading_an_old_store_prints_what_it_printed_then(
    old_store: Path,
    capsys: pytest.CaptureFixture[str],
    expected: str,
    argv: tuple[str, ...],
) -> None:
    before = files(old_store)
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert out == (EXPECTED / expected).read_text()
    assert files(old_store) == before, "a command that only reads changed a record file"


def test_every_old_ledger_record_still_checks_out(
    old_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "verify", "--content", str(CONTENT))
    assert code == 0
    assert "3 certification records checked: all check out." in out
    assert len(ledger_records(old_store)) == 3


def test_going_on_with_an_old_session_keeps_what_was_there(
    old_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Resuming the killed call writes to the old store with today's code: the other
    sessions' files and the ledger's records stay as they were, and all still verify."""
    before = files(old_store)
    ledger_before = ledger_records(old_store)
    code, out, err = run(
        capsys, "resume", INTERRUPTED, "--script", str(DISCOVERY), "--content", str(CONTENT)
    )
    assert code == 0, err
    after = files(old_store)
    touched = {name for name in before if after.get(name) != before[name]}
    assert touched == {
        "trainees/ana-24d4b96f/index.json",
        "trainees/ana-24d4b96f/sessions/93bb3396c8cf4dcba7bc7b0eb0e447b2.json",
    }
    assert ledger_records(old_store) == ledger_before
    code, out, _ = run(capsys, "verify", "--content", str(CONTENT))
    assert code == 0, out
    code, out, _ = run(capsys, "sessions", "--json")
    resumed = next(s for s in json.loads(out) if s["id"].startswith(INTERRUPTED))
    assert resumed["status"] == "ended"
    assert resumed["turns"] > 2


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_the_tui_saves_what_trainer_export_prints(old_store: Path, fmt: ExportFormat) -> None:
    """The debrief and History export through the same function as ``trainer export``: the
    same bytes, the ledger's word on a certification included, and a file name a trainee
    can find."""
    context = AppContext.from_environment(content=[CONTENT])
    for who, ids in SESSIONS.items():
        for sid in ids:
            stored = context.store.find_session(sid, who)
            export = context.export(stored, fmt)
            suffix = "json" if fmt == "json" else "md"
            assert export.body == (EXPECTED / f"export-{sid}.{suffix}").read_text()
            assert export.name == f"trainer-{stored.header['scenario']}-{sid}.{suffix}"
