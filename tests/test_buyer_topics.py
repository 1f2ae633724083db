"""The offline buyer answers what was said: by topic, by kind of pressure, noticing a
question asked again, never saying a line twice in a call; and tips coach this turn.

Engine and buyer tests, no Textual. The world is the cold-call scenario with Dana given a
few topics here (the starter persona's own topics are checked in test_starter_content),
so these tests pin the rules, not the authored words.
"""

from __future__ import annotations

import pytest

from tests.cli_helpers import SCENARIO
from tests.fakes import ScriptedAssessor, assessment
from trainer.content.library import Library, ResolvedScenario
from trainer.content.models import Persona, PressureLines, Topic
from trainer.engine.heard import angles, asks, hear, topics_raised
from trainer.engine.pressure import pressure_kind
from trainer.engine.session import Session
from trainer.offline.assessor import OfflineAssessor
from trainer.offline.buyer import OfflineBuyer
from trainer.text import normalise

TOPICS = [
    Topic(
        id="overtime",
        about="overtime at the dock on peak days",
        words=["overtime", "peak", "monday", "busiest", "staffing", "labour", "labor"],
        facts=["peak-overtime"],
        guarded=["Peak days are peak days. We cope.", "Mondays are busy. Like everywhere."],
        open=[
            "Monday mornings we run every door and still fall behind.",
            "Before holidays the whole crew works doubles.",
            "I staff for the worst Monday and pay for it the rest of the week.",
        ],
    ),
    Topic(
        id="detention",
        about="detention fees carriers charge when trucks wait",
        words=["detention", "dwell", "waiting trucks", "wait time", "carrier fees"],
        facts=["detention-bill"],
        guarded=[
            "Carriers bill us when trucks sit. It's a number I watch.",
            "Trucks wait, carriers charge. Same as everybody.",
        ],
        open=[
            "Savannah is where trucks stack up at six in the morning.",
            "My team spends half the morning arguing with carriers about wait time.",
        ],
    ),
]

PRESSURE = PressureLines(
    discount=["A discount on nothing is still nothing.", "Keep your discount."],
    deadline=["Your quarter isn't my problem.", "I don't buy on your calendar."],
    chasing=["Checking in on what, exactly?", "You keep checking in. With what?"],
    meeting=["A meeting about what?", "I'm not booking time before I know why."],
    social_proof=["I don't care who else bought it.", "Other people's logos don't run my docks."],
)


@pytest.fixture
def setup(library: Library) -> ResolvedScenario:
    base = library.resolve(SCENARIO)
    lines = base.persona.lines.model_copy(update={"pressure_kinds": PRESSURE})
    persona = base.persona.model_copy(update={"topics": TOPICS, "lines": lines})
    return ResolvedScenario(
        base.scenario, persona, base.rubric, base.scenario_source, base.persona_source
    )


def persona_of(setup: ResolvedScenario) -> Persona:
    return setup.persona


# ------------------------------------------------------------------ hearing a turn


def test_a_topic_is_heard_from_its_words_and_the_facts_it_holds(setup: ResolvedScenario) -> None:
    persona = persona_of(setup)
    assert topics_raised(persona, normalise("What happens to overtime on Mondays?"))[0] == (
        "overtime"
    )
    assert topics_raised(persona, normalise("How much dwell do carriers see?"))[0] == "detention"
    assert topics_raised(persona, normalise("Nice weather in Georgia?")) == ()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I can do 20% off if you sign today.", "discount"),
        ("This pricing is only good until the end of the quarter.", "deadline"),
        ("Just checking in on my last email.", "chasing"),
        ("Can we book thirty minutes next Tuesday for a demo?", "meeting"),
        (
            "Everyone in cold storage already uses us, trusted by the biggest brands.",
            "social_proof",
        ),
        ("What does a late truck cost you?", None),
        # the offer itself, however it is worded
        ("I can add the scheduling module for free if we sign this month.", "discount"),
        ("If I get my manager to approve 20%, can you sign today?", "discount"),
        ("I could probably get you another 15% on top.", "discount"),
        ("I can bring the per-site price down to $900.", "discount"),
        ("Can I offer you a discount?", "discount"),
        # the end of an offer already made is the deadline, not the offer
        ("The special pricing I sent ends on Friday, so I need your signature.", "deadline"),
        ("Our pricing is only guaranteed through Friday.", "deadline"),
        ("We've only got two onboarding slots left this quarter.", "deadline"),
        # a calendar word on the buyer's own work is a question, not a deadline
        ("How do the sites square up their counts at the end of the day?", None),
        ("By the time the month-end pack lands, how old are the numbers?", None),
        ("What deadline are you working to?", None),
        ("Sign before the end of the quarter and it's yours.", "deadline"),
        # social proof in the forms sellers use it
        ("Every warehouse in the state is switching to us.", "social_proof"),
        ("Most of the big 3PLs in the country are on DockWise already.", "social_proof"),
        ("Our customers love it. A 12-site group cut detention by 40%.", "social_proof"),
        ("Research shows that top performers automate their docks.", "social_proof"),
        ("Most of your docks run their schedules on paper, right?", None),
        ("Could we grab another hour next week with your supervisors?", "meeting"),
    ],
)
def test_each_kind_of_pressure_is_heard(text: str, kind: str | None) -> None:
    assert pressure_kind(text) == kind
    assert pressure_kind(normalise(text)) in {kind, None if kind == "social_proof" else kind}


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        ("Walk me through how trucks get booked at Savannah.", True),
        ("Tell me about Mondays.", True),
        ("I'd love to understand how the gate works.", True),
        ("What happens on Mondays?", True),
        ("We help docks run on time.", False),
    ],
)
def test_a_request_asks_as_much_as_a_question_mark(text: str, asking: bool) -> None:
    assert asks(text) is asking


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("When you watched the demo, what did you picture?", set()),
        ("What does your team get judged on when it closes a deal?", set()),
        ("Is anyone planning to move, and if so when?", {"when"}),
        ("Who signs a contract of this size?", {"who"}),
        ("How many trucks were late last week?", {"amount"}),
        ("How often were trucks late last week?", {"amount"}),
        ("Which site is most of that coming from?", set()),
        ("How did the outage affect your members?", {"consequence"}),
    ],
)
def test_the_angle_of_a_question_is_what_it_asks(text: str, expected: set[str]) -> None:
    """A "when" that only joins a clause asks nothing about when; "how often" and "how
    many" ask the same thing."""
    assert angles(text) == expected


def test_the_same_question_twice_is_asked_again(setup: ResolvedScenario) -> None:
    persona = persona_of(setup)
    earlier = [("What does a late truck cost you at Savannah?", "Why do you want to know?")]
    heard = hear(persona, "What does a late truck cost you at Savannah?", earlier)
    assert heard.repeat is not None and heard.repeat.kind == "asked" and heard.repeat.turn == 1


def test_a_question_already_answered_is_heard_with_its_answer(setup: ResolvedScenario) -> None:
    persona = persona_of(setup)
    answer = "Monday mornings we run every door and still fall behind."
    earlier = [("What happens to overtime at the dock on peak days?", answer)]
    heard = hear(persona, "Tell me about your staffing on Mondays?", earlier)
    assert heard.repeat is not None and heard.repeat.kind == "answered"
    assert heard.repeat.answer == answer


def test_a_follow_up_that_asks_something_new_is_not_a_repeat(setup: ResolvedScenario) -> None:
    persona = persona_of(setup)
    answer = "Monday mornings we run every door and still fall behind."
    earlier = [("What happens to overtime at the dock on peak days?", answer)]
    heard = hear(persona, "What does that Monday overtime cost you per week in wages?", earlier)
    assert heard.repeat is None
    assert heard.topic == "overtime"


def test_a_request_asking_again_is_heard_as_a_repeat(setup: ResolvedScenario) -> None:
    """With no question mark: "walk me through" asks as a question does."""
    persona = persona_of(setup)
    answer = "Monday mornings we run every door and still fall behind."
    earlier = [("What happens to overtime at the dock on peak days?", answer)]
    heard = hear(persona, "Walk me through the overtime on your peak days.", earlier)
    assert heard.repeat is not None and heard.repeat.answer == answer


def test_a_question_built_on_the_answer_is_a_follow_up(setup: ResolvedScenario) -> None:
    persona = persona_of(setup)
    answer = "Monday mornings we run every door and still fall behind."
    earlier = [("What happens to overtime at the dock on peak days?", answer)]
    heard = hear(persona, "Which of those peak-day doors falls behind first?", earlier)
    assert heard.repeat is None


def test_the_whole_turn_again_is_asked_again_however_short_its_question(
    setup: ResolvedScenario,
) -> None:
    persona = persona_of(setup)
    first = "You said Mondays are more than you can staff. Compared with what?"
    earlier = [(first, "Compared with Tuesdays.")]
    heard = hear(persona, "You said Monday's more than you can staff. Compared with what?", earlier)
    assert heard.repeat is not None and heard.repeat.kind == "asked"


def test_a_question_about_that_answer_is_a_follow_up_but_that_in_a_clause_is_not(
    setup: ResolvedScenario,
) -> None:
    persona = persona_of(setup)
    answer = "Monday mornings we run every door and still fall behind."
    earlier = [("What happens to overtime at the dock on peak days?", answer)]
    follow = hear(persona, "What does that add up to across a week, in labour?", earlier)
    assert follow.repeat is None
    again = hear(
        persona,
        "When a peak day hits the dock, how does that play out in overtime?",
        earlier,
    )
    assert again.repeat is not None


def test_a_statement_is_never_a_repeat(setup: ResolvedScenario) -> None:
    persona = persona_of(setup)
    earlier = [
        ("What happens to overtime on peak days?", "Before holidays the crew works doubles.")
    ]
    assert hear(persona, "So overtime on peak days is the pain.", earlier).repeat is None


def test_a_speech_and_a_wrong_name_are_heard(setup: ResolvedScenario) -> None:
    persona = persona_of(setup)
    assert hear(persona, "word " * 200 + "?", []).monologue
    assert hear(persona, "Hi Sarah, quick question about Acme?", []).wrong_name == "Sarah"
    assert hear(persona, "Hi Dana, quick question?", []).wrong_name is None
    assert hear(persona, "Hi there, quick question?", []).wrong_name is None


# ------------------------------------------------------------------ the state rules


async def test_asking_again_earns_no_openness_and_costs_patience(setup: ResolvedScenario) -> None:
    session = Session(setup, OfflineBuyer(), ScriptedAssessor(*[assessment("discovery", 5)] * 3))
    await session.start()
    first = await session.play("What happens to overtime on peak days at the dock?")
    again = await session.play("What happens to overtime on peak days at the dock?")
    assert any(c.field == "openness" and c.delta > 0 for c in first.changes)
    assert not any(c.field == "openness" and c.delta > 0 for c in again.changes)
    assert again.state.openness <= first.state.openness
    assert any("asked again" in c.cause and c.delta < 0 for c in again.changes)
    pool = [
        "You asked me that already.",
        "Same question as before.",
        "We've been over that one.",
        *setup.persona.lines.asked_again,
    ]
    assert any(line in again.buyer for line in pool), again.buyer


# ------------------------------------------------------------------ the reply


async def test_a_question_gets_an_answer_on_its_topic(setup: ResolvedScenario) -> None:
    buyer = OfflineBuyer(seed=3)
    verdicts = [assessment("discovery", 4), assessment("discovery", 2)]
    session = Session(setup, buyer, ScriptedAssessor(*verdicts))
    await session.start()
    turn = await session.play("What happens to overtime on peak days?")
    assert buyer.last is not None and buyer.last.topic == "overtime"
    facts = {f.id: f.reveal for f in setup.persona.hidden_facts}
    lines = [*TOPICS[0].guarded, *TOPICS[0].open, facts["peak-overtime"]]
    assert any(line in turn.buyer for line in lines)
    turn = await session.play("How do carriers bill you for waiting trucks?")
    assert (
        buyer.last.topic == "detention" and not turn.disclosed_now
    )  # a lazy question earns nothing
    assert any(line in turn.buyer for line in TOPICS[1].guarded)


async def test_each_kind_of_pressure_gets_its_own_answer(setup: ResolvedScenario) -> None:
    for text, kind in [
        ("Sign this week and I'll take 20% off.", "discount"),
        ("Just checking in on my voicemail.", "chasing"),
    ]:
        buyer = OfflineBuyer(seed=1)
        session = Session(setup, buyer, ScriptedAssessor(assessment("pressure", 1)))
        await session.start()
        turn = await session.play(text)
        assert buyer.last is not None and buyer.last.kind == f"pressure:{kind}"
        assert any(line in turn.buyer for line in getattr(PRESSURE, kind))


async def test_a_topic_question_read_as_pressure_is_still_answered(
    setup: ResolvedScenario,
) -> None:
    """A judge may read a hypothetical as a push; with no push the buyer can name, the
    buyer answers the question on its topic. A push it can name is answered as one."""
    buyer = OfflineBuyer(seed=4)
    session = Session(setup, buyer, ScriptedAssessor(*[assessment("pressure", 1)] * 2))
    await session.start()
    await session.play("If you could redo Mondays from scratch, what would overtime look like?")
    assert buyer.last is not None and buyer.last.kind == "topic"
    assert buyer.last.topic == "overtime"
    await session.play("Every warehouse in Georgia is switching to us. What about overtime?")
    assert buyer.last.kind == "pressure:social_proof"


async def test_a_push_of_unclear_kind_the_judge_read_as_pressure_gets_a_kinds_line(
    setup: ResolvedScenario,
) -> None:
    """The classifier is not sure enough to call it a push on its own; the judge is, so
    the buyer answers the likeliest kind, never a generic line when it has kinds."""
    buyer = OfflineBuyer(seed=4)
    session = Session(setup, buyer, ScriptedAssessor(assessment("pressure", 1)))
    await session.start()
    await session.play("Once you see everything we do, the price will make a lot more sense.")
    assert buyer.last is not None and buyer.last.kind.startswith("pressure:")


async def test_pressure_in_a_turn_that_asks_nothing_is_answered_as_pressure(
    setup: ResolvedScenario,
) -> None:
    """Even when the judge thought the turn useful: a statement of social proof has
    nothing else in it to answer."""
    buyer = OfflineBuyer(seed=4)
    session = Session(setup, buyer, ScriptedAssessor(assessment("insight", 4)))
    await session.start()
    await session.play("Most of the big 3PLs in the country are on DockWise already.")
    assert buyer.last is not None and buyer.last.kind == "pressure:social_proof"


async def test_the_same_words_again_are_asked_again_whatever_the_judge_read(
    setup: ResolvedScenario,
) -> None:
    buyer = OfflineBuyer(seed=4)
    verdicts = [assessment("discovery", 3), assessment("injection", 1)]
    session = Session(setup, buyer, ScriptedAssessor(*verdicts))
    await session.start()
    await session.play("What happens to overtime at the dock on peak days?")
    await session.play("What happens to overtime at the dock on peak days?")
    assert buyer.last is not None and buyer.last.kind == "asked_again"


async def test_an_earned_fact_is_said_with_its_topic(setup: ResolvedScenario) -> None:
    session = Session(setup, OfflineBuyer(), ScriptedAssessor(*[assessment("discovery", 5)] * 9))
    await session.start()
    questions = [
        "When is the dock busiest, and what does that do to labour?",
        "How do your pharma customers audit temperatures at the dock?",
        "What does waiting cost you in detention, site by site?",
        "What have you tried before on inbound scheduling?",
    ]
    for question in questions:
        turn = await session.play(question)
        facts = {f.id: f for f in setup.persona.hidden_facts}
        for fact_id in turn.disclosed_now:
            assert facts[fact_id].reveal in turn.buyer
    assert session.state.disclosed


async def test_no_line_twice_in_a_call_and_no_guarded_after_open(
    setup: ResolvedScenario,
) -> None:
    buyer = OfflineBuyer(seed=11)
    session = Session(setup, buyer, OfflineAssessor())
    await session.start()
    lines: list[str] = []
    texts = [
        "What happens at the dock on Mondays?",
        "How does overtime look before holidays?",
        "Who on your team feels the peak days most?",
        "What does dwell time look like at Savannah?",
        "How do carriers bill you for waiting trucks?",
        "What have you tried before to fix the Monday rush?",
    ] * 4
    for text in texts[:20]:
        if session.over:
            break
        await session.play(text)
        assert buyer.last is not None
        lines += buyer.last.lines
    assert len(lines) == len(set(lines)), "a line was said twice"
    said = " ".join(t.buyer for t in session.turns)
    for topic in TOPICS:
        opened = [i for i, t in enumerate(session.turns) if any(x in t.buyer for x in topic.open)]
        if opened:
            later = session.turns[opened[0] :]
            assert not any(g in t.buyer for t in later for g in topic.guarded), said


async def test_the_same_seed_gives_the_same_call(setup: ResolvedScenario) -> None:
    async def call(seed: int) -> list[str]:
        session = Session(setup, OfflineBuyer(seed=seed), OfflineAssessor())
        await session.start()
        for text in ["What happens on Mondays at the dock?", "How do carriers bill waiting?"]:
            await session.play(text)
        return [t.buyer for t in session.turns]

    assert await call(5) == await call(5)


# ------------------------------------------------------------------ tips


async def test_tips_never_repeat_in_a_call(setup: ResolvedScenario) -> None:
    session = Session(setup, OfflineBuyer(), OfflineAssessor())
    await session.start()
    for text in ["We are the leading platform for docks."] * 3 + [
        "What happens on Mondays at the dock?",
        "What happens on Mondays at the dock?",
        "Can we book a demo next week?",
        "Just checking in.",
    ]:
        if session.over:
            break
        await session.play(text)
    tips = [t.assessment.tip for t in session.turns]
    assert len(tips) == len(set(tips)), tips


async def test_a_tip_never_advises_what_the_turn_just_did(setup: ResolvedScenario) -> None:
    session = Session(setup, OfflineBuyer(), OfflineAssessor())
    await session.start()
    await session.play("What happens to overtime on peak days at the dock?")
    turn = await session.play("What have you tried already to fix the Monday overtime?")
    assert "tried" not in turn.assessment.tip, turn.assessment.tip


async def test_tips_use_the_settings_words_and_pronouns(library: Library) -> None:
    setup = library.resolve("solution-first-legal-it")  # an email thread
    session = Session(setup, OfflineBuyer(), OfflineAssessor())
    await session.start()
    tips = []
    for text in ["Hello?", "Okay.", "Right."]:
        if session.over:
            break
        tips.append((await session.play(text)).assessment.tip)
    assert not any("called" in tip for tip in tips), tips


async def test_a_model_judges_tip_given_before_gives_way_to_a_new_one(
    setup: ResolvedScenario,
) -> None:
    """The model judge writes its own tips; one the trainee already had is replaced by the
    offline assessment's, which is never a repeat."""
    from dataclasses import replace

    from trainer.engine.checked import CheckedAssessor
    from trainer.engine.ports import AssessContext
    from trainer.engine.state import BuyerState

    judge = assessment(tip="Ask about Mondays.")
    offline = assessment(tip="Follow up on the detention answer.")
    context = AssessContext(setup, "What happens on Mondays?", 2, BuyerState(50, 20), ())
    fresh = await CheckedAssessor(ScriptedAssessor(judge), ScriptedAssessor(offline)).assess(
        context
    )
    assert fresh.tip == "Ask about Mondays."
    again = await CheckedAssessor(ScriptedAssessor(judge), ScriptedAssessor(offline)).assess(
        replace(context, tips_given=("Ask about Mondays.",))
    )
    assert again.tip == "Follow up on the detention answer."


async def test_a_speech_and_a_wrong_name_get_their_own_answers(setup: ResolvedScenario) -> None:
    buyer = OfflineBuyer(seed=2)
    session = Session(setup, buyer, ScriptedAssessor(*[assessment("discovery", 3)] * 2))
    await session.start()
    wrong = await session.play("Hi Sarah, how are inbound trucks booked at your docks?")
    assert buyer.last is not None and buyer.last.kind == "wrong_name"
    assert any(line in wrong.buyer for line in setup.persona.lines.wrong_name or ["Dana"])
    speech = "We help warehouses in many ways and " * 20 + "what happens on Mondays?"
    await session.play(speech)
    pool = setup.persona.lines.monologue or ["Hold on", "Let me stop", "a lot to take in"]
    assert any(line in session.turns[-1].buyer for line in pool)


async def test_an_answered_question_is_pointed_back_to_the_answer(
    setup: ResolvedScenario,
) -> None:
    """Asked again from the same angle, the buyer says so and repeats what it said; the
    turn earns no openness."""
    buyer = OfflineBuyer(seed=4)
    session = Session(setup, buyer, ScriptedAssessor(*[assessment("discovery", 4)] * 3))
    await session.start()
    first = await session.play("How do carriers bill you for waiting trucks?")
    again = await session.play("Tell me about the detention charges you get from carriers?")
    assert buyer.last is not None and buyer.last.kind == "already_answered"
    answer = next(line for line in TOPICS[1].guarded if line in first.buyer)
    assert answer.split(". ")[0] in again.buyer  # its first sentence, said again
    assert again.state.openness <= first.state.openness
    same = await session.play("Tell me about the detention charges you get from carriers?")
    assert buyer.last.kind == "asked_again" and same.state.openness <= again.state.openness


async def test_a_resumed_call_does_not_repeat_what_was_said(setup: ResolvedScenario) -> None:
    """The lines said are read from the transcript, so a new buyer object (a resumed call
    after a crash) still says nothing twice."""
    questions = [
        "What happens on Mondays at the dock?",
        "How does overtime look before holidays?",
        "Who on your team feels the peak days most?",
        "What does dwell time look like at Savannah?",
        "How do carriers bill you for waiting trucks?",
    ]
    session = Session(setup, OfflineBuyer(seed=9), OfflineAssessor())
    await session.start()
    for question in questions[:3]:
        await session.play(question)
    resumed = Session(setup, OfflineBuyer(seed=9), OfflineAssessor())
    resumed.restore(session.opening, list(session.turns), [], None)
    buyer = resumed.buyer
    assert isinstance(buyer, OfflineBuyer)
    used: list[str] = []
    for question in questions[3:]:
        await resumed.play(question)
        assert buyer.last is not None
        used += buyer.last.lines
    earlier = " ".join(t.buyer for t in session.turns)
    assert not [line for line in used if len(line.split()) > 2 and line in earlier]


async def test_tips_say_she_for_a_buyer_who_is_she(setup: ResolvedScenario) -> None:
    persona = setup.persona.model_copy(update={"pronouns": "she"})
    she = ResolvedScenario(
        setup.scenario, persona, setup.rubric, setup.scenario_source, setup.persona_source
    )
    session = Session(she, OfflineBuyer(), OfflineAssessor())
    await session.start()
    tips = [(await session.play("Sign today and we can lock in the price.")).assessment.tip]
    tips += [(await session.play("We are the leading platform.")).assessment.tip]
    assert not any(" their " in f" {tip} " for tip in tips), tips


def test_an_abbreviation_the_author_listed_raises_its_topic(setup: ResolvedScenario) -> None:
    """Content words start at four letters; a short topic word (DSO, FCR) is matched whole."""
    topics = [*TOPICS, TOPICS[1].model_copy(update={"id": "cash", "words": ["dso", "cash flow"]})]
    persona = setup.persona.model_copy(update={"topics": topics})
    assert topics_raised(persona, normalise("What's your DSO looking like?"))[0] == "cash"
    assert "cash" not in topics_raised(persona, normalise("What do you do on Mondays?"))


def test_a_quoted_answer_continues_the_sentence_it_is_quoted_in() -> None:
    """After "Like I said —" the earlier sentence goes on in lower case, but a name of the
    buyer's world and "I" keep their capitals."""
    from trainer.offline.buyer import _continuing

    assert _continuing("Cost is always on the list.") == "cost is always on the list."
    assert _continuing("Savannah is most of it.", frozenset({"savannah"})).startswith("Savannah")
    assert _continuing("I'd rather not say.") == "I'd rather not say."
