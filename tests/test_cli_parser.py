"""The command line's parser: shared options declared once, every command listed from the
registry, and only the chosen command's layers imported (bare ``trainer`` and
``trainer --version`` load neither the model backend nor the authoring tools)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.cli import build_parser, main, parse
from trainer.cli.registry import COMMANDS

CLI = Path(__file__).resolve().parents[1] / "trainer" / "cli"

# What neither ``trainer --version`` nor bare ``trainer`` (up to an interactive TUI library)
# may import: the model code and SDK, the lexicon, the authoring tools, the reports, and
# the modules of commands that are not run.
NOT_AT_START = (
    "openai",
    "httpx",
    "trainer.llm.endpoint",
    "trainer.llm.buyer",
    "trainer.llm.judge",
    "trainer.offline.lexicon",
    "trainer.authoring",
    "trainer.reports",
    "trainer.cli.play",
    "trainer.cli.sessions",
    "trainer.cli.calibrate",
)


def imported_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def loaded(modules: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == b or m.startswith(b + ".") for b in banned))


def test_version_imports_no_layer_it_does_not_use() -> None:
    modules = imported_after(
        "from trainer.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass"
    )
    assert loaded(modules, (*NOT_AT_START, "trainer.llm", "textual", "trainer.engine")) == []


def test_bare_trainer_imports_only_what_the_tui_needs() -> None:
    # What `trainer` does before the TUI's first screen: parse, read the backend flags,
    # build the app's context and import the library screen.
    modules = imported_after(
        "from trainer.cli import parse\n"
        "from trainer.cli.backend import llm_settings_from\n"
        "llm_settings_from(parse([]))\n"
        "from trainer.tui.context import AppContext\n"
        "from trainer.tui.app import TrainerApp\n"
        "from trainer.tui.screens import library\n"
        "AppContext.from_environment()"
    )
    assert "trainer.tui.app" in modules
    assert loaded(modules, NOT_AT_START) == []


def test_a_command_imports_its_own_module_only() -> None:
    modules = imported_after("from trainer.cli import parse\nparse(['validate', '--content', '.'])")
    assert "trainer.cli.validate" in modules
    assert loaded(modules, ("trainer.cli.play", "trainer.authoring", "trainer.llm")) == []


def test_help_lists_every_command_of_the_registry_in_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    places = [out.index(f"    {c.name} ") for c in COMMANDS]
    assert places == sorted(places)
    for command in COMMANDS:
        assert " ".join(command.help.split()[:4]) in " ".join(out.split())


@pytest.mark.parametrize("command", [c.name for c in COMMANDS])
def test_every_command_registers_its_real_parser(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = build_parser(command)
    subparsers = parser._subparsers
    assert subparsers is not None
    chosen = subparsers._group_actions[0].choices[command]  # type: ignore[index]
    assert chosen.add_help, f"{command} is still a stub"
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: trainer {command}")


def test_a_misspelt_command_is_refused_with_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["plya"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'plya'" in err
    assert "play" in err and "preview" in err


def test_top_level_backend_flags_parse_before_and_after_the_stubs() -> None:
    args = parse(["--backend", "offline", "--profile", "ollama"])
    assert args.command is None and args.backend == "offline" and args.profile == "ollama"
    args = parse(["--backend", "offline", "play", "some-scenario", "--seed", "3", "--json"])
    assert (args.command, args.scenario, args.seed, args.json) == ("play", "some-scenario", 3, True)
    assert args.handler.__module__ == "trainer.cli.play"


def test_an_unknown_profile_is_refused_with_the_known_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from trainer.llm.settings import PROFILES

    with pytest.raises(SystemExit) as exit_:
        parse(["doctor", "--profile", "nope"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'nope'" in err
    for name in PROFILES:
        assert name in err


SHARED = ("--content", "--json", "--store", "--trainee", "--backend", "--model", "--base-url",
          "--profile", "--judge-model", "--judge-file", "--script", "--seed", "--scenario",
          "--mode")  # fmt: skip


def test_shared_options_are_declared_only_in_options_py() -> None:
    for path in sorted(CLI.glob("*.py")):
        if path.name == "options.py":
            continue
        text = path.read_text(encoding="utf-8")
        for option in SHARED:
            assert not re.search(rf"add_argument\(\s*\"{option}\"", text), (
                f"{path.name} declares {option}; use trainer.cli.options"
            )


def test_no_signature_names_the_private_subparsers_type() -> None:
    for path in sorted(CLI.glob("*.py")):
        if path.name == "options.py":
            continue
        assert "_SubParsersAction" not in path.read_text(encoding="utf-8"), path.name
