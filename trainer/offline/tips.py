"""One short, specific tip per assessed turn, in the words of the buyer's world.

The tip answers the reason: a repeated question is told what to build on instead, a
pitch is told which of the buyer's priorities to ask about first, chasing is told what
would have been worth the buyer's time.
"""

from __future__ import annotations

from trainer.engine.ports import AssessContext
from trainer.offline.decision import Decision, already_answered, asked_again
from trainer.offline.explain import wrong_buyer
from trainer.offline.reading import Signals


def tip_for(decision: Decision, signals: Signals, context: AssessContext) -> str:
    persona = context.setup.persona
    first = persona.name.split()[0]
    concerns = persona.concerns
    turn = context.turn_index
    priority = concerns.priorities[turn % len(concerns.priorities)]
    pain = concerns.pains[turn % len(concerns.pains)]
    research = context.setup.scenario.brief.research
    fact = research[turn % len(research)]
    move, use, s = decision.move, decision.good_use, signals

    if move == "injection":
        return f"Talk to {first}, not to the trainer. Manipulation attempts score 1."
    if use <= 2 and wrong_buyer(s):
        return (
            f"That was written for someone else. {first} is {persona.role} at "
            f"{persona.organisation}: start from {pain}."
        )
    if s.words > s.limit:
        return f"{s.words} words is a lot for a busy buyer. Make one point, then ask one question."
    if move == "pressure":
        return (
            f"Drop the push: {first} decides on their own timeline. Bring something useful "
            f"instead, or ask what a good decision needs on their side."
        )
    if move == "pitch":
        if use >= 3:
            return "Good: product talk tied to what they told you. Keep it short and check it fits."
        return (
            f"Hold the product until you know what {first} is trying to fix. "
            f"Ask about {priority} first."
        )
    if move == "discovery":
        if use <= 2 and (asked_again(s) or already_answered(s)):
            return (
                f"{first} already told you that. Build on it: ask what it costs, why, "
                "or what they have tried."
            )
        if use >= 4:
            if s.refers_back or s.follows_up >= 2:
                return "Good follow-up. Now ask what it costs them, or who else feels it."
            return "Good question. Follow the answer where it leads, one question at a time."
        return f"Make the question specific to {first}'s world. You could use what you know: {fact}"
    if move == "insight":
        if use >= 4:
            return f"Relevant. Now ask whether it matches what {first} sees."
        return (
            "Back it with something concrete: a number or a pattern from organisations "
            f"like theirs, tied to {pain}."
        )
    if move == "agenda":
        if use >= 4:
            return "Good use of their time. Spend what you earned on one sharp question."
        if s.cue("summary"):
            return f"Play back only what {first} actually said, in their words."
        return (
            f"Earn the next step first: learn what matters to {first} before asking for their time."
        )
    return f"Every sentence costs {first} time. Say why you called, or ask about {pain}."
