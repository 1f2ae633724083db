"""The fake OpenAI server works with the real openai SDK (3.54, over httpx2), and these tests
pin down what the SDK does with each fault the fake can stage:

- a stream cut mid-event (chunked body left unterminated): the SDK yields the chunks that
  arrived, then raises `openai.APIConnectionError` (cause: `httpx2.RemoteProtocolError`,
  "incomplete chunked read"); it does not retry, since the response had begun. If the body
  is not chunked (read to EOF) the same cut ends the stream silently: no exception, no
  finish_reason. A cut non-streamed body is retried and, given a retry, succeeds.
- 401 → `AuthenticationError`, not retried; 400 → `BadRequestError`, not retried.
- 429 → retried `max_retries` times, then `RateLimitError`. `retry-after: 0` does NOT make
  the retries immediate: the SDK honours only a delay > 0, so it backs off 0.5 s then 1 s
  (less up to 25 % jitter), 1.1-1.5 s in all with the default 2 retries. `retry-after-ms: 1`
  (the fake's default for retryable statuses) makes them take milliseconds.
- 500 → retried, then `InternalServerError`.
- no response within the client timeout → `APITimeoutError` (after retries); a connection
  closed without a response → `APIConnectionError` (after retries).
- `stream_options={"include_usage": True}` works: a last chunk with `choices == []` and usage.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Literal

import httpx2
import openai
import pydantic
import pytest
from openai.types.chat import ChatCompletionChunk, ChatCompletionMessageParam

from tests.fake_openai import (
    GENERIC_VERDICT,
    Cut,
    FakeOpenAI,
    Hang,
    IgnoreSchema,
    JsonReply,
    RejectResponseFormat,
    Reply,
    Status,
    default_verdict,
)

pytest_plugins = ["tests.fake_openai"]  # the fake_openai fixture

MESSAGES: list[ChatCompletionMessageParam] = [
    {"role": "system", "content": "You are a buyer."},  # 16 characters
    {"role": "user", "content": "Hello, I sell fridges."},  # 22 characters
]
PROMPT_TOKENS = (16 + 22) // 4 + 4 * 2


class Criterion(pydantic.BaseModel):
    name: Literal["relevance", "brevity"]
    met: bool


class Verdict(pydantic.BaseModel):
    score: int = pydantic.Field(ge=1, le=5)
    outcome: Literal["advance", "stall", "lose"]
    summary: str
    good_use_of_time: bool
    criteria: list[Criterion]
    best: Criterion


def _client(fake: FakeOpenAI, **options: Any) -> openai.AsyncOpenAI:
    options.setdefault("api_key", "test")
    return openai.AsyncOpenAI(base_url=fake.url, **options)


def _schema_format(schema: dict[str, Any]) -> Any:
    return {
        "type": "json_schema",
        "json_schema": {"name": "verdict", "schema": schema, "strict": True},
    }


async def _collect(
    client: openai.AsyncOpenAI, **options: Any
) -> tuple[list[ChatCompletionChunk], list[float]]:
    chunks: list[ChatCompletionChunk] = []
    times: list[float] = []
    stream = await client.chat.completions.create(
        model="buyer-model", messages=MESSAGES, stream=True, **options
    )
    async for chunk in stream:
        chunks.append(chunk)
        times.append(time.monotonic())
    return chunks, times


def _text(chunks: list[ChatCompletionChunk]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def _finish_reasons(chunks: list[ChatCompletionChunk]) -> list[str]:
    return [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]


# -- streams -------------------------------------------------------------------------------


async def test_stream_arrives_chunk_by_chunk_in_order_with_stop_and_usage(
    fake_openai: FakeOpenAI,
) -> None:
    fake_openai.push(Reply(chunks=["Who ", "are ", "you ", "again?"], delay_between=0.25))
    async with _client(fake_openai) as client:
        chunks, times = await _collect(client, stream_options={"include_usage": True})

    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].delta.content for c in chunks[1:5]] == ["Who ", "are ", "you ", "again?"]
    assert _finish_reasons(chunks) == ["stop"]
    assert chunks[5].choices[0].finish_reason == "stop"
    usage_chunk = chunks[-1]
    assert usage_chunk.choices == []
    assert usage_chunk.usage is not None
    assert usage_chunk.usage.prompt_tokens == PROMPT_TOKENS
    assert usage_chunk.usage.completion_tokens == len("Who are you again?") // 4 + 1
    assert all(c.usage is None for c in chunks[:-1])
    # written one by one: each content chunk reached the client before the server wrote
    # the next one, 0.25 s later (a client that got the stream whole could not; the old
    # check, gaps of 40 ms between arrivals, failed on a loaded machine)
    written = fake_openai.chunk_times
    assert all(times[i] < written[i + 1] for i in range(1, 4)), (times, written)


async def test_default_buyer_stream_has_four_chunks_and_no_usage_unless_asked(
    fake_openai: FakeOpenAI,
) -> None:
    async with _client(fake_openai) as client:
        chunks, _ = await _collect(client)
    content = [c for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(content) == 4
    assert _text(chunks) == fake_openai.buyer_text
    assert _finish_reasons(chunks) == ["stop"]
    assert all(c.usage is None and c.choices for c in chunks)


async def test_non_streamed_buyer_reply(fake_openai: FakeOpenAI) -> None:
    fake_openai.buyer_text = "We are happy with our current supplier."
    async with _client(fake_openai) as client:
        reply = await client.chat.completions.create(model="buyer-model", messages=MESSAGES)
    assert reply.choices[0].message.content == "We are happy with our current supplier."
    assert reply.choices[0].finish_reason == "stop"
    assert reply.model == "buyer-model"
    assert reply.usage is not None
    assert reply.usage.prompt_tokens == PROMPT_TOKENS
    assert reply.usage.completion_tokens == len(fake_openai.buyer_text) // 4 + 1


async def test_stream_without_finish_reason_ends_silently(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(Reply("No finish.", finish_reason=None))
    async with _client(fake_openai) as client:
        chunks, _ = await _collect(client)
    assert _text(chunks) == "No finish."
    assert _finish_reasons(chunks) == []


async def test_cut_stream_gives_partial_text_then_api_connection_error(
    fake_openai: FakeOpenAI,
) -> None:
    fake_openai.push(Cut(2, text="aaaabbbbccccdddd"))
    chunks: list[ChatCompletionChunk] = []
    async with _client(fake_openai, max_retries=2) as client:
        stream = await client.chat.completions.create(
            model="buyer-model", messages=MESSAGES, stream=True
        )
        with pytest.raises(openai.APIConnectionError) as caught:
            async for chunk in stream:
                chunks.append(chunk)
    assert type(caught.value) is openai.APIConnectionError  # not its subclass APITimeoutError
    assert isinstance(caught.value.__cause__, httpx2.RemoteProtocolError)
    assert "incomplete chunked read" in str(caught.value.__cause__)
    assert _text(chunks) == "aaaabbbb"
    assert _finish_reasons(chunks) == []
    assert len(fake_openai.chat_requests()) == 1  # a stream that has begun is not retried


async def test_cut_stream_read_to_eof_ends_silently(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(Cut(3, text="aaaabbbbccccdddd", framing="eof"))
    async with _client(fake_openai) as client:
        chunks, _ = await _collect(client)
    assert _text(chunks) == "aaaabbbbcccc"
    assert _finish_reasons(chunks) == []


async def test_cut_non_streamed_body_is_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(Cut(0))
    async with _client(fake_openai, max_retries=1) as client:
        reply = await client.chat.completions.create(model="buyer-model", messages=MESSAGES)
    assert reply.choices[0].message.content == fake_openai.buyer_text
    assert len(fake_openai.chat_requests()) == 2


async def test_first_token_delay(fake_openai: FakeOpenAI) -> None:
    fake_openai.first_token_delay = 0.2
    async with _client(fake_openai) as client:
        start = time.monotonic()
        _, times = await _collect(client)
    assert 0.2 <= times[0] - start < 1.0


# -- faults --------------------------------------------------------------------------------


async def test_wrong_api_key_is_authentication_error_not_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.api_key = "right"
    async with _client(fake_openai, api_key="wrong", max_retries=2) as client:
        with pytest.raises(openai.AuthenticationError) as caught:
            await client.chat.completions.create(model="buyer-model", messages=MESSAGES)
    assert caught.value.status_code == 401
    assert caught.value.code == "invalid_api_key"
    assert len(fake_openai.requests) == 1
    async with _client(fake_openai, api_key="right") as client:
        models = await client.models.list()
    assert [m.id for m in models.data] == ["buyer-model", "judge-model"]


async def test_status_401_is_authentication_error(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(Status(401))
    async with _client(fake_openai) as client:
        with pytest.raises(openai.AuthenticationError):
            await client.chat.completions.create(model="buyer-model", messages=MESSAGES)


async def test_429_is_retried_then_rate_limit_error(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(Status(429), Status(429), Status(429))
    async with _client(fake_openai, max_retries=2) as client:
        start = time.monotonic()
        with pytest.raises(openai.RateLimitError) as caught:
            await client.chat.completions.create(model="buyer-model", messages=MESSAGES)
        elapsed = time.monotonic() - start
    assert caught.value.status_code == 429
    requests = fake_openai.chat_requests()
    assert [r.headers["x-stainless-retry-count"] for r in requests] == ["0", "1", "2"]
    assert elapsed < 0.3  # retry-after-ms: 1


async def test_429_with_retry_after_0_backs_off_half_a_second_then_one(
    fake_openai: FakeOpenAI,
) -> None:
    fake_openai.push(*[Status(429, headers={"retry-after": "0"})] * 3)
    async with _client(fake_openai, max_retries=2) as client:
        with pytest.raises(openai.RateLimitError):
            await client.chat.completions.create(model="buyer-model", messages=MESSAGES)
    times = [r.received for r in fake_openai.chat_requests()]
    assert len(times) == 3
    assert 0.37 <= times[1] - times[0] < 0.6
    assert 0.74 <= times[2] - times[1] < 1.1


async def test_429_then_success(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(Status(429), Reply("Finally."))
    async with _client(fake_openai, max_retries=2) as client:
        reply = await client.chat.completions.create(model="buyer-model", messages=MESSAGES)
    assert reply.choices[0].message.content == "Finally."
    assert len(fake_openai.chat_requests()) == 2


async def test_500_is_retried_then_internal_server_error(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(Status(500), Status(500), Status(500))
    async with _client(fake_openai, max_retries=2) as client:
        with pytest.raises(openai.InternalServerError) as caught:
            await client.chat.completions.create(model="buyer-model", messages=MESSAGES)
    assert caught.value.status_code == 500
    assert len(fake_openai.chat_requests()) == 3


async def test_400_is_bad_request_not_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(Status(400, body={"error": {"message": "nope", "type": "x", "code": None}}))
    async with _client(fake_openai, max_retries=2) as client:
        with pytest.raises(openai.BadRequestError, match="nope"):
            await client.chat.completions.create(model="buyer-model", messages=MESSAGES)
    assert len(fake_openai.chat_requests()) == 1


async def test_hang_past_the_client_timeout_is_api_timeout_error(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(Hang(5))
    async with _client(fake_openai, max_retries=0, timeout=0.5) as client:
        start = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            await client.chat.completions.create(
                model="buyer-model", messages=MESSAGES, stream=True
            )
    assert 0.5 <= time.monotonic() - start < 1.5


async def test_connection_closed_without_response_is_api_connection_error(
    fake_openai: FakeOpenAI,
) -> None:
    fake_openai.push(Hang(0.05), Hang(0.05))
    async with _client(fake_openai, max_retries=1) as client:
        with pytest.raises(openai.APIConnectionError) as caught:
            await client.chat.completions.create(model="buyer-model", messages=MESSAGES)
    assert type(caught.value) is openai.APIConnectionError
    assert len(fake_openai.chat_requests()) == 2


# -- judge requests ------------------------------------------------------------------------


async def test_json_schema_request_gets_a_schema_valid_default_verdict(
    fake_openai: FakeOpenAI,
) -> None:
    schema = Verdict.model_json_schema()
    async with _client(fake_openai) as client:
        reply = await client.chat.completions.create(
            model="judge-model", messages=MESSAGES, response_format=_schema_format(schema)
        )
    content = reply.choices[0].message.content
    assert content is not None
    verdict = Verdict.model_validate_json(content)
    assert verdict.score == 3
    assert verdict.outcome == "advance"
    assert verdict.best == Criterion(name="relevance", met=False)
    assert fake_openai.chat_requests("judge") == fake_openai.chat_requests()


async def test_sdk_parse_with_a_pydantic_model(fake_openai: FakeOpenAI) -> None:
    async with _client(fake_openai) as client:
        reply = await client.chat.completions.parse(
            model="judge-model", messages=MESSAGES, response_format=Verdict
        )
    assert reply.choices[0].message.parsed is not None
    assert reply.choices[0].message.parsed.summary == "ok"
    body = fake_openai.chat_requests("judge")[0].body
    assert body is not None
    assert body["response_format"]["type"] == "json_schema"


def test_default_verdict_walks_the_schema() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "integer", "minimum": 0, "maximum": 10},
            "b": {"type": ["string", "null"], "minLength": 5},
            "c": {"anyOf": [{"type": "null"}, {"type": "number", "minimum": 1, "maximum": 2}]},
            "d": {"type": "array", "items": {"enum": ["x", "y"]}, "minItems": 2},
            "e": {"const": 7},
        },
        "required": ["a", "f"],
    }
    assert default_verdict(schema) == {
        "a": 5,
        "b": "okkkk",
        "c": 1.5,
        "d": ["x", "x"],
        "e": 7,
        "f": "ok",
    }


async def test_json_object_and_prompt_mode_judge_requests(fake_openai: FakeOpenAI) -> None:
    judge_messages: list[ChatCompletionMessageParam] = [
        {"role": "user", "content": "Rate the call. Answer with a JSON VERDICT only."}
    ]
    async with _client(fake_openai) as client:
        by_format = await client.chat.completions.create(
            model="judge-model", messages=MESSAGES, response_format={"type": "json_object"}
        )
        by_prompt = await client.chat.completions.create(
            model="judge-model", messages=judge_messages
        )
        fake_openai.judge = lambda body: {"model": body["model"], "score": 5}
        by_callable = await client.chat.completions.create(
            model="judge-model", messages=judge_messages
        )
    assert json.loads(by_format.choices[0].message.content or "") == GENERIC_VERDICT
    assert json.loads(by_prompt.choices[0].message.content or "") == GENERIC_VERDICT
    assert json.loads(by_callable.choices[0].message.content or "") == {
        "model": "judge-model",
        "score": 5,
    }
    assert len(fake_openai.chat_requests("judge")) == 3
    assert fake_openai.chat_requests("buyer") == []


async def test_json_reply_and_ignore_schema_give_exact_content(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(JsonReply('{"score": 9'), IgnoreSchema("I think it went well."))
    response_format = _schema_format(Verdict.model_json_schema())
    async with _client(fake_openai) as client:
        first = await client.chat.completions.create(
            model="judge-model", messages=MESSAGES, response_format=response_format
        )
        second = await client.chat.completions.create(
            model="judge-model", messages=MESSAGES, response_format=response_format
        )
    assert first.choices[0].message.content == '{"score": 9'
    assert second.choices[0].message.content == "I think it went well."


async def test_streamed_judge_reply_with_judge_delay(fake_openai: FakeOpenAI) -> None:
    fake_openai.judge_delay = 0.1
    async with _client(fake_openai) as client:
        start = time.monotonic()
        chunks, _ = await _collect(client, response_format={"type": "json_object"})
    assert time.monotonic() - start >= 0.1
    assert json.loads(_text(chunks)) == GENERIC_VERDICT


async def test_reject_response_format_is_sticky_bad_request(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(RejectResponseFormat("json_schema"), JsonReply('{"fallback": true}'))
    assert fake_openai.unsupported_formats == {"json_schema"}
    response_format = _schema_format(Verdict.model_json_schema())
    async with _client(fake_openai, max_retries=2) as client:
        for _ in range(2):
            with pytest.raises(openai.BadRequestError, match="response_format") as caught:
                await client.chat.completions.create(
                    model="judge-model", messages=MESSAGES, response_format=response_format
                )
            assert caught.value.param == "response_format"
        fallback = await client.chat.completions.create(
            model="judge-model", messages=MESSAGES, response_format={"type": "json_object"}
        )
    assert fallback.choices[0].message.content == '{"fallback": true}'  # rejections take none
    assert len(fake_openai.chat_requests("judge")) == 3


# -- bookkeeping ---------------------------------------------------------------------------


async def test_requests_are_recorded_with_bodies(fake_openai: FakeOpenAI) -> None:
    async with _client(fake_openai, api_key="sk-recorded") as client:
        await client.models.list()
        await _collect(client, stream_options={"include_usage": True}, temperature=0.7)
    models, chat = fake_openai.requests
    assert (models.method, models.path, models.body, models.kind) == (
        "GET",
        "/v1/models",
        None,
        None,
    )
    assert (chat.method, chat.path, chat.kind) == ("POST", "/v1/chat/completions", "buyer")
    assert chat.body == {
        "messages": MESSAGES,
        "model": "buyer-model",
        "stream": True,
        "stream_options": {"include_usage": True},
        "temperature": 0.7,
    }
    assert chat.headers["authorization"] == "Bearer sk-recorded"
    assert models.received <= chat.received <= time.monotonic()
    assert fake_openai.chat_requests("buyer") == [chat]


async def test_sequential_requests_share_one_keep_alive_connection(
    fake_openai: FakeOpenAI,
) -> None:
    async with _client(fake_openai) as client:
        for i in range(5):
            if i % 2:
                await client.chat.completions.create(model="buyer-model", messages=MESSAGES)
            else:
                await _collect(client, stream_options={"include_usage": True})
    assert len(fake_openai.chat_requests()) == 5
    assert fake_openai.connections == 1


async def test_a_gap_between_chunks_longer_than_the_timeout_is_api_timeout_error(
    fake_openai: FakeOpenAI,
) -> None:
    # httpx2's read timeout applies to each read, so a stream may run longer than the
    # timeout as long as every gap between chunks is shorter
    fake_openai.push(Reply(chunks=["a", "b", "c"], delay_between=0.5))
    chunks: list[ChatCompletionChunk] = []
    async with _client(fake_openai, max_retries=2, timeout=0.3) as client:
        stream = await client.chat.completions.create(
            model="buyer-model", messages=MESSAGES, stream=True
        )
        with pytest.raises(openai.APITimeoutError):
            async for chunk in stream:
                chunks.append(chunk)
    assert _text(chunks) == "a"
    assert len(fake_openai.chat_requests()) == 1


async def test_concurrent_streams(fake_openai: FakeOpenAI) -> None:
    fake_openai.first_token_delay = 0.2

    async def one(client: openai.AsyncOpenAI) -> str:
        chunks, _ = await _collect(client)
        return _text(chunks)

    async with _client(fake_openai) as client:
        start = time.monotonic()
        texts = await asyncio.gather(*[one(client) for _ in range(20)])
    assert time.monotonic() - start < 1.0
    assert texts == [fake_openai.buyer_text] * 20
    assert fake_openai.connections == 20
