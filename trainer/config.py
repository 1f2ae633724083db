"""Every setting the trainer reads from outside its flags, in one place: the table of
environment variables, the one reading of the config file, and the typed settings the rest
of the code receives. Flags beat environment variables, which beat the config file, which
beats the defaults.

The config file is TOML in the user config dir, or the file ``TRAINER_CONFIG`` names (the
TUI's Settings screen shows which, and ``trainer doctor`` names it when no endpoint is
configured). It is read, never written by the core, so a team can hand out one file.
Secrets (the organisation key) may come from the environment so they stay out of shared
files; the API key comes from the environment only.

No other module spells an environment variable's name: they take it from ``ENVIRONMENT``
(``tests/test_settings.py`` greps ``trainer/`` for stray ones, and checks the README names
each where the table says).
"""

from __future__ import annotations

import difflib
import getpass
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_config_dir, user_data_dir

from trainer.errors import InputError
from trainer.text import name_problem
from trainer.urls import UrlProblem, check_url

APP_NAME = "trainer"
DEFAULT_XAPI_HOME = "https://trainer.invalid"
DEFAULT_IDLE_MINUTES = 20.0


class ConfigError(InputError, ValueError):
    """The config file or a setting cannot be used; the message names the file (or the
    variable) and says what to write instead."""


@dataclass(frozen=True)
class EnvVar:
    """One environment variable the product reads: its name, what it sets, and the README
    section that documents it for users."""

    name: str
    sets: str
    documented: str

    def get(self) -> str | None:
        """The variable's value now (an empty value is returned as is; callers that treat
        empty as unset say so with ``or``)."""
        return os.environ.get(self.name)


_CONFIG_SECTION = "The config file"
_MODEL_SECTION = "A buyer played by a language model"
_RESULTS_SECTION = "Results: history, certification, reports"
_HOSTED_SECTION = "Hosted mode"

CONFIG_FILE = EnvVar("TRAINER_CONFIG", "the config file to read", _CONFIG_SECTION)
STORE = EnvVar("TRAINER_STORE", "the results folder (--store)", _RESULTS_SECTION)
TRAINEE = EnvVar("TRAINER_TRAINEE", "who is training (--trainee)", _RESULTS_SECTION)
ORG_KEY = EnvVar("TRAINER_ORG_KEY", "the organisation key that signs records", _CONFIG_SECTION)
XAPI_HOMEPAGE = EnvVar("TRAINER_XAPI_HOMEPAGE", "the base of xAPI ids", _CONFIG_SECTION)
JUDGE_FILE = EnvVar(
    "TRAINER_JUDGE_FILE", "an offline judge of your own (--judge-file)", _CONFIG_SECTION
)
CONTENT = EnvVar(
    "TRAINER_CONTENT",
    "content folders searched before the starter library, separated like PATH (--content)",
    "Writing personas and scenarios",
)
BACKEND = EnvVar(
    "TRAINER_BACKEND", "who plays the buyer: offline or llm (--backend)", _MODEL_SECTION
)
PROFILE = EnvVar("TRAINER_PROFILE", "a known server's usual URL (--profile)", _MODEL_SECTION)
MODEL = EnvVar("TRAINER_MODEL", "the buyer's model (--model)", _MODEL_SECTION)
JUDGE_MODEL = EnvVar("TRAINER_JUDGE_MODEL", "the judge's model (--judge-model)", _MODEL_SECTION)
LRS_USERNAME = EnvVar(
    "TRAINER_LRS_USERNAME", "the LRS's basic-auth user for export --lrs", "Reports and exports"
)
LRS_PASSWORD = EnvVar(
    "TRAINER_LRS_PASSWORD", "the LRS's basic-auth password for export --lrs", "Reports and exports"
)
OPENAI_API_KEY = EnvVar(
    "OPENAI_API_KEY", "the model endpoint's API key (read from here only)", _MODEL_SECTION
)
OPENAI_BASE_URL = EnvVar("OPENAI_BASE_URL", "the model endpoint (--base-url)", _MODEL_SECTION)
HOSTED = EnvVar(
    "TRAINER_HOSTED",
    "1 when trainer host runs the app for a trainee (not set by hand)",
    _HOSTED_SECTION,
)
IDLE_MINUTES = EnvVar(
    "TRAINER_IDLE_MINUTES",
    "minutes without a key or click before a hosted session ends (default 20)",
    _HOSTED_SECTION,
)

ENVIRONMENT: tuple[EnvVar, ...] = (
    CONFIG_FILE,
    STORE,
    TRAINEE,
    ORG_KEY,
    XAPI_HOMEPAGE,
    JUDGE_FILE,
    CONTENT,
    BACKEND,
    PROFILE,
    MODEL,
    JUDGE_MODEL,
    LRS_USERNAME,
    LRS_PASSWORD,
    OPENAI_API_KEY,
    OPENAI_BASE_URL,
    HOSTED,
    IDLE_MINUTES,
)
"""Every environment variable the product reads. (The OpenAI SDK may read more of its own,
such as an organisation id; the trainer never does.)"""


ConfigKind = Literal["text", "number"]


def _key(kind: ConfigKind, sets: str) -> Any:
    """A config file key: text in quotes (kept without surrounding spaces, never blank) or
    a number without quotes, and what it sets."""
    return field(default=None, metadata={"kind": kind, "sets": sets})


@dataclass(frozen=True)
class ConfigFile:
    """The config file's keys, typed; every key is optional. The known keys are these
    fields, so there is no list to keep beside them. Numbers are read as floats (whole or
    not: the settings that need a whole number take its integer part, as they always have).

    A plain dataclass rather than a pydantic model: the messages are the product's own, and
    importing ``trainer.config`` (which the CLI's error handler does on every run) stays free
    of pydantic's import time."""

    trainee: str | None = _key("text", "who is training")
    store: str | None = _key("text", "the results folder")
    org_key: str | None = _key("text", "the organisation key that signs records")
    xapi_homepage: str | None = _key("text", "the base of xAPI ids")
    exports: str | None = _key("text", "where the TUI saves exports")
    judge_file: str | None = _key("text", "an offline judge of your own")
    backend: str | None = _key("text", "offline or llm")
    profile: str | None = _key("text", "a known server's usual URL")
    model: str | None = _key("text", "the buyer's model")
    judge_model: str | None = _key("text", "the judge's model")
    base_url: str | None = _key("text", "an OpenAI-compatible endpoint")
    temperature: float | None = _key("number", "the buyer's temperature")
    timeout: float | None = _key("number", "seconds per model call")
    retries: float | None = _key("number", "retries per model call")
    seed: float | None = _key("number", "the model buyer's seed")
    max_prompt_tokens: float | None = _key("number", "the prompt's token budget")

    @classmethod
    def from_toml(cls, data: dict[str, object]) -> ConfigFile:
        """The keys of a parsed file, or ``ValueError`` saying what to write instead (every
        problem at once, unknown keys first, since a misspelt ``trainee`` would otherwise
        be silently ignored)."""
        unknown = sorted(set(data) - KNOWN_KEYS)
        if unknown:
            raise ValueError(_unknown(unknown))
        kinds = {key.name: key.metadata["kind"] for key in fields(cls)}
        values: dict[str, str | float] = {}
        problems: list[str] = []
        for key, value in data.items():
            if kinds[key] == "number":
                if isinstance(value, bool) or not isinstance(value, int | float):
                    problems.append(f"{key} must be a number without quotes, like {key} = 1")
                else:
                    values[key] = float(value)
            elif not isinstance(value, str) or not value.strip():
                problems.append(f'{key} must be text in quotes, like {key} = "..."')
            else:
                values[key] = value.strip()
        if problems:
            raise ValueError("; ".join(problems))
        return cls(**values)  # type: ignore[arg-type]


KNOWN_KEYS = frozenset(key.name for key in fields(ConfigFile))


def _unknown(keys: list[str]) -> str:
    hints = []
    for key in keys:
        close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
        hints.append(f"{key} (did you mean {close[0]}?)" if close else key)
    return f"unknown setting {', '.join(hints)} (known: {', '.join(sorted(KNOWN_KEYS))})"


def default_exports() -> Path:
    """Where the TUI saves exports unless the config file says (``exports = "..."``):
    beside the store in the user's data folder, not whatever folder the trainer was
    started from."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "exports"


def default_store() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "store"


def config_path() -> Path:
    explicit = CONFIG_FILE.get()
    if explicit:
        return Path(explicit)
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def read_config_file(path: Path | None = None) -> ConfigFile:
    """The one reading of the config file: its keys typed, or an empty ``ConfigFile``
    when there is none. Every problem is a ``ConfigError`` naming the file."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return ConfigFile()
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
            f"{path}: remove api_key: the API key is read from {OPENAI_API_KEY.name} only, so "
            "it never sits in a file others may read"
        )
    try:
        return ConfigFile.from_toml(data)
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None


@dataclass(frozen=True)
class Sources:
    """What settings are resolved from besides flags: the config file, read once, and
    where it is. The CLI and the TUI read this once and hand it to ``resolve_settings``
    and ``resolve_llm``, so both see the same file."""

    path: Path
    file: ConfigFile

    @classmethod
    def read(cls) -> Sources:
        path = config_path()
        return cls(path=path, file=read_config_file(path))


@dataclass(frozen=True)
class Settings:
    """The resolved settings, with where each came from for ``trainer doctor``-style output."""

    store: Path
    trainee: str
    org_key: bytes | None
    xapi_homepage: str
    exports: Path = field(default_factory=default_exports)
    hosted: bool = False
    """Run by ``trainer host`` for one trainee in a browser: the trainee is who the host
    says, hidden facts never shown unearned, exports downloaded, not saved on the host."""
    idle_minutes: float = DEFAULT_IDLE_MINUTES
    """A hosted session with no key or mouse event for this long ends (its turns kept)."""


def hosted_settings() -> tuple[bool, float]:
    """Whether the app runs hosted and its idle timeout, from the environment ``trainer
    host`` sets for each app process; a timeout that is not a positive number is a
    ``ConfigError`` naming the variable."""
    hosted = (HOSTED.get() or "").strip() not in ("", "0")
    raw = (IDLE_MINUTES.get() or "").strip()
    if not raw:
        return hosted, DEFAULT_IDLE_MINUTES
    try:
        minutes = float(raw)
    except ValueError:
        minutes = -1.0
    if not 0 < minutes < float("inf"):
        raise ConfigError(
            f"{IDLE_MINUTES.name}: {raw!r} is not a number of minutes above 0, like 20"
        )
    return hosted, minutes


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "trainee"


def resolve_settings(
    store: Path | str | None = None, trainee: str | None = None, sources: Sources | None = None
) -> Settings:
    """Flags (the arguments) over environment over the config file over defaults."""
    sources = sources or Sources.read()
    file = sources.file
    hosted, idle_minutes = hosted_settings()
    if hosted and not (TRAINEE.get() or "").strip():
        # hosted, the trainee is who the host says: never a config file's or a login name
        raise ConfigError(
            f"{HOSTED.name} is set but {TRAINEE.name} is not: start it with trainer host"
        )
    store_value = store or STORE.get() or file.store
    trainee_value, source = first_set(
        ("--trainee", None if hosted else trainee),
        (TRAINEE.name, TRAINEE.get()),
        (f"trainee in {sources.path}", file.trainee),
        ("your login name", login_name()),
    )
    problem = name_problem(trainee_value or "")
    if problem is not None:
        raise ConfigError(f"{source}: {problem}")
    key_value = ORG_KEY.get() or file.org_key
    homepage, source = first_set(
        (XAPI_HOMEPAGE.name, XAPI_HOMEPAGE.get()),
        (f"xapi_homepage in {sources.path}", file.xapi_homepage),
        ("the default", DEFAULT_XAPI_HOME),
    )
    try:
        homepage = check_url(homepage or DEFAULT_XAPI_HOME, source)
    except UrlProblem as exc:
        raise ConfigError(str(exc)) from None
    return Settings(
        exports=Path(file.exports).expanduser() if file.exports else default_exports(),
        store=Path(store_value).expanduser() if store_value else default_store(),
        trainee=(trainee_value or "").strip(),
        org_key=key_value.encode("utf-8") if key_value else None,
        xapi_homepage=homepage.rstrip("/"),
        hosted=hosted,
        idle_minutes=idle_minutes,
    )


def first_set(*candidates: tuple[str, str | None]) -> tuple[str | None, str]:
    """The first value given, with where it came from, so a message about a bad value can
    name the place to fix it without repeating the value."""
    for source, value in candidates:
        if value:
            return value, source
    return None, candidates[-1][0]
