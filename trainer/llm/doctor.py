"""Checking an endpoint before a trainee meets it: reachable, key accepted, models there,
streaming, structured output (and which mode). Each check says what to fix."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, cast

from trainer.config import OPENAI_API_KEY, OPENAI_BASE_URL
from trainer.llm.endpoint import Endpoint
from trainer.llm.settings import LlmSettings
from trainer.text import one_line

PROBE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"answer": {"type": "string"}},
    "required": ["answer"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Check:
    """One check's result. Its words quote the server (model ids, error bodies), so they
    are cleaned here, once, for every front end that shows them."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "detail", one_line(self.detail))
        object.__setattr__(self, "fix", one_line(self.fix))


async def run_checks(settings: LlmSettings) -> list[Check]:
    """The checks in order; later ones are skipped once the endpoint cannot be used."""
    import openai

    endpoint = Endpoint(settings)
    checks: list[Check] = []
    try:
        started = time.perf_counter()
        try:
            page = await endpoint.client().models.list()
            models = [m.id for m in page.data]
        except openai.AuthenticationError:
            checks.append(
                Check("key", False, "the API key was refused (401)", f"set {OPENAI_API_KEY.name}")
            )
            return checks
        except openai.APIConnectionError as exc:
            checks.append(
                Check(
                    "reachable",
                    False,
                    str(endpoint.explain(exc)),
                    f"start the server, or fix --base-url / {OPENAI_BASE_URL.name} / base_url",
                )
            )
            return checks
        except openai.OpenAIError:
            models = []  # some servers have no /models; the chat checks will tell
        checks.append(
            Check("reachable", True, f"{endpoint.where} in {time.perf_counter() - started:.2f} s")
        )
        checks.append(Check("key", True, "accepted"))
        for role, name in (
            ("model", settings.buyer_model),
            ("judge model", settings.judging_model),
        ):
            if not models:
                checks.append(Check(role, True, f"{name} (the server does not list its models)"))
            elif name in models:
                checks.append(Check(role, True, name))
            else:
                shown = ", ".join(models[:8]) + (" ..." if len(models) > 8 else "")
                checks.append(
                    Check(role, False, f"{name!r} is not on the server", f"choose one of: {shown}")
                )
        if not all(c.ok for c in checks):
            return checks
        checks.append(await _streaming(endpoint))
        checks.append(await _structured(endpoint))
    finally:
        await endpoint.close()
    return checks


async def _streaming(endpoint: Endpoint) -> Check:
    import openai

    started = time.perf_counter()
    first: float | None = None
    finished = False
    try:
        stream = await endpoint.client().chat.completions.create(
            model=endpoint.settings.buyer_model,
            messages=[{"role": "user", "content": "Reply with one word: ready"}],
            max_tokens=8,
            stream=True,
        )
        async for chunk in stream:
            for choice in chunk.choices:
                if choice.delta is not None and choice.delta.content and first is None:
                    first = time.perf_counter() - started
                if choice.finish_reason is not None:
                    finished = True
    except openai.OpenAIError as exc:
        return Check("streaming", False, str(endpoint.explain(exc)), "check the model name")
    if first is None or not finished:
        return Check(
            "streaming",
            False,
            "the stream ended without text or without finishing",
            "use a server version that streams chat completions",
        )
    return Check("streaming", True, f"first token after {first:.2f} s")


async def _structured(endpoint: Endpoint) -> Check:
    import openai

    model = endpoint.settings.judging_model
    formats: list[tuple[str, dict[str, Any] | None]] = [
        (
            "json_schema",
            {
                "type": "json_schema",
                "json_schema": {"name": "probe", "schema": PROBE_SCHEMA, "strict": True},
            },
        ),
        ("json_object", {"type": "json_object"}),
    ]
    prompt = 'Answer with JSON only: {"answer": "ok"}'
    for mode, response_format in formats:
        try:
            response = await endpoint.client().chat.completions.create(
                model=model,
                messages=[{"role": "user", "content": prompt}],
                max_tokens=30,
                temperature=0,
                response_format=cast(Any, response_format),
            )
        except openai.BadRequestError:
            continue
        except openai.OpenAIError as exc:
            return Check("structured output", False, str(endpoint.explain(exc)))
        content = response.choices[0].message.content or "" if response.choices else ""
        try:
            data = json.loads(content)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and "answer" in data:
            return Check("structured output", True, f"{mode} works")
    return Check(
        "structured output",
        True,
        "neither json_schema nor json_object works: the judge will put the schema in the "
        "prompt and validate the answer (slower, and more verdicts fall back)",
    )
