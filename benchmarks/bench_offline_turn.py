"""Offline turn speed: one turn (assess, update state, reply) and 40-turn sessions.

Targets (issue 2): median <= 5 ms per turn, and flat in the turn index (turn 40 costs
what turn 1 costs). Prints medians; run with `python benchmarks/bench_offline_turn.py`.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from trainer.content.library import ResolvedScenario, load_library  # noqa: E402
from trainer.engine.session import Session  # noqa: E402
from trainer.offline.assessor import OfflineAssessor  # noqa: E402
from trainer.offline.buyer import OfflineBuyer  # noqa: E402

SESSIONS = 30
TURNS = 40
SINGLE_TURNS = 2000


def long_setup(setup: ResolvedScenario) -> ResolvedScenario:
    """The scenario with room for 40 turns and no early agreement."""
    scenario = setup.scenario.model_copy(
        update={
            "limits": setup.scenario.limits.model_copy(update={"turns": TURNS}),
            "next_step": setup.scenario.next_step.model_copy(update={"facts": 50}),
        }
    )
    return ResolvedScenario(
        scenario, setup.persona, setup.rubric, setup.scenario_source, setup.persona_source
    )


def seller_lines() -> list[str]:
    script = REPO / "tests" / "data" / "scripts" / "cold-call-cold-chain" / "discovery.txt"
    lines = [line for line in script.read_text(encoding="utf-8").splitlines() if line.strip()]
    extra = [
        "What does a normal Monday look like at the Savannah gate?",
        "Who feels the detention bill most, you or the CFO?",
        "What would good look like by the end of the year for dwell time?",
        "What have you already ruled out for the carriers, and why?",
        "How do you measure on-time dispatch today across the four sites?",
        "Where does the pharma audit trail come from right now?",
    ]
    return [line for line in lines if "next" not in line.lower()] + extra


async def one_session(setup: ResolvedScenario, lines: list[str], seed: int) -> list[float]:
    session = Session(setup, OfflineBuyer(seed), OfflineAssessor())
    await session.start()
    timings = []
    for index in range(TURNS):
        if session.over:
            break
        text = lines[index % len(lines)]
        started = time.perf_counter()
        await session.play(text)
        timings.append(time.perf_counter() - started)
    return timings


async def single_turns(setup: ResolvedScenario, lines: list[str]) -> list[float]:
    timings = []
    for n in range(SINGLE_TURNS):
        session = Session(setup, OfflineBuyer(n), OfflineAssessor())
        await session.start()
        started = time.perf_counter()
        await session.play(lines[n % len(lines)])
        timings.append(time.perf_counter() - started)
    return timings


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


async def main() -> None:
    library = load_library([REPO])
    setup = long_setup(library.resolve("cold-call-cold-chain"))
    lines = seller_lines()
    await one_session(setup, lines, 0)  # warm caches (compiled patterns, imports)

    single = await single_turns(setup, lines)
    print(f"one offline turn (assess, update, reply), {SINGLE_TURNS} runs:")
    p95 = sorted(single)[int(0.95 * len(single))]
    print(f"  median {ms(statistics.median(single))}, p95 {ms(p95)}")

    by_index: list[list[float]] = [[] for _ in range(TURNS)]
    session_totals = []
    lengths = []
    for seed in range(SESSIONS):
        timings = await one_session(setup, lines, seed)
        lengths.append(len(timings))
        session_totals.append(sum(timings))
        for index, value in enumerate(timings):
            by_index[index].append(value)
    print(f"{TURNS}-turn session, {SESSIONS} sessions (turns played: min {min(lengths)}):")
    print(f"  median session {ms(statistics.median(session_totals))}")
    all_turns = [v for values in by_index for v in values]
    print(f"  median turn {ms(statistics.median(all_turns))}")
    first = [v for values in by_index[:10] for v in values]
    last = [v for values in by_index[-10:] for v in values if values]
    early, late = statistics.median(first), statistics.median(last)
    print(f"  median of turns 1-10 {ms(early)}, turns 31-40 {ms(late)}")
    for index in (0, 9, 19, 29, 39):
        if by_index[index]:
            print(f"  turn {index + 1:>2}: median {ms(statistics.median(by_index[index]))}")


if __name__ == "__main__":
    asyncio.run(main())
