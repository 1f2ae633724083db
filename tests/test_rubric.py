"""Scenario rubric tweaks: weights and extra criteria reach the assessor and the score."""

from __future__ import annotations

from pathlib import Path

from tests.labelled import Label, context_for
from trainer.content.library import Library, load_library
from trainer.engine.scoring import session_score
from trainer.offline.assessor import assess_turn

EXTRA = """
rubric:
  weights:
    economy: 3
  extra_criteria:
    - id: names_the_site
      name: Names the site
      question: Does the seller refer to a specific site?
      anchors:
        1: Talks about no site at all and pushes product.
        2: Vague.
        3: Neutral.
        4: Names a site.
        5: Names the site and why it matters.
      cues:
        raise: [savannah, second dock]
        lower: [all your sites, every warehouse]
"""


def with_extra(content_dir: Path, text: str = EXTRA) -> Library:
    path = content_dir / "scenarios" / "cold-call-cold-chain.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return load_library([content_dir])


def test_weights_and_extra_criteria_make_the_effective_rubric(content_dir: Path) -> None:
    library = with_extra(content_dir)
    assert not library.problems, library.problems
    rubric = library.resolve("cold-call-cold-chain").rubric
    weights = {c.id: c.weight for c in rubric.criteria}
    assert weights["economy"] == 3 and "names_the_site" in weights
    assert {c.id for c in library.rubric.criteria} < set(weights)  # the default is untouched


def test_extra_criterion_is_scored_by_its_cues(content_dir: Path) -> None:
    library = with_extra(content_dir)
    named = assess_turn(
        context_for(
            Label(
                "a",
                "cold-call-cold-chain",
                "How long do trucks wait at Savannah since the second dock opened?",
                "discovery",
                5,
                (),
            ),
            library,
        )
    )
    vague = assess_turn(
        context_for(
            Label(
                "b",
                "cold-call-cold-chain",
                "Does every warehouse you run have this across all your sites?",
                "discovery",
                2,
                (),
            ),
            library,
        )
    )
    assert named.criteria["names_the_site"] == 5
    assert vague.criteria["names_the_site"] == 1


def test_weights_change_the_session_score(content_dir: Path, library: Library) -> None:
    tweaked = with_extra(content_dir)
    text = "Our platform, DockWise, is best in class with a dashboard, carrier portal, integrations, real-time visibility and AI-powered features for every warehouse team that wants them."
    base = assess_turn(
        context_for(Label("a", "cold-call-cold-chain", text, "pitch", 1, ()), library)
    )
    heavy = assess_turn(
        context_for(Label("a", "cold-call-cold-chain", text, "pitch", 1, ()), tweaked)
    )
    plain_score = session_score([base], library.resolve("cold-call-cold-chain").rubric, None).score
    tweaked_score = session_score(
        [heavy], tweaked.resolve("cold-call-cold-chain").rubric, None
    ).score
    assert plain_score != tweaked_score


def test_extra_criterion_without_cues_is_an_error(content_dir: Path) -> None:
    library = with_extra(content_dir, EXTRA.split("      cues:")[0])
    assert any("needs 'cues'" in p.message for p in library.problems)
    assert "cold-call-cold-chain" not in library.scenarios


def test_weight_for_an_unknown_criterion(content_dir: Path) -> None:
    library = with_extra(content_dir, "rubric:\n  weights:\n    brevity: 2\n")
    (problem,) = library.problems
    assert problem.field == "rubric.weights.brevity"
    assert "no criterion 'brevity'" in problem.message
