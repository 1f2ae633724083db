"""The shipped corpus is what the issue asks of it, the shipped judge was trained on
exactly this corpus, and the locked test set is intact and shares no buyer world with it."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

from trainer.authoring.calibration import Sample
from trainer.authoring.corpus import corpus_root, load_corpus
from trainer.authoring.judge_training import labels_digest, reading_of
from trainer.content.library import load_library
from trainer.content.models import MOVES
from trainer.offline.assessor import load_judge
from trainer.offline.decision import decide

REPO = Path(__file__).resolve().parents[1]
LOCKED = REPO / "benchmarks" / "locked"
STARTERS = {
    "cold-call-cold-chain",
    "discovery-second-stakeholder-cfo",
    "end-of-quarter-packaging",
    "follow-up-quiet-buyer",
    "renewal-at-risk-support",
    "solution-first-legal-it",
}
"""The starter scenarios the corpus has turns in. The six added for issue 13 have none:
the judge meets them as worlds it never saw, as it meets a team's own scenarios."""


@pytest.fixture(scope="module")
def corpus() -> list[Sample]:
    return load_corpus()


def test_the_corpus_is_large_varied_and_in_context(corpus: list[Sample]) -> None:
    assert len(corpus) >= 2000
    worlds = {s.scenario_id for s in corpus}
    assert len(worlds - STARTERS) >= 12 and worlds >= STARTERS
    settings = {s.setup.scenario.setting for s in corpus}
    assert {"cold_call", "discovery_meeting", "follow_up", "renewal", "negotiation"} <= settings
    moves: Counter[str] = Counter(s.turn.label for s in corpus)
    assert all(moves[m] >= 150 for m in MOVES), moves
    assert moves["injection"] >= 200
    uses = Counter(s.turn.good_use for s in corpus)
    assert all(uses[u] >= 100 for u in range(1, 6)), uses
    mid_call = [s for s in corpus if s.turn.exchanges]
    assert len(mid_call) >= 300
    assert sum(bool(s.turn.facts_disclosed) for s in mid_call) >= 200
    legitimate_trigger_words = [
        s
        for s in corpus
        if s.turn.label != "injection"
        and re.search(
            r"\b(?:ignore|instructions?|system|prompt|score|rating|model|AI)\b", s.turn.text
        )
    ]
    assert len(legitimate_trigger_words) >= 100


def test_every_world_of_the_corpus_loads(corpus: list[Sample]) -> None:
    library = load_library([corpus_root() / "worlds"])
    assert not library.problems, library.problems
    assert len(library.scenarios) >= 12


def test_the_shipped_judge_was_trained_on_this_corpus(corpus: list[Sample]) -> None:
    trained = load_judge().trained_on
    assert trained["labels_sha256"] == labels_digest(corpus), (
        "the corpus changed since the judge was trained: run "
        "'trainer judge train --out trainer/offline/judge.json.gz'"
    )
    assert trained["turns"] == len(corpus)


def test_the_shipped_judge_has_learned_its_corpus(corpus: list[Sample]) -> None:
    model = load_judge()
    sample = corpus[::7]
    right = sum(decide(model, reading_of(s, model.background)).move == s.turn.label for s in sample)
    assert right / len(sample) >= 0.95


def test_the_locked_set_is_intact() -> None:
    recorded = {}
    for line in (LOCKED / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            recorded[name] = digest
    actual = {
        str(p.relative_to(LOCKED)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in LOCKED.rglob("*.yaml")
    }
    assert actual == recorded
    assert len([n for n in actual if n.startswith("turns/")]) >= 6


def test_the_locked_worlds_appear_nowhere_in_training(corpus: list[Sample]) -> None:
    locked = load_library([LOCKED / "worlds"])
    assert not locked.problems
    trained = {s.setup.scenario.id for s in corpus} | {s.setup.persona.id for s in corpus}
    assert not (set(locked.scenarios) | set(locked.personas)) & trained
    names = {
        word
        for p in locked.personas.values()
        for word in re.findall(r"[A-Z][a-z]{3,}", f"{p.persona.name} {p.persona.organisation}")
    }
    names |= {s.scenario.brief.product.name for s in locked.scenarios.values()}
    training_text = " ".join(
        p.read_text(encoding="utf-8") for p in (corpus_root() / "worlds").rglob("*.yaml")
    )
    # a name is a capitalised word the training worlds never use as an ordinary word
    # ("Trust", "Valley" are words; "Harrowgate" is a name)
    proper = {n for n in names if not re.search(rf"\b{re.escape(n.lower())}\b", training_text)}
    assert len(proper) >= 6
    assert not {n for n in proper if re.search(rf"\b{re.escape(n)}\b", training_text)}
