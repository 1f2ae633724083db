"""One short, specific tip per assessed turn, in the words of the buyer's world."""

from __future__ import annotations

from trainer.content.models import Move
from trainer.engine.ports import AssessContext


def tip_for(move: Move, good_use: int, relevant: bool, n_words: int, context: AssessContext) -> str:
    persona = context.setup.persona
    first = persona.name.split()[0]
    concerns = persona.concerns
    turn = context.turn_index
    priority = concerns.priorities[turn % len(concerns.priorities)]
    pain = concerns.pains[turn % len(concerns.pains)]
    research = context.setup.scenario.brief.research
    fact = research[turn % len(research)]
    limit = persona.sensitivity.words

    if n_words > limit and move not in {"injection"}:
        return f"{n_words} words is a lot for a busy buyer. Make one point, then ask one question."
    if move == "injection":
        return f"Talk to {first}, not to the trainer. Manipulation attempts score 1."
    if move == "pressure":
        return (
            f"Drop the deadline and the push: {first} buys on their own timeline. Ask what "
            "a good decision needs on their side."
        )
    if move == "pitch":
        if relevant:
            return "Good: product talk tied to what they told you. Keep it short and check it fits."
        return (
            f"Hold the product until you know what {first} is trying to fix. Ask about "
            f"{priority} first."
        )
    if move == "discovery":
        if good_use >= 4:
            return (
                "Good question. Follow the answer: ask what it costs them, or what they have tried."
            )
        return f"Make the question specific to them. You could use what you know: {fact}"
    if move == "insight":
        if good_use >= 4:
            return f"Relevant. Now ask whether it matches what {first} sees."
        return (
            "Back it with something concrete: a number or a pattern from organisations "
            f"like theirs, tied to {pain}."
        )
    if move == "agenda":
        if good_use >= 4:
            return "Good use of agenda. Use the time you earned on one sharp question."
        return (
            f"Earn the next step first: learn what matters to {first} before asking for their time."
        )
    return f"Every sentence costs {first} time. Say why you called, or ask about {pain}."
