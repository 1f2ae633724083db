"""``trainer doctor`` against a real OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import socket

import pytest

from tests.cli_helpers import run
from tests.fake_openai import FakeOpenAI, RejectResponseFormat

pytest_plugins = ["tests.fake_openai"]


def doctor(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> tuple[int, str]:
    code, out, err = run(
        capsys,
        "doctor",
        "--base-url",
        url,
        "--model",
        "buyer-model",
        "--judge-model",
        "judge-model",
        *extra,
    )
    return code, out + err


def test_offline_says_how_to_configure(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "doctor")
    assert code == 0 and "backend: offline" in out and "--base-url URL --model NAME" in out


def test_a_healthy_endpoint(fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = doctor(capsys, fake_openai.url)
    assert code == 0, out
    for line in (
        "ok   reachable",
        "ok   key",
        "ok   model: buyer-model",
        "ok   judge model",
        "ok   streaming: first token after",
        "ok   structured output: json_schema works",
    ):
        assert line in out


def test_without_json_schema_it_names_the_mode(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_openai.push(RejectResponseFormat("json_schema"))
    fake_openai.generic_verdict = {"answer": "ok"}
    code, out = doctor(capsys, fake_openai.url)
    assert code == 0 and "structured output: json_object works" in out


def test_a_missing_model_is_named_with_the_ones_there(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_openai.models = ["llama3.1", "qwen2.5"]
    code, out = doctor(capsys, fake_openai.url)
    assert code == 1
    assert "FAIL model: 'buyer-model' is not on the server" in out
    assert "fix: choose one of: llama3.1, qwen2.5" in out


def test_a_refused_key(fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    fake_openai.api_key = "the-right-key"
    code, out = doctor(capsys, fake_openai.url)
    assert code == 1 and "FAIL key: the API key was refused (401)" in out


def test_nothing_listening(capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out = doctor(capsys, f"http://127.0.0.1:{port}/v1")
    assert code == 1 and "FAIL reachable: cannot reach" in out and "fix: start the server" in out
