"""One settings model: every environment variable in one table (and the README's list of
them), one typed reading of the config file that is strict about unknown keys, and tests
that a developer's shell cannot reach."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

import trainer.config as config_module
from tests.conftest import HARNESS_VARIABLES, PRODUCT_PREFIXES
from trainer.cli import main
from trainer.config import (
    ENVIRONMENT,
    KNOWN_KEYS,
    ConfigError,
    ConfigFile,
    Sources,
    read_config_file,
    resolve_settings,
)
from trainer.llm.settings import resolve_llm
from trainer.tui.context import AppContext

REPO = Path(__file__).resolve().parents[1]
TABLE_MODULE = REPO / "trainer" / "config.py"
NAME = re.compile(r"\b(?:TRAINER|OPENAI)_[A-Z0-9_]+")


def string_literals(path: Path) -> list[tuple[int, str]]:
    """Every string constant in a module, f-string parts and docstrings included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_no_variable_name_is_spelt_outside_the_table() -> None:
    stray = [
        f"{path.relative_to(REPO)}:{line}: {match}"
        for path in sorted((REPO / "trainer").rglob("*.py"))
        if path != TABLE_MODULE
        for line, text in string_literals(path)
        for match in NAME.findall(text)
    ]
    assert not stray, "take the name from trainer.config's table:\n" + "\n".join(stray)


def test_the_table_names_every_variable_the_table_module_spells() -> None:
    named = {var.name for var in ENVIRONMENT}
    spelt = {m for _, text in string_literals(TABLE_MODULE) for m in NAME.findall(text)}
    assert spelt <= named
    assert len(named) == len(ENVIRONMENT)
    assert all(var.name.startswith(PRODUCT_PREFIXES) for var in ENVIRONMENT)
    assert not named & HARNESS_VARIABLES  # the tests' own variables are never the product's


def readme_sections() -> dict[str, str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    parts = re.split(r"^#{2,4} (.+)$", text, flags=re.MULTILINE)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_the_readme_lists_the_table_and_documents_each_variable_where_it_says() -> None:
    sections = readme_sections()
    rows = re.findall(
        r"^\| `([A-Z0-9_]+)` \| (.+?) \| (.+?) \|$",
        sections["Environment variables"],
        flags=re.MULTILINE,
    )
    assert rows == [(var.name, var.sets, var.documented) for var in ENVIRONMENT]
    for var in ENVIRONMENT:
        assert var.documented in sections, f"{var.name}: no README section {var.documented!r}"
        assert var.name in NAME.findall(sections[var.documented]), (var.name, var.documented)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert set(NAME.findall(readme)) == {var.name for var in ENVIRONMENT}


def test_a_shell_full_of_trainer_variables_does_not_reach_a_test() -> None:
    leaked = [
        name
        for name in os.environ
        if name.startswith(PRODUCT_PREFIXES) and name not in HARNESS_VARIABLES
    ]
    assert leaked == []
    assert resolve_llm().backend == "offline"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv(config_module.CONFIG_FILE.name, str(path))
    return path


def test_the_config_file_is_typed(config: Path) -> None:
    assert read_config_file() == ConfigFile()
    config.write_text(
        'trainee = "  Ana  "\nmodel = "m"\ntemperature = 0.2\nretries = 3\n', encoding="utf-8"
    )
    file = read_config_file()
    assert (file.trainee, file.model, file.temperature, file.retries) == ("Ana", "m", 0.2, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('trainees = "x"\n', "unknown setting trainees (did you mean trainee?)"),
        ('zzz = 1\nmodel = "m"\n', "unknown setting zzz (known: backend, base_url,"),
        ("[llm]\nmodel = 'm'\n", "unknown setting llm"),
        ('retries = "2"\n', "retries must be a number without quotes, like retries = 1"),
        ("timeout = true\n", "timeout must be a number without quotes"),
        ("trainee = 3\n", 'trainee must be text in quotes, like trainee = "..."'),
        ('model = "  "\n', "model must be text in quotes"),
        ("model = [1]\n", "model must be text in quotes"),
        ('api_key = "sk"\n', "the API key is read from OPENAI_API_KEY only"),
        ("trainee = \n", "the file is TOML"),
    ],
)
def test_a_bad_config_file_is_one_message_naming_the_file(
    config: Path, text: str, expected: str
) -> None:
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read_config_file()
    message = str(raised.value)
    assert message.startswith(f"{config}: ") and expected in message
    assert "\n" not in message


def test_an_unknown_key_names_the_known_ones(config: Path) -> None:
    config.write_text('modle = "m"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="did you mean model") as raised:
        read_config_file()
    assert all(key in str(raised.value) for key in KNOWN_KEYS)


@pytest.mark.parametrize("argv", [[], ["play", "cold-call-cold-chain"], ["doctor"], ["sessions"]])
def test_a_bad_config_file_is_a_message_not_a_traceback(
    config: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    config.write_text('trainee = "x"\nbakend = "llm"\n', encoding="utf-8")
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"trainer: {config}: unknown setting bakend (did you mean backend?)")
    assert "Traceback" not in err


def test_the_file_is_read_once_for_both_settings(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.write_text('trainee = "Ana"\nprofile = "ollama"\nmodel = "m"\n', encoding="utf-8")
    reads: list[Path | None] = []
    real = config_module.read_config_file

    def counted(path: Path | None = None) -> ConfigFile:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(config_module, "read_config_file", counted)
    context = AppContext.from_environment()
    assert reads == [config]
    assert context.settings.trainee == "Ana" and context.llm.model == "m"
    sources = Sources.read()
    assert resolve_settings(sources=sources).trainee == "Ana"
    assert resolve_llm(sources=sources).base_url == "http://localhost:11434/v1"
    assert len(reads) == 2


def test_flags_beat_environment_beat_file(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config.write_text('model = "file"\njudge_model = "file-judge"\nprofile = "vllm"\n')
    assert resolve_llm().model == "file"
    monkeypatch.setenv(config_module.MODEL.name, "env")
    monkeypatch.setenv(config_module.JUDGE_MODEL.name, "env-judge")
    monkeypatch.setenv(config_module.PROFILE.name, "ollama")
    settings = resolve_llm()
    assert (settings.model, settings.judge_model) == ("env", "env-judge")
    assert settings.base_url == "http://localhost:11434/v1"
    assert resolve_llm(model="flag").model == "flag"
    monkeypatch.setenv(config_module.BACKEND.name, "offline")
    assert resolve_llm().backend == "offline"
    assert resolve_llm(backend="llm").backend == "llm"


def test_no_module_names_a_command_that_does_not_exist() -> None:
    assert "config-path" not in TABLE_MODULE.read_text(encoding="utf-8")
