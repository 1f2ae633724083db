"""Who plays the buyer and who judges, from the settings: the one place that wires a
model endpoint to the engine, so every front end gets the same checked pairing.

It sits outside ``trainer/llm/`` so that pairing the offline backends (what every front
end does first) imports no model code: ``trainer.llm.settings`` is light, and the model
buyer, the judge and the openai SDK are imported only when a model backend is chosen."""

from __future__ import annotations

from collections.abc import Callable

from trainer.content.library import ResolvedScenario
from trainer.engine.ports import Assessor, Buyer, Mode
from trainer.engine.seeds import model_seed
from trainer.llm.settings import LlmSettings
from trainer.offline.assessor import OfflineAssessor
from trainer.offline.buyer import OfflineBuyer

BackendFactory = Callable[[ResolvedScenario, int], tuple[Buyer, Assessor]]
"""A front end's own pairing for a scenario and seed (tests put a slow or scripted buyer
here); without one, ``make_backends`` builds the configured pair."""


def make_backends(
    settings: LlmSettings | None, seed: int, mode: Mode = "practice"
) -> tuple[Buyer, Assessor]:
    """The offline pair, or a model buyer with the model judge checked against the offline
    assessment (the model code, and the openai SDK with it, is imported only then).

    In a certification attempt the model buyer is sent a seed from the attempt's own, not
    the configured one, so a fixed ``seed`` in the config cannot replay an attempt; the
    judge keeps the configured seed (judging should repeat, the buyer should not)."""

    offline = OfflineAssessor(settings.judge_file if settings else None)
    if settings is not None and settings.judge_file is not None:
        offline.prepare()  # a team's judge file is checked before the call, not mid-call
    if settings is None or settings.backend == "offline":
        return OfflineBuyer(seed=seed), offline
    from trainer.engine.checked import CheckedAssessor
    from trainer.llm.buyer import LlmBuyer
    from trainer.llm.endpoint import Endpoint
    from trainer.llm.judge import LlmJudge

    endpoint = Endpoint(settings)
    reply_seed = model_seed(seed) if mode == "certification" else None
    return LlmBuyer(endpoint, seed, reply_seed), CheckedAssessor(LlmJudge(endpoint), offline)


async def close_backends(buyer: Buyer) -> None:
    """Close a model client on the event loop that opened it; nothing for offline."""
    endpoint = getattr(buyer, "endpoint", None)
    if endpoint is not None:
        await endpoint.close()
