"""What the buyer heard in a seller turn, beyond its move: the topic it raised, the kind
of pressure, whether it asks again what was asked or answered, whether it was a speech,
and whether it named the wrong person.

Read once per turn by the engine, before the reply, and handed to whichever buyer plays
(offline or model) and to the state rules, so that asking the same thing twice costs the
same on every backend, and both buyers answer the question that was actually asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PressureKind = Literal["discount", "deadline", "chasing", "meeting", "social_proof"]
PRESSURE_KINDS: tuple[PressureKind, ...] = (
    "discount",
    "deadline",
    "chasing",
    "meeting",
    "social_proof",
)
RepeatKind = Literal["asked", "answered"]


@dataclass(frozen=True)
class Repeat:
    """The turn asks again: what the seller already asked (``asked``), or what the buyer
    already told them (``answered``). ``turn`` is the earlier turn (0: the opening) and
    ``answer`` the buyer's words that answered it, for a reply that points back."""

    kind: RepeatKind
    turn: int
    answer: str


@dataclass(frozen=True)
class Heard:
    """What the buyer heard. ``topics`` are the persona's topic ids the turn raises,
    the likeliest first; ``topic`` is the first of them, or the topic of the buyer's
    last reply when the turn follows up on it."""

    topic: str | None = None
    topics: tuple[str, ...] = ()
    pressure: PressureKind | None = None
    repeat: Repeat | None = None
    monologue: bool = False
    wrong_name: str | None = None
