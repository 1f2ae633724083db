"""``trainer play``: a practice conversation in the plain terminal, scripted or typed.

With ``--script`` the whole script is checked before the first line is played, so a bad
line never leaves half a session behind. Without it the trainee types line by line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.cli.errors import UserError
from trainer.cli.render import (
    CUT_OFF,
    describe_certification,
    describe_feedback,
    describe_outcome,
    describe_turn,
    describe_withheld,
    header,
)
from trainer.cli.storage import (
    add_store_options,
    open_store,
    print_notices,
    settings_from,
    sources_from,
)
from trainer.config import OPENAI_BASE_URL
from trainer.content.finder import find_scenario, open_library
from trainer.content.library import ResolvedScenario
from trainer.content.problems import ContentError
from trainer.engine.attempts import WHAT_COUNTS, Attempts, attempts_used
from trainer.engine.ports import Mode
from trainer.engine.records import usage_record
from trainer.engine.seeds import draw_certification_seed, practice_seed_problem
from trainer.engine.session import InvalidTurn, ReplyChunk, Session, Turn, TurnCommitted
from trainer.llm.backends import close_backends, make_backends
from trainer.llm.endpoint import EndpointError
from trainer.llm.settings import PROFILES, LlmSettings, resolve_llm
from trainer.store.recorder import StoreRecorder
from trainer.text import check_turn_text, json_text, printable

MAX_SCRIPT_BYTES = 2_000_000


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by ``play`` and ``certify``."""
    parser.add_argument("scenario", metavar="SCENARIO")
    parser.add_argument(
        "--script",
        metavar="FILE",
        help="seller turns, one per line ('-' reads standard input); blank lines are skipped",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--content",
        metavar="DIR",
        action="append",
        type=Path,
        help="a content folder with personas/ and scenarios/ (repeatable)",
    )
    add_backend_options(parser)
    add_store_options(parser)


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "buyer and judge",
        f"offline unless an endpoint is configured (flags, {OPENAI_BASE_URL.name}, the config "
        "file)",
    )
    group.add_argument("--backend", choices=("offline", "llm"), help="who plays the buyer")
    group.add_argument("--model", metavar="NAME", help="the buyer's model")
    group.add_argument("--judge-model", metavar="NAME", help="the judge's model (default: --model)")
    group.add_argument("--base-url", metavar="URL", help="an OpenAI-compatible endpoint")
    group.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        help="a known server's usual URL (ollama, vllm, lmstudio, llamacpp, openai)",
    )
    group.add_argument(
        "--judge-file",
        metavar="FILE",
        type=Path,
        help="an offline judge trained with 'trainer judge train' (default: the shipped one)",
    )


def llm_settings_from(args: argparse.Namespace) -> LlmSettings:
    return resolve_llm(
        backend=getattr(args, "backend", None),
        model=getattr(args, "model", None),
        judge_model=getattr(args, "judge_model", None),
        base_url=getattr(args, "base_url", None),
        profile=getattr(args, "profile", None),
        judge_file=getattr(args, "judge_file", None),
        sources=sources_from(args),
    )


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "play",
        help="practise a scenario in the terminal (typed, or from a script)",
        description="Play a scenario. SCENARIO is a library id or a path to a scenario file. "
        "The session is recorded in the results store as it is played.",
    )
    add_run_options(parser)
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="varies the buyer's lines; the same seed and script replay the same call (default 0)",
    )
    parser.add_argument(
        "--no-record", action="store_true", help="do not keep this session in the results store"
    )
    parser.set_defaults(handler=run, mode="practice")


@dataclass
class ScriptLine:
    number: int
    text: str


@dataclass
class PlayResult:
    session: Session
    unplayed: list[ScriptLine] = field(default_factory=list)
    recorder: StoreRecorder | None = None


def load_setup(scenario: str, content: list[Path] | None) -> ResolvedScenario:
    library = open_library(content)
    try:
        return find_scenario(scenario, library)
    except ContentError as exc:
        raise UserError("the scenario cannot be loaded:\n" + str(exc)) from None


def read_script(source: str) -> list[ScriptLine]:
    """The script's seller turns, or a ``UserError`` naming every bad line."""
    name = "standard input" if source == "-" else source
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except FileNotFoundError:
        raise UserError(f"no script file at {source}") from None
    except IsADirectoryError:
        raise UserError(f"{source} is a folder; --script needs a text file") from None
    except OSError as exc:
        raise UserError(f"cannot read the script {source}: {exc.strerror or exc}") from None
    if len(raw) > MAX_SCRIPT_BYTES:
        raise UserError(f"the script is {len(raw):,} bytes; at most {MAX_SCRIPT_BYTES:,}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError(
            f"{name}:{line}: the script is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save it as UTF-8"
        ) from None
    lines: list[ScriptLine] = []
    problems: list[str] = []
    for number, line in enumerate(script_lines(text), start=1):
        if not line.strip():
            continue
        problem = check_turn_text(line)
        if problem is not None:
            column = f"{problem.column}:" if problem.column else ""
            problems.append(f"{name}:{number}:{column} {problem.message}")
            continue
        lines.append(ScriptLine(number, line))
    if problems:
        raise UserError("the script has lines that cannot be played:\n" + "\n".join(problems))
    if not lines:
        raise UserError(f"the script {name} has no seller turns (every line is blank)")
    return lines


def script_lines(text: str) -> list[str]:
    """A script's lines as an editor numbers them: split on newlines only, a Windows
    line ending taken whole. ``str.splitlines`` would also split on U+2028, a vertical
    tab or a stray CR, so every later line number, and ``unplayed``, would be wrong;
    here they stay inside their line, where ``check_turn_text`` refuses them."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def backend_settings(llm: LlmSettings, seed: int) -> dict[str, Any]:
    """What a record says about who played the buyer and who judged (never a key)."""
    return {**llm.describe(), "seed": seed}


def new_session(
    setup: ResolvedScenario,
    seed: int,
    mode: Mode = "practice",
    recorder: StoreRecorder | None = None,
    llm: LlmSettings | None = None,
) -> Session:
    """A session on the offline backend, or on a model when ``llm`` says so (the model
    code, and the openai SDK with it, is imported only then)."""
    buyer, assessor = make_backends(llm, seed, mode)
    session = Session(setup, buyer, assessor, mode=mode)
    if recorder is not None:
        session.recorder = recorder
    return session


def make_recorder(
    args: argparse.Namespace, seed: int, llm: LlmSettings | None = None
) -> StoreRecorder | None:
    if getattr(args, "no_record", False):
        return None
    settings = settings_from(args)
    if not settings.trainee:
        raise UserError("the trainee name is empty; pass --trainee NAME", 2)
    store, ledger = open_store(settings)
    print_notices(store)
    backend = backend_settings(llm or LlmSettings("offline"), seed)
    return StoreRecorder(store, ledger, settings.trainee, backend, seed)


async def play_script(session: Session, lines: list[ScriptLine]) -> PlayResult:
    """Play the script's lines; a script that runs out before the call ends is the
    seller leaving the call, so the session ends (and is recorded) either way. A restored
    session (``trainer resume``) goes on from its last turn."""
    result = PlayResult(session)
    if isinstance(session.recorder, StoreRecorder):
        result.recorder = session.recorder
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


def session_seed(args: argparse.Namespace) -> int:
    """The buyer's seed: the trainee's choice in practice, a fresh draw for every
    certification attempt (``certify`` parses ``--seed`` only to refuse it clearly)."""
    if args.mode == "certification":
        if args.seed is not None:
            raise UserError(
                "certify does not take --seed: every attempt draws its own buyer, so an "
                "attempt cannot be rehearsed (trainer play --seed N practises with a chosen one)",
                2,
            )
        return draw_certification_seed()
    problem = practice_seed_problem(args.seed)
    if problem is not None:
        raise UserError(problem, 2)
    return int(args.seed)


def run(args: argparse.Namespace) -> int:
    mode: Mode = args.mode
    seed = session_seed(args)
    setup = load_setup(args.scenario, args.content)
    if args.script is None and args.json:
        raise UserError("--json needs --script (a typed conversation prints as it goes)", 2)
    lines = read_script(args.script) if args.script is not None else None
    llm = llm_settings_from(args)
    recorder = make_recorder(args, seed, llm)
    session = new_session(setup, seed, mode, recorder, llm)
    if lines is None:
        if (
            recorder is not None
            and mode == "certification"
            and not confirm_attempt(recorder, setup)
        ):
            return 0
        return interactive(session)
    with turns_saved_on_failure(recorder is not None):
        result = asyncio.run(play_script(session, lines))
    if args.json:
        sys.stdout.write(json_text(play_document(result)))
        sys.stdout.write("\n")
    else:
        print_transcript(result)
    if recorder is not None:
        print_notices(recorder.store)
    return 0


# ------------------------------------------------------------------ output


def turn_document(turn: Turn) -> dict[str, Any]:
    a = turn.assessment
    return {
        "seller": turn.seller,
        "buyer": turn.buyer,
        "move": a.move,
        "good_use": a.good_use,
        "criteria": dict(a.criteria),
        "evidence": list(a.evidence),
        "tip": a.tip,
        "patience": turn.state.patience,
        "openness": turn.state.openness,
        "disclosed": list(turn.disclosed_now),
        "owed": list(turn.state.owed),
        "cause": turn.cause,
        "changes": [{"field": c.field, "delta": c.delta, "cause": c.cause} for c in turn.changes],
        "usage": usage_record(turn.usage),
        "verdicts": {
            "offline": a.verdicts.get("offline", a.good_use),
            "judge": a.verdicts.get("judge"),
        },
        "flags": list(turn.flags),
    }


def play_document(result: PlayResult) -> dict[str, Any]:
    session = result.session
    breakdown = session.score()
    document: dict[str, Any] = {
        "scenario": session.setup.scenario.id,
        "mode": session.mode,
        "session": session.id,
        "backend": session.buyer.name,
        "opening": session.opening,
        "turns": [turn_document(t) for t in session.turns],
        "outcome": {
            "ended_by": session.ended_by,
            "score": breakdown.score,
            "quality": breakdown.turns_part,
            "outcomes": breakdown.outcomes_part,
            "objectives": [o.record() for o in breakdown.objectives],
            "adjustments": [a.record() for a in breakdown.adjustments],
            "disclosed": list(session.state.disclosed),
            "missed": [f.id for f in session.missed_facts],
            "criteria": {c.id: breakdown.criteria.get(c.id) for c in session.setup.rubric.criteria},
            "criteria_turns": breakdown.applied,
        },
        "unplayed": [{"line": line.number, "seller": line.text} for line in result.unplayed],
    }
    recorder = result.recorder
    if recorder is not None:
        document["trainee"] = recorder.trainee
        document["store"] = str(recorder.store.root)
        if recorder.certification is not None:
            document["certification"] = recorder.certification
    return document


def print_transcript(result: PlayResult) -> None:
    session = result.session
    out = sys.stdout
    out.write(header(session.setup) + "\n\n")
    out.write(printable(f"{session.setup.persona.name.split()[0]}: {session.opening}") + "\n\n")
    for turn in session.turns:
        out.write(describe_turn(session.setup, turn, feedback=True) + "\n\n")
    out.write(describe_outcome(session) + "\n")
    if result.recorder is not None and result.recorder.certification is not None:
        out.write(describe_certification(result.recorder.certification) + "\n")
    if result.unplayed:
        numbers = ", ".join(str(line.number) for line in result.unplayed)
        out.write(
            f"\n{len(result.unplayed)} line(s) not played (script lines {numbers}): "
            "the call had already ended.\n"
        )


# ------------------------------------------------------------------ typed


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


def confirm_attempt(recorder: StoreRecorder, setup: ResolvedScenario) -> bool:
    """Say which attempt this is and what counts as one, and start only on a yes typed at
    a terminal: with no terminal (CI, a pipe) nothing is asked, so nothing can hang, and
    no attempt is used (``--script`` is the way to run one unattended)."""
    allowed = setup.scenario.certification.attempts
    attempts = Attempts(
        attempts_used(recorder.store.sessions(recorder.trainee), setup.scenario.id), allowed
    )
    if not attempts.left:
        raise UserError(attempts.none_left())
    where = f"{attempts.heading().lower()} at {setup.scenario.id}"
    if not sys.stdin.isatty():
        raise UserError(
            f"a typed certification attempt ({where}) must be confirmed at a terminal, and "
            "none was started; to run one unattended, pass --script FILE",
            2,
        )
    print(printable(f"Certification: {attempts.heading()} at {setup.scenario.title}."))
    print(WHAT_COUNTS)
    try:
        answer = input("Start the attempt now? [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() in ("y", "yes"):
        return True
    print("Not started: no attempt was used.")
    return False


def interactive(session: Session) -> int:
    """A typed conversation: one line per turn; /end ends the call, /help lists commands.
    Ctrl-C leaves a recorded session interrupted, and says how to go on with it."""
    try:
        with turns_saved_on_failure(isinstance(session.recorder, StoreRecorder)):
            return asyncio.run(_interactive(session))
    except KeyboardInterrupt:
        if isinstance(session.recorder, StoreRecorder) and session.opening and not session.over:
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
    recorder = session.recorder
    if isinstance(recorder, StoreRecorder):
        if recorder.certification is not None:
            print(describe_certification(recorder.certification))
        print(f"\nSaved as session {session.id[:8]} in {recorder.store.root}")
        print_notices(recorder.store)
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


def run_default(llm: LlmSettings | None = None) -> int:
    """``trainer`` with no command (and not on a terminal): choose a scenario and
    practise, on the backend the flags chose."""
    from trainer.cli.scenarios import choose_scenario

    scenario_id = choose_scenario()
    if scenario_id is None:
        return 0
    setup = load_setup(scenario_id, None)
    llm = llm or llm_settings_from(argparse.Namespace())
    recorder = make_recorder(argparse.Namespace(), seed=0, llm=llm)
    return interactive(new_session(setup, seed=0, recorder=recorder, llm=llm))
