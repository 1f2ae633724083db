"""The ``trainer`` command line: plain text in, plain text (or JSON) out.

Every user error ends in one readable message and a non-zero exit, never a traceback:
exit 1 for bad content or input (or a check that did not pass), 2 for a wrong command
line, 3 for a model endpoint that cannot be used, 130 when interrupted (``ExitCode``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from trainer import __version__
from trainer.errors import ExitCode, TrainerError
from trainer.text import printable


def build_parser() -> argparse.ArgumentParser:
    from trainer.cli import (
        calibrate,
        certify,
        doctor,
        export,
        judge,
        new,
        play,
        preview,
        report,
        rescore,
        scenario_test,
        scenarios,
        schema,
        sessions,
        validate,
        verify,
    )

    parser = argparse.ArgumentParser(
        prog="trainer",
        description="Practise sales conversations with a buyer who asks one question: "
        "was this a good use of my time?",
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    # Bare `trainer` opens the TUI: it takes the same buyer and judge flags as `play`.
    play.add_backend_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    play.register(commands)
    certify.register(commands)
    sessions.register(commands)
    scenarios.register(commands)
    validate.register(commands)
    schema.register(commands)
    verify.register(commands)
    report.register(commands)
    export.register(commands)
    rescore.register(commands)
    doctor.register(commands)
    scenario_test.register(commands)
    calibrate.register(commands)
    judge.register(commands)
    new.register(commands)
    preview.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        return _guarded(lambda: without_command(args))
    return _guarded(lambda: int(args.handler(args)))


def without_command(args: argparse.Namespace) -> int:
    """Bare ``trainer`` (maybe with backend flags): the TUI on a terminal, else a typed
    practice session."""
    from trainer.cli.play import llm_settings_from, run_default

    llm = llm_settings_from(args)
    if sys.stdin.isatty() and sys.stdout.isatty():
        from trainer.tui.app import run_app

        return run_app(llm)
    return run_default(llm)


def _guarded(action: Callable[[], int]) -> int:
    """Run a command; an error the user can fix is one clean line and its kind's exit
    code. A message may quote a file name, a stored value or a server: it is printed
    clean."""
    try:
        return action()
    except TrainerError as exc:
        print(f"trainer: {printable(exc.for_user())}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("\ntrainer: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.OK


def entry() -> None:  # pragma: no cover - console script shim
    sys.exit(main())
