"""Does the offline buyer answer what was said? Figures for issue 13.

Plays the probe turns in ``benchmarks/data/buyer_probes.yaml`` and the starter scenarios'
scripted sellers (their turns labelled in ``benchmarks/data/scripted_topics.yaml``), both
written from the content files alone by someone who had not read the buyer's code, and
prints:

- topic: how often the reply speaks to the topic the seller raised (the topic of the line
  chosen is one whose words appear in the labelled concern);
- pressure: how often a pressure turn gets a line for its kind of pressure;
- repeats: how often a question asked again or already answered gets a reply that says so,
  and the openness it gained (must be 0); follow-ups wrongly taken for repeats;
- variety: buyer lines repeated within a 20-turn call, and the share of a call's replies
  that appear word for word in another call of the same script with another seed;
- tips: tips repeated within a call, tips that advise what the turn just did, and tips
  that use words of the wrong setting (a "call" in an email thread).

Targets: topic >= 90%, pressure >= 90%, repeats 100% with openness +0, no line twice in a
call, under half of a call's replies shared, no repeated tip. Run:
``python benchmarks/bench_buyer.py [--data DIR] [--worst N]``. A data folder holding
its own ``personas/`` and ``scenarios/`` is played on that content (the locked set).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from trainer.content.library import ResolvedScenario, load_library  # noqa: E402
from trainer.content.models import Persona  # noqa: E402
from trainer.content.persona_checks import covers  # noqa: E402
from trainer.engine.session import Session, Turn  # noqa: E402
from trainer.offline.assessor import OfflineAssessor  # noqa: E402
from trainer.offline.buyer import Composed, OfflineBuyer  # noqa: E402
from trainer.text import normalise  # noqa: E402

REPEAT_KINDS = {"asked_again", "already_answered"}
CALL_TURNS = 20
SEEDS = (1, 2, 3, 4, 5)
WRONG_SETTING = {
    "cold_email_reply": re.compile(r"\b(?:call|called|calling|phone|hang up|on the line)\b"),
    "discovery_meeting": re.compile(r"\b(?:called|phone|hang up)\b"),
    "demo": re.compile(r"\b(?:called|phone|hang up)\b"),
    "negotiation": re.compile(r"\b(?:called|phone|hang up)\b"),
}
ADVICE_TAKEN = {
    "cost": (re.compile(r"\bcost|spend|\$|budget|pay\b"), re.compile(r"what it costs")),
    "tried": (re.compile(r"\btried|before\b|in the past"), re.compile(r"\btried\b")),
    "often": (re.compile(r"how often|frequen"), re.compile(r"how often")),
    "who": (re.compile(r"who else|anyone else"), re.compile(r"who else")),
}
"""An angle the seller's turn took, and how a tip would advise taking it (independent of
the tips' own code: a tip that says it after the seller did it advises what they did)."""


@dataclass
class Tally:
    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, note: str) -> None:
        self.total += 1
        self.hits += ok
        if not ok:
            self.misses.append(note)

    def __str__(self) -> str:
        share = 100 * self.hits / self.total if self.total else 0.0
        return f"{self.hits}/{self.total} ({share:.1f}%)"


def expected_topics(persona: Persona, concern: str) -> set[str]:
    """The persona's topics that answer a concern: those whose words are in its text."""
    return {topic.id for topic in persona.topics if covers(topic, concern)}


def opened_setup(setup: ResolvedScenario, turns: int) -> ResolvedScenario:
    """The scenario with room for ``turns`` turns and no early agreement."""
    scenario = setup.scenario.model_copy(
        update={
            "limits": setup.scenario.limits.model_copy(update={"turns": turns, "minutes": None}),
            "next_step": setup.scenario.next_step.model_copy(update={"facts": 50}),
        }
    )
    return ResolvedScenario(
        scenario, setup.persona, setup.rubric, setup.scenario_source, setup.persona_source
    )


@dataclass
class Played:
    turn: Turn
    composed: Composed
    openness_before: int


async def play(setup: ResolvedScenario, texts: list[str], seed: int) -> list[Played]:
    buyer = OfflineBuyer(seed)
    session = Session(setup, buyer, OfflineAssessor())
    await session.start()
    played = []
    for text in texts:
        if session.over:
            break
        before = session.state.openness
        turn = await session.play(text)
        assert buyer.last is not None
        played.append(Played(turn, buyer.last, before))
    return played


def clip(text: str, size: int = 90) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO / "benchmarks" / "data")
    parser.add_argument("--worst", type=int, default=8)
    args = parser.parse_args()
    data: Path = args.data.resolve()
    roots = [data] if (data / "scenarios").is_dir() else [REPO]
    library = load_library(roots)
    if library.problems:
        for problem in library.problems:
            print(problem)
        return 1
    probes_file = data / "buyer_probes.yaml"
    scripted_file = data / "scripted_topics.yaml"
    for path in (probes_file, scripted_file):
        if path.is_file():
            print(
                f"{path.relative_to(REPO)} sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}"
            )
    probes: list[dict[str, Any]] = yaml.safe_load(probes_file.read_text("utf-8"))
    scripted: dict[str, Any] = (
        yaml.safe_load(scripted_file.read_text("utf-8")) if scripted_file.is_file() else {}
    )

    topic_probe, topic_script = Tally(), Tally()
    pressure_probe, pressure_script = Tally(), Tally()
    says_so, no_gain, follow_ok = Tally(), Tally(), Tally()
    no_topics = set()

    for index, probe in enumerate(probes):
        setup = library.resolve(probe["scenario"])
        if not setup.persona.topics:
            no_topics.add(setup.persona.id)
        turns = len(probe.get("setup") or []) + 1
        played = await play(
            opened_setup(setup, turns + 1), [*(probe.get("setup") or []), probe["probe"]], index
        )
        if len(played) < turns:
            print(f"  skipped {probe['id']}: the call ended before the probe")
            continue
        last = played[-1]
        c = last.composed
        where = (
            f"{probe['id']}: {clip(probe['probe'], 70)!r} -> {c.kind}/{c.topic}: "
            f"{clip(last.turn.buyer, 70)!r}"
        )
        kind = probe["kind"]
        if kind == "topic":
            want = expected_topics(setup.persona, probe["concern"])
            topic_probe.add(
                c.topic in want, f"{where} (wanted {sorted(want) or 'no topic covers it'})"
            )
        elif kind == "pressure":
            pressure_probe.add(
                c.kind == f"pressure:{probe['pressure']}", f"{where} (wanted {probe['pressure']})"
            )
        elif kind in REPEAT_KINDS:
            says_so.add(c.kind in REPEAT_KINDS, f"{where} (wanted {kind})")
            gain = last.turn.state.openness - last.openness_before
            no_gain.add(gain <= 0, f"{where} (openness {gain:+d})")
        elif kind == "follow_up":
            follow_ok.add(c.kind not in REPEAT_KINDS, f"{where} (a follow-up taken for a repeat)")

    tips_repeated = Tally()
    tips_advise_taken = Tally()
    tips_setting = Tally()
    for scenario_id, tests in scripted.items():
        setup = library.resolve(scenario_id)
        by_name = {t.name: t for t in setup.scenario.tests}
        for name, labels in tests.items():
            test = by_name.get(name)
            if test is None:
                print(f"  no test {name!r} in {scenario_id}")
                continue
            played = await play(setup, list(test.seller), 7)
            _check_tips(played, setup, tips_repeated, tips_advise_taken, tips_setting)
            for number, label in (labels or {}).items():
                if number > len(played):
                    continue
                p = played[number - 1]
                c = p.composed
                where = (
                    f"{scenario_id} / {clip(name, 30)} / {number}: {clip(p.turn.seller, 60)!r}"
                    f" -> {c.kind}/{c.topic}: {clip(p.turn.buyer, 60)!r}"
                )
                concern = label.get("concern")
                pressure = label.get("pressure")
                if pressure:
                    pressure_script.add(
                        c.kind == f"pressure:{pressure}", f"{where} (wanted {pressure})"
                    )
                elif concern and concern != "none":
                    want = expected_topics(setup.persona, concern)
                    topic_script.add(c.topic in want, f"{where} (wanted {sorted(want)})")

    # variety: 20-turn calls of each scenario's topic questions, five seeds
    line_repeats = Tally()
    shared_shares: list[float] = []
    worst_share = (0.0, "")
    for scenario_id in sorted({p["scenario"] for p in probes}):
        setup = opened_setup(library.resolve(scenario_id), CALL_TURNS)
        texts = [
            p["probe"]
            for p in probes
            if p["scenario"] == scenario_id and p["kind"] in {"topic", "follow_up"}
        ]
        texts = texts[:CALL_TURNS]
        calls = []
        for seed in SEEDS:
            played = await play(setup, texts, seed)
            lines = [line for p in played for line in p.composed.lines]
            counts = Counter(lines)
            twice = [line for line, n in counts.items() if n > 1]
            line_repeats.add(not twice, f"{scenario_id} seed {seed}: {twice[:2]}")
            _check_tips(played, setup, tips_repeated, tips_advise_taken, tips_setting)
            calls.append([p.turn.buyer for p in played])
        for i, replies in enumerate(calls):
            others = {r for j, other in enumerate(calls) if j != i for r in other}
            share = sum(r in others for r in replies) / len(replies) if replies else 0.0
            shared_shares.append(share)
            if share > worst_share[0]:
                worst_share = (share, f"{scenario_id} seed {SEEDS[i]} ({len(replies)} replies)")

    print()
    if no_topics:
        print(f"personas with no topics yet: {', '.join(sorted(no_topics))}")
    print(f"topic, probes            {topic_probe}")
    print(f"topic, scripted turns    {topic_script}")
    both = Tally(topic_probe.hits + topic_script.hits, topic_probe.total + topic_script.total)
    print(f"topic, all               {both}   target >= 90%")
    print(f"pressure, probes         {pressure_probe}")
    print(f"pressure, scripted turns {pressure_script}")
    allp = Tally(
        pressure_probe.hits + pressure_script.hits, pressure_probe.total + pressure_script.total
    )
    print(f"pressure, all            {allp}   target >= 90%")
    print(f"repeat said so           {says_so}   target 100%")
    print(f"repeat openness +0       {no_gain}   target 100%")
    print(f"follow-up not a repeat   {follow_ok}")
    print(
        f"calls with no line twice {line_repeats}   ({CALL_TURNS}-turn calls, {len(SEEDS)} seeds)"
    )
    if shared_shares:
        print(
            "replies shared with another seed's call: "
            f"median {statistics.median(shared_shares):.0%}, "
            f"worst {worst_share[0]:.0%} ({worst_share[1]})   target < 50%"
        )
    print(f"calls with no tip twice  {tips_repeated}")
    print(f"tips not advising what the turn did {tips_advise_taken}")
    print(f"tips in the setting's words {tips_setting}")
    for title, tally in [
        ("topic misses (probes)", topic_probe),
        ("topic misses (scripted)", topic_script),
        ("pressure misses", pressure_probe),
        ("pressure misses (scripted)", pressure_script),
        ("repeats not noticed", says_so),
        ("repeats that gained openness", no_gain),
        ("follow-ups taken for repeats", follow_ok),
        ("lines said twice", line_repeats),
        ("tips repeated", tips_repeated),
        ("tips advising what was done", tips_advise_taken),
        ("tips in the wrong setting's words", tips_setting),
    ]:
        if tally.misses:
            print(f"\n{title} ({len(tally.misses)}):")
            for miss in tally.misses[: args.worst]:
                print(f"  {miss}")
    return 0


def _check_tips(
    played: list[Played],
    setup: ResolvedScenario,
    repeated: Tally,
    advise_taken: Tally,
    setting: Tally,
) -> None:
    tips = [p.turn.assessment.tip for p in played]
    twice = [t for t, n in Counter(tips).items() if n > 1]
    repeated.add(not twice, f"{setup.scenario.id}: {twice[:1]}")
    wrong = WRONG_SETTING.get(setup.scenario.setting)
    for p in played:
        tip, seller = p.turn.assessment.tip, normalise(p.turn.seller)
        taken = [
            angle
            for angle, (did, says) in ADVICE_TAKEN.items()
            if did.search(seller) and says.search(tip.lower())
        ]
        advise_taken.add(not taken, f"{clip(p.turn.seller, 60)!r} -> {clip(tip, 80)!r} ({taken})")
        if wrong is not None:
            setting.add(
                not wrong.search(tip.lower()), f"{setup.scenario.setting}: {clip(tip, 90)!r}"
            )


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
