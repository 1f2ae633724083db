"""The interfaces the engine depends on: who plays the buyer, who assesses, who records.

Offline and language-model implementations plug in here. The contexts carry only what
an implementation may use: the buyer's context holds the hidden facts the seller has
*earned*, never the others, so a model-played buyer cannot leak what it was never told.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from trainer.content.library import ResolvedScenario
from trainer.content.models import HiddenFact
from trainer.engine.assessment import Assessment, Usage
from trainer.engine.heard import Heard
from trainer.engine.state import BuyerState

if TYPE_CHECKING:
    from trainer.engine.session import Branch, Session, Turn

EndedBy = Literal["buyer", "seller", "limit", "agreement"]
Mode = Literal["practice", "certification"]

ENDINGS: dict[EndedBy | None, str] = {
    "buyer": "the buyer ended the call",
    "seller": "you ended the call",
    "limit": "the call reached its limit",
    "agreement": "the buyer agreed a next step",
    None: "the call is still open",
}


@dataclass(frozen=True)
class Exchange:
    """One past seller turn and the buyer's reply, as assessors and buyers see history."""

    seller: str
    buyer: str


@dataclass(frozen=True)
class AssessContext:
    """What an assessor knows when it judges a seller turn."""

    setup: ResolvedScenario
    seller_text: str
    turn_index: int
    state: BuyerState
    history: Sequence[Exchange]
    tips_given: tuple[str, ...] = ()
    """Every tip already given in this call, so a tip is never given twice."""


@dataclass(frozen=True)
class ReplyContext:
    """What a buyer knows when it replies: the turn, its assessment, what the buyer heard
    in it (topic, pressure, a repeat), the new state, the facts earned so far (and which
    of them were earned by this turn), and whether the call ends with this reply."""

    setup: ResolvedScenario
    seller_text: str
    turn_index: int
    assessment: Assessment
    state: BuyerState
    earned_facts: tuple[HiddenFact, ...]
    new_facts: tuple[HiddenFact, ...]
    withheld_topic: bool
    ending: EndedBy | None
    history: Sequence[Exchange]
    heard: Heard = field(default_factory=Heard)
    said_before: tuple[str, ...] = ()
    """Everything the buyer has said in this call (the opening first): a line is not said
    twice, and an earlier answer can be pointed back to."""


@dataclass(frozen=True)
class ReplyEnd:
    """The last item a buyer's reply stream may yield: what the reply cost, and whether it
    arrived whole (a stream cut before the model said it had finished is not)."""

    usage: Usage
    complete: bool = True


class NoVerdict(Exception):
    """An assessor could not judge this turn (a model's answers were unusable); a
    combining assessor falls back to another. ``usage`` is what trying cost."""

    def __init__(self, reason: str, usage: Usage | None = None) -> None:
        super().__init__(reason)
        self.usage = usage or Usage()


class Assessor(Protocol):
    """Judges a seller turn. Must not raise for ordinary seller text (``NoVerdict`` is
    for a model that would not give a usable answer)."""

    name: str

    async def assess(self, context: AssessContext) -> Assessment: ...


class Buyer(Protocol):
    """Plays the buyer. ``reply`` streams text chunks, optionally ending with a
    ``ReplyEnd``; an offline buyer yields its reply whole."""

    name: str

    async def opening(self, setup: ResolvedScenario) -> str: ...

    def reply(self, context: ReplyContext) -> AsyncIterator[str | ReplyEnd]: ...


class Recorder(Protocol):
    """Persists a session as it happens: at the start, once per committed turn, after a
    rewind and at the end. A recorder that raises stops the session where it is: the
    turn that failed to record is not committed."""

    async def session_started(self, session: Session) -> None: ...

    async def turn_committed(self, session: Session, turn: Turn) -> None: ...

    async def rewound(self, session: Session, branch: Branch) -> None: ...

    async def session_ended(self, session: Session) -> None: ...


class NullRecorder:
    """Records nothing: for previews, tests and scripts that only print."""

    async def session_started(self, session: Session) -> None:
        return None

    async def turn_committed(self, session: Session, turn: Turn) -> None:
        return None

    async def rewound(self, session: Session, branch: Branch) -> None:
        return None

    async def session_ended(self, session: Session) -> None:
        return None
