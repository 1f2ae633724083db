"""One short tip per assessed turn: what would have been a better use of this buyer's
time now, in the words of the buyer's world.

A tip is chosen from what the turn did (the move, the verdict, a repeat, a speech, a kind
of pressure) and from where the call stands: a concern not yet explored, a fact area still
hidden, what the buyer just said. Tips come in order of use; the first one not already
given in this call is the one shown, and none advises what the seller just did (a seller
who asked what was tried is not told to ask what was tried). The buyer is named and
referred to by the persona's pronouns, and the setting's words are used: an email is
written, a meeting is not a call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from trainer.content.models import Persona
from trainer.engine.heard import topic_of_reply, topics_raised
from trainer.engine.ports import AssessContext
from trainer.engine.pressure import pressure_kind
from trainer.offline.decision import Decision, already_answered, asked_again
from trainer.offline.explain import wrong_buyer
from trainer.offline.reading import Signals
from trainer.text import mentions, normalise

SETTING_NOUNS = {
    "cold_call": "call",
    "cold_email_reply": "email",
    "discovery_meeting": "meeting",
    "follow_up": "call",
    "end_of_quarter": "call",
    "renewal": "call",
    "demo": "meeting",
    "negotiation": "meeting",
}
"""What a scenario's conversation is, in a trainee's words."""

ANGLES: dict[str, tuple[str, re.Pattern[str]]] = {
    "cost": (
        "what it costs {obj}",
        re.compile(r"cost|spend|price|money|\$|budget|expens|pay|bill|\bfees?\b"),
    ),
    "tried": (
        "what {subj} {have} tried already",
        re.compile(r"tried|\bbefore\b|previous|attempt|in the past|used to|last time"),
    ),
    "often": (
        "how often it happens",
        re.compile(r"how often|frequen|every (?:week|day|month|monday)|how many times"),
    ),
    "who": (
        "who else feels it",
        re.compile(r"who else|anyone else|which team|\bboss\b|who (?:is|would|owns|else)"),
    ),
    "why": ("why it happens", re.compile(r"\bwhy\b|cause|root|reason")),
}
"""Ways to follow an answer further, and how to tell the seller already took one."""


@dataclass(frozen=True)
class Pronouns:
    subj: str
    obj: str
    poss: str
    have: str

    @classmethod
    def of(cls, persona: Persona) -> Pronouns:
        if persona.pronouns == "she":
            return cls("she", "her", "her", "has")
        if persona.pronouns == "he":
            return cls("he", "him", "his", "has")
        return cls("they", "them", "their", "have")


class Coach:
    """What a tip can refer to in this call: the buyer, the setting, the concerns and
    facts not yet reached, and what the buyer last said."""

    def __init__(self, context: AssessContext) -> None:
        self.context = context
        persona = context.setup.persona
        self.persona = persona
        self.first = persona.name.split()[0]
        self.p = Pronouns.of(persona)
        self.noun = SETTING_NOUNS.get(context.setup.scenario.setting, "call")
        self.text = normalise(context.seller_text)
        raised: set[str] = set(topics_raised(persona, self.text))
        for exchange in context.history:
            raised |= set(topics_raised(persona, normalise(exchange.seller)))
        self.unexplored = [t for t in persona.topics if t.id not in raised]
        last = context.history[-1].buyer if context.history else ""
        last_topic = topic_of_reply(persona, last) if last else None
        self.last_topic = next((t for t in persona.topics if t.id == last_topic), None)
        self.hidden = [
            f
            for f in persona.hidden_facts
            if f.id not in context.state.earned
            and f.hint
            and not mentions(f.topics, self.text)
            and not self.took_angle_of(f.hint)
        ]

    def took_angle_of(self, advice: str) -> bool:
        """The advice is to take an angle this turn already took ("ask what they tried"
        after "what have you tried?")."""
        said = normalise(advice)
        return any(taken.search(self.text) and taken.search(said) for _, taken in ANGLES.values())

    def angles(self) -> list[str]:
        """Follow-up angles the seller did not take in this turn."""
        p = self.p
        return [
            template.format(subj=p.subj, obj=p.obj, have=p.have)
            for template, taken in ANGLES.values()
            if not taken.search(self.text)
        ]

    def concerns(self) -> list[str]:
        """Unexplored concerns, as words a seller could ask about."""
        if self.unexplored:
            return [t.about for t in self.unexplored]
        c = self.persona.concerns
        return [*c.pains, *c.priorities]

    def research(self) -> list[str]:
        return list(self.context.setup.scenario.brief.research)

    def why_you(self) -> str:
        """'Say why you called', in this setting's words."""
        return {
            "email": "say in one line why you are writing",
            "meeting": "say what you want from this meeting",
        }.get(self.noun, "say why you called")


def tip_for(decision: Decision, signals: Signals, context: AssessContext) -> str:
    """The first useful tip not already given in this call."""
    coach = Coach(context)
    given = set(context.tips_given)
    for tip in _candidates(decision, signals, coach):
        if tip not in given:
            return tip
    return (
        f"Keep every turn about {coach.first}'s world, one point and one question at a "
        f"time (turn {context.turn_index})."
    )


def _candidates(d: Decision, s: Signals, c: Coach) -> Iterator[str]:
    first, p = c.first, c.p
    persona = c.persona
    move, use = d.move, d.good_use

    if move == "injection":
        yield f"Talk to {first}, not to the trainer. Manipulation attempts score 1."
        yield f"Words aimed at the scoring score 1. Ask {first} about {c.concerns()[0]}."
    if use <= 2 and wrong_buyer(s):
        for concern in c.concerns():
            yield (
                f"That was written for someone else. {first} is {persona.role} at "
                f"{persona.organisation}: start from {concern}."
            )
    if s.words > s.limit:
        yield (f"{s.words} words is a lot for a busy buyer. Make one point, then ask one question.")
        yield f"Cut it down: one sentence of context, one question for {first}."
    if move == "discovery" and use <= 2 and (asked_again(s) or already_answered(s)):
        for angle in c.angles():
            yield f"{first} already told you that. Build on the answer: ask {angle}."
    kind = pressure_kind(c.text)
    if move in {"pressure", "pitch", "agenda", "other"} and use <= 2 and kind is not None:
        yield from _pressure_tips(kind, c)
    if move == "pressure":
        yield (
            f"Drop the push: {first} decides on {p.poss} own timeline. Bring something "
            f"useful instead, or ask what a good decision needs on {p.poss} side."
        )
    if move == "pitch":
        if use >= 3:
            yield (
                f"Good: product talk tied to what {first} told you. Keep it short and check "
                "it fits."
            )
            yield f"Now check it lands: ask {first} what would have to be true for it to work."
        for concern in c.concerns():
            yield (
                f"Hold the product until you know what {first} is trying to fix. Ask about "
                f"{concern} first."
            )
    if move == "discovery":
        if use >= 4:
            topic = c.last_topic
            if topic is not None:
                for angle in c.angles():
                    yield f"Good. Follow up on what {first} said about {topic.about}: ask {angle}."
            yield from _hidden_fact_tips(c)
            for concern in c.concerns():
                yield f"Good question. Another thread worth {first}'s time: {concern}."
        for fact in c.research():
            yield (
                f"Make the question specific to {first}'s world. You could use what you "
                f"know: {fact}"
            )
    if move == "insight":
        if use >= 4:
            yield f"Relevant. Now ask whether it matches what {first} sees."
            for angle in c.angles():
                yield f"Relevant. Turn it into a question: ask {angle}."
        for concern in c.concerns():
            yield (
                "Back it with something concrete: a number or a pattern from organisations "
                f"like {p.poss}, tied to {concern}."
            )
    if move == "agenda":
        if use >= 4:
            yield f"Good use of {p.poss} time. Spend what you earned on one sharp question."
            yield from _hidden_fact_tips(c)
        if s.cue("summary"):
            yield f"Play back only what {first} actually said, in {p.poss} words."
        for concern in c.concerns():
            yield (
                f"Earn the next step first: learn what matters to {first} ({concern}) "
                f"before asking for {p.poss} time."
            )
    for concern in c.concerns():
        why = c.why_you().capitalize()
        yield f"Every sentence costs {first} time. {why}, or ask about {concern}."
    for fact in c.research():
        yield f"Use what you know about {persona.organisation}: {fact}"


def _pressure_tips(kind: str, c: Coach) -> Iterator[str]:
    first, p, noun = c.first, c.p, c.noun
    concerns = c.concerns()
    if kind == "discount":
        for concern in concerns:
            yield (
                f"A discount before {first} has a reason to buy is noise. Find the problem "
                f"first: ask about {concern}."
            )
    elif kind == "deadline":
        for concern in concerns:
            yield (
                f"Your deadline is not {p.poss}. Find what makes timing matter to {first}: "
                f"ask about {concern}."
            )
    elif kind == "chasing":
        for fact in c.research():
            yield (
                f"Checking in gives {first} nothing. Bring one useful thing to this {noun} "
                f"instead, e.g. {fact}"
            )
    elif kind == "meeting":
        for concern in concerns:
            yield (
                f"Earn the meeting: first learn what would make it worth {first}'s time. "
                f"Ask about {concern}."
            )
    elif kind == "social_proof":
        for concern in concerns:
            yield (f"Other companies' choices don't answer {first}'s problem. Ask about {concern}.")


def _hidden_fact_tips(c: Coach) -> Iterator[str]:
    for fact in c.hidden:
        if fact.hint:
            yield f"Still hidden: {fact.hint}"
