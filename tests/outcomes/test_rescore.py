import logging
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from outcomes.framework import load_framework_file, parse_framework
from outcomes.questionnaires import get_questionnaire
from outcomes.rescore import RawResponse, rescore, rescore_report, score_response
from outcomes.scoring import score_answers
from outcomes.store import Context, DomainScore, Measurement, Occasion
from tests.outcomes.examples import EXAMPLE_1, EXAMPLE_2_ANSWERS, EXAMPLE_2_FACTS

V2_FILE = Path(__file__).parent / "fixtures" / "frameworks" / "complex-safeguarding-v2.yaml"
T0 = datetime(2025, 3, 3, 16, 30)


@pytest.fixture
def v2():
    return load_framework_file(V2_FILE)


def raw(ref, answers, *, facts=None, goals=None, days=0, occasion_type="review", person="p1"):
    return RawResponse(
        context=Context(
            pseudonym=person,
            response_ref=ref,
            team="north",
            age_band="14-15",
            strands=("criminal-exploitation",),
        ),
        questionnaire_code="checkin",
        questionnaire_version=1,
        answers=answers,
        facts=facts or {},
        goals=goals or [],
        submitted_at=T0 + timedelta(days=days),
        occasion_type=occasion_type,
    )


def measurements(store_session, version):
    rows = store_session.execute(
        select(Occasion.response_ref, Measurement.indicator, Measurement.score)
        .join(Measurement.occasion)
        .where(Occasion.framework_version == version)
    )
    return {(ref, indicator): score for ref, indicator, score in rows}


def domain_scores(store_session, version):
    rows = store_session.execute(
        select(Occasion.response_ref, DomainScore.domain, DomainScore.score)
        .join(DomainScore.occasion)
        .where(Occasion.framework_version == version)
    )
    return {(ref, domain): score for ref, domain, score in rows}


# --- score_response ------------------------------------------------------------------


def test_score_response_matches_score_answers_for_a_plain_checkin(v1):
    checkin = get_questionnaire("checkin", 1)
    assert score_response(v1, raw("r1", EXAMPLE_1)) == score_answers(checkin, EXAMPLE_1, v1)


def test_score_response_is_worked_example_2(v1):
    scores = score_response(
        v1, raw("r2", EXAMPLE_2_ANSWERS, facts=EXAMPLE_2_FACTS, goals=[3, 7, 8])
    )
    assert scores.domains == {
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
    assert scores.indicators["hopes-goals.goal-progress"] == 60
    assert scores.skipped == ()


def test_score_response_rejects_a_bad_fact(v1):
    with pytest.raises(ValueError, match="education.in-education"):
        score_response(v1, raw("r1", EXAMPLE_1, facts={"education.in-education": "maybe"}))


def test_score_response_rejects_an_unknown_questionnaire(v1):
    response = raw("r1", EXAMPLE_1)
    response.questionnaire_version = 99
    with pytest.raises(KeyError):
        score_response(v1, response)


def test_raw_response_fields_are_keyword_only():
    with pytest.raises(TypeError):
        RawResponse(None, "checkin", 1, {}, T0, "review")  # type: ignore[misc]


# --- writing occasions ---------------------------------------------------------------


def test_rescore_writes_occasions_measurements_and_domain_scores(store_session, v1):
    written = rescore(
        store_session,
        v1,
        [
            raw("r1", EXAMPLE_1, occasion_type="baseline"),
            raw("r2", EXAMPLE_2_ANSWERS, facts=EXAMPLE_2_FACTS, goals=[3, 7, 8], days=28),
        ],
    )
    assert written == 2
    occasions = store_session.scalars(select(Occasion).order_by(Occasion.measured_at)).all()
    assert [(o.response_ref, o.occasion_type, o.questionnaire_kind) for o in occasions] == [
        ("r1", "baseline", "checkin"),
        ("r2", "review", "checkin"),
    ]
    assert occasions[0].framework_code == "complex-safeguarding"
    assert occasions[0].framework_version == 1
    assert occasions[1].measured_at == (T0 + timedelta(days=28)).date()  # the day only
    assert [s.strand for s in occasions[0].strands] == ["criminal-exploitation"]

    stored = measurements(store_session, 1)
    assert stored[("r1", "safety.feel-safe")] == 75
    assert stored[("r1", "going-missing.stayed-away")] == 0
    assert ("r1", "education.going-well") not in stored
    assert stored[("r2", "going-missing.missing-episodes")] == 33
    assert stored[("r2", "hopes-goals.goal-progress")] == 60

    domains = domain_scores(store_session, 1)
    assert domains[("r1", "safety")] == 75
    assert ("r1", "education") not in domains  # below coverage: no row
    assert domains[("r2", "going-missing")] == 66.5
    assert ("r2", "trusted-relationships") not in domains


def test_rescoring_the_same_version_replaces_rather_than_duplicates(store_session, v1):
    rescore(store_session, v1, [raw("r1", EXAMPLE_1)])
    changed = {**EXAMPLE_1, "feel-safe": "very-safe"}
    assert rescore(store_session, v1, [raw("r1", changed)]) == 1
    assert store_session.scalar(select(func.count()).select_from(Occasion)) == 1
    assert measurements(store_session, 1)[("r1", "safety.feel-safe")] == 100


def test_rescore_flushes_but_leaves_the_commit_to_the_caller(store_session, v1):
    rescore(store_session, v1, [raw("r1", EXAMPLE_1)])
    store_session.rollback()
    assert store_session.scalar(select(func.count()).select_from(Occasion)) == 0


# --- a new framework version -------------------------------------------------------------


def test_rescoring_under_v2_keeps_v1_rows_queryable(store_session, v1, v2):
    responses = [
        raw("r1", EXAMPLE_1, occasion_type="baseline"),
        raw("r2", EXAMPLE_2_ANSWERS, facts=EXAMPLE_2_FACTS, goals=[3, 7, 8], days=28),
    ]
    rescore(store_session, v1, responses)
    before = measurements(store_session, 1), domain_scores(store_session, 1)

    report = rescore_report(store_session, v2, responses)
    assert report.occasions == 2

    assert (measurements(store_session, 1), domain_scores(store_session, 1)) == before
    assert store_session.scalar(select(func.count()).select_from(Occasion)) == 4

    after = measurements(store_session, 2)
    assert after[("r1", "safety.feel-safe")] == 80  # v2 stretched the five-point scale
    assert before[0][("r1", "safety.feel-safe")] == 75
    assert ("r1", "hopes-goals.feel-about-future") not in after
    assert after[("r2", "hopes-goals.goal-progress")] == 60


def test_rescoring_reports_answers_for_dropped_indicators(store_session, v1, v2, caplog):
    responses = [
        raw("r1", EXAMPLE_1),  # answered "future": skipped under v2
        raw("r2", EXAMPLE_2_ANSWERS),  # "future" rather-not-say: nothing lost
        raw("r3", {**EXAMPLE_1, "future": "bad"}, facts={"drugs-alcohol.harm": "some"}),
    ]
    with caplog.at_level(logging.WARNING, logger="outcomes.rescore"):
        report = rescore_report(store_session, v2, responses)
    assert report.occasions == 3
    assert report.skipped_answers == 3
    assert report.skipped_by_indicator == {
        "drugs-alcohol.harm": 1,
        "hopes-goals.feel-about-future": 2,
    }
    assert "skipped 3 answer(s)" in caplog.text
    assert "hopes-goals.feel-about-future (2)" in caplog.text
    # Under v1 the same responses lose nothing.
    assert rescore_report(store_session, v1, responses).skipped_answers == 0


def test_goal_ratings_are_skipped_when_the_version_dropped_goal_progress(store_session):
    data = yaml.safe_load(V2_FILE.read_text())
    hopes = next(d for d in data["domains"] if d["code"] == "hopes-goals")
    hopes["indicators"] = [i for i in hopes["indicators"] if i["code"] != "goal-progress"]
    hopes["indicators"].append(
        {
            "code": "ambition",
            "name": "Ambition",
            "source": "young-person",
            "scale": "five-point",
            "reliable_change": 25,
        }
    )
    data["version"] = 3
    v3 = parse_framework(data, "complex-safeguarding-v3.yaml")
    report = rescore_report(store_session, v3, [raw("r1", EXAMPLE_2_ANSWERS, goals=[5, 5])])
    assert report.skipped_by_indicator == {"hopes-goals.goal-progress": 1}
    assert ("r1", "hopes-goals.goal-progress") not in measurements(store_session, 3)
