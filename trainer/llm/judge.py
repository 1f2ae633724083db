"""The language-model judge: one seller turn in, one checked verdict out.

It asks for structured output in the best mode the server has: ``json_schema`` (strict),
else ``json_object``, else the schema in the prompt and validation after. The mode found
on the first call is kept. A verdict is rejected if it is not valid JSON of the schema,
names criteria the rubric does not have, or quotes "evidence" the seller never typed;
a rejected verdict is asked for once more, then ``JudgeFailed`` hands the turn to the
offline assessment (see ``checked.py``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

if TYPE_CHECKING:
    pass

from trainer.content.models import MOVES, Move, Rubric
from trainer.engine.assessment import Assessment, Usage
from trainer.engine.ports import AssessContext, NoVerdict
from trainer.llm.endpoint import Endpoint
from trainer.llm.prompts import judge_messages
from trainer.llm.structured import Answer, Mode, ask_json, json_answer, wrote_prose

ATTEMPTS = 2
MAX_TOKENS = 900


class JudgeFailed(NoVerdict):
    """No usable verdict after a retry; ``usage`` is what the attempts cost."""


class InvalidVerdict(ValueError):
    pass


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rationale: str
    move: Move
    good_use: int = Field(ge=1, le=5)
    criteria: dict[str, int | None]
    evidence: list[str]
    tip: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    proposes_next_step: bool
    relevant_pitch: bool


def verdict_schema(rubric: Rubric) -> dict[str, Any]:
    """The JSON Schema of a verdict for this rubric; strict-mode compatible (every
    property required, no additional ones). ``rationale`` comes first, so the model
    reasons before it scores. A criterion may be null: n/a, it does not apply to this
    turn; the good-use verdict may not."""
    score = {"type": "integer", "minimum": 1, "maximum": 5}
    score_or_na = {"type": ["integer", "null"], "minimum": 1, "maximum": 5}
    ids = [c.id for c in rubric.criteria]
    properties: dict[str, Any] = {
        "rationale": {"type": "string"},
        "move": {"type": "string", "enum": list(MOVES)},
        "good_use": score,
        "criteria": {
            "type": "object",
            "properties": {i: score_or_na for i in ids},
            "required": ids,
            "additionalProperties": False,
        },
        "evidence": {"type": "array", "items": {"type": "string"}},
        "tip": {"type": "string"},
        "reason": {"type": "string"},
        "proposes_next_step": {"type": "boolean"},
        "relevant_pitch": {"type": "boolean"},
    }
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _quoted(evidence: str) -> str:
    """An evidence quote as it should appear in the transcript: quotes and spacing off."""
    return _squash(evidence.strip().strip("\"'“”‘’"))


def parse_verdict(content: str, context: AssessContext) -> Verdict:
    """The verdict in ``content``, or ``InvalidVerdict`` saying what is wrong with it."""
    try:
        data = json_answer(content)
    except ValueError as exc:
        raise InvalidVerdict(str(exc)) from None
    try:
        verdict = Verdict.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidVerdict(f"does not fit the schema ({where}: {first['msg']})") from None
    expected = {c.id for c in context.setup.rubric.criteria}
    if set(verdict.criteria) != expected:
        raise InvalidVerdict(f"criteria {sorted(verdict.criteria)} are not {sorted(expected)}")
    if any(v is not None and not 1 <= v <= 5 for v in verdict.criteria.values()):
        raise InvalidVerdict("a criterion score is outside 1-5")
    transcript = _squash(" ".join([*(e.seller for e in context.history), context.seller_text]))
    for quote in verdict.evidence:
        cleaned = _quoted(quote)
        if cleaned and cleaned not in transcript:
            raise InvalidVerdict(f"evidence {quote[:60]!r} is not in the seller's words")
    return verdict


def to_assessment(verdict: Verdict, context: AssessContext, usage: Usage) -> Assessment:
    return Assessment(
        move=verdict.move,
        good_use=verdict.good_use,
        criteria=dict(verdict.criteria),
        evidence=tuple(_quoted(q) for q in verdict.evidence if q.strip()),
        tip=verdict.tip.strip(),
        reason=verdict.reason.strip().rstrip("."),
        relevant_pitch=verdict.relevant_pitch,
        proposes_next_step=verdict.proposes_next_step,
        words=len(context.seller_text.split()),
        source="llm",
        usage=usage,
    )


class LlmJudge:
    """Assesses with a model. Raises ``JudgeFailed`` when it cannot, and lets the
    endpoint's own failures (``EndpointError``) through, for the front end to stop on."""

    name = "llm"

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.mode: Mode | None = None

    async def assess(self, context: AssessContext) -> Assessment:
        usage = Usage()
        problem = "no answer"
        for _ in range(ATTEMPTS):
            answer = await self._ask(context)
            usage += answer.usage
            try:
                verdict = parse_verdict(answer.content, context)
            except InvalidVerdict as exc:
                problem = str(exc)
                if wrote_prose(answer):
                    # The server ignored the schema and wrote prose: put it in the prompt.
                    self.mode = "prompt"
                continue
            return to_assessment(verdict, context, usage)
        raise JudgeFailed(f"the judge's verdict was rejected twice: {problem}", usage)

    async def _ask(self, context: AssessContext) -> Answer:
        settings = self.endpoint.settings

        def messages_for(hint: str | None) -> list[dict[str, str]]:
            return judge_messages(context, hint, settings.max_prompt_tokens)

        answer = await ask_json(
            self.endpoint,
            model=settings.judging_model,
            messages_for=messages_for,
            name="verdict",
            schema=verdict_schema(context.setup.rubric),
            mode=self.mode,
            temperature=0,
            max_tokens=MAX_TOKENS,
        )
        self.mode = answer.mode
        return answer
