"""The Settings page's boxes for the words young people see in each language, in
Chromium: each box written in its language's direction, and a value one language cannot
keep shown by its box, which the error summary's link reaches; axe with the error showing."""

from __future__ import annotations

import pytest

from tests.browser.checks import check_accessible

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def test_a_polish_name_that_cannot_be_kept_is_shown_by_its_box(live_server, browser):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        live_server.sign_in(page, live_server.staff("admin", "settings.admin@example.org"))
        page.goto(f"{live_server.url}/admin/settings")
        urdu = page.get_by_label("Name young people see in Urdu")
        assert urdu.evaluate("e => getComputedStyle(e).direction") == "rtl"
        assert urdu.get_attribute("lang") == "ur"
        polish = page.get_by_label("Name young people see in Polish")
        assert polish.evaluate("e => getComputedStyle(e).direction") == "ltr"
        polish.fill("Ankieta exploitation")
        with page.expect_navigation():
            page.get_by_role("button", name="Save settings").click()
        summary = page.locator(".govuk-error-summary")
        message = "Name young people see in Polish is shown to young people"
        assert message in summary.inner_text()
        check_accessible(page)
        summary.get_by_role("link").first.click()
        assert page.evaluate("document.activeElement.name") == "YOUNG_PERSON_SERVICE_NAME:pl"
        assert page.evaluate("document.activeElement.value") == "Ankieta exploitation"
        assert message in page.locator("#YOUNG_PERSON_SERVICE_NAME\\:pl-error").inner_text()
    finally:
        context.close()
