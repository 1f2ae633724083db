"""Where a screen wants to go next, said as a message the app handles.

A screen does not build the next screen itself: it posts one of these, the message bubbles
up to ``TrainerApp``, and the app pushes or switches to the screen it names. So screens
import no other screen (no function-local imports to dodge a conversation⇄debrief import
cycle), and the one map from "where to" to "which screen, pushed or switched" is in
``app.py``. ``replace`` says whether the new screen takes the poster's place on the stack
(a call replaces its briefing; a debrief replaces its call) or goes on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from trainer.content.library import ResolvedScenario
from trainer.engine.ports import Mode
from trainer.engine.session import Session


@dataclass
class OpenBriefing(Message):
    """The briefing of a scenario, before a call in ``mode``."""

    setup: ResolvedScenario
    mode: Mode
    replace: bool = False


@dataclass
class StartCall(Message):
    """A call: a new one, or ``resumed`` (a restored session) with ``notes`` to show."""

    setup: ResolvedScenario
    mode: Mode
    resumed: Session | None = None
    notes: tuple[str, ...] = ()
    replace: bool = True


@dataclass
class OpenDebrief(Message):
    """The debrief of a call that is over, in the call's place."""

    session: Session


@dataclass
class OpenBranches(Message):
    """The lines the trainee abandoned by rewinding, over the call."""

    session: Session


class OpenHistory(Message):
    """Past sessions."""


class OpenSettings(Message):
    """Who is training, where results go, the backend."""
