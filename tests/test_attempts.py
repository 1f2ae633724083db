"""Certification attempts that cannot be rehearsed (a fresh, unchoosable buyer seed per
attempt, recorded in the ledger and checked by verify) and that are explicit (the
briefing says which attempt it is, starting and quitting ask first)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any, cast

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Static

from tests.cli_helpers import DISCOVERY, SCENARIO, play_json, run
from tests.fake_openai import FakeOpenAI
from trainer.config import Settings
from trainer.engine.attempts import WHAT_COUNTS
from trainer.engine.seeds import is_certification_seed, model_seed
from trainer.llm.settings import LlmSettings
from trainer.store.layout import trainee_slug
from trainer.store.records import LedgerRecord
from trainer.store.repository import Store
from trainer.store.signed import SignedLedger
from trainer.tui.app import TrainerApp
from trainer.tui.context import AppContext
from trainer.tui.screens.briefing import BriefingScreen
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.conversation import ConversationScreen, SellerInput
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.screens.library import LibraryScreen

pytest_plugins = ["tests.fake_openai"]


def top(app: App[Any]) -> Screen[Any]:
    """The screen on top now (a call, so that an earlier isinstance check on
    ``app.screen`` does not make mypy think it cannot have changed)."""
    return app.screen


class Asker(App[None]):
    """A bare app that asks one question and keeps the answers."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool | None] = []

    def compose(self) -> ComposeResult:
        yield Static("behind")

    def ask(self) -> None:
        self.push_screen(
            ConfirmScreen("Start attempt 1 of 3?", "It uses one attempt.", "Start", "Not yet"),
            self.answers.append,
        )


async def test_the_confirmation_answers_yes_only_when_asked_for() -> None:
    app = Asker()
    async with app.run_test(size=(80, 24)) as pilot:
        app.ask()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Start attempt 1 of 3?" in str(app.screen.query_one("#question", Static).render())
        # The safe answer has the focus: Enter pressed twice in a hurry says no.
        assert app.screen.focused is app.screen.query_one("#no", Button)
        await pilot.press("enter")
        await pilot.pause()
        assert app.answers == [False] and not isinstance(app.screen, ConfirmScreen)
        for key in ("escape", "n"):
            app.ask()
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
        assert app.answers == [False, False, False]
        app.ask()
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        app.ask()
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert app.answers == [False, False, False, True, True]


# ---------------------------------------------------------------- attempts that vary


def buyer_lines(document: dict[str, Any]) -> list[str]:
    return [document["opening"], *(turn["buyer"] for turn in document["turns"])]


def header_of(store: Path, trainee: str, session: str) -> dict[str, Any]:
    stored = Store.open(store, read_only=True).find_session(session, trainee)
    return dict(stored.header)


def ledger_records(store: Path) -> list[dict[str, Any]]:
    data = json.loads((store / "certification" / "ledger-000001.json").read_text())
    return list(data["records"].values())


def test_two_attempts_with_the_same_script_meet_different_buyer_lines(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = play_json(capsys, "certify", "Ana", DISCOVERY)
    second = play_json(capsys, "certify", "Ana", DISCOVERY)
    assert buyer_lines(first) != buyer_lines(second)
    seeds = [header_of(store, "Ana", d["session"])["seed"] for d in (first, second)]
    assert seeds[0] != seeds[1] and all(is_certification_seed(s) for s in seeds)
    # ... and no practice run can replay one: its seed is refused for practice.
    code, _, err = run(
        capsys, "play", SCENARIO, "--script", str(DISCOVERY), "--seed", str(seeds[0])
    )
    assert code == 2 and "kept for certification attempts" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("value", ["7", "0", "-1", "x"])
def test_certify_refuses_a_chosen_seed_before_anything_is_counted(
    store: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    code, out, err = run(
        capsys, "certify", SCENARIO, "--script", str(DISCOVERY), "--trainee", "Ana", "--seed", value
    )
    assert code == 2 and out == ""
    assert "trainer: certify does not take --seed" in err and "trainer play --seed" in err
    assert "Traceback" not in err and "usage:" not in err
    assert not store.exists() or not Store.open(store).sessions("Ana")


def test_practice_keeps_its_own_reproducible_seeds(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = play_json(capsys, "play", "Ana", DISCOVERY, "--seed", "5")
    two = play_json(capsys, "play", "Ana", DISCOVERY, "--seed", "5")
    assert buyer_lines(one) == buyer_lines(two)
    assert header_of(store, "Ana", one["session"])["seed"] == 5


def test_the_ledger_records_each_attempts_seed(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = play_json(capsys, "certify", "Ana", DISCOVERY)
    (record,) = ledger_records(store)
    header = header_of(store, "Ana", document["session"])
    assert record["seed"] == header["seed"] == header["backend"]["seed"]
    assert is_certification_seed(record["seed"])


def session_file(store: Path, trainee: str) -> Path:
    (path,) = (store / "trainees" / trainee_slug(trainee) / "sessions").glob("*.json")
    return path


def test_verify_checks_each_records_seed_against_its_session(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play_json(capsys, "certify", "Ana", DISCOVERY)
    code, out, _ = run(capsys, "verify")
    assert code == 0, out
    path = session_file(store, "Ana")
    data = json.loads(path.read_text())
    recorded = data["session"]["1"]["seed"]
    data["session"]["1"]["seed"] = 7  # as if the attempt had been played with a known seed
    path.write_text(json.dumps(data))
    code, out, _ = run(capsys, "verify")
    assert code == 1
    assert f"seed: the signed record says {recorded}, the session file says 7" in out


def test_records_made_before_seeds_were_recorded_are_not_compared_on_them() -> None:
    header = {
        "id": "s1",
        "trainee": "Ana",
        "scenario": SCENARIO,
        "mode": "certification",
        "status": "ended",
        "attempt": 1,
        "seed": 0,
        "outcome": {"score": 80},
        "certification": {"passed": True, "record": "r1"},
    }
    record = {
        "id": "r1",
        "session": "s1",
        "trainee": "Ana",
        "scenario": SCENARIO,
        "attempt": 1,
        "score": 80,
        "passed": True,
    }
    signed = SignedLedger(key=None, latest={"s1": cast(LedgerRecord, record)})
    assert signed.confirm_header(trainee_slug("Ana"), header).standing == "chained"
    recorded = SignedLedger(
        key=None, latest={"s1": cast(LedgerRecord, {**record, "seed": 2**62 + 1})}
    )
    confirmation = recorded.confirm_header(trainee_slug("Ana"), header)
    assert [d.field for d in confirmation.differences] == ["seed"]


def test_a_model_buyer_gets_the_attempts_seed_not_the_configured_one(
    fake_openai: FakeOpenAI,
    store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("retries = 0\ntimeout = 5\nseed = 42\n")
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    flags = ["--backend", "llm", "--base-url", fake_openai.url, "--model", "m"]

    def buyer_seeds(command: str) -> tuple[set[object], set[object], int]:
        before = len(fake_openai.chat_requests())
        document = play_json(capsys, command, "Ana", DISCOVERY, *flags)
        sent = fake_openai.chat_requests()[before:]
        seeds = {r.body.get("seed") for r in sent if r.kind == "buyer" and r.body}
        judged = {r.body.get("seed") for r in sent if r.kind == "judge" and r.body}
        return seeds, judged, header_of(store, "Ana", document["session"])["seed"]

    practice, judged, _ = buyer_seeds("play")
    assert practice == {42} and judged == {42}
    first, judged, seed = buyer_seeds("certify")
    assert first == {model_seed(seed)} and judged == {42}
    second, _, other = buyer_seeds("certify")
    assert second == {model_seed(other)} and second != first


# ---------------------------------------------------------------- attempts that are explicit


class Terminal(io.StringIO):
    """Standard input as a trainee at a terminal types it."""

    def isatty(self) -> bool:
        return True


def test_a_typed_attempt_with_no_terminal_is_refused_without_hanging_or_counting(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("How long do trucks wait?\n/end\n"))
    code, out, err = run(capsys, "certify", SCENARIO, "--trainee", "Ana")
    assert code == 2 and out == ""
    assert "a typed certification attempt (attempt 1 of 3 at cold-call-cold-chain)" in err
    assert "none was started" in err and "--script FILE" in err
    assert Store.open(store).sessions("Ana") == []


@pytest.mark.parametrize("answer", ["", "n\n", "no\n", "maybe\n"])
def test_a_typed_attempt_starts_only_on_yes(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal(answer + "How long do trucks wait?\n/end\n"))
    code, out, _ = run(capsys, "certify", SCENARIO, "--trainee", "Ana")
    assert code == 0
    assert "Certification: Attempt 1 of 3 at " in out and WHAT_COUNTS in out
    assert "Not started: no attempt was used." in out
    assert Store.open(store).sessions("Ana") == []


def test_a_typed_attempt_says_which_it_is_and_counts_once_confirmed(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    play_json(capsys, "certify", "Ana", DISCOVERY)
    monkeypatch.setattr(sys, "stdin", Terminal("y\nHow long do trucks wait?\n/end\n"))
    code, out, _ = run(capsys, "certify", SCENARIO, "--trainee", "Ana")
    assert code == 0
    assert "Certification: Attempt 2 of 3 at " in out and "Dana:" in out
    assert [s["attempt"] for s in Store.open(store).sessions("Ana")] == [1, 2]
    play_json(capsys, "certify", "Ana", DISCOVERY)
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    code, out, err = run(capsys, "certify", SCENARIO, "--trainee", "Ana")
    assert code == 1 and out == ""
    assert "You have used all 3 certification attempts at this scenario" in err


# ---------------------------------------------------------------- the TUI


def tui(tmp_path: Path, **extra: Any) -> TrainerApp:
    settings = Settings(
        store=tmp_path / "store", trainee="Ana", org_key=None, xapi_homepage="https://x.invalid"
    )
    context = AppContext(
        settings=settings, llm=LlmSettings("offline"), clock=lambda: 1000.0, **extra
    )
    return TrainerApp(context)


def shown(screen: Screen[Any], selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def settle(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def send(pilot: Pilot[None], text: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, ConversationScreen)
    screen.query_one(SellerInput).text = text
    await settle(pilot, "enter")
    if screen.turn_worker is not None:
        await screen.turn_worker.wait()
    await pilot.pause()


def attempts_in(tmp_path: Path) -> list[Any]:
    if not (tmp_path / "store").exists():
        return []
    return [s["attempt"] for s in Store.open(tmp_path / "store").sessions("Ana")]


async def test_starting_an_attempt_says_which_it_is_and_asks_first(tmp_path: Path) -> None:
    app = tui(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, "c")
        briefing = app.screen
        assert isinstance(briefing, BriefingScreen)
        text = shown(briefing, "#brief")
        assert "Certification · Attempt 1 of 3" in text and WHAT_COUNTS in text
        await settle(pilot, "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Start certification attempt 1 of 3?" in shown(app.screen, "#question")
        await settle(pilot, "enter")  # the focused answer is "Not yet"
        assert top(app) is briefing and attempts_in(tmp_path) == []
        await settle(pilot, "enter", "n")
        assert top(app) is briefing and attempts_in(tmp_path) == []
        await settle(pilot, "enter", "y")
        call = app.screen
        assert isinstance(call, ConversationScreen) and call.mode == "certification"
        assert attempts_in(tmp_path) == [1]
        assert is_certification_seed(getattr(call.session.recorder, "seed", None))


async def test_r_on_a_certification_debrief_goes_to_the_briefing(tmp_path: Path) -> None:
    app = tui(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, "c", "enter", "y")
        first = app.screen
        assert isinstance(first, ConversationScreen)
        await send(pilot, "How are inbound trucks at Savannah scheduled today?")
        await settle(pilot, "ctrl+e", "ctrl+e")
        assert isinstance(app.screen, DebriefScreen)
        await settle(pilot, "r")
        briefing = app.screen
        assert isinstance(briefing, BriefingScreen) and briefing.mode == "certification"
        assert "Attempt 2 of 3" in shown(briefing, "#brief")
        assert attempts_in(tmp_path) == [1]  # nothing used by the key itself
        await settle(pilot, "enter", "y")
        second = app.screen
        assert isinstance(second, ConversationScreen)
        assert attempts_in(tmp_path) == [1, 2]
        seeds = [getattr(s.session.recorder, "seed", None) for s in (first, second)]
        assert seeds[0] != seeds[1]


async def test_r_on_a_practice_debrief_still_plays_again_at_once(tmp_path: Path) -> None:
    app = tui(tmp_path, seed=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, "enter", "enter")
        first = app.screen
        assert isinstance(first, ConversationScreen) and first.mode == "practice"
        await settle(pilot, "ctrl+e")
        await settle(pilot, "r")
        again = app.screen
        assert isinstance(again, ConversationScreen) and again.mode == "practice"
        assert getattr(again.session.recorder, "seed", None) == 3


async def test_quitting_mid_attempt_asks_first_and_says_it_counts(tmp_path: Path) -> None:
    app = tui(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, "c", "enter", "y")
        call = app.screen
        assert isinstance(call, ConversationScreen)
        await send(pilot, "How are inbound trucks at Savannah scheduled today?")
        await settle(pilot, "ctrl+q")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        words = shown(question, "#question")
        assert "This attempt (1 of 3) will count" in words and "(1 turn)" in words
        assert f"trainer resume {call.session.id[:8]}" in words
        await settle(pilot, "ctrl+q")  # not an answer
        assert app.screen is question
        await settle(pilot, "escape")
        assert top(app) is call and app.is_running
        await settle(pilot, "f1")  # from a screen over the call, too
        await settle(pilot, "ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await settle(pilot, "y")
        assert not app.is_running
    (summary,) = Store.open(tmp_path / "store").sessions("Ana")
    # Saved as it stood, and counted ("in progress" while this process, its owner, lives;
    # "interrupted" once it has gone, for trainer resume).
    assert summary["attempt"] == 1 and summary["status"] == "in progress"
    assert summary["turns"] == 1


async def test_no_attempt_left_is_said_and_nothing_starts(tmp_path: Path) -> None:
    app = tui(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3):
            await settle(pilot, "c", "enter", "y")
            assert isinstance(app.screen, ConversationScreen)
            await settle(pilot, "ctrl+e", "ctrl+e", "escape")
            assert isinstance(app.screen, LibraryScreen)
        await settle(pilot, "c")
        briefing = app.screen
        assert isinstance(briefing, BriefingScreen)
        assert "All 3 attempts used" in shown(briefing, "#brief")
        await settle(pilot, "enter")
        assert app.screen is briefing
    assert attempts_in(tmp_path) == [1, 2, 3]


async def test_a_store_that_cannot_be_read_starts_no_attempt_and_says_why(
    tmp_path: Path,
) -> None:
    (tmp_path / "store").write_text("not a folder")
    app = tui(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, "c")
        briefing = app.screen
        assert isinstance(briefing, BriefingScreen)
        text = shown(briefing, "#brief")
        assert "Certification · 3 attempts allowed" in text and "Attempt 1" not in text
        await settle(pilot, "enter")
        assert app.screen is briefing and app.is_running
        notes = [n.message for n in app._notifications]
        assert any(n.startswith("No attempt can start:") for n in notes), notes
