"""Journeys finished with the keyboard alone (Tab, Shift+Tab, arrows, Space, Enter; no
clicks), the focus visible at every key and moving in order: a young person's check-in
on a small phone, a parent's exit interview, a request to talk to a manager, and a
manager signing in with a code to reach the dashboard."""

from __future__ import annotations

import pytest

from outcomes.questionnaires import get_questionnaire
from tests.browser.conftest import PASSWORD
from tests.browser.journeys import ANSWERS
from tests.browser.keyboard import Keyboard
from tests.browser.site import MANAGER
from tests.browser.walks import FAMILY_ANSWERS
from tests.conftest import next_code

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
SAVE = "button.govuk-button:not(.govuk-button--secondary):not(.govuk-exit-this-page__button)"


def _answer(keys: Keyboard, kind: str, value) -> None:
    if kind == "radio":
        keys.choose("answer", value)
    elif kind == "checkbox":
        keys.tick("answer", value)
    else:
        keys.type_into("textarea[name=answer]", value)
    keys.submit(SAVE)


def test_a_check_in_by_keyboard_alone(site, phone):
    page = phone().new_page()
    keys = Keyboard(page)
    page.goto(site.link())
    assert page.locator("h1").inner_text() == "Before you start"
    keys.tour()
    keys.submit("a.govuk-button--start")
    for position, (question_id, kind, value) in enumerate(ANSWERS):
        assert page.url.endswith(f"/check-in/questions/{question_id}")
        if position == 0:
            keys.tour()
        _answer(keys, kind, value)
    assert page.locator("h1").inner_text() == "Check your answers"
    keys.tour()
    keys.choose("quote_consent", "no")
    keys.submit(SAVE)
    assert "Thank you" in page.inner_text("h1")
    keys.tour()


def test_a_family_exit_interview_by_keyboard_alone(site, phone):
    page = phone().new_page()
    keys = Keyboard(page)
    page.goto(site.link("exit-family", family=True))
    keys.submit("a.govuk-button--start")
    for question in get_questionnaire("exit-family").questions:
        assert page.url.endswith(f"/check-in/questions/{question.id}")
        value = FAMILY_ANSWERS[question.id]
        _answer(keys, "text" if question.kind.is_free_text else "radio", value)
    assert page.locator("h1").inner_text() == "Check your answers"
    keys.choose("quote_consent", "no")
    keys.submit(SAVE)
    assert "Thank you" in page.inner_text("h1")


def test_asking_to_talk_to_a_manager_by_keyboard_alone(site, phone):
    page = phone().new_page()
    keys = Keyboard(page)
    page.goto(site.link())
    keys.submit("a.govuk-button--start")
    keys.submit("a[href$='/talk']")
    assert page.url.endswith("/talk/about")
    keys.tour()
    keys.choose("about", "could-be-better")
    keys.submit(SAVE)
    keys.tour()
    keys.choose("contact", "phone")
    keys.type_into("#phone", "07911 123456")
    keys.submit(SAVE)
    keys.choose("good_time", "evening")
    keys.submit(SAVE)
    keys.type_into("#message", "Can we meet after school?")
    keys.submit(SAVE)
    assert "Thank you" in page.inner_text("h1")
    keys.tour()


def test_a_manager_signs_in_to_the_dashboard_by_keyboard_alone(site, browser):
    context = browser.new_context(viewport=LAPTOP)
    try:
        page = context.new_page()
        keys = Keyboard(page)
        page.goto(f"{site.url}/sign-in")
        keys.tour()
        keys.type_into("#email", MANAGER)
        keys.type_into("#password", PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/sign-in/code")
        keys.type_into("#code", next_code(site.server.app, site.server.user_id(MANAGER)))
        keys.submit("button.govuk-button")
        assert page.url.endswith("/staff")
        keys.submit("a[href$='/dashboard']")
        assert page.url.endswith("/dashboard")
        keys.tour()
        # A filter chosen and applied without the mouse.
        keys.submit("form button.govuk-button")
        assert "/dashboard" in page.url
        assert page.locator("h1").count() == 1
    finally:
        context.close()


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ('<a href="#a" style="outline:none">one</a>', "no visible focus"),
        ('<a href="#a" style="outline:3px solid transparent">one</a>', "no visible focus"),
        (
            '<a href="#a">one</a><a href="#b" tabindex="1">two</a>',
            "went back in the page",
        ),
        (
            '<div style="display:flex;flex-direction:column-reverse">'
            '<a href="#a">one</a><a href="#b">two</a></div>',
            "jumped back on screen",
        ),
        (
            '<a href="#a">one</a><div style="position:fixed;inset:0;background:#fff">cover</div>',
            "is under",
        ),
    ],
)
def test_the_keyboard_checks_can_fail(browser, html, problem):
    """Each check of the focus finds the fault it is there for."""
    context = browser.new_context(viewport=LAPTOP)
    try:
        page = context.new_page()
        page.set_content(f"<style>a:focus {{ outline: 3px solid #fd0 }}</style>{html}")
        keys = Keyboard(page)
        with pytest.raises(AssertionError, match=problem):
            keys.tab()
            keys.tab()
    finally:
        context.close()
