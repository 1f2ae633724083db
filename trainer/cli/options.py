"""The command line's shared options, each declared once with its help text.

Several commands take the same option (``--content``, the buyer and judge flags, the
store flags, ``--json``...): declaring each here keeps its name, type and help the same
everywhere, so ``trainer X --help`` reads alike for every X. This module imports only
``argparse`` and the settings' table of names (``trainer.config``): ``trainer --version``
and bare ``trainer`` build their parser from it without loading the model backend
(``--profile`` learns its names only when asked).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import TypeAlias

from trainer.config import OPENAI_BASE_URL, STORE, TRAINEE

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""The subcommand registry every command's ``register(commands)`` adds its parsers to
(argparse names its type only privately; this is the one place that spells it)."""

JSON_HELP = "print one JSON document"


class _ProfileNames:
    """``--profile``'s choices, read from the model settings only when argparse checks a
    value or prints them: building the parser must not import ``trainer.llm``."""

    def _names(self) -> list[str]:
        from trainer.llm.settings import PROFILES

        return sorted(PROFILES)

    def __contains__(self, value: object) -> bool:
        return value in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


def add_content_option(parser: argparse.ArgumentParser) -> None:
    """``--content DIR``: where personas and scenarios come from, besides the shipped ones."""
    parser.add_argument(
        "--content",
        metavar="DIR",
        action="append",
        type=Path,
        help="a content folder with personas/ and scenarios/ (repeatable)",
    )


def add_json_option(parser: argparse.ArgumentParser, help: str = JSON_HELP) -> None:
    """``--json``: one machine-readable document instead of text."""
    parser.add_argument("--json", action="store_true", help=help)


def add_script_option(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """``--script FILE``: the seller's turns from a file instead of the keyboard."""
    parser.add_argument(
        "--script",
        metavar="FILE",
        help=help
        or "seller turns, one per line ('-' reads standard input); blank lines are skipped",
    )


def add_seed_option(parser: argparse.ArgumentParser, refused: bool = False) -> None:
    """``--seed N``: which of the buyer's lines a practice session draws. ``certify`` takes
    it only to refuse it with a clear message (``refused``; see ``trainer.sessions.seeding``): an
    attempt's seed is drawn when it starts, never chosen, so it is not in its help."""
    if refused:
        parser.add_argument("--seed", nargs="?", const="", default=None, help=argparse.SUPPRESS)
        return
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="varies the buyer's lines; the same seed and script replay the same call (default 0)",
    )


def add_scenario_filter(parser: argparse.ArgumentParser, help: str = "only this scenario") -> None:
    """``--scenario ID``: narrow a command over stored results to one scenario."""
    parser.add_argument("--scenario", metavar="ID", help=help)


def add_mode_filter(parser: argparse.ArgumentParser) -> None:
    """``--mode``: narrow a command over stored results to practice or certification."""
    parser.add_argument(
        "--mode", choices=("practice", "certification"), help="only practice or certification"
    )


def add_endpoint_options(
    group: argparse._ArgumentGroup, model_help: str, judge_model: bool = False
) -> None:
    """``--model`` (and ``--judge-model``), ``--base-url``, ``--profile``: which model, on
    which server. Every model feature (the buyer and judge, ``trainer new --from``) names
    them the same way."""
    group.add_argument("--model", metavar="NAME", help=model_help)
    if judge_model:
        group.add_argument(
            "--judge-model", metavar="NAME", help="the judge's model (default: --model)"
        )
    group.add_argument("--base-url", metavar="URL", help="an OpenAI-compatible endpoint")
    group.add_argument(
        "--profile",
        choices=_ProfileNames(),
        help="a known server's usual URL (ollama, vllm, lmstudio, llamacpp, openai)",
    )


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    """Who plays the buyer and who judges: bare ``trainer`` (the TUI) and every command
    that plays or judges take the same flags (``cli.backend.llm_settings_from`` reads them)."""
    group = parser.add_argument_group(
        "buyer and judge",
        f"offline unless an endpoint is configured (flags, {OPENAI_BASE_URL.name}, the config "
        "file)",
    )
    group.add_argument("--backend", choices=("offline", "llm"), help="who plays the buyer")
    add_endpoint_options(group, model_help="the buyer's model", judge_model=True)
    group.add_argument(
        "--judge-file",
        metavar="FILE",
        type=Path,
        help="an offline judge trained with 'trainer judge train' (default: the shipped one)",
    )


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """``--store`` and ``--trainee``: whose results, kept where (``cli.storage`` reads them)."""
    group = parser.add_argument_group("results")
    _add_store(group)
    group.add_argument(
        "--trainee",
        metavar="NAME",
        help=f"who is training (default: ${TRAINEE.name}, the config file, or your login)",
    )


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """``--store`` alone: for a command that serves or administers every trainee's results
    (``trainer host``), where a ``--trainee`` would mean nothing."""
    _add_store(parser.add_argument_group("results"))


def _add_store(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--store",
        metavar="DIR",
        help=f"results folder (default: ${STORE.name}, the config file, or your data folder)",
    )


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """What ``play`` and ``certify`` both take: a scenario, a script, and where to play."""
    parser.add_argument("scenario", metavar="SCENARIO")
    add_script_option(parser)
    add_json_option(parser)
    add_content_option(parser)
    add_backend_options(parser)
    add_store_options(parser)
