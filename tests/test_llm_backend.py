"""The model backend against a real OpenAI-compatible server on 127.0.0.1: the shared
engine contract, the JSON contract, and every fault the issue names."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import DISCOVERY, PITCH, SCENARIO, run
from tests.fake_openai import (
    Cut,
    FakeOpenAI,
    Hang,
    IgnoreSchema,
    JsonReply,
    RejectResponseFormat,
    Reply,
    Status,
)
from trainer.content.library import Library
from trainer.content.models import MOVES
from trainer.engine.assessment import Assessment
from trainer.engine.ports import Assessor, Buyer, ReplyEnd
from trainer.engine.session import Session
from trainer.llm.settings import resolve_llm
from trainer.offline.assessor import OfflineAssessor
from trainer.offline.buyer import OfflineBuyer
from trainer.store.repository import Store

pytest_plugins = ["tests.fake_openai"]


def llm_flags(fake: FakeOpenAI) -> list[str]:
    return [
        "--backend",
        "llm",
        "--base-url",
        fake.url,
        "--model",
        "buyer-model",
        "--judge-model",
        "judge-model",
    ]


def sent_schema(body: dict[str, Any]) -> dict[str, Any] | None:
    """The verdict schema a judge request carries: in response_format, or in the prompt."""
    schema = body.get("response_format", {}).get("json_schema", {}).get("schema")
    if schema is not None:
        return dict(schema)
    for message in body.get("messages", []):
        _, found, rest = str(message.get("content", "")).partition("JSON Schema: ")
        if found:
            return dict(json.loads(rest.strip()))
    return None


def good_verdict(body: dict[str, Any]) -> dict[str, Any]:
    """A judge that reads the rubric ids from the schema it was sent."""
    schema = sent_schema(body)
    ids = list(schema["properties"]["criteria"]["properties"]) if schema else []
    return {
        "rationale": "Asks about their world.",
        "move": "discovery",
        "good_use": 4,
        "criteria": dict.fromkeys(ids, 4),
        "evidence": [],
        "tip": "Ask what waiting costs them.",
        "reason": "a good question about their world",
        "proposes_next_step": False,
        "relevant_pitch": False,
    }


@pytest.fixture
def fake(fake_openai: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    fake_openai.judge = good_verdict
    monkeypatch.setenv("TRAINER_STORE", str(tmp_path / "store"))
    config = tmp_path / "config.toml"
    config.write_text("retries = 1\ntimeout = 5\n")
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    return fake_openai


def play(capsys: pytest.CaptureFixture[str], fake: FakeOpenAI, script: Path) -> tuple[int, Any]:
    code, out, err = run(
        capsys, "play", SCENARIO, "--script", str(script), "--json", *llm_flags(fake)
    )
    return code, (json.loads(out) if code == 0 else err)


# ------------------------------------------------------------------ shared engine contract


@pytest.fixture(params=["offline", "llm"])
def backends(
    request: pytest.FixtureRequest, fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Buyer, Assessor]]:
    if request.param == "offline":
        yield OfflineBuyer(seed=0), OfflineAssessor()
        return
    from trainer.engine.checked import CheckedAssessor
    from trainer.llm.buyer import LlmBuyer
    from trainer.llm.endpoint import Endpoint
    from trainer.llm.judge import LlmJudge

    endpoint = Endpoint(resolve_llm(backend="llm", base_url=fake.url, model="buyer-model"))
    yield LlmBuyer(endpoint), CheckedAssessor(LlmJudge(endpoint), OfflineAssessor())


async def collect(stream: AsyncIterator[str | ReplyEnd]) -> tuple[str, list[ReplyEnd]]:
    text, ends = "", []
    async for item in stream:
        if isinstance(item, ReplyEnd):
            ends.append(item)
        else:
            text += item
    return text, ends


async def test_every_backend_keeps_the_engine_contract(
    library: Library, backends: tuple[Buyer, Assessor]
) -> None:
    buyer, assessor = backends
    setup = library.resolve(SCENARIO)
    session = Session(setup, buyer, assessor)
    opening = await session.start()
    assert opening.strip()
    for line in DISCOVERY.read_text().splitlines()[:5]:
        turn = await session.play(line)
        a: Assessment = turn.assessment
        assert a.move in MOVES and 1 <= a.good_use <= 5
        assert set(a.criteria) == {c.id for c in setup.rubric.criteria}
        assert all(v is None or 1 <= v <= 5 for v in a.criteria.values())  # None: n/a
        assert turn.buyer.strip() and turn.changes
        assert "incomplete_reply" not in turn.flags
        if session.over:
            break
    assert len(session.turns) >= 3
    endpoint = getattr(buyer, "endpoint", None)
    if endpoint is not None:
        await endpoint.close()


# ------------------------------------------------------------------ the JSON contract


def test_play_json_with_the_llm_backend(
    fake: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = play(capsys, fake, DISCOVERY)
    assert code == 0, document
    assert document["backend"] == "llm"
    first = document["turns"][0]
    assert first["buyer"] == fake.buyer_text
    assert first["usage"]["prompt_tokens"] > 0 and first["usage"]["completion_tokens"] > 0
    assert first["verdicts"]["judge"] == 4 and 1 <= first["verdicts"]["offline"] <= 5
    assert first["flags"] == [] or first["flags"] == ["review"]
    assert len(fake.chat_requests("judge")) == len(document["turns"])
    assert len(fake.chat_requests("buyer")) == len(document["turns"])
    assert fake.connections == 1  # one client, one pooled connection
    stored = json.dumps(
        Store.open(Path(document["store"])).find_session(document["session"]).header
    )
    assert '"model": "buyer-model"' in stored and '"judge_model": "judge-model"' in stored


def test_unearned_facts_never_reach_a_prompt(
    fake: FakeOpenAI, library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = play(capsys, fake, DISCOVERY)
    assert code == 0, document
    persona = library.resolve(SCENARIO).persona
    disclosed_by: dict[str, int] = {}  # the turn that earned it: said, or still owed
    for number, turn in enumerate(document["turns"], start=1):
        for fact in [*turn["disclosed"], *turn["owed"]]:
            disclosed_by.setdefault(fact, number)
    requests = fake.chat_requests()
    for fact in persona.hidden_facts:
        earned_at = disclosed_by.get(fact.id)
        for index, request in enumerate(requests):
            turn_number = index // 2 + 1
            text = json.dumps(request.body)
            if earned_at is None or turn_number < earned_at or request.kind == "judge":
                assert fact.fact[:50] not in text, (fact.id, turn_number, request.kind)


# ------------------------------------------------------------------ faults


def test_a_slow_first_token_is_waited_for(
    fake: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.first_token_delay = 0.3
    code, document = play(capsys, fake, PITCH)
    assert code == 0 and all(t["buyer"] == fake.buyer_text for t in document["turns"])


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (Status(401), "refused the API key (401): check OPENAI_API_KEY"),
        (Status(429), "is rate-limiting us (429) after 1 retry"),
        (Status(500), "answered 500 after 1 retry"),
    ],
)
def test_an_unusable_endpoint_stops_cleanly(
    fake: FakeOpenAI, capsys: pytest.CaptureFixture[str], fault: Status, message: str
) -> None:
    fake.push(*([fault] * 10))
    code, _, err = run(capsys, "play", SCENARIO, "--script", str(DISCOVERY), *llm_flags(fake))
    assert code == 3
    assert message in err and "the turns played so far are saved" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def verdict_reply(library: Library) -> JsonReply:
    ids = [c.id for c in library.resolve(SCENARIO).rubric.criteria]
    return JsonReply(json.dumps(good_verdict({}) | {"criteria": dict.fromkeys(ids, 4)}))


def test_turns_before_the_failure_are_kept(
    fake: FakeOpenAI, library: Library, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Two whole turns (a judge and a buyer call each), then the endpoint fails for good.
    judged = verdict_reply(library)
    fake.push(judged, Reply(), judged, Reply(), *([Status(500)] * 5))
    code, _, err = run(
        capsys, "play", SCENARIO, "--script", str(DISCOVERY), "--trainee", "Ana", *llm_flags(fake)
    )
    assert code == 3 and "answered 500" in err
    (summary,) = Store.open(tmp_path / "store").sessions("Ana")
    assert summary["turns"] == 2 and summary["status"] == "in progress"


def test_a_hung_server_times_out_with_a_clear_message(
    fake: FakeOpenAI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "config.toml").write_text("retries = 0\ntimeout = 0.4\n")
    fake.push(Hang(3))
    code, _, err = run(capsys, "play", SCENARIO, "--script", str(PITCH), *llm_flags(fake))
    assert code == 3 and "did not answer within 0.4 s" in err


def test_a_cut_stream_is_kept_and_marked_incomplete(
    fake: FakeOpenAI, library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(verdict_reply(library), Cut(after_chunks=2))
    code, document = play(capsys, fake, PITCH)
    assert code == 0, document
    first = document["turns"][0]
    assert "incomplete_reply" in first["flags"]
    assert first["buyer"] and first["buyer"] != fake.buyer_text
    assert fake.buyer_text.startswith(first["buyer"])


def test_unusable_verdicts_fall_back_to_the_offline_assessment(
    fake: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(JsonReply("not json at all {"), JsonReply('{"good_use": 9}'))
    code, document = play(capsys, fake, PITCH)
    assert code == 0, document
    first = document["turns"][0]
    assert first["flags"] == ["judge_fallback"]
    assert first["verdicts"]["judge"] is None and first["good_use"] == first["verdicts"]["offline"]
    second = document["turns"][1]
    assert "judge_fallback" not in second["flags"] and second["verdicts"]["judge"] == 4


def test_a_rejected_verdict_is_asked_for_once_more(
    fake: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(JsonReply(json.dumps(good_verdict({}) | {"evidence": ["words never typed"]})))
    code, document = play(capsys, fake, PITCH)
    assert code == 0
    assert document["turns"][0]["verdicts"]["judge"] == 4
    assert "judge_fallback" not in document["turns"][0]["flags"]
    judge_calls = fake.chat_requests("judge")
    assert len(judge_calls) == len(document["turns"]) + 1


def test_a_server_that_ignores_json_schema_gets_the_schema_in_the_prompt(
    fake: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(IgnoreSchema("Great turn, I'd give it a four."))
    code, document = play(capsys, fake, PITCH)
    assert code == 0
    calls = fake.chat_requests("judge")
    assert "response_format" in (calls[0].body or {})
    assert "response_format" not in (calls[1].body or {})
    assert "JSON VERDICT" in json.dumps(calls[1].body)
    assert document["turns"][0]["flags"] in ([], ["review"])


def test_without_json_schema_support_json_object_is_used(
    fake: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(RejectResponseFormat("json_schema"))
    code, document = play(capsys, fake, PITCH)
    assert code == 0, document
    formats = [
        (r.body or {}).get("response_format", {}).get("type") for r in fake.chat_requests("judge")
    ]
    assert formats[0] == "json_schema" and set(formats[1:]) == {"json_object"}


def test_the_transcript_says_when_a_reply_was_cut_off(
    fake: FakeOpenAI, library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(verdict_reply(library), Cut(after_chunks=1))
    code, out, err = run(capsys, "play", SCENARIO, "--script", str(PITCH), *llm_flags(fake))
    assert code == 0, err
    assert out.count("[the reply was cut off]") == 1
