"""A young person's exit interview, page by page, through the test client: the same pages
as a check-in, on a closed case, recorded as an exit."""

from __future__ import annotations

from sqlalchemy import select

from feedback.cases import services as cases
from feedback.invitations import services as invitations
from feedback.responses.models import Response
from outcomes.question_types import question_type
from outcomes.questionnaires import get_questionnaire
from outcomes.store import DomainScore, Occasion, pseudonymise
from tests.conftest import utcnow

EXIT = get_questionnaire("exit-young-person")
ANSWERS = {
    "listened-to": "certainly-true",
    "treated-well": "certainly-true",
    "helped": "partly-true",
    "easy-to-reach": "not-true",
    "things-better": "dont-know",
    "would-recommend": "certainly-true",
    "really-good": "Going to the gym with my worker",
    "could-be-better": "rather-not-say",
    "anything-else": "",
    "who-with": "on-my-own",
}


def exit_link(app, session, case):
    cases.close_case(
        session, case, reason="planned", closed_on=utcnow().date(), by=None, now=utcnow()
    )
    issued = invitations.invite(
        session, case, EXIT, config=app.config, created_by_id=None, now=utcnow()
    )
    session.commit()
    return issued


def test_the_exit_interview_is_in_plain_words_and_says_who_reads_each_answer():
    assert EXIT.kind == "exit-young-person" and EXIT.is_exit and not EXIT.anonymous
    agreement = [q for q in EXIT.questions if q.kind is question_type("agreement")]
    assert len(agreement) == 6 and all(q.indicator for q in agreement)
    assert [q.text for q in EXIT.questions if q.kind.is_free_text] == [
        "What was really good?",
        "What could have been better?",
        "Is there anything else you want to tell us?",
    ]
    who = EXIT.question("who-with")
    assert who.kind.name == "choose-one" and who.indicator is None
    assert [o.label for o in who.shown_options] == [
        "On my own",
        "With my worker",
        "With someone else",
    ]
    # Nothing in it is shown to the worker, and none of it says so.
    assert not any(q.shown_to_worker(EXIT) for q in EXIT.questions)
    assert all("without your name" in q.audience_text_for(EXIT) for q in EXIT.questions)


def test_exit_journey_end_to_end_is_recorded_and_scored_as_an_exit(app, client, session, make_case):
    case = make_case()
    issued = exit_link(app, session, case)

    opened = client.get(f"/r/{issued.token}")
    assert opened.status_code == 302
    welcome = client.get(opened.location).get_data(as_text=True)
    assert "Your time with us" in welcome

    for question in EXIT.questions:
        page = client.get(f"/check-in/questions/{question.id}")
        text = page.get_data(as_text=True)
        assert page.status_code == 200, question.id
        assert question.text.rstrip(".?") in text, question.id
        assert "The service will read this answer without your name." in text
        assert "Your worker will read this answer" not in text
        if question.kind is question_type("agreement"):
            for label in ("Certainly true", "Partly true", "Not true", "Don\u2019t know"):
                assert label in text.replace("&rsquo;", "\u2019").replace("&#39;", "'"), label
        sent = client.post(
            f"/check-in/questions/{question.id}", data={"answer": ANSWERS[question.id]}
        )
        assert sent.status_code == 302, (question.id, sent.data[:300])

    check = client.get("/check-in/check")
    text = check.get_data(as_text=True)
    assert check.status_code == 200
    assert "Set or rate your own goals" not in text
    assert "Going to the gym with my worker" in text
    # A closed case offers no goals, even from an exit interview's session.
    assert client.get("/check-in/goals").status_code == 404

    done = client.post("/check-in/check", data={"quote_consent": "yes"})
    assert done.status_code == 302
    assert client.get(done.location).status_code == 200

    response = session.scalar(select(Response).where(Response.case_id == case.id))
    assert response.status == "submitted"
    assert response.questionnaire_code == "exit-young-person"
    occasion = session.scalar(
        select(Occasion).where(
            Occasion.pseudonym == pseudonymise(app.config["PSEUDONYM_KEY"].encode(), case.reference)
        )
    )
    assert occasion.occasion_type == "exit"
    assert (occasion.framework_code, occasion.framework_version) == ("complex-safeguarding", 2)
    domains = {
        d.domain: d.score
        for d in session.scalars(select(DomainScore).where(DomainScore.occasion_id == occasion.id))
    }
    assert domains["listened-to"] == 100
    # treated well 100, helped 50, easy to reach 0, would recommend 100; don't know unscored
    assert domains["experience"] == 62.5


def test_a_check_in_link_of_a_closed_case_no_longer_opens(
    app, client, session, make_case, make_invitation
):
    case = make_case()
    checkin = make_invitation(case=case)
    exit_link(app, session, case)
    assert client.get(f"/r/{checkin.token}").status_code == 410


def test_the_welcome_page_promises_the_worker_answers_only_where_some_go_to_them(
    app, session, make_case, make_invitation
):
    """An exit interview's answers all go to the service, without a name: its welcome
    page must not say some go to the young person's worker; a check-in's does."""
    exit_client, checkin_client = app.test_client(), app.test_client()
    assert checkin_client.get(f"/r/{make_invitation().token}").status_code == 302
    assert exit_client.get(f"/r/{exit_link(app, session, make_case()).token}").status_code == 302
    for read in ("standard", "easy"):
        said = exit_client.get(f"/check-in?read={read}").get_data(as_text=True)
        assert "worker</strong>" not in said, read
        assert "the service" in said.lower(), read
        checkin = checkin_client.get(f"/check-in?read={read}").get_data(as_text=True)
        assert "worker</strong>" in checkin, read
    assert EXIT.reaches_worker is False
    assert get_questionnaire("checkin").reaches_worker is True
    assert get_questionnaire("exit-family").reaches_worker is False
