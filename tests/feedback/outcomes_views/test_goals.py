"""A young person's own goals, set and rated from the check-in, through the test client."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from feedback.outcomes_views import services
from feedback.outcomes_views.models import Goal, GoalRating
from feedback.responses.models import Response
from outcomes.store import Measurement
from tests.feedback.checkin.answers import answer_all


def open_check_in(client, make_invitation, case=None):
    issued = make_invitation(case)
    client.get(f"/r/{issued.token}")
    return issued


def test_goals_page_needs_a_live_check_in(client):
    response = client.get("/check-in/goals")
    assert response.status_code == 302
    assert response.location.endswith("/start")


def test_no_goals_yet_offers_three_optional_boxes(client, make_invitation):
    open_check_in(client, make_invitation)
    page = client.get("/check-in/goals")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Your goals" in text
    assert "You do not have to set any" in text
    assert "Your worker will see your goals" in text
    assert text.count('class="govuk-input') == 3
    assert "Leave this site" in text


def test_setting_goals_skips_blank_boxes(client, make_invitation, session):
    issued = open_check_in(client, make_invitation)
    response = client.post(
        "/check-in/goals", data={"goal_1": " Go to college ", "goal_2": "", "goal_3": "Box"}
    )
    assert response.status_code == 302
    assert response.location.endswith("/check-in/check")
    goals = session.scalars(select(Goal).order_by(Goal.id)).all()
    assert [(g.text, g.case_id, g.active) for g in goals] == [
        ("Go to college", issued.invitation.case_id, True),
        ("Box", issued.invitation.case_id, True),
    ]


def test_setting_none_is_fine(client, make_invitation, session):
    open_check_in(client, make_invitation)
    response = client.post("/check-in/goals", data={})
    assert response.status_code == 302
    assert session.scalar(select(Goal)) is None


def test_a_too_long_goal_is_refused_kindly(client, make_invitation, session):
    open_check_in(client, make_invitation)
    response = client.post("/check-in/goals", data={"goal_1": "x" * 201})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "200 characters or fewer" in text
    assert 'href="#goal_1"' in text
    assert "x" * 201 in text  # what they typed is kept
    assert session.scalar(select(Goal)) is None


def test_goals_are_rated_and_count_when_the_check_in_is_sent(
    client, make_invitation, make_case, session
):
    case = make_case()
    (first, second) = services.set_goals(session, case.id, ["Go to college", "Stay in"], _now())
    session.commit()
    open_check_in(client, make_invitation, case)
    page = client.get("/check-in/goals").get_data(as_text=True)
    assert "Goal 1: Go to college" in page
    assert "govuk-radios--inline" in page
    assert "0 = not started, 10 = done" in page
    assert "rather not say" in page

    response = client.post(
        "/check-in/goals", data={f"goal_{first.id}": "6", f"goal_{second.id}": "rather-not-say"}
    )
    assert response.status_code == 302
    assert response.location.endswith("/check-in/check")
    draft = session.scalar(select(Response))
    assert services.ratings_for_response(session, draft.id) == {first.id: 6}
    # Coming back shows the rating given.
    page = client.get("/check-in/goals").get_data(as_text=True)
    assert f'id="goal_{first.id}-7" name="goal_{first.id}" type="radio" value="6" checked' in page

    answer_all(client)
    client.post("/check-in/check", data={"quote_consent": "no"})
    session.expire_all()
    score = session.scalar(
        select(Measurement.score).where(Measurement.indicator == "hopes-goals.goal-progress")
    )
    assert score == 60


def test_a_missing_rating_is_an_error(client, make_invitation, make_case, session):
    case = make_case()
    (goal,) = services.set_goals(session, case.id, ["Go to college"], _now())
    session.commit()
    open_check_in(client, make_invitation, case)
    response = client.post("/check-in/goals", data={})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose a number from 0 to 10" in text
    assert f'href="#goal_{goal.id}"' in text
    response = client.post("/check-in/goals", data={f"goal_{goal.id}": "11"})
    assert response.status_code == 400
    assert session.scalar(select(GoalRating)) is None


def test_rather_not_say_takes_back_an_earlier_rating(client, make_invitation, make_case, session):
    case = make_case()
    (goal,) = services.set_goals(session, case.id, ["Go to college"], _now())
    session.commit()
    open_check_in(client, make_invitation, case)
    client.post("/check-in/goals", data={f"goal_{goal.id}": "3"})
    client.post("/check-in/goals", data={f"goal_{goal.id}": "rather-not-say"})
    session.expire_all()
    assert session.scalar(select(GoalRating)) is None


def test_no_more_than_three_goals(make_case, session):
    case = make_case()
    services.set_goals(session, case.id, ["one", "two", "three"], _now())
    with pytest.raises(ValueError, match="at most 3"):
        services.set_goals(session, case.id, ["four"], _now())


def test_goals_are_shown_to_the_worker(client, auth, make_case, session):
    case = make_case()
    services.set_goals(session, case.id, ["Go to college"], _now())
    session.commit()
    auth.sign_in(case.practitioner)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Go to college" in page
    assert "Not rated yet" in page


def _now():
    from tests.conftest import utcnow

    return utcnow()
