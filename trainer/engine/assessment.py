"""What an assessor says about one seller turn."""

from __future__ import annotations

from dataclasses import dataclass, field

from trainer.content.models import Move


@dataclass(frozen=True)
class Usage:
    """Tokens a model call cost; zero for the offline backend."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
        )


@dataclass(frozen=True)
class Assessment:
    """The verdict on one seller turn, with the evidence and a cause a trainee can read.

    ``reason`` is short and specific ("product pitch before learning their priorities");
    it becomes the cause of the buyer's state changes. ``relevant_pitch`` marks product
    talk that answers a need the buyer already disclosed, which is not a premature pitch.
    ``criteria`` holds None for a criterion that does not apply to the turn (no product
    talk to hold back, no question to judge): it is "n/a", left out of every average,
    rather than a 3 that would drag them towards the middle. ``verdicts`` keeps each
    assessor's good-use verdict when more than one judged the turn
    (``{"offline": 2, "judge": 4}``); ``usage`` is what judging it cost.
    """

    move: Move
    good_use: int
    criteria: dict[str, int | None]
    evidence: tuple[str, ...]
    tip: str
    reason: str
    relevant_pitch: bool = False
    proposes_next_step: bool = False
    recap: bool = False
    words: int = 0
    source: str = "offline"
    flags: tuple[str, ...] = field(default_factory=tuple)
    verdicts: dict[str, int | None] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)

    def __post_init__(self) -> None:
        if not 1 <= self.good_use <= 5:
            raise ValueError(f"good_use must be 1..5, got {self.good_use}")
        for name, score in self.criteria.items():
            if score is not None and not 1 <= score <= 5:
                raise ValueError(f"criterion {name} must be 1..5, got {score}")
