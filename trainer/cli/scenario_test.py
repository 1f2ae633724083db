"""``trainer test``: run the scripted sellers in scenarios and report like a test runner."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from trainer.authoring.scenario_tests import Backends, TestRun, offline_backends, run_scenario_test
from trainer.cli.backend import llm_settings_from
from trainer.cli.errors import UserError
from trainer.cli.options import Commands, add_backend_options, add_content_option, add_json_option
from trainer.content.finder import find_scenario, open_library
from trainer.content.library import YAML_SUFFIXES, Library, ResolvedScenario, yaml_files
from trainer.content.problems import ContentError
from trainer.sessions.backends import make_backends
from trainer.text import json_text


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "test",
        description="Play each scenario's tests (scripted sellers with expected outcomes) and "
        "report one line per check, then 'N passed, N failed'. PATH is a scenario file, a "
        "folder of them, or a scenario id; with none, every scenario in the library. Exit 1 "
        "on any failure.",
    )
    parser.add_argument("paths", metavar="PATH", nargs="*")
    add_content_option(parser)
    add_json_option(parser)
    add_backend_options(parser)
    parser.set_defaults(handler=run)


def chosen(args: argparse.Namespace, library: Library) -> list[ResolvedScenario]:
    if not args.paths:
        return [library.resolve(sid) for sid in sorted(library.scenarios)]
    setups: list[ResolvedScenario] = []
    for item in args.paths:
        path = Path(item)
        targets = _scenario_files(path) if path.is_dir() else [item]
        for target in targets:
            try:
                setups.append(find_scenario(str(target), library))
            except ContentError as exc:
                raise UserError(f"{target} cannot be loaded:\n{exc}") from None
    return setups


def _scenario_files(folder: Path) -> list[Path]:
    """The scenario files in a folder; a folder named like a file, or one with none in
    it, is a mistake to say, not "0 passed, 0 failed"."""
    if folder.suffix in YAML_SUFFIXES:
        raise UserError(f"{folder} is a folder, not a scenario file")
    found = yaml_files(folder)
    if not found:
        raise UserError(f"no scenario files (.yaml or .yml) in {folder}")
    return found


def backends_from(args: argparse.Namespace) -> Backends:
    settings = llm_settings_from(args)
    if settings.backend == "offline":
        return offline_backends
    return lambda setup: make_backends(settings, 0)


async def run_all(setups: list[ResolvedScenario], backends: Backends) -> list[TestRun]:
    runs: list[TestRun] = []
    for setup in setups:
        for test in setup.scenario.tests:
            runs.append(await run_scenario_test(setup, test, backends))
    return runs


def run(args: argparse.Namespace) -> int:
    library = open_library(args.content)
    broken = [p for p in library.problems if not args.paths or _mentions(p.path, args.paths)]
    setups = chosen(args, library)
    runs = asyncio.run(run_all(setups, backends_from(args)))
    if args.json:
        sys.stdout.write(json_text(document(runs, [str(p) for p in broken])) + "\n")
    else:
        report(setups, runs, [str(p) for p in broken])
    failed = sum(1 for r in runs for c in r.checks if not c.passed)
    return 1 if failed or broken else 0


def _mentions(path: Path, wanted: list[str]) -> bool:
    """Whether a file that failed to load is one the author asked to test."""
    for item in wanted:
        given = Path(item)
        if given.is_dir() and given.resolve() in path.resolve().parents:
            return True
        if given.exists() and given.resolve() == path.resolve():
            return True
        if path.stem == item:
            return True
    return False


def report(setups: list[ResolvedScenario], runs: list[TestRun], broken: list[str]) -> None:
    out = sys.stdout
    for problem in broken:
        out.write(f"ERROR {problem}\n")
    for setup in setups:
        mine = [r for r in runs if r.scenario == setup.scenario.id]
        out.write(f"{setup.scenario.id}\n")
        if not mine:
            out.write("  (no tests: add some under tests: in the scenario)\n")
        for test_run in mine:
            for check in test_run.checks:
                mark = "PASS" if check.passed else "FAIL"
                out.write(f"  {mark} {test_run.test}: {check.name} ({check.detail})\n")
                if check.fix:
                    out.write(f"       what to change: {check.fix}\n")
    passed = sum(1 for r in runs for c in r.checks if c.passed)
    failed = sum(1 for r in runs for c in r.checks if not c.passed)
    errors = f", {len(broken)} file(s) with errors" if broken else ""
    out.write(f"\n{passed} passed, {failed} failed{errors}\n")


def document(runs: list[TestRun], broken: list[str]) -> dict[str, Any]:
    return {
        "tests": [
            {
                "scenario": r.scenario,
                "test": r.test,
                "passed": r.passed,
                "turns": len(r.session.turns),
                "ended_by": r.session.ended_by,
                "score": r.session.score().score,
                "checks": [
                    {"check": c.name, "passed": c.passed, "detail": c.detail, "fix": c.fix}
                    for c in r.checks
                ],
            }
            for r in runs
        ],
        "passed": sum(1 for r in runs for c in r.checks if c.passed),
        "failed": sum(1 for r in runs for c in r.checks if not c.passed),
        "errors": broken,
    }
