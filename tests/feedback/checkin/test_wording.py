"""What each page says about who reads an answer comes from the definition, and is true;
the name young people see says nothing of what the service is about."""

from __future__ import annotations

import pytest

from feedback import create_app
from feedback.config import ConfigError
from outcomes.questionnaires import AUDIENCES, get_questionnaire

CHECKIN = get_questionnaire("checkin")
FEEDBACK = get_questionnaire("service-feedback")


@pytest.mark.parametrize("questionnaire", [CHECKIN, FEEDBACK], ids=lambda q: q.code)
def test_every_question_says_who_reads_it_from_the_definition(app, make_invitation, questionnaire):
    client = app.test_client()
    client.get(f"/r/{make_invitation(questionnaire=(questionnaire.code, 1)).token}")
    for question in questionnaire.questions:
        page = client.get(f"/check-in/questions/{question.id}").get_data(as_text=True)
        said = question.audience_text_for(questionnaire)
        assert said in page, question.id
        if question.kind.is_free_text:
            worry = AUDIENCES[
                "if-it-worries-us-anonymous" if questionnaire.anonymous else "if-it-worries-us"
            ]
            assert worry in said
        if questionnaire.anonymous:
            assert "Your worker will read" not in page


def test_a_free_text_answer_says_a_manager_reads_it_with_their_name():
    text = CHECKIN.question("anything-else").audience_text_for(CHECKIN)
    assert text == (
        "The service will read this answer without your name. "
        "If it worries us, a manager will read it with your name."
    )


def test_worker_answers_are_only_those_the_case_page_shows():
    shown = {q.id for q in CHECKIN.questions if q.shown_to_worker(CHECKIN)}
    said = {
        q.id
        for q in CHECKIN.questions
        if q.audience_text_for(CHECKIN).startswith(AUDIENCES["worker"])
    }
    assert shown == said
    assert not any(q.shown_to_worker(FEEDBACK) for q in FEEDBACK.questions)


def test_no_question_promises_what_a_first_check_in_cannot_keep():
    for question in CHECKIN.questions:
        assert "last asked" not in question.text
        assert "last time" not in question.text


@pytest.mark.parametrize("setting", ["COUNCIL_NAME", "YOUNG_PERSON_SERVICE_NAME"])
@pytest.mark.parametrize(
    "name", ["Northshire Council Complex Safeguarding", "Child Exploitation Team"]
)
def test_config_refuses_a_name_that_says_what_the_service_is_about(app_config, setting, name):
    with pytest.raises(ConfigError, match=setting):
        create_app({**app_config, setting: name})


def test_young_people_see_the_neutral_name(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    for path in ("/check-in", "/check-in/questions/feel-safe", "/help", "/start"):
        html = client.get(path).get_data(as_text=True)
        title = html.split("<title>")[1].split("</title>")[0]
        assert title.endswith("– Youth support check-in"), path
        assert "Complex Safeguarding" not in html and "xploitation" not in html, path
