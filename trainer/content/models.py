"""The shape of authored content: personas, scenarios and rubrics.

These models are the contract with enablement authors. Every model forbids unknown
fields so a typo (``patiense:``) is an error pointing at its line rather than a silently
ignored setting, and every field carries a description because the JSON Schemas built
from these models are what editors show as completion and hover help.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MOVES: tuple[str, ...] = (
    "pitch",
    "pressure",
    "discovery",
    "insight",
    "agenda",
    "injection",
    "other",
)
"""What a seller turn mainly does. The order is the tie-break order of the assessor."""

Move = Literal["pitch", "pressure", "discovery", "insight", "agenda", "injection", "other"]

Slug = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        min_length=1,
        max_length=64,
        description="Lower-case letters, digits, '-' and '_'; used to refer to this item.",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Line = Annotated[str, Field(min_length=1, max_length=1000)]
Score = Annotated[int, Field(ge=1, le=5)]


class StrictModel(BaseModel):
    """Base for every authored model: unknown fields are errors, values are not coerced
    from the wrong YAML type (a quoted number stays a mistake the author hears about)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, str_strip_whitespace=True)


# --------------------------------------------------------------------------- persona


class Reaction(StrictModel):
    """How a kind of move changes the buyer's state before the quality of the turn is
    taken into account (see ``Sensitivity``)."""

    patience: int = Field(ge=-100, le=100, description="Patience change, -100..100.")
    openness: int = Field(ge=-100, le=100, description="Openness change, -100..100.")


class Reactions(StrictModel):
    """The persona's reaction rules, one per move, plus ``relevant_pitch``: product talk
    that answers a need the buyer has already disclosed, which is not a premature pitch."""

    pitch: Reaction
    relevant_pitch: Reaction
    pressure: Reaction
    discovery: Reaction
    insight: Reaction
    agenda: Reaction
    injection: Reaction
    other: Reaction


class Sensitivity(StrictModel):
    """How strongly the quality of a turn (its good-use verdict) moves the buyer, per
    verdict point above or below 3."""

    patience: int = Field(default=3, ge=0, le=20, description="Patience per verdict point.")
    openness: int = Field(default=3, ge=0, le=20, description="Openness per verdict point.")
    words: int = Field(
        default=90,
        ge=20,
        le=1000,
        description="Turns longer than this many words cost patience: this buyer is busy.",
    )


class Disclosure(StrictModel):
    """When a hidden fact may be disclosed. Both conditions must hold."""

    openness: int = Field(
        default=0, ge=0, le=100, description="Openness the buyer must have reached."
    )
    on_topic: bool = Field(
        default=False,
        description="The seller must ask a question (or offer an insight) that touches one "
        "of the fact's topics.",
    )


class HiddenFact(StrictModel):
    """Something the buyer knows but will not tell just anyone."""

    id: Slug
    fact: Text = Field(description="What is true, in plain words (shown in the debrief).")
    topics: list[Line] = Field(
        min_length=1,
        description="Words or short phrases a question must touch for an on-topic "
        "disclosure, e.g. 'budget', 'head count'.",
    )
    when: Disclosure = Field(default_factory=Disclosure)
    reveal: Text = Field(description="How the buyer says it when it is disclosed.")
    hint: Line | None = Field(
        default=None, description="How a seller could have found this out (debrief)."
    )


class Concerns(StrictModel):
    """What the buyer cares about. The assessor uses these words to judge relevance."""

    priorities: list[Line] = Field(min_length=1)
    pains: list[Line] = Field(min_length=1)
    goals: list[Line] = Field(min_length=1)
    fears: list[Line] = Field(min_length=1)


class Voice(StrictModel):
    """How the buyer talks (for the language-model buyer, and for authors writing lines)."""

    style: Line = Field(description="A sentence on tone and manner.")
    words_per_reply: int = Field(
        default=40, ge=5, le=300, description="Typical reply length in words."
    )


class PressureLines(StrictModel):
    """What the buyer says to each kind of pressure, so a discount gets an answer about
    discounts and a deadline one about deadlines. Each kind needs at least two lines."""

    discount: list[Line] = Field(
        min_length=2, description="Reply to a discount or special price offered unasked."
    )
    deadline: list[Line] = Field(
        min_length=2,
        description="Reply to urgency: 'this quarter', 'today only', 'before the price goes up'.",
    )
    chasing: list[Line] = Field(
        min_length=2, description="Reply to 'just checking in' or 'circling back' with nothing new."
    )
    meeting: list[Line] = Field(
        min_length=2,
        description="Reply to a request for a meeting or a demo before the buyer knows why.",
    )
    social_proof: list[Line] = Field(
        min_length=2,
        description="Reply to 'everyone in your industry uses us' or a list of big logos.",
    )


class Lines(StrictModel):
    """What the offline buyer says. Each pool is used without repetition until it runs
    out, so more variants mean more natural long sessions."""

    opening: list[Line] = Field(min_length=1, description="How the buyer opens the call.")
    pitch: list[Line] = Field(min_length=4, description="Reply to a premature pitch.")
    relevant_pitch: list[Line] = Field(
        min_length=2, description="Reply to product talk that answers a disclosed need."
    )
    pressure: list[Line] = Field(min_length=4, description="Reply to pressure tactics.")
    discovery: list[Line] = Field(min_length=6, description="Reply to a good question.")
    guarded: list[Line] = Field(
        min_length=3,
        description="Reply to a question on a hidden fact's topic before the buyer trusts "
        "the seller enough to answer it.",
    )
    insight: list[Line] = Field(min_length=5, description="Reply to a relevant insight.")
    agenda: list[Line] = Field(
        min_length=4, description="Reply to a purpose, a request for time, or a next step."
    )
    recap: list[Line] = Field(
        default_factory=list,
        description="Reply to a summary of what the buyer said; agenda lines if empty.",
    )
    injection: list[Line] = Field(
        min_length=3, description="Reply to an attempt to manipulate the trainer."
    )
    other: list[Line] = Field(min_length=4, description="Reply to anything else.")
    impatient: list[Line] = Field(
        min_length=3, description="Said before the reply when patience is running low."
    )
    end_call: list[Line] = Field(min_length=3, description="How the buyer ends the call.")
    agreement: list[Line] = Field(
        min_length=2, description="How the buyer agrees to a useful next step."
    )
    time_up: list[Line] = Field(
        default_factory=lambda: ["That's all the time I have today. I need to go."],
        min_length=1,
        description="Said after the reply when the turn or time limit is reached.",
    )
    acknowledge: list[Line] = Field(
        default_factory=list,
        description="Short openers said before answering a good question ('Fair question.', "
        "'Hm.'): they vary the buyer's replies. Optional.",
    )
    asked_again: list[Line] = Field(
        default_factory=list,
        description="Reply to a question the seller already asked in this call. Built-in "
        "lines are used if empty.",
    )
    already_answered: list[Line] = Field(
        default_factory=list,
        description="Said before the buyer points back to what they already told the seller "
        "(their earlier words follow). Built-in lines are used if empty.",
    )
    monologue: list[Line] = Field(
        default_factory=list,
        description="Reply to a long speech: the buyer cuts in. Built-in lines if empty.",
    )
    wrong_name: list[Line] = Field(
        default_factory=list,
        description="Reply to being called by the wrong name or company, in the buyer's "
        "words (write the right name in). Built-in lines if empty.",
    )
    pressure_kinds: PressureLines | None = Field(
        default=None,
        description="Replies to each kind of pressure; the 'pressure' lines are used if absent.",
    )


class Topic(StrictModel):
    """Something the buyer will talk about when the seller raises it: one of their
    concerns, or anything else the author adds. The offline buyer answers a question on
    the topic with one of these lines (guarded until the buyer is open enough, then
    open), so its replies follow what the seller actually asked."""

    id: Slug
    about: Line = Field(description="What the topic is, in a few words (for authors and models).")
    words: list[Line] = Field(
        min_length=1,
        description="Words or short phrases that raise the topic, e.g. 'overtime', "
        "'peak days'. Write them as a seller would say them.",
    )
    facts: list[Slug] = Field(
        default_factory=list,
        description="Ids of hidden facts that belong to this topic: asking about the topic "
        "is how a seller earns them.",
    )
    opens_at: int = Field(
        default=30,
        ge=0,
        le=100,
        description="Openness from which the buyer gives the open lines instead of the "
        "guarded ones.",
    )
    guarded: list[Line] = Field(
        min_length=2,
        description="What the buyer says on this topic before they trust the seller: "
        "true, but short and giving little away.",
    )
    open: list[Line] = Field(
        min_length=2,
        description="What the buyer says on this topic once open: candid, specific, in "
        "their voice (a hidden fact's reveal is added when the turn earns it).",
    )


class Persona(StrictModel):
    """A buyer: who they are, what they care about, how they react, what they hide."""

    id: Slug
    name: Line
    pronouns: Literal["she", "he", "they"] = Field(
        default="they", description="How tips and debriefs refer to the buyer: she, he or they."
    )
    role: Line
    organisation: Line
    industry: Line
    background: Text = Field(description="A short paragraph on their situation.")
    concerns: Concerns
    irritated_by: list[Line] = Field(min_length=1)
    opens_up_to: list[Line] = Field(min_length=1)
    patience: int = Field(ge=1, le=100, description="Patience at the start of the call.")
    openness: int = Field(ge=0, le=100, description="Openness at the start of the call.")
    reactions: Reactions
    sensitivity: Sensitivity = Field(default_factory=Sensitivity)
    voice: Voice
    hidden_facts: list[HiddenFact] = Field(min_length=1)
    topics: list[Topic] = Field(
        default_factory=list,
        description="What the buyer says when the seller raises each of their concerns "
        "(and any other subject). With topics, every concern needs one.",
    )
    lines: Lines

    @field_validator("hidden_facts")
    @classmethod
    def _unique_fact_ids(cls, facts: list[HiddenFact]) -> list[HiddenFact]:
        seen: set[str] = set()
        for fact in facts:
            if fact.id in seen:
                raise ValueError(f"two hidden facts have the id '{fact.id}'; ids must differ")
            seen.add(fact.id)
        return facts


# --------------------------------------------------------------------------- rubric


class Anchors(StrictModel):
    """What each score means, in words, so scores are explainable and consistent."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _numbers_as_keys(cls, data: object) -> object:
        """YAML reads ``1:`` as the number 1; the fields are named by the strings."""
        if isinstance(data, dict):
            return {str(k) if isinstance(k, int) else k: v for k, v in data.items()}
        return data

    one: Line = Field(alias="1")
    two: Line = Field(alias="2")
    three: Line = Field(alias="3")
    four: Line = Field(alias="4")
    five: Line = Field(alias="5")

    def for_score(self, score: int) -> str:
        return (self.one, self.two, self.three, self.four, self.five)[score - 1]


class Cues(StrictModel):
    """Phrases the offline assessor looks for when scoring an extra criterion."""

    raise_: list[Line] = Field(default_factory=list, alias="raise")
    lower: list[Line] = Field(default_factory=list)


class Criterion(StrictModel):
    """One dimension of the rubric, scored 1 to 5 on each seller turn it applies to."""

    id: Slug
    name: Line
    question: Line = Field(description="The question the judge answers for this criterion.")
    applies: Line | None = Field(
        default=None,
        description=(
            "When the criterion applies to a turn; on any other turn it is n/a, left out "
            "of every average. Unset: it applies to every turn."
        ),
    )
    weight: float = Field(default=1.0, ge=0, le=10)
    anchors: Anchors
    cues: Cues | None = Field(
        default=None,
        description="Only for extra criteria: phrases that raise or lower the offline score.",
    )


class Rubric(StrictModel):
    """The rubric every turn is scored on; the headline question leads."""

    id: Slug
    title: Line
    headline: Line
    criteria: list[Criterion] = Field(min_length=1)

    @field_validator("criteria")
    @classmethod
    def _unique_criteria(cls, criteria: list[Criterion]) -> list[Criterion]:
        ids = [c.id for c in criteria]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"criterion ids must differ; repeated: {', '.join(dupes)}")
        return criteria


# --------------------------------------------------------------------------- scenario

Setting = Literal[
    "cold_call",
    "cold_email_reply",
    "discovery_meeting",
    "follow_up",
    "end_of_quarter",
    "renewal",
    "demo",
    "negotiation",
]


class Product(StrictModel):
    """What the seller sells. Its vocabulary is how the assessor recognises product talk."""

    name: Line
    summary: Text
    vocabulary: list[Line] = Field(
        min_length=3, description="Words that mark talk about the product or the company."
    )
    proof_points: list[Line] = Field(default_factory=list)


class Brief(StrictModel):
    """What the seller knows before the call."""

    situation: Text = Field(description="Why this call is happening, from the seller's side.")
    product: Product
    research: list[Line] = Field(
        min_length=1, description="Public facts a prepared seller could have found."
    )


class Limits(StrictModel):
    turns: int = Field(default=15, ge=1, le=100, description="Seller turns before the call ends.")
    minutes: int | None = Field(default=None, ge=1, le=240, description="Time limit, if any.")


class NextStep(StrictModel):
    """When the buyer will agree to a next step the seller proposes."""

    openness: int = Field(default=60, ge=0, le=100)
    facts: int = Field(default=2, ge=0, le=50, description="Hidden facts disclosed first.")


class FactOutcome(StrictModel):
    """A hidden fact that matters to this call: what learning it is worth, and whether
    the call cannot be counted a success without it."""

    id: Slug = Field(description="The id of one of the persona's hidden facts.")
    weight: float = Field(
        default=1.0, gt=0, le=10, description="Its share of the facts part, relative to others."
    )
    required: bool = Field(
        default=False,
        description="true: a certification attempt that did not learn it does not pass.",
    )


class Outcomes(StrictModel):
    """What a call in this scenario should achieve, in terms the engine can check. The
    session score weighs these beside the quality of the turns, so a short, polite call
    that learned nothing cannot score well."""

    facts: list[FactOutcome] | None = Field(
        default=None,
        description="The hidden facts that matter, with weights; leave out to count every "
        "hidden fact equally, or give [] if no fact matters.",
    )
    next_step: bool = Field(
        default=True,
        description="true: the call should end with the buyer agreeing a next step "
        "(the call ends 'agreement').",
    )
    min_turns: int = Field(
        default=3,
        ge=1,
        le=100,
        description="The fewest seller turns a fair attempt needs; a shorter call is capped.",
    )

    @field_validator("facts")
    @classmethod
    def _unique_outcome_facts(cls, facts: list[FactOutcome] | None) -> list[FactOutcome] | None:
        ids = [f.id for f in facts or []]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"each fact is listed once; repeated: {', '.join(dupes)}")
        return facts


class RubricTweaks(StrictModel):
    weights: dict[str, float] = Field(
        default_factory=dict, description="Criterion id to weight, overriding the default."
    )
    extra_criteria: list[Criterion] = Field(default_factory=list)


class Certification(StrictModel):
    pass_mark: int = Field(default=70, ge=0, le=100, description="Session score to pass.")
    required_criteria: dict[str, Score] = Field(
        default_factory=dict, description="Criterion id to the minimum average score needed."
    )
    attempts: int = Field(default=3, ge=1, le=100)
    required_facts: list[Slug] = Field(
        default_factory=list,
        description="Hidden facts (ids) an attempt must learn, besides those marked "
        "required under outcomes.facts.",
    )
    next_step: bool | None = Field(
        default=None,
        description="true: an attempt must end with an agreed next step; false: it need "
        "not; leave out to follow outcomes.next_step.",
    )
    min_turns: int | None = Field(
        default=None,
        ge=1,
        le=100,
        description="The fewest seller turns an attempt needs; leave out to follow "
        "outcomes.min_turns.",
    )


class ScoreBand(StrictModel):
    min: int = Field(default=0, ge=0, le=100, description="Lowest acceptable session score.")
    max: int = Field(default=100, ge=0, le=100, description="Highest acceptable session score.")


class Expect(StrictModel):
    """What should happen when the scripted seller plays. Leave out what you do not care
    about; every expectation given is checked."""

    buyer_ends_by_turn: int | None = Field(
        default=None, ge=1, le=100, description="The buyer hangs up on or before this turn."
    )
    buyer_stays: bool | None = Field(
        default=None, description="true: the buyer does not hang up during the script."
    )
    agreement: bool | None = Field(
        default=None, description="true: the buyer agrees a next step; false: they do not."
    )
    disclosed: list[Slug] = Field(
        default_factory=list, description="Hidden facts (ids) the seller must have earned."
    )
    not_disclosed: list[Slug] = Field(
        default_factory=list, description="Hidden facts (ids) the seller must not have earned."
    )
    score: ScoreBand | None = Field(default=None, description="The session score's band.")
    moves: dict[int, Move] = Field(
        default_factory=dict, description="Turn number to the move that turn must be read as."
    )


class ScenarioTest(StrictModel):
    """A scripted seller and what should happen, so a change to the persona or rubric
    that makes the scenario too easy or too harsh is caught by `trainer test`."""

    name: Line = Field(description="What the script tries, e.g. 'feature dump'.")
    seller: list[Text] = Field(min_length=1, description="The seller's turns, in order.")
    expect: Expect


class Scenario(StrictModel):
    """A practice situation: a persona, a setting, and what the seller knows and aims for."""

    id: Slug
    title: Line
    setting: Setting
    persona: Slug = Field(description="The id of a persona in personas/.")
    difficulty: Literal["easy", "medium", "hard"]
    summary: Line
    brief: Brief
    objectives: list[Line] = Field(min_length=1)
    limits: Limits = Field(default_factory=Limits)
    next_step: NextStep = Field(default_factory=NextStep)
    outcomes: Outcomes = Field(
        default_factory=Outcomes,
        description="What the call should achieve (facts that matter, a next step, the "
        "fewest turns), scored beside the quality of the turns.",
    )
    opening: Line | None = Field(
        default=None, description="The buyer's first line, instead of the persona's own."
    )
    buyer_asked_for_product: bool = Field(
        default=False,
        description="The buyer opens by asking what you sell: a brief, straight answer in "
        "the first two turns answers them and is not a premature pitch.",
    )
    rubric: RubricTweaks = Field(default_factory=RubricTweaks)
    certification: Certification = Field(default_factory=Certification)
    tests: list[ScenarioTest] = Field(
        default_factory=list,
        description="Scripted sellers with expected outcomes, run by `trainer test`.",
    )

    @model_validator(mode="after")
    def _extra_criteria_have_cues(self) -> Scenario:
        for criterion in self.rubric.extra_criteria:
            if criterion.cues is None:
                raise ValueError(
                    f"extra criterion '{criterion.id}' needs 'cues' (raise/lower phrases) "
                    "so the offline assessor can score it"
                )
        return self
