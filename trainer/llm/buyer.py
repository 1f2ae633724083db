"""The language-model buyer: streams a reply in character from the new state.

The reply's length is held to a busy person's by the prompt and by ``max_tokens``. The
call ends by the engine's decision (patience gone, a next step earned, the limit), which
reaches the model as an instruction; nothing is inferred from its prose. A stream that
stops before the model says it has finished is passed on as incomplete, never accepted
as a whole reply.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

from trainer.content.library import ResolvedScenario
from trainer.engine.assessment import Usage
from trainer.engine.ports import ReplyContext, ReplyEnd
from trainer.llm.endpoint import Endpoint
from trainer.llm.prompts import buyer_messages
from trainer.offline.buyer import OfflineBuyer

TOKENS_PER_WORD = 2
MIN_REPLY_TOKENS = 120


class LlmBuyer:
    name = "llm"

    def __init__(self, endpoint: Endpoint, seed: int = 0, reply_seed: int | None = None) -> None:
        self.endpoint = endpoint
        self._reply_seed = reply_seed if reply_seed is not None else endpoint.settings.seed
        """What the model is sent as ``seed``: the attempt's own in certification, else
        the configured one (None: the server chooses)."""
        # The opening line is the persona's own: no model call before the first turn.
        self._opening = OfflineBuyer(seed=seed)

    async def opening(self, setup: ResolvedScenario) -> str:
        # Build the client (and import the SDK) now, while the trainee reads the opening,
        # rather than inside their first turn.
        self.endpoint.client()
        return await self._opening.opening(setup)

    async def reply(self, context: ReplyContext) -> AsyncIterator[str | ReplyEnd]:
        import openai

        settings = self.endpoint.settings
        persona = context.setup.persona
        limit = max(MIN_REPLY_TOKENS, persona.voice.words_per_reply * TOKENS_PER_WORD * 2)
        finished = False
        started = False
        usage = Usage()
        try:
            stream = await self.endpoint.client().chat.completions.create(
                model=settings.buyer_model,
                messages=cast(
                    "list[ChatCompletionMessageParam]",
                    buyer_messages(context, settings.max_prompt_tokens),
                ),
                temperature=settings.temperature,
                max_tokens=limit,
                stream=True,
                stream_options={"include_usage": True},
                seed=openai.omit if self._reply_seed is None else self._reply_seed,
            )
            try:
                async for chunk in stream:
                    if chunk.usage is not None:
                        usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
                    for choice in chunk.choices:
                        if choice.delta is not None and choice.delta.content:
                            started = True
                            yield choice.delta.content
                        if choice.finish_reason is not None:
                            finished = True
            finally:
                await stream.close()
        except openai.OpenAIError as exc:
            if not started:
                raise self.endpoint.explain(exc) from None
            # Cut off mid-reply: what arrived is kept, marked incomplete, and the
            # conversation goes on; a dead endpoint shows itself on the next call.
        yield ReplyEnd(usage, complete=finished)
