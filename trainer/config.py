"""Where the trainer keeps results and who is training: flags over environment over a
config file.

The config file is TOML in the user config dir (``trainer config-path`` prints it). It is
read, never written by the core, so a team can hand out one file. Secrets (the
organisation key) may come from the environment so they stay out of shared files.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from trainer.errors import InputError
from trainer.text import name_problem
from trainer.urls import UrlProblem, check_url

APP_NAME = "trainer"
STORE_ENV = "TRAINER_STORE"
TRAINEE_ENV = "TRAINER_TRAINEE"
ORG_KEY_ENV = "TRAINER_ORG_KEY"
CONFIG_ENV = "TRAINER_CONFIG"
XAPI_HOME_ENV = "TRAINER_XAPI_HOMEPAGE"
DEFAULT_XAPI_HOME = "https://trainer.invalid"

TEXT_KEYS = {
    "trainee",
    "store",
    "org_key",
    "xapi_homepage",
    "backend",
    "profile",
    "model",
    "judge_model",
    "base_url",
    "judge_file",
    "exports",
}
NUMBER_KEYS = {"temperature", "timeout", "retries", "seed", "max_prompt_tokens"}
KNOWN_KEYS = TEXT_KEYS | NUMBER_KEYS
ConfigValue = str | int | float


class ConfigError(InputError, ValueError):
    """The config file cannot be used; the message names the file and the line."""


def default_exports() -> Path:
    """Where the TUI saves exports unless the config file says (``exports = "..."``):
    beside the store in the user's data folder, not whatever folder the trainer was
    started from."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "exports"


@dataclass(frozen=True)
class Settings:
    """The resolved settings, with where each came from for ``trainer doctor``-style output."""

    store: Path
    trainee: str
    org_key: bytes | None
    xapi_homepage: str
    exports: Path = field(default_factory=default_exports)


def config_path() -> Path:
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit)
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_store() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "store"


def read_config_file(path: Path | None = None) -> dict[str, ConfigValue]:
    """The config file's keys, or ``{}`` when there is none. Unknown keys are an error:
    a misspelt ``trainee`` would otherwise be silently ignored."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f'{path}: {exc} (the file is TOML: key = "value")') from None
    if "api_key" in data:
        raise ConfigError(
            f"{path}: remove api_key: the API key is read from OPENAI_API_KEY only, so it "
            "never sits in a file others may read"
        )
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {', '.join(unknown)} (known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    values: dict[str, ConfigValue] = {}
    for key, value in data.items():
        if key in NUMBER_KEYS:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"{path}: {key} must be a number without quotes, like {key} = 1")
            values[key] = value
        elif not isinstance(value, str) or not value.strip():
            raise ConfigError(f'{path}: {key} must be text in quotes, like {key} = "..."')
        else:
            values[key] = value.strip()
    return values


def config_text(values: dict[str, ConfigValue], key: str) -> str | None:
    value = values.get(key)
    return value if isinstance(value, str) else None


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "trainee"


def resolve_settings(store: Path | str | None = None, trainee: str | None = None) -> Settings:
    """Flags (the arguments) over environment over the config file over defaults."""
    file = read_config_file()
    store_value = store or os.environ.get(STORE_ENV) or config_text(file, "store")
    trainee_value, source = first_set(
        ("--trainee", trainee),
        (TRAINEE_ENV, os.environ.get(TRAINEE_ENV)),
        (f"trainee in {config_path()}", config_text(file, "trainee")),
        ("your login name", login_name()),
    )
    problem = name_problem(trainee_value or "")
    if problem is not None:
        raise ConfigError(f"{source}: {problem}")
    key_value = os.environ.get(ORG_KEY_ENV) or config_text(file, "org_key")
    homepage, source = first_set(
        (XAPI_HOME_ENV, os.environ.get(XAPI_HOME_ENV)),
        (f"xapi_homepage in {config_path()}", config_text(file, "xapi_homepage")),
        ("the default", DEFAULT_XAPI_HOME),
    )
    try:
        homepage = check_url(homepage or DEFAULT_XAPI_HOME, source)
    except UrlProblem as exc:
        raise ConfigError(str(exc)) from None
    exports = config_text(file, "exports")
    return Settings(
        exports=Path(exports).expanduser() if exports else default_exports(),
        store=Path(store_value).expanduser() if store_value else default_store(),
        trainee=(trainee_value or "").strip(),
        org_key=key_value.encode("utf-8") if key_value else None,
        xapi_homepage=homepage.rstrip("/"),
    )


def first_set(*candidates: tuple[str, str | None]) -> tuple[str | None, str]:
    """The first value given, with where it came from, so a message about a bad value can
    name the place to fix it without repeating the value."""
    for source, value in candidates:
        if value:
            return value, source
    return None, candidates[-1][0]
