"""A young person's check-in, page by page, through the test client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from feedback.invitations.models import Invitation
from feedback.responses.models import Response
from outcomes.store import DomainScore, Measurement, Occasion, pseudonymise
from tests.conftest import utcnow
from tests.feedback.checkin.answers import GOOD_ANSWERS, answer_all


def test_link_opens_welcome_page_with_who_reads_and_safety_promise(client, make_invitation):
    issued = make_invitation()
    response = client.get(f"/r/{issued.token}")
    assert response.status_code == 302
    page = client.get(response.location)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Who reads your answers" in text
    assert "private unless you tell us something" in text
    assert "Leave this site" in text
    assert page.headers["Cache-Control"] == "no-store"


def test_typed_code_works_with_spaces_dashes_and_small_letters(client, make_invitation):
    issued = make_invitation()
    typed = f" {issued.code[:4].lower()} - {issued.code[4:]} "
    response = client.post("/start", data={"code": typed})
    assert response.status_code == 302
    assert response.location.endswith("/check-in")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your code"),
        ("ABCD-OOO1", "do not use the letters O, I or L"),
        ("ABC", "8 letters and numbers"),
        ("ABCD-2345", "We cannot find that code"),
    ],
)
def test_bad_codes_get_a_kind_error_summary(client, typed, message):
    response = client.post("/start", data={"code": typed})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in text
    assert message in text


def test_unknown_link_is_404_and_expired_is_410(client, make_invitation):
    assert client.get("/r/not-a-real-token").status_code == 404
    issued = make_invitation(now=utcnow() - timedelta(days=15), days=14)
    response = client.get(f"/r/{issued.token}")
    assert response.status_code == 410
    assert "This link has run out" in response.get_data(as_text=True)


def test_questions_show_progress_audience_and_rather_not_say(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    page = client.get("/check-in/questions/listened-to").get_data(as_text=True)
    assert "Question 3 of 10" in page
    assert "The service will read this answer without your name." in page
    assert "rather not say" in page
    assert 'href="/check-in/questions/trusted-adult"' in page  # back link


def test_missing_answer_shows_error_and_keeps_earlier_answers(client, make_invitation, session):
    client.get(f"/r/{make_invitation().token}")
    client.post("/check-in/questions/feel-safe", data={"answer": "safe"})
    response = client.post("/check-in/questions/trusted-adult", data={})
    assert response.status_code == 400
    assert "Choose an answer" in response.get_data(as_text=True)
    draft = session.scalar(select(Response))
    assert draft.answer_map() == {"feel-safe": "safe"}


def test_answer_not_among_the_options_is_refused(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    response = client.post("/check-in/questions/feel-safe", data={"answer": "delete-everything"})
    assert response.status_code == 400


def test_too_long_text_is_refused_and_saved_text_is_kept(client, make_invitation, session):
    client.get(f"/r/{make_invitation().token}")
    client.post("/check-in/questions/anything-else", data={"answer": "short and saved"})
    response = client.post("/check-in/questions/anything-else", data={"answer": "x" * 2001})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "2,000 characters or fewer" in text
    assert "x" * 2001 in text  # what they typed is still in the box
    session.expire_all()
    assert session.scalar(select(Response)).answer_map()["anything-else"] == "short and saved"


def test_rather_not_say_on_free_text(client, make_invitation, session):
    client.get(f"/r/{make_invitation().token}")
    response = client.post("/check-in/questions/anything-else", data={"rather_not_say": "1"})
    assert response.status_code == 302
    assert session.scalar(select(Response)).answer_map()["anything-else"] == "rather-not-say"


def test_rather_not_say_cannot_be_chosen_with_other_options(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    response = client.post(
        "/check-in/questions/what-helped", data={"answer": ["talking", "rather-not-say"]}
    )
    assert response.status_code == 400
    assert "on its own" in response.get_data(as_text=True)


def test_rather_not_say_ticked_on_its_own_is_saved_and_shown_again(
    client, make_invitation, session
):
    client.get(f"/r/{make_invitation().token}")
    response = client.post("/check-in/questions/what-helped", data={"answer": ["rather-not-say"]})
    assert response.status_code == 302
    assert session.scalar(select(Response)).answer_map()["what-helped"] == "rather-not-say"
    page = client.get("/check-in/questions/what-helped").get_data(as_text=True)
    assert 'value="rather-not-say" checked' in page


def test_reopening_the_link_resumes_at_first_unanswered_question(app, make_invitation):
    issued = make_invitation()
    first = app.test_client()
    first.get(f"/r/{issued.token}")
    first.post("/check-in/questions/feel-safe", data={"answer": "safe"})
    first.post("/check-in/questions/trusted-adult", data={"answer": "not-sure"})

    later = app.test_client()  # a new browser session: the tab was closed
    later.get(f"/r/{issued.token}")
    page = later.get("/check-in").get_data(as_text=True)
    assert "Welcome back" in page
    assert 'href="/check-in/questions/listened-to"' in page


def test_check_page_lists_answers_with_change_links(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    answer_all(client)
    page = client.get("/check-in/check").get_data(as_text=True)
    assert "Check your answers" in page
    assert "/check-in/questions/feel-safe?change=1" in page
    assert "My worker is sound" in page
    assert "Can we use your words in reports" in page


def test_change_from_check_page_returns_to_check_page(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    answer_all(client)
    response = client.post("/check-in/questions/feel-safe?change=1", data={"answer": "very-safe"})
    assert response.location.endswith("/check-in/check")


def test_check_page_sends_unanswered_back_to_questions(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    client.post("/check-in/questions/feel-safe", data={"answer": "safe"})
    response = client.get("/check-in/check")
    assert response.location.endswith("/check-in/questions/trusted-adult")


def test_consent_is_asked_when_they_wrote_something(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    answer_all(client)
    response = client.post("/check-in/check", data={})
    assert response.status_code == 400
    assert "Choose yes or no" in response.get_data(as_text=True)


def test_sending_scores_and_stores_pseudonymised_measurements(
    app, client, make_invitation, session
):
    issued = make_invitation()
    client.get(f"/r/{issued.token}")
    answer_all(client)
    response = client.post("/check-in/check", data={"quote_consent": "yes"})
    assert response.status_code == 302
    done = client.get(response.location).get_data(as_text=True)
    assert "What happens next" in done

    session.expire_all()
    sent = session.scalar(select(Response))
    assert sent.status == "submitted" and sent.quote_consent is True
    invitation = session.get(Invitation, issued.invitation.id)
    assert invitation.used_at is not None

    occasion = session.scalar(select(Occasion))
    case = invitation.case
    assert occasion.pseudonym == pseudonymise(app.config["PSEUDONYM_KEY"].encode(), case.reference)
    assert case.reference not in occasion.pseudonym
    assert occasion.occasion_type == "baseline"
    assert occasion.team == case.team.code
    assert occasion.age_band in ("11-13", "14-15", "16-17")
    scores = {m.indicator: m.score for m in session.scalars(select(Measurement))}
    assert scores["safety.feel-safe"] == 75.0
    assert scores["going-missing.stayed-away"] == 100.0  # "no" is the good answer
    assert "family-home.home-life" not in scores  # rather not say: not scored
    assert session.scalar(select(func.count()).select_from(DomainScore)) > 0


def test_second_check_in_is_a_review(client, app, make_invitation, make_case, session):
    case = make_case()
    # The store's keys follow nothing, so the types so far are compared as a whole.
    for so_far in (["baseline"], ["baseline", "review"]):
        browser = app.test_client()
        browser.get(f"/r/{make_invitation(case=case).token}")
        answer_all(browser)
        browser.post("/check-in/check", data={"quote_consent": "no"})
        session.expire_all()
        assert sorted(session.scalars(select(Occasion.occasion_type))) == so_far


def test_used_link_says_kindly_it_is_done(client, app, make_invitation):
    issued = make_invitation()
    client.get(f"/r/{issued.token}")
    answer_all(client)
    client.post("/check-in/check", data={"quote_consent": "no"})
    again = app.test_client().get(f"/r/{issued.token}")
    assert again.status_code == 410
    assert "This check-in is done" in again.get_data(as_text=True)
    # And the same browser cannot post more answers to the sent response.
    late = client.post("/check-in/questions/feel-safe", data={"answer": "unsafe"})
    assert late.status_code in (302, 410)


def test_pages_without_a_session_go_to_start(client):
    response = client.get("/check-in/questions/feel-safe")
    assert response.status_code == 302
    assert response.location.endswith("/start")


def test_leave_clears_session_and_goes_somewhere_neutral(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    response = client.get("/leave")
    assert response.status_code == 303
    assert response.location.startswith("https://www.bbc.co.uk/")
    assert client.get("/check-in").location.endswith("/start")


@pytest.mark.parametrize(("consent", "quoted"), [("yes", True), ("no", False)])
def test_free_text_goes_to_the_store_as_themes_with_a_quote_only_by_consent(
    client, make_invitation, session, consent, quoted
):
    from outcomes.store import Comment

    client.get(f"/r/{make_invitation().token}")
    answer_all(
        client, {**GOOD_ANSWERS, "anything-else": "My worker Jade listens. Call 07700 900123"}
    )
    client.post("/check-in/check", data={"quote_consent": consent})
    comment = session.scalar(select(Comment))
    assert comment.sentiment == "positive"
    assert {t.theme for t in comment.themes} == {"trust-in-worker", "listened-to"}
    if quoted:
        assert "Jade" not in comment.quote and "07700" not in comment.quote
        assert "listens" in comment.quote
    else:
        assert comment.quote is None


def test_check_page_markup_is_not_escaped(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    answer_all(client)
    html = client.get("/check-in/check").get_data(as_text=True)
    assert '<span class="app-answer">Safe</span>' in html
    assert "&lt;span" not in html
