"""The SCENARIO argument of the commands that play one: a library id or a file, loaded
with the content folders the command line names."""

from __future__ import annotations

from pathlib import Path

from trainer.cli.errors import UserError
from trainer.content.finder import find_scenario, open_library
from trainer.content.library import ResolvedScenario
from trainer.content.problems import ContentError


def load_setup(scenario: str, content: list[Path] | None) -> ResolvedScenario:
    library = open_library(content)
    try:
        return find_scenario(scenario, library)
    except ContentError as exc:
        raise UserError("the scenario cannot be loaded:\n" + str(exc)) from None
