"""Which backend plays the buyer, and how to reach a model: flags over environment over the
config file over a named profile.

The offline backend stays the default until an endpoint is configured (a base URL or a
profile, in any of those places), so a fresh machine never calls out, and a stray
API key in someone's shell does not start spending money. The API key comes from the
environment only and is never written anywhere: ``describe()`` is what records and exports
get. Every value comes from ``trainer.config``: its environment table and its one reading
of the config file (``Sources``).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from trainer.config import (
    BACKEND,
    JUDGE_FILE,
    JUDGE_MODEL,
    MODEL,
    OPENAI_API_KEY,
    OPENAI_BASE_URL,
    PROFILE,
    ConfigError,
    Sources,
    config_path,
    first_set,
)
from trainer.urls import UrlProblem, check_url, safe_url

Backend = Literal["offline", "llm"]


@dataclass(frozen=True)
class Profile:
    base_url: str
    model: str | None
    needs_key: bool


PROFILES: dict[str, Profile] = {
    "openai": Profile("https://api.openai.com/v1", "gpt-4o-mini", needs_key=True),
    "ollama": Profile("http://localhost:11434/v1", None, needs_key=False),
    "vllm": Profile("http://localhost:8000/v1", None, needs_key=False),
    "lmstudio": Profile("http://localhost:1234/v1", None, needs_key=False),
    "llamacpp": Profile("http://localhost:8080/v1", None, needs_key=False),
}
LOCAL_KEY = "not-needed"
"""Local servers ignore the key, but the SDK refuses to start without one."""

DEFAULT_TEMPERATURE = 0.7
DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 2
DEFAULT_MAX_PROMPT_TOKENS = 3000


@dataclass(frozen=True)
class LlmSettings:
    backend: Backend
    base_url: str | None = None
    model: str | None = None
    judge_model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    profile: str | None = None
    temperature: float = DEFAULT_TEMPERATURE
    seed: int | None = None
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    max_prompt_tokens: int = DEFAULT_MAX_PROMPT_TOKENS
    judge_file: Path | None = None
    """An offline judge trained by ``trainer judge train``; None for the shipped one."""

    @property
    def buyer_model(self) -> str:
        return self.model or ""

    @property
    def judging_model(self) -> str:
        return self.judge_model or self.model or ""

    def describe(self) -> dict[str, object]:
        """What a session record keeps: everything but the key, and the URL without any
        credentials or query in it."""
        judge = {"judge_file": str(self.judge_file)} if self.judge_file else {}
        if self.backend == "offline":
            return {"buyer": "offline", "assessor": "offline", **judge}
        return {
            "buyer": "llm",
            "assessor": "llm+offline",
            "base_url": safe_url(self.base_url or ""),
            "model": self.buyer_model,
            "judge_model": self.judging_model,
            "temperature": self.temperature,
            "seed": self.seed,
            **judge,
        }


def resolve_llm(
    backend: str | None = None,
    model: str | None = None,
    judge_model: str | None = None,
    base_url: str | None = None,
    profile: str | None = None,
    judge_file: Path | None = None,
    sources: Sources | None = None,
) -> LlmSettings:
    """The settings from flags (the arguments), environment, config file and profile.
    ``ConfigError`` says what to fix when they cannot work together."""
    sources = sources or Sources.read()
    file = sources.file
    judge_value = judge_file or JUDGE_FILE.get() or file.judge_file
    judge_path = Path(judge_value).expanduser() if judge_value else None
    profile_name = profile or PROFILE.get() or file.profile
    chosen = None
    if profile_name:
        chosen = PROFILES.get(profile_name.lower())
        if chosen is None:
            raise ConfigError(
                f"unknown profile {profile_name!r} (known: {', '.join(sorted(PROFILES))})"
            )
    url, source = first_set(
        ("--base-url", base_url),
        (OPENAI_BASE_URL.name, OPENAI_BASE_URL.get()),
        (f"base_url in {sources.path}", file.base_url),
        (f"the {profile_name} profile", chosen.base_url if chosen else None),
    )
    if url:
        try:
            url = check_url(url, source)
        except UrlProblem as exc:
            raise ConfigError(str(exc)) from None
    wanted = backend or BACKEND.get() or file.backend
    if wanted is not None and wanted not in ("offline", "llm"):
        raise ConfigError(f"backend must be 'offline' or 'llm', not {wanted!r}")
    resolved: Backend = "llm" if (wanted == "llm" or (wanted is None and url)) else "offline"
    if resolved == "offline":
        return LlmSettings("offline", judge_file=judge_path)
    if not url:
        url = PROFILES["openai"].base_url
        chosen = chosen or PROFILES["openai"]
    name = model or MODEL.get() or file.model or (chosen.model if chosen else None)
    if not name:
        raise ConfigError(
            f"the llm backend needs a model name: --model NAME, {MODEL.name}, or model = "
            '"..." in the config file (`trainer doctor` lists the models the server has)'
        )
    key = OPENAI_API_KEY.get()
    if not key:
        if _is_openai(url):
            raise ConfigError(
                f"OpenAI needs an API key: set {OPENAI_API_KEY.name} in the environment (it is "
                "never written to a file, a record or a log)"
            )
        key = LOCAL_KEY
    return LlmSettings(
        backend="llm",
        base_url=url,
        model=name,
        judge_model=judge_model or JUDGE_MODEL.get() or file.judge_model,
        api_key=key,
        profile=profile_name,
        temperature=DEFAULT_TEMPERATURE if file.temperature is None else file.temperature,
        seed=None if file.seed is None else int(file.seed),
        timeout=DEFAULT_TIMEOUT if file.timeout is None else file.timeout,
        retries=DEFAULT_RETRIES if file.retries is None else int(file.retries),
        max_prompt_tokens=(
            DEFAULT_MAX_PROMPT_TOKENS
            if file.max_prompt_tokens is None
            else int(file.max_prompt_tokens)
        ),
        judge_file=judge_path,
    )


def how_to_configure() -> str:
    """What to do when no endpoint is configured (``trainer doctor`` says it too)."""
    return (
        "To use a model, give an endpoint: --base-url URL --model NAME, or --profile "
        f"ollama|vllm|lmstudio|llamacpp|openai, or base_url and model in {config_path()}."
    )


def _is_openai(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    return host == "api.openai.com" or host.endswith(".openai.azure.com")
