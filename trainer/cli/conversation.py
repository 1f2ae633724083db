"""Running a session in the plain terminal, from a script or typed line by line, for
``play``, ``certify`` and ``resume``. An endpoint failure or Ctrl-C says whether the
turns played so far are kept."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager

from trainer.cli.render import (
    CUT_OFF,
    describe_certification,
    describe_feedback,
    describe_outcome,
    describe_turn,
    describe_withheld,
    header,
)
from trainer.cli.scripts import ScriptLine
from trainer.cli.storage import print_notices
from trainer.cli.transcript import PlayResult
from trainer.engine.session import InvalidTurn, ReplyChunk, Session, Turn, TurnCommitted
from trainer.llm.endpoint import EndpointError
from trainer.sessions.backends import close_backends
from trainer.sessions.recording import recording
from trainer.text import printable


async def play_script(session: Session, lines: list[ScriptLine]) -> PlayResult:
    """Play the script's lines; a script that runs out before the call ends is the
    seller leaving the call, so the session ends (and is recorded) either way. A restored
    session (``trainer resume``) goes on from its last turn."""
    result = PlayResult(session, recording=recording(session))
    try:
        if not session.opening:
            await session.start()
        for position, line in enumerate(lines):
            if session.over:
                result.unplayed = lines[position:]
                break
            await session.play(line.text)
        if not session.over:
            await session.end_by_seller()
    finally:
        await close_backends(session.buyer)
    return result


@contextmanager
def turns_saved_on_failure(recorded: bool = True) -> Iterator[None]:
    """An endpoint failure mid-session ends the command, and the trainee should know
    whether what they played is in the store (``trainer resume`` goes on from it) or,
    with ``--no-record``, is not."""
    try:
        yield
    except EndpointError as exc:
        if recorded:
            raise EndpointError(f"{exc} (the turns played so far are saved)") from None
        raise EndpointError(f"{exc} (--no-record: the turns played were not recorded)") from None


def interactive(session: Session) -> int:
    """A typed conversation: one line per turn; /end ends the call, /help lists commands.
    Ctrl-C leaves a recorded session interrupted, and says how to go on with it."""
    recorded = recording(session) is not None
    try:
        with turns_saved_on_failure(recorded):
            return asyncio.run(_interactive(session))
    except KeyboardInterrupt:
        if recorded and session.opening and not session.over:
            print(
                f"\nThe session is saved as it was. `trainer resume {session.id[:8]}` goes on "
                f"with it; `trainer close {session.id[:8]}` ends it.",
                file=sys.stderr,
            )
        raise


async def _interactive(session: Session) -> int:
    try:
        return await _conversation(session)
    finally:
        await close_backends(session.buyer)


async def _conversation(session: Session) -> int:
    # One event loop for the whole conversation: a model client's connections live on it.
    # input() blocks the loop, which is fine: nothing else runs while the trainee types.
    setup = session.setup
    first = setup.persona.name.split()[0]
    feedback = session.mode == "practice"
    resumed = bool(session.turns)
    opening = session.opening if resumed else await session.start()
    print(header(setup))
    if session.mode == "certification":
        print("Certification attempt: no feedback, hints or rewinds until the call ends.")
    print("\n" + textwrap.fill(printable(f"Brief: {setup.scenario.brief.situation.strip()}"), 92))
    print("Type your turn and press Enter. /end ends the call, /help for more.\n")
    print(printable(f"{first}: {opening}") + "\n")
    for turn in session.turns:
        print(describe_turn(setup, turn, feedback=feedback) + "\n")
    while not session.over:
        try:
            line = input("You: ")
        except EOFError:
            print()
            break
        command = line.strip().lower()
        if command in {"/end", "/quit", "/bye"}:
            break
        if command == "/help":
            print("Commands: /end ends the call and shows the debrief; /brief shows the brief.\n")
            continue
        if command == "/brief":
            print(printable(setup.scenario.brief.situation.strip()) + "\n")
            continue
        if not line.strip():
            continue
        try:
            turn = await stream_turn(session, line)
        except InvalidTurn as exc:
            print(printable(f"(not sent: {exc})") + "\n")
            continue
        print(describe_feedback(setup, turn) + "\n" if feedback else "")
    if not session.over:
        await session.end_by_seller()
    print(describe_outcome(session))
    if not feedback and session.turns:
        print("\n" + describe_withheld(session))
    recorded = recording(session)
    if recorded is not None:
        certification = recorded.certification
        if certification is not None:
            print(describe_certification(certification))
        print(f"\nSaved as session {session.id[:8]} in {recorded.saved_in}")
        print_notices(recorded.store)
    return 0


async def stream_turn(session: Session, line: str) -> Turn:
    """Play a typed turn, printing the buyer's words as they arrive (a buyer that replies
    in one piece, like the offline one, is printed wrapped instead)."""
    first = session.setup.persona.name.split()[0]
    if session.buyer.name == "offline":
        turn = await session.play(line)
        print(describe_turn(session.setup, turn, feedback=False, echo_seller=False))
        return turn
    started = False
    async for event in session.take_turn(line):
        if isinstance(event, ReplyChunk):
            if not started:
                sys.stdout.write(printable(f"   {first}: "))
                started = True
            # a sequence split across chunks loses its ESC here and prints as plain text
            sys.stdout.write(printable(event.text))
            sys.stdout.flush()
        elif isinstance(event, TurnCommitted):
            if not started:
                sys.stdout.write(printable(f"   {first}: "))
            cut = CUT_OFF if "incomplete_reply" in event.turn.flags else ""
            sys.stdout.write(cut + "\n")
            return event.turn
    raise RuntimeError("the turn ended without being committed")  # pragma: no cover
