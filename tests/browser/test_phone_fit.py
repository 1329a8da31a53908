"""On a 320 x 568 screen every option of every question and the button to save it are in
view without scrolling, for the questionnaires as written."""

from __future__ import annotations

import pytest

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
