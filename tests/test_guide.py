"""The model judge is told the labelling guide's own definitions (docs/judging.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.content.finder import open_library
from trainer.content.models import MOVES
from trainer.llm.guide import GOOD_USE, MOVE_MEANINGS, RULES
from trainer.llm.prompts import judge_system

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "judging.md"


def _flat(text: str) -> str:
    """The guide as prose: bold and code marks, table bars and line breaks removed."""
    return re.sub(r"\s+", " ", text.replace("**", "").replace("`", ""))


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_is_the_guides_own_words(rule: str) -> None:
    assert rule in _flat(GUIDE.read_text(encoding="utf-8"))


def test_each_move_is_defined_as_in_the_guide() -> None:
    guide = _flat(GUIDE.read_text(encoding="utf-8"))
    assert tuple(MOVE_MEANINGS) == MOVES
    for move, meaning in MOVE_MEANINGS.items():
        assert f"| {move} | {meaning} |" in guide, move


def test_the_scale_is_the_guides() -> None:
    guide = _flat(GUIDE.read_text(encoding="utf-8"))
    for line in GOOD_USE:
        score, meaning = line.split(": ", 1)
        assert f"| {score} | {meaning} |" in guide, line


def test_the_judge_prompt_carries_the_guide() -> None:
    prompt = judge_system(open_library().resolve("cold-call-cold-chain"))
    for move, meaning in MOVE_MEANINGS.items():
        assert f"- {move}: {meaning}" in prompt
    for rule in RULES:
        assert rule in prompt
