"""Scoring, written from the worked examples in complex-safeguarding-v1.yaml."""

from pathlib import Path

import pytest
import yaml

from outcomes.framework import load_framework_file, parse_framework
from outcomes.questionnaires import RATHER_NOT_SAY, get_questionnaire, parse_questionnaire
from outcomes.scoring import (
    Scores,
    combine,
    measure_answers,
    score_answers,
    score_facts,
    score_goals,
)
from tests.outcomes.examples import (
    EXAMPLE_1,
    EXAMPLE_2_ANSWERS,
    EXAMPLE_2_FACTS,
    EXAMPLE_2_GOALS,
)

V2_FILE = Path(__file__).parent / "fixtures" / "frameworks" / "complex-safeguarding-v2.yaml"


@pytest.fixture
def checkin():
    return get_questionnaire("checkin", 1)


# --- worked example 1: a check-in on its own ------------------------------------------


def test_worked_example_1_indicators(v1, checkin):
    scores = score_answers(checkin, EXAMPLE_1, v1)
    assert scores.indicators == {
        "safety.feel-safe": 75,
        "trusted-relationships.trusted-adult": 100,
        "listened-to.feel-listened-to": 75,
        "health-wellbeing.feelings": 50,
        "family-home.home-life": 25,
        "going-missing.stayed-away": 0,
        "hopes-goals.feel-about-future": 100,
    }
    assert scores.skipped == ()


def test_worked_example_1_domains(v1, checkin):
    scores = score_answers(checkin, EXAMPLE_1, v1)
    assert scores.domains == {
        "safety": 75,
        "trusted-relationships": 100,
        "listened-to": 75,
        "education": None,
        "health-wellbeing": 50,
        "family-home": 25,
        "going-missing": 0,
        "hopes-goals": 100,
    }
    # Nothing in a check-in could measure drugs-alcohol: no score, not an empty one.
    assert "drugs-alcohol" not in scores.domains


def test_domains_come_in_framework_order(v1, checkin):
    scores = score_answers(checkin, EXAMPLE_1, v1)
    order = [d.code for d in v1.domains]
    assert list(scores.domains) == sorted(scores.domains, key=order.index)


# --- worked example 2: a review with facts and goals -----------------------------------


def _example_2(v1, checkin) -> Scores:
    measured = measure_answers(checkin, EXAMPLE_2_ANSWERS, v1)
    return combine(
        v1,
        measured.scores,
        score_facts(v1, EXAMPLE_2_FACTS),
        {"hopes-goals.goal-progress": score_goals(EXAMPLE_2_GOALS)},
    )


def test_worked_example_2_indicators(v1, checkin):
    assert _example_2(v1, checkin).indicators == {
        "safety.feel-safe": 50,
        "safety.in-borough": 0,
        "listened-to.feel-listened-to": 100,
        "education.going-well": 75,
        "education.in-education": 50,
        "health-wellbeing.feelings": 25,
        "family-home.home-life": 50,
        "family-home.living-at-home": 100,
        "going-missing.stayed-away": 100,
        "going-missing.missing-episodes": 33,
        "drugs-alcohol.use": 67,
        "hopes-goals.goal-progress": 60,
    }


def test_worked_example_2_domains(v1, checkin):
    assert _example_2(v1, checkin).domains == {
        "safety": 25,
        "trusted-relationships": None,
        "listened-to": 100,
        "education": 62.5,
        "health-wellbeing": 25,
        "family-home": 75,
        "going-missing": 66.5,
        "hopes-goals": 60,
        "drugs-alcohol": 67,
    }


def test_measure_answers_marks_asked_but_unscored_as_none(v1, checkin):
    measured = measure_answers(checkin, EXAMPLE_2_ANSWERS, v1)
    assert measured.scores["trusted-relationships.trusted-adult"] is None
    assert measured.scores["hopes-goals.feel-about-future"] is None
    assert len(measured.scores) == 8  # every scored question of the check-in


# --- options onto points -----------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "score"),
    [("very-unsafe", 0), ("unsafe", 25), ("in-between", 50), ("safe", 75), ("very-safe", 100)],
)
def test_scale_options_map_in_order_onto_points(v1, checkin, answer, score):
    assert score_answers(checkin, {"feel-safe": answer}, v1).indicators == {
        "safety.feel-safe": score
    }


@pytest.mark.parametrize(("answer", "score"), [("no", 100), ("yes", 0)])
def test_reverse_yes_no_is_flipped(v1, checkin, answer, score):
    scores = score_answers(checkin, {"stayed-away": answer}, v1)
    assert scores.indicators == {"going-missing.stayed-away": score}


def test_reverse_scale_is_flipped(v1):
    q = parse_questionnaire(
        {
            "code": "worry",
            "version": 1,
            "kind": "checkin",
            "title": "Worry",
            "framework": {"code": "complex-safeguarding", "version": 1},
            "questions": [
                {
                    "id": "worried",
                    "type": "scale",
                    "text": "How worried are you about your safety?",
                    "audience": "worker",
                    "indicator": "safety.feel-safe",
                    "reverse": True,
                    "options": [
                        {"id": "not-at-all", "label": "Not at all"},
                        {"id": "a-little", "label": "A little"},
                        {"id": "some", "label": "Some"},
                        {"id": "a-lot", "label": "A lot"},
                        {"id": "all-the-time", "label": "All the time"},
                    ],
                }
            ],
        }
    )
    got = [
        score_answers(q, {"worried": a}, v1).indicators["safety.feel-safe"]
        for a in ("not-at-all", "a-little", "some", "a-lot", "all-the-time")
    ]
    assert got == [100, 75, 50, 25, 0]


@pytest.mark.parametrize(
    "answer",
    ["not-sure", RATHER_NOT_SAY, None, "maybe", ["yes"], 1, ""],
    ids=["not-sure", "rather-not-say", "none", "not-an-option", "list", "int", "empty"],
)
def test_answers_that_are_not_scored(v1, checkin, answer):
    scores = score_answers(checkin, {"trusted-adult": answer}, v1)
    assert scores.indicators == {}
    assert scores.domains["trusted-relationships"] is None


def test_missing_answers_are_not_scored(v1, checkin):
    scores = score_answers(checkin, {}, v1)
    assert scores.indicators == {}
    assert set(scores.domains) == {
        "safety",
        "trusted-relationships",
        "listened-to",
        "education",
        "health-wellbeing",
        "family-home",
        "going-missing",
        "hopes-goals",
    }
    assert set(scores.domains.values()) == {None}


def test_free_text_and_choose_several_are_not_scored(v1, checkin):
    scores = score_answers(checkin, {"what-helped": ["talking"], "anything-else": "hi"}, v1)
    assert scores.indicators == {}


# --- questions shared with the worker ------------------------------------------------


def test_questions_restricts_scoring(v1, checkin):
    worker_questions = [q.id for q in checkin.questions if q.audience == "worker"]
    scores = score_answers(checkin, EXAMPLE_1, v1, questions=worker_questions)
    assert "listened-to.feel-listened-to" not in scores.indicators
    assert "hopes-goals.feel-about-future" not in scores.indicators
    assert "listened-to" not in scores.domains
    assert "hopes-goals" not in scores.domains
    assert scores.indicators["safety.feel-safe"] == 75


def test_questions_restriction_rejects_unknown_ids(v1, checkin):
    with pytest.raises(ValueError, match="no question.*feel-sad"):
        score_answers(checkin, EXAMPLE_1, v1, questions=["feel-safe", "feel-sad"])


# --- coverage ---------------------------------------------------------------------------

_THREE = yaml.safe_load(
    """
    code: three
    version: 1
    name: Three
    settings: {domain_coverage: 0.5}
    scales:
      five-point: {points: [0, 25, 50, 75, 100]}
    domains:
      - code: safety
        name: Safety
        description: Three ways of asking.
        reliable_change: 25
        indicators:
          - {code: a, name: A, source: young-person, scale: five-point, reliable_change: 25}
          - {code: b, name: B, source: young-person, scale: five-point, reliable_change: 25}
          - {code: c, name: C, source: young-person, scale: five-point, reliable_change: 25}
    """
)


def _three(coverage: float = 0.5):
    data = {**_THREE, "settings": {"domain_coverage": coverage}}
    return parse_framework(data, "three.yaml")


def test_coverage_one_of_three_is_too_few():
    framework = _three()
    scores = combine(framework, {"safety.a": 100, "safety.b": None, "safety.c": None})
    assert scores.domains == {"safety": None}
    assert scores.indicators == {"safety.a": 100}


def test_coverage_two_of_three_is_enough():
    framework = _three()
    scores = combine(framework, {"safety.a": 100, "safety.b": 50, "safety.c": None})
    assert scores.domains == {"safety": 75}


def test_coverage_exactly_at_the_threshold_is_enough():
    framework = _three()
    # Two possible indicators, one answered: 1/2 is not fewer than 0.5.
    assert combine(framework, {"safety.a": 40, "safety.b": None}).domains == {"safety": 40}


def test_coverage_counts_only_what_the_occasion_could_measure():
    framework = _three()
    # safety.c was not asked about, so it does not count against coverage.
    assert combine(framework, {"safety.a": 20}).domains == {"safety": 20}


def test_full_coverage_needs_every_indicator():
    framework = _three(coverage=1)
    assert combine(framework, {"safety.a": 20, "safety.b": None}).domains == {"safety": None}
    assert combine(framework, {"safety.a": 20, "safety.b": 40}).domains == {"safety": 30}


def test_zero_coverage_still_needs_one_score():
    framework = _three(coverage=0)
    assert combine(framework, {"safety.a": None}).domains == {"safety": None}


def test_combine_rejects_an_indicator_given_twice(v1):
    with pytest.raises(ValueError, match="'safety.feel-safe' is scored twice"):
        combine(v1, {"safety.feel-safe": 50}, {"safety.feel-safe": 75})


def test_combine_rejects_unknown_indicators_and_bad_scores(v1):
    with pytest.raises(ValueError, match="'safety.nope' is not an indicator"):
        combine(v1, {"safety.nope": 50})
    with pytest.raises(ValueError, match="outside 0-100"):
        combine(v1, {"safety.feel-safe": 101})


# --- facts and goals -------------------------------------------------------------------


@pytest.mark.parametrize(("count", "score"), [(0, 100), (1, 67), (2, 33), (3, 33), (4, 0), (12, 0)])
def test_missing_episodes_are_banded(v1, count, score):
    assert score_facts(v1, {"going-missing.missing-episodes": count}) == {
        "going-missing.missing-episodes": score
    }


@pytest.mark.parametrize(
    ("code", "value", "score"),
    [
        ("education.in-education", "no", 0),
        ("education.in-education", "partly", 50),
        ("education.in-education", "yes", 100),
        ("family-home.living-at-home", "placement", 0),
        ("family-home.living-at-home", "home", 100),
        ("safety.in-borough", "out", 0),
        ("safety.in-borough", "in", 100),
        ("drugs-alcohol.use", "most-days", 0),
        ("drugs-alcohol.use", "not-at-all", 100),
        ("drugs-alcohol.harm", "some", 50),
    ],
)
def test_option_facts(v1, code, value, score):
    assert score_facts(v1, {code: value}) == {code: score}


def test_facts_not_recorded_are_left_out(v1):
    assert score_facts(v1, {"education.in-education": None}) == {}


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"education.at-school": "yes"}, "'education.at-school' is not an indicator"),
        ({"education.in-education": "sometimes"}, "must be one of no, partly, yes"),
        ({"education.in-education": 1}, "must be one of"),
        ({"going-missing.missing-episodes": -1}, "needs a count of 0 or more"),
        ({"going-missing.missing-episodes": "2"}, "needs a count"),
        ({"going-missing.missing-episodes": True}, "needs a count"),
        ({"safety.feel-safe": "safe"}, "not a fact a practitioner records"),
        ({"hopes-goals.goal-progress": 7}, "not a fact a practitioner records"),
    ],
)
def test_bad_facts_raise(v1, facts, message):
    with pytest.raises(ValueError, match=message):
        score_facts(v1, facts)


def test_goals():
    assert score_goals([3, 7, 8]) == 60
    assert score_goals([10]) == 100
    assert score_goals([0, 0]) == 0
    assert score_goals([5, 6]) == 55
    assert score_goals([]) is None


@pytest.mark.parametrize("rating", [-1, 11, 2.5, True, "7"])
def test_goal_ratings_must_be_0_to_10(rating):
    with pytest.raises(ValueError, match="whole number 0-10"):
        score_goals([5, rating])


# --- another framework version -----------------------------------------------------


def test_answers_for_indicators_a_version_dropped_are_skipped(checkin):
    v2 = load_framework_file(V2_FILE)
    scores = score_answers(checkin, EXAMPLE_1, v2)
    assert scores.skipped == ("hopes-goals.feel-about-future",)
    assert "hopes-goals" not in scores.domains
    assert scores.indicators["safety.feel-safe"] == 80  # v2's five-point scale


def test_unanswered_questions_on_dropped_indicators_are_not_counted_as_skipped(checkin):
    v2 = load_framework_file(V2_FILE)
    answers = {**EXAMPLE_1, "future": RATHER_NOT_SAY}
    assert score_answers(checkin, answers, v2).skipped == ()
