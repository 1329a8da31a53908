"""On a 320 x 568 screen every option of every question and the button to save it are in
view without scrolling, for the questionnaires as written, in every language and in easy
read (Romanian and Polish words are longer than English ones; the top bar's "Leave this
site" wraps its words rather than taking a line of its own)."""

from __future__ import annotations

import pytest

from outcomes.easy_read import has_easy_read
from outcomes.questionnaires import get_questionnaire
from tests.browser.checks import check_young_page, out_of_view

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("code", ["checkin", "service-feedback", "exit-young-person"])
def test_every_option_and_the_button_fit_on_a_small_phone(live_server, phone, code):
    questionnaire = get_questionnaire(code)
    page = phone().new_page()
    page.goto(live_server.invite(f"CS-FIT-{code}", questionnaire=code))
    problems = {}
    for question in questionnaire.questions:
        page.goto(f"{live_server.url}/check-in/questions/{question.id}")
        assert page.viewport_size == {"width": 320, "height": 568}
        hidden = out_of_view(page)
        if hidden:
            problems[question.id] = hidden
        check_young_page(page)
    assert problems == {}


YOUNG_QUESTIONNAIRES = ["checkin", "service-feedback", "exit-young-person", "exit-family"]


@pytest.mark.parametrize("language", ["ur", "ar", "pl", "ro"])
def test_in_every_language_and_in_easy_read_too(live_server, phone, language):
    """The first screen only (axe and the rest are checked on every page in every
    language by test_every_page_axe)."""
    problems = {}
    page = phone().new_page()
    for code in YOUNG_QUESTIONNAIRES:
        for reading in ("standard", "easy"):
            page.goto(live_server.invite(f"CS-FIT-{code}-{language}", questionnaire=code))
            page.goto(f"{live_server.url}/check-in?lang={language}&read={reading}")
            assert page.locator(f'html[lang="{language}"]').count() == 1
            questionnaire = get_questionnaire(code)
            pictured = reading == "easy" and has_easy_read(questionnaire, language)
            for question in questionnaire.questions:
                page.goto(f"{live_server.url}/check-in/questions/{question.id}")
                if pictured:
                    assert page.locator("main svg.app-picture").count() > 0, question.id
                hidden = out_of_view(page)
                if hidden:
                    problems[(code, reading, question.id)] = hidden
    assert problems == {}
