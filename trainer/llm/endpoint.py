"""One OpenAI-compatible endpoint: one client, one connection pool, for judge and buyer.

``openai`` is imported here and only here, when a model is first used: it costs most of
a second to import, which the offline trainer must never pay. Every failure of the
endpoint becomes an ``EndpointError`` whose message says what to do; front ends stop
cleanly on it (exit 3), with the turns played so far already stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trainer.config import OPENAI_API_KEY
from trainer.errors import EndpointError as EndpointError
from trainer.llm.settings import LlmSettings
from trainer.text import one_line
from trainer.urls import safe_url

if TYPE_CHECKING:
    from openai import AsyncOpenAI


class Endpoint:
    def __init__(self, settings: LlmSettings) -> None:
        self.settings = settings
        self._client: AsyncOpenAI | None = None

    @property
    def where(self) -> str:
        return safe_url(self.settings.base_url or "")

    def client(self) -> AsyncOpenAI:
        if self._client is None:
            from openai import AsyncOpenAI

            self._client = AsyncOpenAI(
                base_url=self.settings.base_url,
                api_key=self.settings.api_key,
                timeout=self.settings.timeout,
                max_retries=self.settings.retries,
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    def explain(self, exc: BaseException) -> EndpointError:
        """The one-line message for a failed call."""
        import openai

        where = self.where
        if isinstance(exc, openai.APITimeoutError):
            return EndpointError(
                f"{where} did not answer within {self.settings.timeout:g} s; is the server "
                "busy or the model still loading? (timeout = ... in the config raises it)"
            )
        if isinstance(exc, openai.APIConnectionError):
            return EndpointError(f"cannot reach {where}: is the server running? ({_cause(exc)})")
        if isinstance(exc, openai.AuthenticationError):
            return EndpointError(f"{where} refused the API key (401): check {OPENAI_API_KEY.name}")
        if isinstance(exc, openai.PermissionDeniedError):
            return EndpointError(f"{where} does not allow this key to use the model (403)")
        if isinstance(exc, openai.NotFoundError):
            return EndpointError(
                f"{where} has no model {self.settings.model!r} or no chat endpoint (404); "
                "`trainer doctor` lists the models it has"
            )
        retries = self.settings.retries
        tried = f"after {retries} {'retry' if retries == 1 else 'retries'}"
        if isinstance(exc, openai.RateLimitError):
            return EndpointError(
                f"{where} is rate-limiting us (429) {tried}; "
                "wait a minute, or raise retries in the config"
            )
        if isinstance(exc, openai.APIStatusError):
            return EndpointError(f"{where} answered {exc.status_code} {tried}: {_message(exc)}")
        return EndpointError(f"{where}: {type(exc).__name__}: {one_line(str(exc))[:200]}")


# What a server or the network says is the server's text: it is cleaned before it becomes
# part of a message, so an error body cannot drive the terminal or add lines.


def _cause(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    return one_line(str(cause or exc))[:160]


def _message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return one_line(str(error["message"]))[:200]
    return one_line(str(exc))[:200]
