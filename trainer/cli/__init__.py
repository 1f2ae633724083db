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
from trainer.cli.options import add_backend_options
from trainer.cli.registry import add_commands
from trainer.errors import ExitCode, TrainerError
from trainer.text import printable


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``trainer`` parser, with ``command``'s options (its module imported now) and
    every other command as a stub (see ``registry``). ``build_parser()`` is all that bare
    ``trainer`` and ``trainer --help`` need."""
    parser = argparse.ArgumentParser(
        prog="trainer",
        description="Practise sales conversations with a buyer who asks one question: "
        "was this a good use of my time?",
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    # Bare `trainer` opens the TUI: it takes the same buyer and judge flags as `play`.
    add_backend_options(parser)
    add_commands(parser.add_subparsers(dest="command", metavar="COMMAND"), command)
    return parser


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Parse twice: once with every command a stub, which says which command was chosen
    (and answers ``--version``, ``--help`` and a misspelt command), then with that
    command's real options."""
    stubs = build_parser()
    chosen, _ = stubs.parse_known_args(argv)
    if chosen.command is None:
        return stubs.parse_args(argv)
    return build_parser(chosen.command).parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(list(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        return _guarded(lambda: without_command(args))
    return _guarded(lambda: int(args.handler(args)))


def without_command(args: argparse.Namespace) -> int:
    """Bare ``trainer`` (maybe with backend flags): the TUI on a terminal, else a typed
    practice session. (The model settings are imported here, not at the top: ``trainer
    --version`` and every command that uses no model never load ``trainer.llm``.)"""
    from trainer.cli.backend import llm_settings_from

    llm = llm_settings_from(args)
    if sys.stdin.isatty() and sys.stdout.isatty():
        from trainer.tui.app import run_app

        return run_app(llm)
    from trainer.cli.play import run_default

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
