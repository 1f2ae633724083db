"""A small OpenAI-compatible chat-completions server on 127.0.0.1, for tests of the LLM code.

openai 3.x sends its HTTP through httpx2, which respx cannot intercept, so the LLM code is
tested against this real server instead. Standard library only: a `ThreadingHTTPServer`
in a daemon thread, speaking HTTP/1.1 with keep-alive (so the SDK's connection pool reuses
one connection) and writing SSE streams chunk by chunk (chunked transfer encoding).

To use it in a test module (importing the fixture itself instead trips ruff's F811)::

    from tests.fake_openai import FakeOpenAI, Reply, Status

    pytest_plugins = ["tests.fake_openai"]  # the fake_openai fixture

    async def test_buyer(fake_openai: FakeOpenAI) -> None:
        fake_openai.push(Status(429), Reply("Hello there."))
        async with openai.AsyncOpenAI(base_url=fake_openai.url, api_key="test") as client:
            ...
        assert len(fake_openai.chat_requests("buyer")) == 2

Importing the behaviours at the top is fine: this module has no asserts for pytest to
rewrite, and the marker PYTEST_DONT_REWRITE spares it pytest's "already imported" warning.
The SDK wants some api_key even here (OPENAI_API_KEY is cleared for tests); any will do
unless `api_key` is set on the fake.

Endpoints: `GET /v1/models` (lists `models`) and `POST /v1/chat/completions`; anything else
gets a 404 in OpenAI's error shape. Every request is recorded in `requests`, even refused ones.

A chat request is a *judge* request when its body has a `response_format` of type
`json_schema` or `json_object`, or when any message's content contains `JSON VERDICT`
(prompt-and-validate mode); otherwise it is a *buyer* request.

Each chat request takes the next queued behaviour (`push`), or, when none is queued, the
default for its kind: a buyer gets `buyer(body)` when `buyer` is set, else `buyer_text`
(streamed when it asks for `stream: true`);
a judge gets `json.dumps(judge(body))` when `judge` is set, else a verdict built from the
request's JSON schema (`default_verdict`), or `generic_verdict` when it has no schema.
Two checks come first and do not take a queued behaviour: the API key (when `api_key` is
set) and `unsupported_formats` (a sticky server setting; `RejectResponseFormat` adds to it).

Delays: `first_token_delay` comes before the first SSE event (or the whole non-streamed body)
of every buyer reply, `judge_delay` before every judge reply; a behaviour's own delays add
to them. `close()` cuts every delay and `Hang` short.

What openai 3.54 does with these faults is pinned down in tests/test_fake_openai.py.
"""

from __future__ import annotations

import contextlib
import json
import math
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, TypeAlias, cast

import pytest

JUDGE_MARKER = "JSON VERDICT"
DEFAULT_BUYER_TEXT = "Thanks for calling. We already have a supplier, so what would change for us?"
# What a judge request without a JSON schema (json_object or prompt mode) gets by default.
GENERIC_VERDICT: dict[str, Any] = {"verdict": "ok", "score": 3, "reasons": []}
# Sent with 408, 409, 429 and 5xx replies unless a Status gives its own headers. openai 3.54
# ignores `retry-after: 0` (it honours only a delay > 0, else backs off 0.5 s, 1 s, ... with
# up to 25 % jitter), so `retry-after-ms: 1` is what makes its retries fast.
FAST_RETRY_HEADERS: dict[str, str] = {"retry-after": "0", "retry-after-ms": "1"}

Kind: TypeAlias = Literal["judge", "buyer"]
ResponseFormat: TypeAlias = Literal["json_schema", "json_object"]


# -- behaviours: each applies to one chat request ------------------------------------------


@dataclass(frozen=True)
class Reply:
    """A normal reply. `chunks` (if given) are the streamed pieces and `text` their join;
    else `text` (default: the server's `buyer_text`, or the judge's verdict for a judge
    request) is split into about 4 chunks. `finish_reason=None`: the stream ends with
    `[DONE]` but no chunk ever carries a finish_reason."""

    text: str | None = None
    chunks: list[str] | None = None
    delay_first: float = 0
    delay_between: float = 0
    finish_reason: str | None = "stop"


@dataclass(frozen=True)
class JsonReply:
    """A reply whose message content is exactly `content` (invalid JSON, a verdict that
    breaks the schema, prose...). Streamed too if the request asks for it."""

    content: str


@dataclass(frozen=True)
class Status:
    """An HTTP error. `body` defaults to OpenAI's error shape; `headers=None` means
    `FAST_RETRY_HEADERS` for the statuses the SDK retries (408, 409, 429, 5xx), else none."""

    code: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] | None = None


@dataclass(frozen=True)
class Hang:
    """Sleep `seconds`, then close the connection without sending any response."""

    seconds: float


@dataclass(frozen=True)
class Cut:
    """Send the role event and `after_chunks` content events, then half of the next `data:`
    line, then close the socket (no finish_reason, no `[DONE]`). `framing="chunked"` (what
    real servers use) leaves the chunked body unterminated; `framing="eof"` sends the stream
    with neither Content-Length nor chunking, so the close looks like a normal end of body.
    A non-streaming request gets half of its JSON body (Content-Length says the full size)."""

    after_chunks: int
    text: str | None = None
    framing: Literal["chunked", "eof"] = "chunked"


@dataclass(frozen=True)
class IgnoreSchema:
    """Answer (a json_schema request) with `content` as if response_format were ignored."""

    content: str


@dataclass(frozen=True)
class RejectResponseFormat:
    """Not queued: `push` adds `mode` to the server's sticky `unsupported_formats`, so every
    later request with that response_format type gets a 400 mentioning response_format."""

    mode: ResponseFormat


Behaviour: TypeAlias = Reply | JsonReply | Status | Hang | Cut | IgnoreSchema | RejectResponseFormat


# -- requests ------------------------------------------------------------------------------


def _content_text(content: object) -> str:
    """The text of a message's content: a string, or a list of parts with `text`."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text") for p in content if isinstance(p, dict)]
        return "".join(p for p in parts if isinstance(p, str))
    return ""


def _messages(body: dict[str, Any] | None) -> list[dict[str, Any]]:
    messages = (body or {}).get("messages")
    if not isinstance(messages, list):
        return []
    return [m for m in messages if isinstance(m, dict)]


def _response_format_type(body: dict[str, Any] | None) -> str | None:
    fmt = (body or {}).get("response_format")
    if isinstance(fmt, dict) and isinstance(fmt.get("type"), str):
        return cast(str, fmt["type"])
    return None


def request_kind(body: dict[str, Any] | None) -> Kind:
    """The kind of a chat request: judge for a response_format of json_schema or json_object
    or a prompt containing `JSON VERDICT`, else buyer."""
    if _response_format_type(body) in ("json_schema", "json_object"):
        return "judge"
    if any(JUDGE_MARKER in _content_text(m.get("content")) for m in _messages(body)):
        return "judge"
    return "buyer"


def prompt_tokens(body: dict[str, Any] | None) -> int:
    """The fake's deterministic estimate: all message characters // 4, plus 4 per message."""
    messages = _messages(body)
    return sum(len(_content_text(m.get("content"))) for m in messages) // 4 + 4 * len(messages)


def completion_tokens(text: str) -> int:
    return len(text) // 4 + 1


@dataclass
class Recorded:
    """One request the server received (header names in lower case)."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None
    received: float  # time.monotonic()

    @property
    def kind(self) -> Kind | None:
        """The kind ("judge" or "buyer") of a chat request, None for anything else."""
        if self.method != "POST" or not self.path.endswith("/chat/completions"):
            return None
        return request_kind(self.body)


# -- verdicts ------------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    while isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        schema = {
            **cast(dict[str, Any], target),
            **{k: v for k, v in schema.items() if k != "$ref"},
        }
        ref = target.get("$ref")
    return schema


def _number(schema: dict[str, Any], integer: bool) -> int | float:
    low: float | None = schema.get("minimum", schema.get("exclusiveMinimum"))
    high: float | None = schema.get("maximum", schema.get("exclusiveMaximum"))
    if low is not None and high is not None:
        middle = (low + high) / 2
        return math.floor(middle) if integer else middle
    value = low if low is not None else high if high is not None else 0
    if integer:
        if "exclusiveMinimum" in schema and low is not None and high is None:
            return math.floor(value) + 1
        if "exclusiveMaximum" in schema and high is not None and low is None:
            return math.ceil(value) - 1
        return int(value)
    return value


def default_verdict(schema: Any, root: Any = None) -> Any:
    """A value that satisfies `schema`: an object gets all its properties, an enum its first
    value, a number the middle of its minimum..maximum (3 for 1..5), a string "ok", a boolean
    false, an array `minItems` items (usually none); `$ref`, anyOf/oneOf/allOf, const and
    type lists are followed."""
    if not isinstance(schema, dict):
        return None
    root = schema if root is None else root
    schema = _resolve(schema, root)
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            chosen = next((o for o in options if o.get("type") != "null"), options[0])
            return default_verdict(chosen, root)
    if isinstance(schema.get("allOf"), list):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(_resolve(part, root))
        return default_verdict(
            {**merged, **{k: v for k, v in schema.items() if k != "allOf"}}, root
        )
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
    if kind == "object":
        properties = schema.get("properties") or {}
        names = list(properties) + [n for n in schema.get("required", []) if n not in properties]
        return {name: default_verdict(properties.get(name, {}), root) for name in names}
    if kind == "array":
        return [default_verdict(schema.get("items", {}), root)] * int(schema.get("minItems", 0))
    if kind == "integer":
        return _number(schema, integer=True)
    if kind == "number":
        return _number(schema, integer=False)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return "ok" + "k" * max(0, int(schema.get("minLength", 0)) - 2)


# -- the server ----------------------------------------------------------------------------


def _split(text: str, parts: int = 4) -> list[str]:
    if not text:
        return []
    size = max(1, math.ceil(len(text) / parts))
    return [text[i : i + size] for i in range(0, len(text), size)]


def _error(message: str, kind: str, code: str | None, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


_STATUS_ERRORS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"),
    408: ("timeout", None),
    409: ("invalid_request_error", None),
    422: ("invalid_request_error", None),
    429: ("requests", "rate_limit_exceeded"),
}


def _status_body(code: int) -> dict[str, Any]:
    kind, error_code = _STATUS_ERRORS.get(
        code, ("server_error", None) if code >= 500 else ("invalid_request_error", None)
    )
    return _error(f"Fake OpenAI: HTTP {code}", kind, error_code)


class _Closed(Exception):
    """The client went away, or the server is closing: drop this connection."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops SYNs when a test opens many connections at once, and
    # the client retries them only after a second.
    request_queue_size = 128
    fake: FakeOpenAI

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # not just a client that went away
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeOpenAI/1"
    # Headers and body go out in separate writes: with Nagle on, the body waits for the
    # client's delayed ACK (~40 ms a request on Linux).
    disable_nagle_algorithm = True

    @property
    def fake(self) -> FakeOpenAI:
        return cast(_Server, self.server).fake

    def setup(self) -> None:
        super().setup()
        self.fake._opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.fake._closed(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # -- plumbing --

    def _read_body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            data = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def _write(self, data: bytes) -> None:
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError as err:
            raise _Closed from err

    def _wait(self, seconds: float) -> None:
        if seconds > 0 and self.fake._stopping.wait(seconds):
            raise _Closed

    def _drop(self) -> None:
        """Close the connection now, with whatever was (not) sent."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _json(self, code: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self._write(data)

    def _start_stream(self, chunked: bool = True) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()

    def _chunk(self, data: bytes, chunked: bool = True) -> None:
        self.fake.chunk_times.append(time.monotonic())
        self._write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)

    # -- requests --

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        try:
            raw = self._read_body() if method == "POST" else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            record = Recorded(
                method=method,
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body if isinstance(body, dict) else None,
                received=time.monotonic(),
            )
            self.fake._record(record)
            self._respond(record)
        except _Closed:
            self.close_connection = True

    def _respond(self, record: Recorded) -> None:
        fake = self.fake
        if fake.api_key is not None and record.headers.get("authorization") != (
            f"Bearer {fake.api_key}"
        ):
            message = "Incorrect API key provided. You can find your API key in your settings."
            self._json(401, _error(message, "invalid_request_error", "invalid_api_key"))
            return
        path = record.path.split("?")[0].rstrip("/")
        if record.method == "GET" and path.endswith("/v1/models"):
            models = [
                {"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in fake.models
            ]
            self._json(200, {"object": "list", "data": models})
        elif record.method == "POST" and path.endswith("/v1/chat/completions"):
            self._chat(record)
        else:
            message = f"Unknown request URL: {record.method} {record.path}."
            self._json(404, _error(message, "invalid_request_error", "unknown_url"))

    def _chat(self, record: Recorded) -> None:
        fake = self.fake
        body = record.body or {}
        fmt = _response_format_type(body)
        if fmt in fake.unsupported_formats:
            message = (
                f"Invalid parameter: 'response_format' of type '{fmt}' is not supported "
                "with this model."
            )
            self._json(400, _error(message, "invalid_request_error", None, "response_format"))
            return
        kind = request_kind(body)
        behaviour = fake._next()
        stream = body.get("stream") is True
        delay = fake.judge_delay if kind == "judge" else fake.first_token_delay

        if isinstance(behaviour, Status):
            headers = behaviour.headers
            if headers is None and (behaviour.code in (408, 409, 429) or behaviour.code >= 500):
                headers = FAST_RETRY_HEADERS
            self._json(behaviour.code, behaviour.body or _status_body(behaviour.code), headers)
            return
        if isinstance(behaviour, Hang):
            self._wait(behaviour.seconds)
            self._drop()
            return

        if isinstance(behaviour, JsonReply | IgnoreSchema):
            chunks = _split(behaviour.content)
        elif isinstance(behaviour, Reply) and behaviour.chunks is not None:
            chunks = list(behaviour.chunks)
        elif isinstance(behaviour, Reply | Cut) and behaviour.text is not None:
            chunks = _split(behaviour.text)
        else:
            chunks = _split(fake._default_text(kind, body))
        finish: str | None = "stop"
        between = 0.0
        if isinstance(behaviour, Reply):
            delay += behaviour.delay_first
            between = behaviour.delay_between
            finish = behaviour.finish_reason
        text = "".join(chunks)
        usage = {
            "prompt_tokens": prompt_tokens(body),
            "completion_tokens": completion_tokens(text),
            "total_tokens": prompt_tokens(body) + completion_tokens(text),
        }
        cut = behaviour if isinstance(behaviour, Cut) else None
        if not stream:
            self._wait(delay)
            self._completion(body, text, finish, usage, cut)
            return
        options = body.get("stream_options")
        include_usage = isinstance(options, dict) and options.get("include_usage") is True
        events = fake._events(body, chunks, finish, usage if include_usage else None)
        self._stream(events, delay, between, cut)

    def _completion(
        self,
        body: dict[str, Any],
        text: str,
        finish: str | None,
        usage: dict[str, int],
        cut: Cut | None,
    ) -> None:
        message = {"role": "assistant", "content": text, "refusal": None}
        payload = {
            **self.fake._envelope(body, "chat.completion"),
            "choices": [
                {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
            ],
            "usage": usage,
        }
        if cut is None:
            self._json(200, payload)
            return
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self._write(data[: len(data) // 2])
        self._drop()

    def _stream(self, events: list[bytes], delay: float, between: float, cut: Cut | None) -> None:
        chunked = cut is None or cut.framing == "chunked"
        self._start_stream(chunked)
        self._wait(delay)
        if cut is not None:
            sent = events[: 1 + max(0, cut.after_chunks)]
            rest = events[len(sent) :]
            for i, event in enumerate(sent):
                if i > 1:
                    self._wait(between)
                self._chunk(event, chunked)
            if rest:
                self._chunk(rest[0][: len(rest[0]) // 2], chunked)
            self._drop()
            return
        for i, event in enumerate(events):
            if i > 1 and event != b"data: [DONE]\n\n":
                self._wait(between)
            self._chunk(event)
        self._write(b"0\r\n\r\n")


class FakeOpenAI:
    """An OpenAI-compatible server on 127.0.0.1, started on construction. See the module doc."""

    def __init__(
        self,
        *,
        models: list[str] | None = None,
        api_key: str | None = None,
        buyer_text: str = DEFAULT_BUYER_TEXT,
        buyer: Callable[[dict[str, Any]], str] | None = None,
        judge: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        first_token_delay: float = 0.0,
        judge_delay: float = 0.0,
    ) -> None:
        self.models: list[str] = list(models or ["buyer-model", "judge-model"])
        self.api_key = api_key
        self.buyer_text = buyer_text
        self.buyer = buyer
        self.judge = judge
        self.generic_verdict: dict[str, Any] = dict(GENERIC_VERDICT)
        self.first_token_delay = first_token_delay
        self.judge_delay = judge_delay
        self.unsupported_formats: set[str] = set()
        self.requests: list[Recorded] = []
        self.connections = 0  # TCP connections accepted so far
        self.chunk_times: list[float] = []
        """When each streamed event was handed to the socket (``time.monotonic``), so a test
        can tell a stream written event by event from one written at once, without a
        timing threshold."""
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._ids = 0
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self.port: int = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-openai-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def push(self, *behaviours: Behaviour) -> None:
        """Queue behaviours: each chat request takes the next one (RejectResponseFormat is
        applied at once instead, to `unsupported_formats`)."""
        with self._lock:
            for behaviour in behaviours:
                if isinstance(behaviour, RejectResponseFormat):
                    self.unsupported_formats.add(behaviour.mode)
                else:
                    self._queue.append(behaviour)

    @property
    def pending(self) -> int:
        """How many pushed behaviours no request has taken yet."""
        with self._lock:
            return len(self._queue)

    def chat_requests(self, kind: Kind | None = None) -> list[Recorded]:
        """The chat-completion requests received (of one kind, if given), in order."""
        with self._lock:
            chats = [r for r in self.requests if r.kind is not None]
        return [r for r in chats if kind is None or r.kind == kind]

    def close(self) -> None:
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- used by the handler --

    def _record(self, record: Recorded) -> None:
        with self._lock:
            self.requests.append(record)

    def _opened(self, sock: socket.socket) -> None:
        with self._lock:
            self.connections += 1
            self._open.add(sock)

    def _closed(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)

    def _next(self) -> Behaviour | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def _default_text(self, kind: Kind, body: dict[str, Any]) -> str:
        if kind == "buyer":
            return self.buyer(body) if self.buyer is not None else self.buyer_text
        if self.judge is not None:
            return json.dumps(self.judge(body))
        fmt = body.get("response_format")
        if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
            spec = fmt.get("json_schema")
            if isinstance(spec, dict) and isinstance(spec.get("schema"), dict):
                return json.dumps(default_verdict(spec["schema"]))
        return json.dumps(self.generic_verdict)

    def _envelope(self, body: dict[str, Any], obj: str) -> dict[str, Any]:
        with self._lock:
            self._ids += 1
            number = self._ids
        return {
            "id": f"chatcmpl-fake-{number}",
            "object": obj,
            "created": int(time.time()),
            "model": body.get("model") or "fake-model",
            "system_fingerprint": None,
        }

    def _events(
        self,
        body: dict[str, Any],
        chunks: list[str],
        finish: str | None,
        usage: dict[str, int] | None,
    ) -> list[bytes]:
        """The SSE events of a streamed reply: role, content chunks, finish, usage, [DONE]."""
        envelope = self._envelope(body, "chat.completion.chunk")
        if usage is not None:
            envelope["usage"] = None

        def choice(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            one = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            return {**envelope, "choices": [one]}

        payloads = [choice({"role": "assistant", "content": "", "refusal": None})]
        payloads += [choice({"content": piece}) for piece in chunks]
        if finish is not None:
            payloads.append(choice({}, finish))
        if usage is not None:
            payloads.append({**envelope, "choices": [], "usage": usage})
        events = [b"data: " + json.dumps(p).encode() + b"\n\n" for p in payloads]
        return [*events, b"data: [DONE]\n\n"]


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A started FakeOpenAI for one test, closed afterwards."""
    fake = FakeOpenAI()
    try:
        yield fake
    finally:
        fake.close()
