"""The call: the transcript with the buyer's reply streaming in, patience and openness with
the cause of each change, the turn's verdict, what you have learned, and the input. Cause
and effect on one screen: what I said, how it landed, why. A certification attempt shows
only the transcript, the turn count and the clock: live coaching would be help the
trainee is being certified without, so it all waits for the debrief.

A turn runs in an async worker owned by this screen (cancelled if the screen goes).
Esc cancels a reply in flight: the engine commits nothing until the reply is whole, so
the turn simply did not happen, and the trainee's words go back into the input.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TextArea
from textual.worker import Worker

from trainer.content.library import ResolvedScenario
from trainer.engine.certification import min_turns
from trainer.engine.ports import ENDINGS, Mode
from trainer.engine.session import (
    Assessed,
    InvalidTurn,
    NotAllowed,
    ReplyChunk,
    Session,
    SessionOver,
    Turn,
    TurnCommitted,
)
from trainer.errors import StoreError
from trainer.sessions.backends import close_backends
from trainer.sessions.recording import recording
from trainer.text import printable
from trainer.tui.causes import why
from trainer.tui.context import app_context
from trainer.tui.navigation import OpenBranches, OpenDebrief
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.widgets.meters import Meter
from trainer.tui.widgets.transcript import Transcript, Utterance
from trainer.words import flag_notes, plural

__all__ = ["ConversationScreen", "PendingTurn", "SellerInput", "why"]


WITHHELD = (
    "Certification attempt: how each turn landed, and what you found out, are in the "
    "debrief when the call ends."
)


@dataclass(frozen=True)
class PendingTurn:
    """A turn on screen that the engine has not committed yet: what the trainee said (to
    give back if the turn does not happen), their line in the transcript, and the buyer's
    line once the reply starts streaming into it."""

    text: str
    mine: Utterance
    theirs: Utterance | None = None

    def replying(self, theirs: Utterance) -> PendingTurn:
        """The same turn, now with the line the buyer's reply streams into."""
        return replace(self, theirs=theirs)


class SellerInput(TextArea):
    """Multi-line input: Enter sends; Ctrl+J or Alt+Enter starts a new line (terminals
    do not report Shift+Enter reliably).

    The keys are handled in ``_on_key``, in order with the characters typed before them:
    a priority binding would run when the app receives Enter, before the text area has
    inserted the characters of the same burst (a pasted line with its Enter, a fast
    typist), and send an empty or cut turn. The bindings are declared for help to list."""

    BINDINGS = [
        Binding("enter", "send", "Send", show=False),
        Binding("ctrl+j,alt+enter", "new_line", "New line", show=False),
    ]

    @dataclass
    class Submitted(Message):
        text: str

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            self.action_send()
            return
        if event.key in ("ctrl+j", "alt+enter"):
            event.prevent_default()
            event.stop()
            self.action_new_line()
            return
        await super()._on_key(event)

    def action_send(self) -> None:
        self.post_message(self.Submitted(self.text))

    def action_new_line(self) -> None:
        self.insert("\n")


class ConversationScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+e", "end_call", "End", priority=True, tooltip="End the call"),
        Binding("escape", "cancel_reply", "Cancel", tooltip="Cancel the reply on its way"),
        Binding("ctrl+t", "hint", "Hint", priority=True, tooltip="A hint (practice only)"),
        Binding(
            "ctrl+z", "rewind", "Rewind", priority=True, tooltip="Rewind a turn (practice only)"
        ),
        Binding("ctrl+b", "branches", "Lines", priority=True, tooltip="The lines you abandoned"),
        Binding(
            "pageup",
            "scroll_transcript(-1)",
            "Scroll",
            show=False,
            priority=True,
            tooltip="Scroll the transcript",
        ),
        Binding(
            "pagedown",
            "scroll_transcript(1)",
            "Scroll",
            show=False,
            priority=True,
            tooltip="Scroll the transcript",
        ),
        Binding("f1", "app.help", "Help"),
        Binding("enter", "debrief", "Debrief", show=False, tooltip="The debrief"),
    ]

    def __init__(
        self,
        setup: ResolvedScenario,
        mode: Mode,
        resumed: Session | None = None,
        notes: tuple[str, ...] = (),
    ) -> None:
        """``resumed`` is a restored session to go on with (History's resume)."""
        super().__init__()
        self.setup = setup
        self.mode = mode
        self.notes = notes
        self.session: Session = resumed or app_context(self.app).new_session(setup, mode)
        self.turn_worker: Worker[None] | None = None
        self.pending: PendingTurn | None = None
        self.ending_confirmed = False

    @property
    def practice(self) -> bool:
        return self.mode == "practice"

    @property
    def in_call(self) -> bool:
        """The call has begun and not ended: leaving now would interrupt it."""
        return bool(self.session.opening) and not self.session.over

    @property
    def buyer_name(self) -> str:
        return self.setup.persona.name.split()[0]

    # ---------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        persona = self.setup.persona
        yield Header()
        with Horizontal(id="call"):
            with Vertical(id="talk"):
                yield Transcript(id="transcript")
                yield SellerInput(
                    id="say",
                    soft_wrap=True,
                    show_line_numbers=False,
                    placeholder="Say something to the buyer. Enter sends; Ctrl+J adds a line.",
                )
            with VerticalScroll(id="side"):
                yield Static(id="counters")
                if self.practice:
                    yield Meter("Patience", persona.patience, id="patience")
                    yield Meter("Openness", persona.openness, id="openness")
                    yield Static(id="cause", classes="cause")
                    yield Static(id="verdict")
                    yield Static(id="hint")
                    yield Static(id="learned")
                else:
                    yield Static(WITHHELD, id="withheld")
        yield Footer()

    async def on_mount(self) -> None:
        self.title = self.setup.scenario.title
        self.sub_title = "certification" if not self.practice else "practice"
        resumed = bool(self.session.opening)
        try:
            opening = self.session.opening if resumed else await self.session.start()
        except StoreError as exc:
            # the store would not begin the session (another attempt started meanwhile in
            # another window, a ledger that cannot take a record): no call, no attempt
            self.app.notify(printable(str(exc)), title="Not started", severity="error", timeout=12)
            self.app.pop_screen()
            return
        transcript = self.query_one(Transcript)
        if not self.practice:
            transcript.note(
                "Certification attempt: no verdicts, hints or rewinds until the call ends."
            )
        transcript.say(self.buyer_name, opening, "buyer")
        for turn in self.session.turns:
            transcript.say("You", turn.seller, "seller")
            transcript.say(self.buyer_name, turn.buyer, "buyer")
        for note in self.notes:
            transcript.note(note)
        if resumed:
            transcript.note(f"Resumed after turn {len(self.session.turns)}.")
        self.show_side(self.session.turns[-1] if self.session.turns else None)
        self.query_one(SellerInput).focus()
        self.set_interval(1.0, self.show_counters)
        if self.session.over:
            self.finish()

    # ---------------------------------------------------------------- the side panel

    def show_counters(self) -> None:
        limits = self.setup.scenario.limits
        seconds = int(self.session.elapsed)
        text = Text(f"Turn {len(self.session.turns)}/{limits.turns}", style="bold")
        text.append(f" · {seconds // 60:02d}:{seconds % 60:02d}")
        if limits.minutes:
            text.append(f" of {limits.minutes:02d}:00")
        self.query_one("#counters", Static).update(text)

    def show_side(self, turn: Turn | None) -> None:
        self.show_counters()
        if not self.practice:
            return  # a certification attempt coaches nothing live: the debrief shows it
        state = self.session.state
        deltas = {"patience": 0, "openness": 0}
        for change in turn.changes if turn else ():
            deltas[change.field] += change.delta
        self.query_one("#patience", Meter).set_value(state.patience, deltas["patience"])
        self.query_one("#openness", Meter).set_value(state.openness, deltas["openness"])
        cause = Text()
        if turn is not None:
            cause.append("Why: ", style="bold")
            cause.append(why(turn))
        self.query_one("#cause", Static).update(cause)
        self.query_one("#hint", Static).display = False
        verdict = Text()
        if turn is not None:
            a = turn.assessment
            verdict.append("Good use ", style="bold")
            verdict.append("●" * a.good_use + "○" * (5 - a.good_use), style="yellow")
            verdict.append(f" {a.good_use}/5 · {a.move}\n")
            verdict.append(f"Tip: {a.tip}")
            for note in flag_notes(turn.flags):
                verdict.append(f"\nNote: {note}", style="italic")
        self.query_one("#verdict", Static).update(verdict)
        learned = Text()
        learned.append("What you have learned\n", style="bold")
        facts = self.session.earned_facts
        if not facts:
            learned.append("Nothing yet.", style="dim")
        for fact in facts:
            learned.append(f"• {fact.fact}\n")
        self.query_one("#learned", Static).update(learned)

    # ---------------------------------------------------------------- a turn

    @on(SellerInput.Submitted)
    def send(self, event: SellerInput.Submitted) -> None:
        if self.turn_worker is not None and self.turn_worker.is_running:
            self.notify("Wait for the reply, or press Esc to cancel it.", severity="warning")
            return
        text = event.text
        if not text.strip():
            return
        if self.session.over:
            self.notify("The call has ended.", severity="warning")
            return
        box = self.query_one(SellerInput)
        box.clear()
        transcript = self.query_one(Transcript)
        self.pending = PendingTurn(text, transcript.say("You", text, "seller"))
        transcript.follow()  # the trainee's own words bring the newest line back into view
        self.turn_worker = self.run_worker(
            self.play(text), exclusive=True, exit_on_error=False, group="turn"
        )
        self.refresh_bindings()

    async def play(self, text: str) -> None:
        transcript = self.query_one(Transcript)
        try:
            async for event in self.session.take_turn(text):
                if isinstance(event, Assessed):
                    assert self.pending is not None
                    self.pending = self.pending.replying(
                        transcript.say(self.buyer_name, "", "buyer")
                    )
                elif isinstance(event, ReplyChunk):
                    assert self.pending is not None and self.pending.theirs is not None
                    # No scrolling here: the anchored transcript follows the reply unless
                    # the trainee has scrolled up to read, and then it stays where they are.
                    self.pending.theirs.append(event.text)
                elif isinstance(event, TurnCommitted):
                    self.committed(event.turn)
        except asyncio.CancelledError:
            self.give_back("Reply cancelled; your words are back in the box.")
            raise
        except (InvalidTurn, SessionOver) as exc:
            self.give_back(f"Not sent: {exc}")
        except Exception as exc:
            # The endpoint failed, or the store could not save the turn: nothing was
            # committed, so the trainee can try again (or end the call).
            self.give_back(f"The turn was not played: {exc}", severity="error")

    def committed(self, turn: Turn) -> None:
        if self.pending is not None and self.pending.theirs is not None:
            self.pending.theirs.set_words(turn.buyer)
            if "incomplete_reply" in turn.flags:
                self.pending.theirs.append(" [the reply was cut off]")
        self.pending = None
        self.show_side(turn)
        self.refresh_bindings()
        if self.session.over:
            self.finish()

    def give_back(self, message: str, severity: SeverityLevel = "warning") -> None:
        if self.pending is None:
            return
        pending, self.pending = self.pending, None
        pending.mine.remove()
        if pending.theirs is not None:
            pending.theirs.remove()
        box = self.query_one(SellerInput)
        box.text = pending.text
        box.focus()
        self.notify(printable(message), severity=severity, timeout=8)

    # ---------------------------------------------------------------- keys

    def action_cancel_reply(self) -> None:
        if self.turn_worker is not None and self.turn_worker.is_running:
            self.turn_worker.cancel()

    def action_hint(self) -> None:
        if not self.practice:
            self.notify("No hints in a certification attempt.", severity="warning")
            return
        missed = [f for f in self.session.missed_facts if f.hint]
        hint = Text()
        hint.append("Hint: ", style="bold")
        if missed:
            hint.append(printable(missed[0].hint or ""))
        else:
            hint.append("none left: you have found what there is to find.")
        box = self.query_one("#hint", Static)
        box.update(hint)
        box.display = True
        self.query_one("#side").scroll_to_widget(box)

    async def action_rewind(self) -> None:
        if self.turn_worker is not None and self.turn_worker.is_running:
            return
        if not self.session.turns:
            self.notify("Nothing to rewind yet.")
            return
        try:
            await self.session.rewind(len(self.session.turns) - 1)
        except NotAllowed as exc:
            self.notify(str(exc), severity="warning")
            return
        transcript = self.query_one(Transcript)
        lines = list(transcript.query(Utterance))
        for line in lines[-2:]:
            line.remove()
        transcript.note(f"Rewound to turn {len(self.session.turns)}; the abandoned line is kept.")
        transcript.follow()
        self.show_side(self.session.turns[-1] if self.session.turns else None)
        # The call may have been over (the buyer hung up): it is open again at this turn.
        box = self.query_one(SellerInput)
        box.disabled = False
        box.focus()
        self.refresh_bindings()

    def action_branches(self) -> None:
        if not self.session.branches:
            self.notify("No abandoned lines yet: Ctrl+Z rewinds a turn to try another.")
            return
        self.post_message(OpenBranches(self.session))

    async def action_end_call(self) -> None:
        if self.session.over:
            self.action_debrief()
            return
        if not self.practice and not self.ending_confirmed:
            self.ending_confirmed = True
            played = plural(len(self.session.turns), "turn")
            self.notify(
                f"Press Ctrl+E again to end the attempt now ({played}; "
                f"an attempt needs at least {min_turns(self.session.setup.scenario)}).",
                severity="warning",
            )
            return
        if self.turn_worker is not None and self.turn_worker.is_running:
            self.turn_worker.cancel()
        await self.session.end_by_seller()
        self.action_debrief()  # the trainee chose to end: no last reply to read

    def finish(self) -> None:
        """The call is over: keep the last reply on screen until the trainee moves on."""
        self.query_one(Transcript).note(
            f"The call is over: {ENDINGS[self.session.ended_by]}. Press Enter for the debrief."
        )
        box = self.query_one(SellerInput)
        box.disabled = True
        self.focus_next()
        self.refresh_bindings()

    def quit_question(self) -> ConfirmScreen | None:
        """What to ask before Ctrl+Q leaves this call (the app asks every screen on its
        stack): mid-attempt, that the attempt counts all the same."""
        session = self.session
        if not self.in_call:
            return None
        if self.practice:
            return ConfirmScreen(
                "Quit in the middle of the call?",
                "The turns so far are saved: History (h in the library) can resume the call later.",
                yes="Quit",
                no="Stay",
            )
        recorded = recording(session)
        attempt = recorded.attempt if recorded is not None else None
        allowed = self.setup.scenario.certification.attempts
        which = f" ({attempt} of {allowed})" if attempt else ""
        turns = len(session.turns)
        return ConfirmScreen(
            "Quit in the middle of a certification attempt?",
            f"This attempt{which} will count: quitting does not give it back. "
            f"What you have said so far ({plural(turns, 'turn')}) is saved "
            f"as it stands; `trainer resume {session.id[:8]}` goes on with it.",
            yes="Quit",
            no="Back to the call",
        )

    def action_debrief(self) -> None:
        if self.session.over:
            self.post_message(OpenDebrief(self.session))

    def action_scroll_transcript(self, direction: int) -> None:
        transcript = self.query_one(Transcript)
        if direction < 0:
            transcript.scroll_page_up(animate=False)
        else:
            transcript.scroll_page_down(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide what a certification attempt does not allow, and the debrief key until
        the call is over."""
        if action in ("hint", "rewind", "branches") and not self.practice:
            return False
        if action == "debrief":
            return self.session.over
        if action == "cancel_reply":
            return self.turn_worker is not None and self.turn_worker.is_running
        return True

    async def on_unmount(self) -> None:
        await close_backends(self.session.buyer)
