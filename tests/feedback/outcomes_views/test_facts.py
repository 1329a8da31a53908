"""Case facts: recorded by the practitioner, scored with the next check-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback.outcomes_views import services
from feedback.outcomes_views.models import CaseFacts
from feedback.responses.services import scoring_facts
from outcomes.store import DomainScore, Measurement, Occasion
from tests.conftest import utcnow
from tests.feedback.outcomes_views import ANSWERS, send

GOOD = {
    "missing_episodes": "2",
    "in_education": "partly",
    "living_at_home": "home",
    "in_borough": "out",
}


def test_case_page_links_to_the_facts_form(client, auth, make_case):
    case = make_case()
    auth.sign_in(case.practitioner)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'href="/cases/{case.id}/facts"' in page
    form = client.get(f"/cases/{case.id}/facts")
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert "Missing episodes in the last 4 weeks" in text
    assert 'inputmode="numeric"' in text


def test_good_facts_are_saved_and_shown_on_the_case_page(client, auth, make_case, session):
    case = make_case()
    auth.sign_in(case.practitioner)
    response = client.post(f"/cases/{case.id}/facts", data=GOOD)
    assert response.status_code == 302
    assert response.location.endswith(f"/cases/{case.id}")
    facts = session.scalar(select(CaseFacts))
    assert (facts.missing_episodes, facts.in_education, facts.living_at_home, facts.in_borough) == (
        2,
        "partly",
        "home",
        "out",
    )
    assert facts.recorded_by_id == case.practitioner_id
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Case facts saved" in page
    assert "Partly: part-time or some of the time" in page
    assert "Out of the borough" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"missing_episodes": ""},
            "missing_episodes",
            "Enter the number of missing episodes, like 0 or 3",
        ),
        ({"missing_episodes": "two"}, "missing_episodes", "must be a whole number, like 0 or 3"),
        ({"missing_episodes": "-1"}, "missing_episodes", "must be a whole number, like 0 or 3"),
        ({"missing_episodes": "1.5"}, "missing_episodes", "must be a whole number, like 0 or 3"),
        ({"missing_episodes": "100"}, "missing_episodes", "must be 99 or fewer"),
        (
            {"in_education": None},
            "in_education",
            "Select if they are in education, training or work",
        ),
        ({"in_education": "maybe"}, "in_education", "Not a valid choice"),
        ({"living_at_home": None}, "living_at_home", "Select where they are living"),
        ({"in_borough": None}, "in_borough", "Select if they are living in or out of the borough"),
    ],
)
def test_bad_facts_get_a_kind_error_and_nothing_is_saved(
    client, auth, make_case, session, change, field, message
):
    case = make_case()
    auth.sign_in(case.practitioner)
    data = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    response = client.post(f"/cases/{case.id}/facts", data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in text
    assert message in text
    assert f'href="#{field}"' in text
    assert "<title>Error:" in text
    assert session.scalar(select(CaseFacts)) is None


def test_spaces_round_a_number_are_forgiven(client, auth, make_case, session):
    case = make_case()
    auth.sign_in(case.practitioner)
    client.post(f"/cases/{case.id}/facts", data={**GOOD, "missing_episodes": " 0 "})
    assert session.scalar(select(CaseFacts.missing_episodes)) == 0


def test_facts_only_by_a_practitioner_of_the_team(client, auth, make_case, make_user):
    case = make_case()
    other = make_user("practitioner", teams=("south",))
    auth.sign_in(other)
    assert client.get(f"/cases/{case.id}/facts").status_code == 404
    auth.sign_out()
    auth.sign_in(make_user("manager"))
    assert client.post(f"/cases/{case.id}/facts", data=GOOD).status_code == 403


def test_facts_source_is_wired_into_submit(app):
    assert services.scoring_facts in list(scoring_facts.receivers_for(object()))


def test_facts_are_scored_with_the_check_in(app, session, make_invitation, make_case):
    case = make_case()
    now = utcnow()
    services.record_case_facts(
        session,
        case,
        services.FactValues(2, "partly", "home", "out"),
        case.practitioner_id,
        now - timedelta(days=1),
    )
    session.commit()
    send(app, session, make_invitation(case).invitation, ANSWERS, now)

    scores = dict(session.execute(select(Measurement.indicator, Measurement.score)).all())
    assert scores["going-missing.missing-episodes"] == 33
    assert scores["education.in-education"] == 50
    assert scores["family-home.living-at-home"] == 100
    assert scores["safety.in-borough"] == 0
    domains = dict(session.execute(select(DomainScore.domain, DomainScore.score)).all())
    # Worked example 2: (50 + 0) / 2 and (75 + 50) / 2.
    assert domains["safety"] == 25
    assert domains["education"] == 62.5
    assert session.scalar(select(Occasion.occasion_type)) == "baseline"


def test_the_latest_facts_before_sending_are_used(app, session, make_invitation, make_case):
    case = make_case()
    now = utcnow()
    for days, episodes in ((20, 5), (10, 1)):
        services.record_case_facts(
            session,
            case,
            services.FactValues(episodes, "yes", "home", "in"),
            None,
            now - timedelta(days=days),
        )
    # Recorded after the check-in was sent: belongs to the next one.
    services.record_case_facts(
        session, case, services.FactValues(0, "no", "home", "in"), None, now + timedelta(days=1)
    )
    session.commit()
    response = send(app, session, make_invitation(case).invitation, ANSWERS, now)
    facts, goals = services.facts_source(session, response, case)
    assert facts == {
        "going-missing.missing-episodes": 1,
        "education.in-education": "yes",
        "family-home.living-at-home": "home",
        "safety.in-borough": "in",
    }
    assert goals == []


def test_no_facts_no_fact_scores(app, session, make_invitation):
    send(app, session, make_invitation().invitation, ANSWERS, utcnow())
    indicators = set(session.scalars(select(Measurement.indicator)))
    assert not indicators & set(services.FACT_INDICATORS.values())


def test_the_framework_has_every_fact_option(app):
    from outcomes.framework import get_framework

    framework = get_framework("complex-safeguarding", 1)
    for name, code in services.FACT_INDICATORS.items():
        scale = framework.indicator(code).scale
        if name in services.FACT_OPTIONS:
            assert set(services.FACT_OPTIONS[name]) == set(scale.options)
        else:
            assert scale.bands is not None
