"""One renderer for a turn: the call's transcript, the abandoned lines and History show a
speaker's words and a verdict the same way, cleaned and never as markup."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.fakes import assessment
from trainer.engine.session import Turn
from trainer.engine.state import BuyerState
from trainer.store.errors import StoreError
from trainer.store.repository import Store
from trainer.tui.screens.history import transcript_text
from trainer.tui.widgets.transcript import Utterance
from trainer.tui.widgets.turns import exchange_text, speaker_line, verdict_words

FIXTURE = Path(__file__).parent / "data" / "store-2026-11-27" / "store"


def turn(seller: str = "What slows your docks?", buyer: str = "Paperwork.") -> Turn:
    return Turn(
        index=2,
        seller=seller,
        buyer=buyer,
        assessment=assessment("discovery", 4, tip="Ask about impact.", reason="a good question"),
        changes=(),
        state=BuyerState(50, 50),
        disclosed_now=(),
        withheld_topic=False,
        ended_by=None,
        elapsed=1.0,
    )


def test_a_speaker_line_is_the_bold_name_then_the_cleaned_words() -> None:
    line = speaker_line("Dana", "[bold]hi[/] \x1b[2Jthere", indent="  ")
    assert line.plain == "  Dana: [bold]hi[/] there"
    bold = [line.plain[s.start : s.end] for s in line.spans if s.style == "bold"]
    assert bold == ["Dana: "]


def test_the_live_transcript_renders_with_the_same_speaker_line() -> None:
    live = Utterance("Dana", "Paperwork.").render_text()
    assert live == speaker_line("Dana", "Paperwork.")


def test_an_exchange_is_a_line_per_speaker_and_a_verdict_in_shared_words() -> None:
    text = exchange_text(turn(), "Dana", you="2. You", indent="  ")
    assert text.plain == "  2. You: What slows your docks?\n  Dana: Paperwork.\n"
    assert verdict_words(turn().assessment) == "discovery, good use 4/5"


def test_branches_and_history_show_a_turn_as_the_call_did(tmp_path: Path) -> None:
    """History reads stored turns back into the engine's Turn and renders them with the
    shared lines; what it printed for the old store is unchanged."""
    store = Store.open(FIXTURE, read_only=True)
    stored = store.find_session("31328ff4", "ana")
    text = transcript_text(stored, "Dana").plain
    first = stored.main_line()[0]
    assert f"\n{first['index']}. You: {first['seller']}\nDana: {first['buyer']}\n" in text
    a = first["assessment"]
    assert f"   {a['move']}, good use {a['good_use']}/5 · tip: {a['tip']}\n" in text


def test_a_stored_turn_a_hand_edit_broke_is_a_store_error_not_a_traceback(
    tmp_path: Path,
) -> None:
    root = tmp_path / "store"
    shutil.copytree(FIXTURE, root)
    (path,) = root.glob("trainees/ana-*/sessions/31328ff4*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    next(iter(data["turns"].values()))["assessment"]["move"] = "bribe"
    path.write_text(json.dumps(data), encoding="utf-8")
    stored = Store.open(root, read_only=True).find_session("31328ff4", "ana")
    with pytest.raises(StoreError, match="cannot be read back"):
        transcript_text(stored)
