"""A practice session and the pipeline of one turn.

One turn: assess the seller's words, update the buyer's state by the persona's rules,
stream the buyer's reply from the new state, then commit and record. Nothing is
committed until the reply is complete, so a reply cancelled half-way (Esc in the TUI, a
dead connection) leaves the session exactly as it was and the trainee's text can be
given back.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from trainer.content.library import ResolvedScenario
from trainer.content.models import HiddenFact
from trainer.engine.assessment import Assessment, Usage
from trainer.engine.heard import hear
from trainer.engine.ports import (
    AssessContext,
    Assessor,
    Buyer,
    EndedBy,
    Exchange,
    Mode,
    NullRecorder,
    Recorder,
    ReplyContext,
    ReplyEnd,
)
from trainer.engine.reactions import react
from trainer.engine.said import carries, public_stems
from trainer.engine.scoring import ScoreBreakdown, scenario_score
from trainer.engine.state import BuyerState, StateChange
from trainer.errors import InputError, TrainerError
from trainer.text import check_turn_text, clean_turn_text

HISTORY_WINDOW = 6
"""Past exchanges handed to assessors and buyers: enough for context, and it keeps a
turn's cost flat however long the session runs."""


class SessionOver(TrainerError):
    """A turn was offered after the call ended."""


class InvalidTurn(InputError, ValueError):
    """The seller's text cannot be played (empty, control characters, too long)."""


class NotAllowed(TrainerError):
    """The action is not allowed in this session's mode (rewind in certification)."""


@dataclass(frozen=True)
class Turn:
    """One committed exchange with everything needed to explain and audit it."""

    index: int
    seller: str
    buyer: str
    assessment: Assessment
    changes: tuple[StateChange, ...]
    state: BuyerState
    disclosed_now: tuple[str, ...]
    withheld_topic: bool
    ended_by: EndedBy | None
    elapsed: float
    usage: Usage = field(default_factory=Usage)
    flags: tuple[str, ...] = ()

    @property
    def change_causes(self) -> list[str]:
        """Each cause with the changes it made: ``patience +7, openness +15: a good question``."""
        by_cause: dict[str, list[str]] = {}
        for change in self.changes:
            by_cause.setdefault(change.cause, []).append(f"{change.field} {change.delta:+d}")
        return [f"{', '.join(fields)}: {cause}" for cause, fields in by_cause.items()]

    @property
    def cause(self) -> str:
        """All of this turn's state changes in one line, for compact displays."""
        parts = self.change_causes
        if self.disclosed_now:  # which fact is said where the fact's text is shown
            parts.append("the buyer told you something new")
        if self.withheld_topic:
            parts.append("touched something the buyer is not ready to share")
        return "; ".join(parts) if parts else "no change"


# ------------------------------------------------------------------ turn events


@dataclass(frozen=True)
class Assessed:
    """The turn has been judged and the buyer's new state decided (not yet committed; a
    fact in ``new_facts`` is learned only if the reply then says it)."""

    assessment: Assessment
    changes: tuple[StateChange, ...]
    state: BuyerState
    new_facts: tuple[HiddenFact, ...]
    ending: EndedBy | None


@dataclass(frozen=True)
class ReplyChunk:
    text: str


@dataclass(frozen=True)
class TurnCommitted:
    turn: Turn


TurnEvent = Assessed | ReplyChunk | TurnCommitted


@dataclass
class Branch:
    """Turns abandoned by a rewind, kept so the trainee can look back at them."""

    from_index: int
    turns: list[Turn]


@dataclass
class Session:
    """A conversation between a trainee and a buyer over one scenario.

    In ``certification`` mode the engine refuses rewinds; hiding feedback and hints is
    the front end's part, since the engine still needs every assessment to score.
    """

    setup: ResolvedScenario
    buyer: Buyer
    assessor: Assessor
    recorder: Recorder = field(default_factory=NullRecorder)
    mode: Mode = "practice"
    clock: Callable[[], float] = time.monotonic
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    opening: str = ""
    turns: list[Turn] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)
    ended_by: EndedBy | None = None
    started_at: float = 0.0

    async def start(self) -> str:
        """Begin the call: the buyer's opening line. An assessor with a ``prepare`` (the
        offline judge loading its model) gets ready in a thread meanwhile, so the first
        turn does not wait for it and the screen keeps drawing."""
        self.started_at = self.clock()
        prepare = getattr(self.assessor, "prepare", None)
        if callable(prepare):
            await asyncio.to_thread(prepare)
        self.opening = self.setup.scenario.opening or await self.buyer.opening(self.setup)
        await self.recorder.session_started(self)
        return self.opening

    def restore(
        self, opening: str, turns: list[Turn], branches: list[Branch], ended_by: EndedBy | None
    ) -> None:
        """Continue a stored session (after a crash): its turns are taken as played, and
        the clock resumes from the last turn's elapsed time."""
        self.opening = opening
        self.turns = list(turns)
        self.branches = list(branches)
        self.ended_by = ended_by
        self.started_at = self.clock() - (turns[-1].elapsed if turns else 0.0)

    # ---------------------------------------------------------------- state

    @property
    def state(self) -> BuyerState:
        if self.turns:
            return self.turns[-1].state
        persona = self.setup.persona
        return BuyerState(patience=persona.patience, openness=persona.openness)

    @property
    def over(self) -> bool:
        return self.ended_by is not None

    @property
    def elapsed(self) -> float:
        return self.clock() - self.started_at if self.started_at else 0.0

    def out_of_time(self) -> bool:
        minutes = self.setup.scenario.limits.minutes
        return minutes is not None and self.elapsed >= minutes * 60

    def _facts(self, state: BuyerState, disclosed: bool) -> tuple[HiddenFact, ...]:
        return tuple(
            f for f in self.setup.persona.hidden_facts if (f.id in state.disclosed) == disclosed
        )

    @property
    def earned_facts(self) -> tuple[HiddenFact, ...]:
        """The facts the buyer has said: what the trainee has learned. (A fact earned but
        not yet said is in ``state.owed``, and counts for nothing until it is said.)"""
        return self._facts(self.state, disclosed=True)

    @property
    def missed_facts(self) -> tuple[HiddenFact, ...]:
        return self._facts(self.state, disclosed=False)

    def history(self) -> list[Exchange]:
        return [Exchange(t.seller, t.buyer) for t in self.turns[-HISTORY_WINDOW:]]

    def score(self) -> ScoreBreakdown:
        return scenario_score(
            self.setup,
            [t.assessment for t in self.turns],
            self.ended_by,
            self.state.disclosed,
        )

    # ---------------------------------------------------------------- the turn

    async def take_turn(self, seller_text: str) -> AsyncIterator[TurnEvent]:
        """Play one seller turn, yielding events as the pipeline advances.

        Raises ``InvalidTurn`` for text that cannot be played and ``SessionOver`` once
        the call has ended. If the consumer stops iterating before ``TurnCommitted``,
        nothing about the session changes.
        """
        if self.over:
            raise SessionOver(f"the call has ended ({self.ended_by})")
        problem = check_turn_text(seller_text)
        if problem is not None:
            raise InvalidTurn(problem.message)
        text = clean_turn_text(seller_text)
        index = len(self.turns) + 1
        before = self.state
        history = self.history()

        earlier = [(t.seller, t.buyer) for t in self.turns]
        heard = hear(self.setup.persona, text, earlier)
        tips = tuple(t.assessment.tip for t in self.turns if t.assessment.tip)
        assessment = await self.assessor.assess(
            AssessContext(self.setup, text, index, before, history, tips_given=tips)
        )
        reacted = react(
            self.setup, assessment, text, before, index, self.out_of_time(), heard=heard
        )
        yield Assessed(
            assessment, reacted.changes, reacted.state, reacted.new_facts, reacted.ending
        )

        offered = self._offered(before, reacted.new_facts, reacted.ending)
        earned = tuple(
            f
            for f in self.setup.persona.hidden_facts
            if f.id in reacted.state.disclosed and f not in offered
        )
        earned += offered
        context = ReplyContext(
            setup=self.setup,
            seller_text=text,
            turn_index=index,
            assessment=assessment,
            state=reacted.state,
            earned_facts=earned,
            new_facts=offered,
            withheld_topic=reacted.withheld_topic,
            ending=reacted.ending,
            history=history,
            heard=heard,
            said_before=(self.opening, *(t.buyer for t in self.turns)),
        )
        parts: list[str] = []
        end = ReplyEnd(Usage())
        async for chunk in self.buyer.reply(context):
            if isinstance(chunk, ReplyEnd):
                end = chunk
                continue
            parts.append(chunk)
            yield ReplyChunk(chunk)
        flags = assessment.flags + (() if end.complete else ("incomplete_reply",))
        reply = "".join(parts).strip()
        public = public_stems(self.setup, text)
        said = tuple(f.id for f in offered if carries(f, reply, public))
        owed = dict.fromkeys([*reacted.state.owed, *(f.id for f in offered)])
        unsaid = tuple(f for f in owed if f not in said)

        turn = Turn(
            index=index,
            seller=text,
            buyer=reply,
            assessment=assessment,
            changes=reacted.changes,
            state=reacted.state.settle(said, unsaid),
            disclosed_now=said,
            withheld_topic=reacted.withheld_topic,
            ended_by=reacted.ending,
            elapsed=self.elapsed,
            usage=assessment.usage + end.usage,
            flags=flags,
        )
        # Recorded before it is appended: a turn that cannot be stored is not committed,
        # so the front end can give the text back instead of showing a turn that is lost.
        await self.recorder.turn_committed(self, turn)
        self.turns.append(turn)
        if reacted.ending is not None:
            self.ended_by = reacted.ending
            await self.recorder.session_ended(self)
        yield TurnCommitted(turn)

    def _offered(
        self, before: BuyerState, new: tuple[HiddenFact, ...], ending: EndedBy | None
    ) -> tuple[HiddenFact, ...]:
        """The facts the buyer is to share in this reply: those earned earlier and not yet
        said, then the one this turn earned. A buyer ending the call shares nothing."""
        if ending == "buyer":
            return ()
        owed = tuple(f for f in self.setup.persona.hidden_facts if f.id in before.owed)
        return owed + tuple(f for f in new if f not in owed)

    async def play(self, seller_text: str) -> Turn:
        """Play one turn to the end and return it (for scripts and tests)."""
        async for event in self.take_turn(seller_text):
            if isinstance(event, TurnCommitted):
                return event.turn
        raise RuntimeError("the turn ended without being committed")  # pragma: no cover

    async def end_by_seller(self) -> None:
        if self.over:
            return
        self.ended_by = "seller"
        await self.recorder.session_ended(self)

    async def rewind(self, to_index: int) -> list[Turn]:
        """Go back to just after turn ``to_index`` (0 = the start); the abandoned turns
        are kept as a branch. Returns them."""
        if self.mode == "certification":
            raise NotAllowed("a certification attempt cannot be rewound")
        if not 0 <= to_index < len(self.turns):
            raise ValueError(f"can rewind to turns 0..{len(self.turns) - 1}, not {to_index}")
        branch = Branch(to_index, self.turns[to_index:])
        await self.recorder.rewound(self, branch)
        self.branches.append(branch)
        del self.turns[to_index:]
        self.ended_by = None
        return branch.turns
