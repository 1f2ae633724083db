"""The call screens as a trainee expects them (issue 12, item 8): rewind after a hang-up,
Ctrl+Q asks first, History resumes an interrupted session, the library's columns at
80x24, backend flags on bare ``trainer``, exports in the data folder, and no internal
word (a flag, a fact id, a criterion id, "1 turns") in front of a trainee."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, cast

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tests.cli_helpers import PITCH, SCENARIO
from tests.test_hardening_store import interrupted
from tests.test_tui import REPO, TURNS, context, say
from trainer.store.repository import Store
from trainer.store.signed import ShownSummary
from trainer.tui.app import TrainerApp
from trainer.tui.screens.conversation import ConversationScreen, SellerInput
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.screens.history import HistoryScreen
from trainer.tui.screens.library import LibraryScreen


def top(app: App[Any]) -> Screen[Any]:
    """The screen on top now (a call, so that an earlier isinstance check on
    ``app.screen`` does not make mypy think it cannot have changed)."""
    return app.screen


async def in_a_call(pilot: object, *keys: str) -> ConversationScreen:
    """From the library into a call (Enter, Enter: practice on the first scenario)."""
    await pilot.press(*(keys or ("enter", "enter")))  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    screen = pilot.app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, ConversationScreen)
    return screen


async def hang_up(pilot: object, screen: ConversationScreen) -> None:
    """Pitch until the buyer ends the call."""
    for line in PITCH.read_text().splitlines():
        await say(pilot, line)
        if screen.session.over:
            break
    assert screen.session.ended_by == "buyer"


# ------------------------------------------------------------------ 1. rewind after a hang-up


async def test_rewind_after_the_buyer_hangs_up_reopens_the_call(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await in_a_call(pilot)
        await hang_up(pilot, screen)
        played = len(screen.session.turns)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not screen.session.over and len(screen.session.turns) == played - 1
        box = screen.query_one(SellerInput)
        assert not box.disabled and box.has_focus
        await say(pilot, TURNS[1])
        assert app.screen is screen  # Enter sent the turn, not the debrief
        assert len(screen.session.turns) == played
        assert screen.session.turns[-1].seller == TURNS[1]


# ------------------------------------------------------------------ 2. Ctrl+Q asks first


async def test_ctrl_q_mid_call_asks_first(tmp_path: Path) -> None:
    from trainer.tui.screens.confirm import ConfirmScreen

    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        call = await in_a_call(pilot)
        await say(pilot, TURNS[0])
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and app.is_running
        assert "Quit" in str(app.screen.query_one("#question", Static).render())
        await pilot.press("escape")  # no: back to the call, nothing lost
        await pilot.pause()
        assert top(app) is call and len(call.session.turns) == 1
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_ctrl_q_outside_a_call_quits_at_once(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running


# ------------------------------------------------------------------ 3. resume from History


async def test_history_resumes_an_interrupted_session(tmp_path: Path) -> None:
    session_id = await asyncio.to_thread(interrupted, tmp_path / "store", "Ana", TURNS[:2])
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("r")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert screen.session.id == session_id and len(screen.session.turns) == 2
        shown = [str(s.render()) for s in screen.query("Utterance")]
        assert any(TURNS[1] in line for line in shown)
        await say(pilot, TURNS[2])
        assert len(screen.session.turns) == 3
    stored = Store.open(tmp_path / "store").find_session(session_id, "Ana")
    assert len(stored.main_line()) == 3


async def test_history_will_not_resume_a_finished_session(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await in_a_call(pilot)
        await say(pilot, TURNS[0])
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("escape", "h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert any("is ended: only interrupted ones go on" in n.message for n in app._notifications)


# ------------------------------------------------------------------ 4. the library at 80x24


def columns_fit(app: TrainerApp) -> None:
    table = app.screen.query_one(DataTable)
    labels = [str(c.label) for c in table.ordered_columns]
    assert labels[-3:] == ["Level", "Tries", "Best"]
    widths = sum(c.get_render_width(table) for c in table.ordered_columns)
    assert widths <= table.scrollable_content_region.width
    assert table.max_scroll_x == 0


async def test_the_library_at_80x24_keeps_level_tries_and_best(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        columns_fit(app)


async def test_the_library_keeps_its_columns_when_the_terminal_shrinks_to_80x24(
    tmp_path: Path,
) -> None:
    """The title column was sized once, for the terminal at start: a window made
    smaller (or a tmux split) pushed Level, Tries and Best off the right edge."""
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        columns_fit(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        columns_fit(app)


# ------------------------------------------------------------------ 5. backend flags


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--profile", "ollama", "--model", "llama3"], ("llm", "http://localhost:11434/v1")),
        (["--backend", "offline"], ("offline", None)),
        (["--base-url", "http://127.0.0.1:8000/v1", "--model", "m"], ("llm", "m")),
    ],
)
def test_bare_trainer_takes_the_backend_flags(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: tuple[str, str | None]
) -> None:
    import trainer.tui.app
    from trainer.cli import main
    from trainer.llm.settings import LlmSettings

    seen: list[LlmSettings | None] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)

    def run_app(llm: LlmSettings | None = None) -> int:
        seen.append(llm)
        return 0

    monkeypatch.setattr(trainer.tui.app, "run_app", run_app)
    assert main(argv) == 0
    (llm,) = seen
    assert llm is not None and llm.backend == expected[0]
    if expected[1] is not None:
        assert expected[1] in (llm.base_url, llm.model)


def test_a_bad_backend_flag_on_bare_trainer_is_one_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from trainer.cli import main

    with pytest.raises(SystemExit) as exit:
        main(["--profile", "nonsense"])
    assert exit.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
    assert main(["--profile", "ollama"]) == 1  # no model named: said, not raised
    err = capsys.readouterr().err
    assert err.startswith("trainer: ") and "--model" in err and "Traceback" not in err


# ------------------------------------------------------------------ 6. exports


async def test_debrief_exports_go_to_the_exports_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await in_a_call(pilot)
        await say(pilot, TURNS[0])
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("m")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
    from trainer.config import default_exports

    assert list(elsewhere.iterdir()) == []
    (saved,) = default_exports().iterdir()
    assert saved.suffix == ".md" and any(str(saved) in m for m in messages)


def test_the_exports_folder_comes_from_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.config import resolve_settings

    config = tmp_path / "config.toml"
    config.write_text(f'exports = "{tmp_path / "mine"}"\n')
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    assert resolve_settings().exports == tmp_path / "mine"
    config.write_text("")
    default = resolve_settings().exports
    assert default.name == "exports" and Path.cwd() not in (default, default.parent)


async def test_a_transcript_in_history_exports_to_the_exports_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.config import default_exports
    from trainer.tui.screens.history import TranscriptScreen

    monkeypatch.chdir(tmp_path)
    await asyncio.to_thread(interrupted, tmp_path / "store", "Ana", TURNS[:2])
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        await pilot.press("m", "j")
        await pilot.pause()
    saved = sorted(p.suffix for p in default_exports().iterdir())
    assert saved == [".json", ".md"]
    page = next(default_exports().glob("*.md")).read_text()
    assert "Dana Okafor" in page and TURNS[1][:30] in page


async def test_settings_show_the_exports_folder(tmp_path: Path) -> None:
    from trainer.config import default_exports

    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        shown = str(app.screen.query_one("#current", Static).render())
    assert "Exports" in shown and str(default_exports()) in shown


# ------------------------------------------------------------------ 7. plain words


def test_a_turn_cause_names_no_fact_id() -> None:
    from trainer.engine.session import Turn

    turn = Turn.__new__(Turn)
    object.__setattr__(turn, "changes", ())
    object.__setattr__(turn, "disclosed_now", ("detention-bill",))
    object.__setattr__(turn, "withheld_topic", None)
    assert "detention-bill" not in turn.cause and "told you" in turn.cause


def test_flags_are_said_in_plain_words() -> None:
    from trainer.words import flag_notes

    notes = flag_notes(("judge_fallback", "review", "incomplete_reply", "something_new"))
    joined = " ".join(notes)
    assert "_" not in joined and "judge_fallback" not in joined
    assert "offline" in joined and len(notes) == 2  # the cut-off reply is said where it is


async def test_the_call_shows_no_flag_names(tmp_path: Path) -> None:
    from dataclasses import replace

    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await in_a_call(pilot)
        await say(pilot, TURNS[1])
        turn = replace(screen.session.turns[-1], flags=("judge_fallback",))
        screen.show_side(turn)
        verdict = str(screen.query_one("#verdict", Static).render())
        assert "judge_fallback" not in verdict and "Flags" not in verdict
        assert "offline" in verdict


def test_plural_forms() -> None:
    from trainer.words import plural

    assert plural(1, "turn") == "1 turn"
    assert plural(0, "turn") == "0 turns"
    assert plural(2, "fact") == "2 facts"


def test_the_sessions_listing_says_1_turn() -> None:
    from trainer.cli.sessions import session_row

    # a partial entry, as a hand-edited index may hold
    claimed = {"id": "abcdef123", "turns": 1, "status": "ended", "mode": "practice"}
    row = session_row(cast(ShownSummary, claimed))
    assert " 1 turn " in row and "1 turns" not in row


async def test_ending_a_certification_says_1_turn(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await in_a_call(pilot, "c", "enter", "y")  # y: start the attempt
        await say(pilot, TURNS[0])
        await pilot.press("ctrl+e")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
    assert any("(1 turn;" in m for m in messages), messages


def stored_session(tmp_path: Path) -> tuple[object, dict[str, str], dict[str, str]]:
    """A finished practice session with missed facts, and the persona's facts and the
    rubric's criterion names."""
    from trainer.cli.starting import recorded_into
    from trainer.content.finder import find_scenario, open_library

    setup = find_scenario(SCENARIO, open_library(None))
    import argparse

    from trainer.sessions.opening import open_session

    results = recorded_into(argparse.Namespace(store=str(tmp_path), trainee="Ana"))
    session = open_session(setup, "practice", 0, results=results)

    async def played() -> None:
        await session.start()
        await session.play(TURNS[0])
        await session.end_by_seller()

    asyncio.run(played())
    assert results is not None
    stored = results.store.find_session(session.id, "Ana")
    facts = {f.id: f.fact for f in setup.persona.hidden_facts}
    names = {c.id: c.name for c in setup.rubric.criteria}
    return stored, facts, names


def test_the_markdown_export_names_criteria_and_lists_missed_facts(tmp_path: Path) -> None:
    from trainer.reports.session_export import session_markdown

    stored, facts, names = stored_session(tmp_path)
    page = session_markdown(stored, facts, criteria=names)  # type: ignore[arg-type]
    for criterion_id in names:
        if "_" in criterion_id:
            assert f"| {criterion_id} |" not in page
    assert any(f"| {name} |" in page for name in names.values())
    assert ".; " not in page
    missed = [line for line in page.splitlines() if line.startswith("- missed: ")]
    assert len(missed) >= 2
    assert all(line.removeprefix("- missed: ") in facts.values() for line in missed)


def test_the_cli_export_names_criteria(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from trainer.cli import main

    stored, _, names = stored_session(tmp_path)
    code = main(["export", stored.id, "--store", str(tmp_path), "--trainee", "Ana"])  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    assert code == 0
    assert "customer_focus" not in out and any(f"| {n} |" in out for n in names.values())


async def test_the_library_footer_has_one_quit(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        shown = [
            b.binding.description
            for b in app.active_bindings.values()
            if b.binding.show and b.binding.description
        ]
        assert [d for d in shown if d == "Quit"] == ["Quit"]


async def test_the_debrief_charts_have_axes_and_labels(tmp_path: Path) -> None:
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await in_a_call(pilot)
        for line in TURNS[:3]:
            await say(pilot, line)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        chart = str(app.screen.query_one("#charts", Static).render())
    assert "Patience" in chart and "Openness" in chart
    assert "100" in chart and "0" in chart and "turn" in chart
    assert "1" in chart and "3" in chart


def test_a_chart_has_a_scale_and_turn_numbers() -> None:
    from trainer.tui.widgets.chart import chart

    text = chart("Patience", [80, 60, 40, 20], height=4).plain
    lines = text.splitlines()
    assert lines[0].startswith("Patience")
    assert lines[1].lstrip().startswith("100")
    assert any(line.lstrip().startswith("0 ") or line.strip() == "0 ┤" for line in lines)
    assert lines[-1].split() == ["1", "4", "turns"]
    assert lines[-1].index("1") == lines[1].index("┤") + 1  # under the first bar


async def test_history_progress_is_a_labelled_chart(tmp_path: Path) -> None:
    from tests.cli_helpers import DISCOVERY
    from trainer.cli import main

    store = tmp_path / "store"
    for script in (PITCH, DISCOVERY):
        argv = ["play", SCENARIO, "--script", str(script), "--json"]
        code = await asyncio.to_thread(main, [*argv, "--store", str(store), "--trainee", "Ana"])
        assert code == 0
    app = TrainerApp(context(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert not app.screen.query("Sparkline")
        shown = str(app.screen.query_one("#progress", Static).render())
    assert "Score" in shown and "100" in shown and "attempt" in shown


def test_no_record_does_not_say_the_turns_are_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trainer.cli import main

    script = REPO / "tests" / "data" / "scripts" / SCENARIO / "discovery.txt"
    argv = ["play", SCENARIO, "--script", str(script), "--no-record"]
    code = main([*argv, "--base-url", "http://127.0.0.1:9/v1", "--model", "m"])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" not in err
    assert "saved" not in err and "not recorded" in err


def test_with_a_record_the_turns_are_said_to_be_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trainer.cli import main

    script = REPO / "tests" / "data" / "scripts" / SCENARIO / "discovery.txt"
    argv = ["play", SCENARIO, "--script", str(script), "--store", str(tmp_path / "s")]
    code = main([*argv, "--base-url", "http://127.0.0.1:9/v1", "--model", "m"])
    err = capsys.readouterr().err
    assert code == 3 and "saved" in err


def test_json_output_keeps_its_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The wording fixes are for people; the JSON document keeps ids for programs."""
    from trainer.cli import main

    script = REPO / "tests" / "data" / "scripts" / SCENARIO / "discovery.txt"
    code = main(["play", SCENARIO, "--script", str(script), "--json", "--no-record"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0 and isinstance(document["outcome"]["missed"], list)


def test_scenario_tests_and_the_csv_report_use_plain_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`trainer test` says "1 turn"; the CSV report names criteria as the rubric does."""
    from tests.cli_helpers import DISCOVERY, run
    from trainer.content.finder import open_library

    code, out, _ = run(capsys, "test")
    assert code == 0 and " 1 turns" not in out and "1 turn" in out
    monkeypatch.setenv("TRAINER_STORE", str(tmp_path / "store"))
    run(capsys, "play", SCENARIO, "--trainee", "Ana", "--script", str(DISCOVERY))
    code, table, _ = run(capsys, "report", "--format", "csv")
    assert code == 0
    weakest = table.splitlines()[1].split(",")[-1]
    shown = [entry.split("=")[0].strip() for entry in weakest.split(";")]
    names = {c.name for c in open_library(None).rubric.criteria}
    assert shown and set(shown) <= names, shown  # "Customer focus", not "customer_focus"
