"""Asking a model for JSON of a schema, in the best mode the server has.

Shared by the judge (one verdict per turn) and ``trainer new --from`` (a drafted persona
and scenario). The modes, best first: ``json_schema`` (the server constrains the output
to the schema, ``strict``), ``json_object`` (any JSON; the schema goes in the prompt),
``prompt`` (no server support at all; the schema goes in the prompt and the answer is
validated after). A server that refuses a ``response_format`` with a 400 is asked again
in the next mode; the mode that worked is returned, so a caller can keep it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from trainer.engine.assessment import Usage
from trainer.llm.endpoint import Endpoint

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

Mode = Literal["json_schema", "json_object", "prompt"]
MODES: tuple[Mode, ...] = ("json_schema", "json_object", "prompt")

Messages = list[dict[str, str]]
MessagesFor = Callable[[str | None], Messages]
"""Builds the messages from a hint: None in ``json_schema`` mode, else a sentence that
carries the schema ("matching this JSON Schema: {...}") for the prompt."""


@dataclass(frozen=True)
class Answer:
    """One model answer: its text, what it cost, the mode it came in, and why it ended
    (``"length"`` means the output was cut off at ``max_tokens``)."""

    content: str
    usage: Usage
    mode: Mode
    finish_reason: str | None = None


def json_answer(content: str) -> object:
    """The JSON value in a model's answer, which may come in a code fence; ``ValueError``
    saying what is wrong when there is none (the judge and the draft both read answers
    this way, and report the same words)."""
    text = content.strip()
    fenced = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", text, re.DOTALL)
    if fenced:
        text = fenced.group(1)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at character {exc.pos})") from None


def schema_hint(schema: dict[str, Any]) -> str:
    return f"matching this JSON Schema: {json.dumps(schema)}"


async def ask_json(
    endpoint: Endpoint,
    *,
    model: str,
    messages_for: MessagesFor,
    name: str,
    schema: dict[str, Any],
    mode: Mode | None,
    temperature: float,
    max_tokens: int,
) -> Answer:
    """One call in ``mode``, or, when no mode is known yet, the first mode the server
    accepts. Failures of the endpoint become its one-line ``EndpointError``."""
    import openai

    modes: Sequence[Mode] = (mode,) if mode else MODES
    for candidate in modes:
        try:
            return await _call(
                endpoint, model, messages_for, name, schema, candidate, temperature, max_tokens
            )
        except openai.BadRequestError as exc:
            if mode is None and candidate != "prompt":
                continue  # this server lacks this response_format: try the next mode
            raise endpoint.explain(exc) from None
        except openai.OpenAIError as exc:
            raise endpoint.explain(exc) from None
    raise AssertionError("the prompt mode needs no server support")  # pragma: no cover


async def _call(
    endpoint: Endpoint,
    model: str,
    messages_for: MessagesFor,
    name: str,
    schema: dict[str, Any],
    mode: Mode,
    temperature: float,
    max_tokens: int,
) -> Answer:
    settings = endpoint.settings
    hint = None if mode == "json_schema" else schema_hint(schema)
    extra: dict[str, Any] = {}
    if mode == "json_schema":
        extra["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": schema, "strict": True},
        }
    elif mode == "json_object":
        extra["response_format"] = {"type": "json_object"}
    if settings.seed is not None:
        extra["seed"] = settings.seed
    response = await endpoint.client().chat.completions.create(
        model=model,
        messages=cast("list[ChatCompletionMessageParam]", messages_for(hint)),
        temperature=temperature,
        max_tokens=max_tokens,
        **extra,
    )
    choice = response.choices[0] if response.choices else None
    content = (choice.message.content or "") if choice is not None else ""
    usage = Usage()
    if response.usage is not None:
        usage = Usage(response.usage.prompt_tokens, response.usage.completion_tokens)
    return Answer(content, usage, mode, choice.finish_reason if choice is not None else None)


def wrote_prose(answer: Answer) -> bool:
    """A ``json_schema`` answer that is not JSON at all: the server ignored the schema,
    so the caller should put the schema in the prompt from now on."""
    return answer.mode == "json_schema" and not answer.content.lstrip().startswith(("{", "`"))
