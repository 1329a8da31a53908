"""Helpers for the browser tests: the check-in's answers, moving by keyboard as a young
person would, and checking each page."""

from __future__ import annotations

from tests.browser.checks import check_accessible as check_axe
from tests.browser.checks import check_young_page

ANSWERS = [
    ("feel-safe", "radio", "safe"),
    ("trusted-adult", "radio", "yes"),
    ("listened-to", "radio", "mostly"),
    ("school", "radio", "rather-not-say"),
    ("feelings", "radio", "ok"),
    ("home", "radio", "good"),
    ("stayed-away", "radio", "no"),
    ("future", "radio", "really-good"),
    ("what-helped", "checkbox", ["talking", "activities"]),
    ("anything-else", "text", "My worker listens to me and the activities are good"),
]


def check_accessible(page, seen: list):
    """axe on every page; on a young person's page also 44-pixel controls and neutral
    words."""
    if page.locator("body.app-young").count():
        check_young_page(page)
    else:
        check_axe(page)
    seen.append(page.url)


def fill_answer(page, kind: str, value) -> None:
    """Give a question page's answer by pointer: a radio, some checkboxes, or words."""
    if kind == "radio":
        page.locator(f"input[name=answer][value='{value}']").check()
    elif kind == "checkbox":
        for option in value:
            page.locator(f"input[name=answer][value='{option}']").check()
    else:
        page.locator("textarea[name=answer]").fill(value)


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching selector has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


def answer_by_keyboard(page, kind: str, value) -> None:
    if kind == "radio":
        tab_to(page, "input[name=answer]")
        for _ in range(12):
            if page.evaluate("() => document.activeElement.value") == value:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        assert page.locator(f"input[name=answer][value='{value}']").is_checked()
    elif kind == "checkbox":
        for option in value:
            tab_to(page, f"input[name=answer][value='{option}']")
            page.keyboard.press("Space")
    else:
        tab_to(page, "textarea[name=answer]")
        page.keyboard.type(value)
    tab_to(
        page, "button.govuk-button:not(.govuk-button--secondary):not(.govuk-exit-this-page__button)"
    )
    press_and_wait(page, "Enter")


def press_and_wait(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def watch_requests(page, base: str) -> list[str]:
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else elsewhere.append(r.url))
    return elsewhere


def case_id(live_server, reference: str) -> int:
    from feedback import db
    from feedback.cases.services import find_case

    with live_server.app.app_context():
        return find_case(db.session(), reference).id
