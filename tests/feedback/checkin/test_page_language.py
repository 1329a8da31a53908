"""A link opens in the language (and easy read) the practitioner chose; the questionnaire
is shown in the page's language, scored by its ids as in English."""

from __future__ import annotations

import html as html_lib

import pytest
from flask import session as flask_session
from sqlalchemy import select

from feedback.checkin import journey
from feedback.i18n import EASY_READ_KEY, SESSION_KEY
from feedback.responses.models import Answer
from outcomes.questionnaires import get_questionnaire, parse_questionnaire


@pytest.fixture
def invite(make_invitation):
    def make(language="en", easy_read=False, questionnaire="checkin"):
        return make_invitation(
            questionnaire=(questionnaire, 1), language=language, easy_read=easy_read
        )

    return make


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html_lib.unescape(response.get_data(as_text=True))


def test_a_link_set_to_polish_opens_polish_pages(client, session, invite):
    issued = invite("pl")
    response = client.get(f"/r/{issued.token}")
    assert response.status_code == 302
    welcome = _page(client, response.location)
    assert '<html lang="pl"' in welcome
    polish = get_questionnaire("checkin").in_language("pl")
    assert polish.intro in welcome
    question = _page(client, "/check-in/questions/feel-safe")
    assert '<html lang="pl"' in question
    feel_safe = polish.question("feel-safe")
    assert feel_safe.text in question
    assert feel_safe.audience_text_for(polish) in question
    for option in feel_safe.options:
        assert option.label in question
    assert "Wolę nie mówić" in question
    assert "How safe do you feel" not in question
    # The answer is kept by its id, as it would be in English.
    assert client.post("/check-in/questions/feel-safe", data={"answer": "safe"}).status_code == 302
    answer = session.scalar(select(Answer))
    assert (answer.question_id, answer.value) == ("feel-safe", "safe")


def test_the_check_page_shows_answers_in_the_language(client, invite):
    issued = invite("ro")
    client.get(f"/r/{issued.token}")
    romanian = get_questionnaire("checkin").in_language("ro")
    for q in romanian.questions:
        client.post(f"/check-in/questions/{q.id}", data={"rather_not_say": "1"})
    check = _page(client, "/check-in/check")
    assert '<html lang="ro"' in check
    assert "Prefer să nu spun" in check
    assert romanian.question("trusted-adult").text in check


def test_a_link_in_urdu_shows_the_family_exit_interview_in_urdu(app, client, session, invite):
    issued = invite("ur", questionnaire="exit-family")
    # An exit interview's link works once the case has closed.
    issued.invitation.case.status = "closed"
    session.commit()
    client.get(f"/r/{issued.token}")
    urdu = get_questionnaire("exit-family").in_language("ur")
    welcome = _page(client, "/check-in")
    assert '<html lang="ur"' in welcome
    assert urdu.intro in welcome
    question = _page(client, "/check-in/questions/listened-to")
    assert urdu.question("listened-to").text in question
    assert "بالکل سچ" in question  # "certainly true", the type's own option


def test_the_link_keeps_easy_read_and_language_for_the_journey(client, invite):
    issued = invite("ar", easy_read=True)
    client.get(f"/r/{issued.token}")
    with client.session_transaction() as held:
        assert (held[SESSION_KEY], held[EASY_READ_KEY]) == ("ar", True)
    issued = invite("en", easy_read=False)
    client.get(f"/r/{issued.token}")
    with client.session_transaction() as held:
        # English and standard words are what a session without a choice reads: nothing
        # is stored for them, so the cookie stays small.
        assert SESSION_KEY not in held and EASY_READ_KEY not in held
    assert 'lang="en"' in _page(client, "/check-in")


def test_the_top_bar_choice_changes_the_questionnaires_language(client, invite):
    issued = invite("pl")
    client.get(f"/r/{issued.token}")
    page = _page(client, "/check-in/questions/home?lang=ro")
    assert get_questionnaire("checkin").in_language("ro").question("home").text in page


def test_a_typed_code_is_read_as_the_practitioner_chose(client, invite):
    issued = invite("pl", easy_read=True)
    response = client.post("/start", data={"code": issued.code})
    assert response.status_code == 302
    with client.session_transaction() as held:
        assert (held[SESSION_KEY], held[EASY_READ_KEY]) == ("pl", True)


def test_a_code_typed_on_a_page_in_a_language_they_chose_keeps_their_choice(client, invite):
    issued = invite("pl")
    _page(client, "/start?lang=ro")
    client.post("/start", data={"code": issued.code})
    assert '<html lang="ro"' in _page(client, "/check-in")


def test_the_talk_link_keeps_the_language(client, invite):
    issued = invite("ur", easy_read=True)
    response = client.get(f"/talk/r/{issued.token}")
    assert response.status_code == 302
    with client.session_transaction() as held:
        assert (held[SESSION_KEY], held[EASY_READ_KEY]) == ("ur", True)


def test_a_questionnaire_not_offered_in_the_language_is_shown_in_english(app):
    data = {
        "code": "tiny",
        "version": 1,
        "kind": "checkin",
        "title": "Tiny",
        "framework": {"code": "complex-safeguarding", "version": 1},
        "questions": [{"id": "words", "type": "free-text", "text": "?", "audience": "service"}],
    }
    english_only = parse_questionnaire(data, source="tiny.yaml")
    checkin = get_questionnaire("checkin")
    with app.test_request_context("/check-in?lang=pl"):
        assert journey.in_page_language(english_only) is english_only
        assert journey.in_page_language(checkin) is checkin.in_language("pl")
        assert flask_session[SESSION_KEY] == "pl"
