"""The LLM backend's own cost, against a local OpenAI-compatible server with fixed delays.

Targets (the LLM issue): from Enter to the first buyer token, at most 50 ms (median) more
than the server's own judge time plus first-token time; prompt tokens per turn at turns
5, 20 and 40 reported and under the cap. Run with `python benchmarks/bench_llm_turn.py`.

The server is the test suite's (tests/fake_openai.py): a real HTTP server on 127.0.0.1
that waits `--judge-delay` before each verdict and `--first-token` before each reply's
first token, and counts prompt tokens as about four characters a token. What is left
over is ours: building prompts, the offline check, the state update, HTTP and parsing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fake_openai import FakeOpenAI  # noqa: E402
from trainer.content.library import ResolvedScenario, load_library  # noqa: E402
from trainer.content.models import Limits, NextStep, Reaction, Reactions  # noqa: E402
from trainer.engine.session import ReplyChunk, Session  # noqa: E402
from trainer.llm.settings import LlmSettings  # noqa: E402
from trainer.sessions.backends import close_backends, make_backends  # noqa: E402

SCENARIO = "cold-call-cold-chain"
SCRIPT = REPO / "tests" / "data" / "scripts" / SCENARIO / "discovery.txt"


def endless(setup: ResolvedScenario, turns: int) -> ResolvedScenario:
    """The scenario with a buyer who neither warms nor cools and no agreement possible, so
    a session runs to ``turns`` however it is played."""
    still = Reaction(patience=0, openness=0)
    persona = setup.persona.model_copy(
        update={
            "reactions": Reactions(**dict.fromkeys(Reactions.model_fields, still)),
            "sensitivity": setup.persona.sensitivity.model_copy(
                update={"patience": 0, "openness": 0, "words": 10_000}
            ),
        }
    )
    scenario = setup.scenario.model_copy(
        update={"limits": Limits(turns=turns), "next_step": NextStep(openness=100, facts=50)}
    )
    return replace(setup, persona=persona, scenario=scenario)


async def one_session(
    setup: ResolvedScenario, settings: LlmSettings, turns: int, lines: list[str]
) -> tuple[list[float], list[tuple[int, int, int]]]:
    """Seconds from Enter to the first buyer token per turn, and per turn the prompt tokens
    of the judge call, the buyer call and the turn."""
    buyer, assessor = make_backends(settings, 0)
    session = Session(setup, buyer, assessor)
    await session.start()
    latencies: list[float] = []
    tokens: list[tuple[int, int, int]] = []
    try:
        for n in range(turns):
            if session.over:
                break
            line = lines[n % len(lines)]
            pressed = time.perf_counter()
            first: float | None = None
            async for event in session.take_turn(line):
                if isinstance(event, ReplyChunk) and first is None:
                    first = time.perf_counter() - pressed
            assert first is not None
            latencies.append(first)
            turn = session.turns[-1]
            judge = turn.assessment.usage.prompt_tokens
            total = turn.usage.prompt_tokens
            tokens.append((judge, total - judge, total))
    finally:
        await close_backends(buyer)
    return latencies, tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--judge-delay", type=float, default=0.150, help="seconds per verdict")
    parser.add_argument("--first-token", type=float, default=0.080, help="seconds to 1st token")
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--cap", type=int, default=3000, help="prompt tokens per call")
    args = parser.parse_args()

    library = load_library([REPO])
    setup = endless(library.resolve(SCENARIO), args.turns)
    lines = [line for line in SCRIPT.read_text().splitlines() if line.strip()]
    fake = FakeOpenAI(judge_delay=args.judge_delay, first_token_delay=args.first_token)
    settings = LlmSettings(
        backend="llm",
        base_url=fake.url,
        model="buyer-model",
        judge_model="judge-model",
        api_key="bench",
        max_prompt_tokens=args.cap,
    )
    server_time = args.judge_delay + args.first_token
    latencies: list[float] = []
    per_turn: dict[int, list[tuple[int, int, int]]] = {}
    try:
        for _ in range(args.sessions):
            times, tokens = asyncio.run(one_session(setup, settings, args.turns, lines))
            latencies += times
            for number, counts in enumerate(tokens, start=1):
                per_turn.setdefault(number, []).append(counts)
    finally:
        fake.close()

    overheads = sorted((t - server_time) * 1000 for t in latencies)
    median = statistics.median(overheads)
    p95 = overheads[int(0.95 * (len(overheads) - 1))]
    print(
        f"server: judge {args.judge_delay * 1000:.0f} ms + first token "
        f"{args.first_token * 1000:.0f} ms = {server_time * 1000:.0f} ms per turn"
    )
    print(
        f"Enter -> first buyer token, {len(latencies)} turns over {args.sessions} sessions: "
        f"median {statistics.median(latencies) * 1000:.1f} ms"
    )
    print(f"  our overhead: median {median:.1f} ms, p95 {p95:.1f} ms, max {overheads[-1]:.1f} ms")
    print(f"prompt tokens (judge + buyer = turn), cap {args.cap} per call:")
    for number in (1, 5, 20, 40):
        if number not in per_turn:
            continue
        judge, buyer, total = (max(c[i] for c in per_turn[number]) for i in range(3))
        print(f"  turn {number:>2}: {judge:>5} + {buyer:>5} = {total:>5}")
    peak = max(max(c[0], c[1]) for counts in per_turn.values() for c in counts)
    print(f"  largest single call over all turns: {peak}")
    print("summary:")
    verdict = "PASS" if median <= 50 else "MISS"
    print(f"  overhead median {median:.1f} ms  target <= 50 ms  {verdict}")
    verdict = "PASS" if peak <= args.cap else "MISS"
    print(f"  largest call {peak} tokens  cap {args.cap}  {verdict}")


if __name__ == "__main__":
    main()
