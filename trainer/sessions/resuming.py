"""Going on with a session a crash, a closed terminal or Ctrl+Q interrupted: found,
checked, claimed from the store and restored, the same for ``trainer resume``, ``trainer
close`` and the TUI's History. Each refusal is a ``CannotResume`` in one set of words."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from trainer.content.library import ResolvedScenario
from trainer.engine.ports import Mode
from trainer.engine.session import Session
from trainer.errors import CannotResume
from trainer.llm.settings import LlmSettings
from trainer.sessions.backends import BackendFactory, make_backends
from trainer.store.ledger import Ledger
from trainer.store.repository import Store, StoredSession
from trainer.store.restore import claim, ended_before, stored_turns


@dataclass(frozen=True)
class Resumed:
    """A restored session and whether its scenario changed since it began (which a
    front end says; for an attempt still to be played it is refused instead)."""

    session: Session
    changed: bool


def interrupted_session(
    store: Store,
    session_id: str,
    trainee: str | None,
    prefer: str | None = None,
    *,
    held_here: bool = True,
) -> StoredSession:
    """The stored session ``session_id`` (an id or a prefix), if it can go on: not played
    by another live process, and interrupted. ``held_here`` also accepts one this very
    process still holds open; the TUI refuses it, since its own call may still run it."""
    stored = store.find_session(session_id, trainee, prefer)
    status = store.live_status(stored.header)
    if store.owned_elsewhere(stored.header):
        raise CannotResume(
            f"session {stored.id[:8]} is already being played by another trainer process"
        )
    allowed = ("interrupted", "in progress") if held_here else ("interrupted",)
    if status not in allowed:
        raise CannotResume(f"session {stored.id[:8]} is {status}: only interrupted ones go on")
    return stored


def resume_session(
    store: Store,
    ledger: Ledger,
    stored: StoredSession,
    resolve: Callable[[str], ResolvedScenario],
    llm: LlmSettings | None = None,
    *,
    backends: BackendFactory | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Resumed:
    """Claim ``stored`` for this process and restore it with its own id, seed and turns,
    on the backend ``llm`` (or ``backends``) chooses. ``resolve`` finds its scenario by id
    (a ``KeyError`` means it is no longer there). A certification attempt whose scenario
    changed is refused before anything is claimed, unless its call had already ended
    (then it only needs its result recorded)."""
    header = stored.header
    scenario = str(header["scenario"])
    try:
        setup = resolve(scenario)
    except KeyError:
        raise CannotResume(f"the scenario {scenario} is no longer in the library") from None
    changed = setup.content_hashes != header.get("content_hashes")
    mode: Mode = "certification" if header.get("mode") == "certification" else "practice"
    if changed and mode == "certification":
        turns, _ = stored_turns(stored)
        if ended_before(ledger, stored, turns) is None:
            raise CannotResume(
                f"the scenario {scenario} changed since this attempt began, so it cannot go "
                f"on; `trainer close {stored.id[:8]}` ends it"
            )
    claimed = claim(store, ledger, stored)
    if backends is not None:
        buyer, assessor = backends(setup, claimed.seed)
    else:
        buyer, assessor = make_backends(llm, claimed.seed, mode)
    session = Session(
        setup, buyer, assessor, recorder=claimed.recorder, mode=mode, clock=clock, id=stored.id
    )
    opening = str(claimed.header.get("opening") or "")
    session.restore(opening, claimed.turns, claimed.branches, claimed.ended_by)
    return Resumed(session, changed)
