"""Every ``trainer`` command, by name: its one-line help and the module that builds its
parser and runs it.

Bare ``trainer`` opens the TUI and ``trainer --version`` prints a line: neither should pay
for importing every command's layers (the model backend, the authoring tools, the
reports). So the parser is built in two steps: first every command as a stub that knows
only its name and help (enough for ``trainer --help`` and for choosing the command), then,
for the command chosen, its module's ``register(commands)`` with the real options.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from trainer.cli.options import Commands


@dataclass(frozen=True)
class Command:
    name: str
    module: str
    """Where ``register(commands: Commands)`` adds this command's parser (and maybe its
    siblings': ``trainer.cli.sessions`` registers ``sessions``, ``resume`` and ``close``)."""
    help: str


COMMANDS: tuple[Command, ...] = (
    Command(
        "play", "trainer.cli.play", "practise a scenario in the terminal (typed, or from a script)"
    ),
    Command(
        "certify",
        "trainer.cli.certify",
        "a certification attempt: no feedback until the end, recorded and signed",
    ),
    Command(
        "sessions", "trainer.cli.sessions", "your past sessions (or --all trainees'), newest last"
    ),
    Command("resume", "trainer.cli.sessions", "continue an interrupted session where it stopped"),
    Command(
        "close",
        "trainer.cli.sessions",
        "end an interrupted session as it is (it is scored on the turns played)",
    ),
    Command("scenarios", "trainer.cli.scenarios", "list the scenarios in the library"),
    Command(
        "validate",
        "trainer.cli.validate",
        "check personas, scenarios and rubrics; one line per problem",
    ),
    Command(
        "schema", "trainer.cli.schema", "write JSON Schemas for personas, scenarios and rubrics"
    ),
    Command(
        "verify",
        "trainer.cli.verify",
        "check that no certification record was altered, removed or outdated",
    ),
    Command(
        "report",
        "trainer.cli.report",
        "progress per trainee and for the cohort (table, CSV, JSON or Markdown)",
    ),
    Command(
        "export",
        "trainer.cli.export",
        "a session as Markdown or JSON; results as xAPI statements or to an LRS",
    ),
    Command(
        "rescore",
        "trainer.cli.rescore",
        "score stored sessions again under the current scenario, persona and rubric",
    ),
    Command(
        "doctor",
        "trainer.cli.doctor",
        "check the model endpoint: reachable, key, models, streaming, structured output",
    ),
    Command(
        "test",
        "trainer.cli.scenario_test",
        "run the scripted sellers in scenarios and check the outcomes",
    ),
    Command(
        "calibrate",
        "trainer.cli.calibrate",
        "measure how well the assessors agree with human-labelled turns",
    ),
    Command(
        "host",
        "trainer.cli.host",
        "serve the trainer in trainees' browsers from this machine; invite, revoke, list links",
    ),
    Command("judge", "trainer.cli.judge", "check labelled turns; train the offline judge on them"),
    Command("new", "trainer.cli.new", "start a persona or scenario file from a commented template"),
    Command("preview", "trainer.cli.preview", "show how a persona reacts to each kind of turn"),
)
"""In the order ``trainer --help`` lists them."""


def add_commands(commands: Commands, chosen: str | None = None) -> None:
    """Add every command to ``commands``: the chosen one (and any command its module
    registers with it) with its real options, imported now; every other as a stub that
    takes any arguments, so that a first parse can tell which command was chosen.

    The chosen command's parser is not listed in this parser's help: only the first
    parse, all stubs, ever prints the list (``trainer --help``); once a command is
    chosen, ``--help`` is that command's."""
    registered: set[str] = set()
    entry = find(chosen)
    if entry is not None:
        module = importlib.import_module(entry.module)
        module.register(commands)
        registered = set(commands.choices)
    for command in COMMANDS:
        if command.name not in registered:
            commands.add_parser(command.name, help=command.help, add_help=False)


def find(name: str | None) -> Command | None:
    return next((c for c in COMMANDS if c.name == name), None)
