"""Test doubles for the engine's interfaces: a scripted assessor and a slow buyer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from trainer.content.library import ResolvedScenario
from trainer.content.models import Move
from trainer.engine.assessment import Assessment
from trainer.engine.ports import AssessContext, ReplyContext


def assessment(move: Move = "discovery", good_use: int = 4, **extra: object) -> Assessment:
    values: dict[str, object] = {
        "move": move,
        "good_use": good_use,
        "criteria": {"customer_focus": good_use},
        "evidence": (),
        "tip": "tip",
        "reason": f"{move} verdict {good_use}",
    }
    values.update(extra)
    return Assessment(**values)  # type: ignore[arg-type]


class ScriptedAssessor:
    """Returns a queued verdict per turn and remembers the contexts it was given."""

    name = "scripted"

    def __init__(self, *verdicts: Assessment) -> None:
        self.verdicts = list(verdicts)
        self.contexts: list[AssessContext] = []

    async def assess(self, context: AssessContext) -> Assessment:
        self.contexts.append(context)
        return self.verdicts.pop(0) if self.verdicts else assessment()


class ChunkedBuyer:
    """Streams its reply word by word with an optional pause between chunks."""

    name = "chunked"

    def __init__(self, delay: float = 0.0, hold: asyncio.Event | None = None) -> None:
        self.delay = delay
        self.hold = hold
        """When set, the reply stops after its first word until the event is set: a reply
        caught half-way by an event, not by a sleep a busy machine may outrun."""
        self.contexts: list[ReplyContext] = []

    async def opening(self, setup: ResolvedScenario) -> str:
        return "Hello?"

    async def reply(self, context: ReplyContext) -> AsyncIterator[str]:
        self.contexts.append(context)
        for position, word in enumerate(f"reply to turn {context.turn_index}".split()):
            if self.delay:
                await asyncio.sleep(self.delay)
            if self.hold is not None and position == 1:
                await self.hold.wait()
            yield word + " "
