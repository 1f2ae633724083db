"""``trainer.sessions``, the one place a session is assembled: opening a new one (practice
or certification, recorded or not), resuming an interrupted one, closing one, recording
the end of one that had already ended, and the typed certification outcome front ends
read. Engine-level: a temporary store, the offline backend, no Textual."""

from __future__ import annotations

import asyncio
import dataclasses
import os
from pathlib import Path

import pytest

from tests.cli_helpers import DISCOVERY, PITCH, SCENARIO
from trainer.content.finder import open_library
from trainer.content.library import Library, ResolvedScenario
from trainer.engine.ports import Mode, NullRecorder
from trainer.engine.seeds import CERTIFICATION_FLOOR
from trainer.engine.session import Session
from trainer.errors import CannotResume, ExitCode, InputError, UsageError
from trainer.sessions.ending import close_session, record_ended
from trainer.sessions.opening import open_session
from trainer.sessions.outcome import CertificationOutcome
from trainer.sessions.recording import certification_of, recording
from trainer.sessions.results import Results, ledger_for, open_results
from trainer.sessions.resuming import interrupted_session, resume_session
from trainer.sessions.seeding import session_seed
from trainer.store.recorder import StoreRecorder
from trainer.store.repository import Store

DEAD_PID = 2**22 + 4321
"""The pid of a process that has since died: its open sessions read as interrupted."""


@pytest.fixture(scope="module")
def library() -> Library:
    return open_library(None)


@pytest.fixture
def setup(library: Library) -> ResolvedScenario:
    return library.resolve(SCENARIO)


def results_in(root: Path, pid: int | None = None) -> Results:
    store, ledger = open_results(root, None)
    if pid is not None:
        store.pid = pid
    return Results(store, ledger, "Ana")


def lines(script: Path, count: int | None = None) -> list[str]:
    return script.read_text().splitlines()[:count]


def played(session: Session, said: list[str], end: bool = True) -> Session:
    async def play() -> None:
        if not session.opening:  # a resumed session goes on from its last turn
            await session.start()
        for line in said:
            if session.over:
                break
            await session.play(line)
        if end and not session.over:
            await session.end_by_seller()

    asyncio.run(play())
    return session


def interrupted(
    root: Path, setup: ResolvedScenario, mode: Mode, said: list[str], seed: int = 0
) -> str:
    """A session whose process died after ``said`` was played; its id."""
    session = open_session(setup, mode, seed, results=results_in(root, DEAD_PID))
    return played(session, said, end=False).id


# ------------------------------------------------------------------ open


def test_a_practice_session_is_recorded_where_recording_says(
    tmp_path: Path, setup: ResolvedScenario
) -> None:
    results = results_in(tmp_path)
    session = played(open_session(setup, "practice", 3, results=results), lines(DISCOVERY, 2))
    recorded = recording(session)
    assert recorded is not None
    assert recorded.trainee == "Ana" and recorded.saved_in == tmp_path
    assert recorded.store is results.store
    assert recorded.attempt is None and recorded.certification is None
    stored = results.store.find_session(session.id, "Ana")
    assert stored.header["status"] == "ended" and stored.header["seed"] == 3
    assert stored.header["backend"]["seed"] == 3 and stored.header["backend"]["buyer"] == "offline"


def test_an_unrecorded_session_has_no_recording(setup: ResolvedScenario) -> None:
    session = played(open_session(setup, "practice", 0), lines(PITCH, 2))
    assert isinstance(session.recorder, NullRecorder)
    assert recording(session) is None and certification_of(session) is None


def test_a_front_end_may_bring_its_own_backends(setup: ResolvedScenario) -> None:
    from trainer.sessions.backends import make_backends

    asked: list[int] = []

    def backends(scenario: ResolvedScenario, seed: int) -> tuple[object, object]:
        asked.append(seed)
        return make_backends(None, seed)

    session = open_session(setup, "practice", 7, backends=backends)  # type: ignore[arg-type]
    assert asked == [7] and session.buyer.name == "offline"


def test_seeds_are_chosen_for_practice_and_drawn_for_certification() -> None:
    assert session_seed("practice", 12) == 12
    assert session_seed("practice", None) == 0
    assert session_seed("certification", None, lambda: CERTIFICATION_FLOOR + 5) == (
        CERTIFICATION_FLOOR + 5
    )
    with pytest.raises(UsageError, match="certify does not take --seed") as refused:
        session_seed("certification", 3)
    assert refused.value.exit_code == ExitCode.USAGE
    with pytest.raises(UsageError, match="kept for certification attempts"):
        session_seed("practice", CERTIFICATION_FLOOR)


# ------------------------------------------------------------------ the typed outcome


def test_a_certification_attempt_has_a_typed_outcome_from_its_ledger_record(
    tmp_path: Path, setup: ResolvedScenario
) -> None:
    results = results_in(tmp_path)
    seed = session_seed("certification", None)
    session = played(open_session(setup, "certification", seed, results=results), lines(DISCOVERY))
    recorded = recording(session)
    assert recorded is not None and recorded.attempt == 1
    outcome = certification_of(session)
    assert isinstance(outcome, CertificationOutcome)
    (record,) = list(results.ledger.records())
    assert outcome.record_id == record["id"]
    assert (outcome.passed, outcome.score, outcome.pass_mark) == (
        record["passed"],
        record["score"],
        record["pass_mark"],
    )
    assert outcome.attempt == 1
    assert outcome.attempts_allowed == setup.scenario.certification.attempts
    assert outcome.reasons == tuple(record["reasons"])
    assert list(outcome.requirements) == record["requirements"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.passed = not outcome.passed  # type: ignore[misc]
    # what --json prints: the same keys, in the same order, as the recorder's summary
    assert isinstance(session.recorder, StoreRecorder)
    assert outcome.record() == session.recorder.certification
    assert list(outcome.record()) == list(session.recorder.certification or {})


# ------------------------------------------------------------------ resume


def test_an_interrupted_session_resumes_with_its_own_id_seed_and_turns(
    tmp_path: Path, setup: ResolvedScenario, library: Library
) -> None:
    session_id = interrupted(tmp_path, setup, "practice", lines(DISCOVERY, 2), seed=5)
    results = results_in(tmp_path)
    stored = interrupted_session(results.store, session_id[:8], "Ana", held_here=False)
    resumed = resume_session(results.store, results.ledger, stored, library.resolve)
    session = resumed.session
    assert session.id == session_id and not resumed.changed
    assert len(session.turns) == 2 and session.opening and not session.over
    assert session.mode == "practice"
    recorded = recording(session)
    assert recorded is not None and recorded.trainee == "Ana"
    played(session, lines(DISCOVERY)[2:4], end=True)
    after = results.store.find_session(session_id, "Ana")
    assert after.header["status"] == "ended" and after.header["seed"] == 5
    assert len(after.main_line()) == len(session.turns) >= 3


def test_what_cannot_be_resumed_is_refused_in_one_set_of_words(
    tmp_path: Path, setup: ResolvedScenario, library: Library
) -> None:
    results = results_in(tmp_path)
    finished = played(open_session(setup, "practice", 0, results=results), lines(PITCH, 1))
    with pytest.raises(CannotResume, match="is ended: only interrupted ones go on") as refused:
        interrupted_session(results.store, finished.id, "Ana")
    assert isinstance(refused.value, InputError) and refused.value.exit_code == ExitCode.FAILED

    # held open by this very process: the CLI may go on with it, the TUI may not
    here = results_in(tmp_path / "here", pid=os.getpid())
    held = played(open_session(setup, "practice", 0, results=here), lines(PITCH, 1), end=False)
    assert interrupted_session(here.store, held.id, "Ana").id == held.id
    with pytest.raises(CannotResume, match="is in progress: only interrupted ones go on"):
        interrupted_session(here.store, held.id, "Ana", held_here=False)

    # another live process plays it
    elsewhere = results_in(tmp_path / "elsewhere", pid=os.getppid())
    theirs = played(
        open_session(setup, "practice", 0, results=elsewhere), lines(PITCH, 1), end=False
    )
    with pytest.raises(CannotResume, match="already being played by another trainer process"):
        interrupted_session(results_in(tmp_path / "elsewhere").store, theirs.id, "Ana")

    # its scenario is gone
    session_id = interrupted(tmp_path, setup, "practice", lines(PITCH, 1))
    stored = interrupted_session(results.store, session_id, "Ana")

    def gone(scenario: str) -> ResolvedScenario:
        raise KeyError(scenario)

    with pytest.raises(CannotResume, match=f"the scenario {SCENARIO} is no longer in the library"):
        resume_session(results.store, results.ledger, stored, gone)


def test_an_attempt_whose_scenario_changed_is_refused_before_it_is_claimed(
    tmp_path: Path, setup: ResolvedScenario
) -> None:
    session_id = interrupted(
        tmp_path, setup, "certification", lines(DISCOVERY, 2), seed=CERTIFICATION_FLOOR
    )
    edited = dataclasses.replace(setup.scenario_source, sha256="0" * 64)
    changed = dataclasses.replace(setup, scenario_source=edited)
    results = results_in(tmp_path)
    stored = interrupted_session(results.store, session_id, "Ana")
    with pytest.raises(CannotResume, match=r"changed since this attempt began.*trainer close"):
        resume_session(results.store, results.ledger, stored, lambda _: changed)
    # nothing was claimed: the session is still interrupted, for `trainer close`
    assert results.store.live_status(results.store.find_session(session_id).header) == (
        "interrupted"
    )
    # practice goes on, and says the scenario changed
    practice_id = interrupted(tmp_path, setup, "practice", lines(PITCH, 1))
    stored = interrupted_session(results.store, practice_id, "Ana")
    resumed = resume_session(results.store, results.ledger, stored, lambda _: changed)
    assert resumed.changed and resumed.session.id == practice_id


# ------------------------------------------------------------------ close and finish


def test_closing_an_interrupted_attempt_counts_it_and_does_not_pass(
    tmp_path: Path, setup: ResolvedScenario, library: Library
) -> None:
    session_id = interrupted(
        tmp_path, setup, "certification", lines(DISCOVERY, 3), seed=CERTIFICATION_FLOOR
    )
    results = results_in(tmp_path)
    stored = interrupted_session(results.store, session_id, "Ana")
    session = resume_session(results.store, results.ledger, stored, library.resolve).session
    assert session.mode == "certification" and not session.over
    outcome = close_session(session)
    assert outcome is not None and not outcome.passed and outcome.attempt == 1
    assert any("not finished" in reason for reason in outcome.reasons)
    assert results.store.find_session(session_id).header["status"] == "closed"
    assert [r["id"] for r in results.ledger.records()] == [outcome.record_id]


def test_closing_practice_has_no_outcome(
    tmp_path: Path, setup: ResolvedScenario, library: Library
) -> None:
    session_id = interrupted(tmp_path, setup, "practice", lines(PITCH, 1))
    results = results_in(tmp_path)
    stored = interrupted_session(results.store, session_id, "Ana")
    session = resume_session(results.store, results.ledger, stored, library.resolve).session
    assert close_session(session) is None
    assert results.store.find_session(session_id).header["status"] == "closed"


def test_a_call_that_had_ended_only_has_its_end_recorded(
    tmp_path: Path,
    setup: ResolvedScenario,
    library: Library,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def killed_before_the_end_was_saved(self: StoreRecorder, session: object) -> None:
        return None

    with monkeypatch.context() as patch:
        patch.setattr(StoreRecorder, "session_ended", killed_before_the_end_was_saved)
        session_id = interrupted(tmp_path, setup, "practice", lines(PITCH))
    results = results_in(tmp_path)
    stored = interrupted_session(results.store, session_id, "Ana")
    session = resume_session(results.store, results.ledger, stored, library.resolve).session
    assert session.over and session.ended_by == "buyer"
    turns = len(session.turns)
    assert record_ended(session) is None
    after = results.store.find_session(session_id)
    assert after.header["status"] == "ended" and len(after.main_line()) == turns


def test_the_ledger_of_a_store_is_the_one_open_results_gives(tmp_path: Path) -> None:
    store, ledger = open_results(tmp_path, b"key")
    assert isinstance(store, Store)
    assert type(ledger_for(store, b"key")) is type(ledger)
