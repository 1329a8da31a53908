"""Anonymous feedback: who took part is kept apart from what they said."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from feedback.invitations.models import Invitation
from feedback.responses.models import Response
from outcomes.store import Occasion

ANSWERS = {
    "easy-to-talk": "easy",
    "trust-service": "yes",
    "going-well": "The activities are good",
    "could-be-better": "Less waiting for replies",
}


@pytest.fixture
def anonymous_link(make_invitation):
    return make_invitation(questionnaire=("service-feedback", 1))


def answer_all(client):
    for question_id, value in ANSWERS.items():
        response = client.post(f"/check-in/questions/{question_id}", data={"answer": value})
        assert response.status_code == 302, response.data[:300]


def test_welcome_says_nobody_will_know(client, anonymous_link):
    client.get(f"/r/{anonymous_link.token}")
    page = client.get("/check-in").get_data(as_text=True)
    assert "Nobody will know these answers are yours" in page
    assert "we will show you who to contact" in page
    question = client.get("/check-in/questions/easy-to-talk").get_data(as_text=True)
    assert "Nobody will know it came from you." in question


def test_answers_carry_no_case_and_no_invitation(client, anonymous_link, session):
    client.get(f"/r/{anonymous_link.token}")
    answer_all(client)
    page = client.get("/check-in/check").get_data(as_text=True)
    assert "Can we use your words" not in page  # anonymous words are never quoted
    done = client.post("/check-in/check", data={})
    assert done.status_code == 302
    thanks = client.get(done.location).get_data(as_text=True)
    assert "your worker will not see them" in thanks

    sent = session.scalar(select(Response))
    assert sent.anonymous and sent.status == "submitted"
    assert sent.case_id is None and sent.invitation_id is None
    assert sent.submitted_at.time().isoformat() == "00:00:00"  # the day only
    assert all(a.answered_at.time().isoformat() == "00:00:00" for a in sent.answers)
    invitation = session.get(Invitation, anonymous_link.invitation.id)
    assert invitation.used_at is not None  # who took part, apart from what they said
    # Scored into the store as a person of its own, with nothing about who they are.
    occasion = session.scalar(select(Occasion))
    assert occasion.questionnaire_kind == "service-feedback"
    assert (occasion.team, occasion.age_band, occasion.gender, occasion.strands) == (
        "",
        "",
        None,
        [],
    )


def test_the_same_browser_resumes_a_new_browser_starts_afresh(app, anonymous_link, session):
    first = app.test_client()
    first.get(f"/r/{anonymous_link.token}")
    first.post("/check-in/questions/easy-to-talk", data={"answer": "ok"})
    first.get(f"/r/{anonymous_link.token}")  # the link opened again in the same browser
    assert "Welcome back" in first.get("/check-in").get_data(as_text=True)

    other = app.test_client()
    other.get(f"/r/{anonymous_link.token}")
    assert "Before you start" in other.get("/check-in").get_data(as_text=True)


def test_used_anonymous_link_is_done(client, app, anonymous_link):
    client.get(f"/r/{anonymous_link.token}")
    answer_all(client)
    client.post("/check-in/check", data={})
    assert app.test_client().get(f"/r/{anonymous_link.token}").status_code == 410


def test_database_refuses_an_anonymous_response_with_a_respondent(session, make_case):
    case = make_case()
    session.add(
        Response(
            anonymous=True,
            case_id=case.id,
            questionnaire_code="service-feedback",
            questionnaire_version=1,
            status="draft",
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_disclosure_in_anonymous_feedback_shows_help_at_once(client, anonymous_link):
    client.get(f"/r/{anonymous_link.token}")
    client.post("/check-in/questions/easy-to-talk", data={"answer": "ok"})
    client.post("/check-in/questions/trust-service", data={"answer": "no"})
    response = client.post(
        "/check-in/questions/going-well", data={"answer": "i want to kill myself"}
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "0800 1111" in page and "999" in page


def test_practitioner_can_invite_to_anonymous_feedback(client, auth, make_case):
    case = make_case()
    auth.sign_in(case.practitioner)
    response = client.post(
        f"/cases/{case.id}/invitations", data={"questionnaire": "service-feedback"}
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "Anonymous feedback invitation ready" in page
    bad = client.post(f"/cases/{case.id}/invitations", data={"questionnaire": "nonsense"})
    assert bad.status_code == 400


def test_an_anonymous_answer_keeps_only_its_day_whatever_happens_to_it(
    client, session, anonymous_link
):
    client.get(f"/r/{anonymous_link.token}")
    client.post("/check-in/questions/going-well", data={"answer": "i want to kill myself"})
    client.post("/check-in/questions/easy-to-talk", data={"answer": "ok"})
    client.get("/leave")  # forgetting who may see them updates the rows
    session.expire_all()
    answers = session.scalars(select(Response)).one().answers
    assert {a.question_id for a in answers} == {"going-well", "easy-to-talk"}
    assert all(a.answered_at.time().isoformat() == "00:00:00" for a in answers)
    assert all(a.viewer_hash is None for a in answers)
