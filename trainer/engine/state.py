"""The buyer's state and the changes to it, each with its cause."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

StateField = Literal["patience", "openness"]


def clamp(value: int, low: int = 0, high: int = 100) -> int:
    return max(low, min(high, value))


@dataclass(frozen=True)
class StateChange:
    """One change to the buyer's state and why it happened, for the UI and reports."""

    field: StateField
    delta: int
    cause: str

    def __str__(self) -> str:
        return f"{self.field} {self.delta:+d}: {self.cause}"


@dataclass(frozen=True)
class Disclosure:
    """A hidden fact the buyer revealed, and the condition that earned it."""

    fact_id: str
    cause: str


@dataclass(frozen=True)
class BuyerState:
    """Patience and openness (0-100), what the buyer has said so far (``disclosed``) and
    what the seller has earned that the buyer has not yet said (``owed``: a model buyer
    told to share a fact may not, and the fact is offered again on the next turn)."""

    patience: int
    openness: int
    disclosed: tuple[str, ...] = field(default_factory=tuple)
    owed: tuple[str, ...] = field(default_factory=tuple)

    @property
    def earned(self) -> tuple[str, ...]:
        """Every fact the seller has earned, said or not."""
        return (*self.disclosed, *self.owed)

    def apply(self, changes: list[StateChange]) -> BuyerState:
        patience, openness = self.patience, self.openness
        for change in changes:
            if change.field == "patience":
                patience += change.delta
            else:
                openness += change.delta
        return replace(self, patience=clamp(patience), openness=clamp(openness))

    def disclose(self, fact_id: str) -> BuyerState:
        if fact_id in self.disclosed:
            return self
        return replace(self, disclosed=(*self.disclosed, fact_id))

    def settle(self, said: tuple[str, ...], unsaid: tuple[str, ...]) -> BuyerState:
        """After the reply: the facts it carried are disclosed, the ones it did not are
        owed (and not disclosed, even if the turn's reaction counted them)."""
        disclosed = [f for f in self.disclosed if f not in unsaid]
        disclosed += [f for f in said if f not in disclosed]
        return replace(self, disclosed=tuple(disclosed), owed=unsaid)
