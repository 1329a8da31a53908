"""axe on every page anyone sees, in Chromium, on a site with demo data.

Every endpoint that answers GET is either visited here, as the people who see it, or
named in SKIPPED with the reason it is not a page: a new page fails this test until it
is walked. Young people's and families' pages are walked on a 320 x 568 phone by their
own buttons and links (tests/browser/walks.py), with axe, 44-pixel controls, neutral
words, and nothing sideways, clipped or overlapping on each; staff pages on a laptop,
signed in as a practitioner, a manager and an admin, with sign-in codes as in real life.
"""

from __future__ import annotations

import pytest

from feedback.i18n import LANGUAGES
from tests.browser.checks import check_accessible, check_young_page
from tests.browser.conftest import PASSWORD
from tests.browser.pages import (
    ANYONE,
    EMAILS,
    SENT_EMPTY,
    STAFF_PAGES,
)
from tests.browser.reflow import check_reflows
from tests.browser.site import MANAGER, NEW_MANAGER
from tests.browser.walks import (
    YOUNG_ENDPOINTS,
    Walker,
    endpoint_of,
    walk_check_in,
    walk_family_exit,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}

# GET endpoints that are not pages, and why.
SKIPPED = {
    "static": "built CSS, JavaScript and images, not pages",
    "dashboard.export": "a CSV or spreadsheet download of a dashboard table",
    "dashboard.report_export": "a CSV or spreadsheet download of the monthly report",
    "dashboard.report_pdf": "a PDF made by WeasyPrint for print, not a page in the browser",
    "young.leave": "forgets the session and redirects out of the site: no page of its own",
    "language.use": "keeps the language chosen and redirects back: no page of its own",
}

# Reached on the way in: the code after the password, and setting codes up.
SIGNING_IN = {"staff.sign_in_code", "staff.set_up_codes"}


def get_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}


def _url(site, endpoint: str, arguments: dict) -> str:
    values = {
        name: site.values[value[1:]] if isinstance(value, str) and value.startswith("@") else value
        for name, value in arguments.items()
    }
    adapter = site.server.app.url_map.bind("localhost")
    return site.url + adapter.build(endpoint, values)


def _visit_all(site, page, pages) -> set[str]:
    seen = set()
    for endpoint, arguments in pages:
        response = page.goto(_url(site, endpoint, arguments))
        assert response.status < 400, (endpoint, response.status, page.url)
        assert endpoint_of(site.server.app, page.url) == endpoint, (endpoint, page.url)
        check_accessible(page)
        if endpoint in SENT_EMPTY:
            # The form sent as it is: the page again with its errors.
            with page.expect_navigation():
                page.locator("main form .govuk-button:not(.govuk-button--secondary)").first.click()
            assert page.locator(".govuk-error-summary").count(), endpoint
            check_accessible(page)
        seen.add(endpoint)
    return seen


def test_every_get_endpoint_is_walked_or_skipped_with_a_reason(site):
    walked = YOUNG_ENDPOINTS | SIGNING_IN
    for pages in [ANYONE, *STAFF_PAGES.values()]:
        walked |= {endpoint for endpoint, _arguments in pages}
    endpoints = get_endpoints(site.server.app)
    assert sorted(endpoints - walked - set(SKIPPED)) == [], "pages no test walks"
    assert sorted((walked | set(SKIPPED)) - endpoints) == [], "walked or skipped, but gone"
    assert not walked & set(SKIPPED)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_young_people_and_families_pages_pass_axe_on_a_small_phone(site, phone, language):
    shown_in: list[str] = []

    def check(page) -> None:
        shown_in.append((page.get_attribute("html", "lang"), page.url))
        check_young_page(page)
        check_reflows(page)  # nothing sideways, clipped or overlapping at 320 pixels

    visit = Walker(site, check)
    walk_check_in(site, lambda: phone().new_page(), visit, language)
    walk_family_exit(site, lambda: phone().new_page(), visit, language)
    # Every page in the walk's language, but the one shown in another from the top bar.
    assert [url for lang, url in shown_in if lang != language] == [f"{site.url}/accessibility"]
    assert visit.endpoints == YOUNG_ENDPOINTS
    assert len(visit.seen) >= 40


def test_signing_in_and_error_pages_pass_axe(site, browser):
    context = browser.new_context(viewport=LAPTOP)
    try:
        page = context.new_page()
        assert _visit_all(site, page, ANYONE) == {e for e, _a in ANYONE}
        # A wrong password, then the code after the password, and a wrong code.
        page.goto(f"{site.url}/sign-in")
        page.fill("#email", MANAGER)
        page.fill("#password", "not the password")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        assert page.locator(".govuk-error-summary").count()
        check_accessible(page)
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        assert endpoint_of(site.server.app, page.url) == "staff.sign_in_code"
        check_accessible(page)
        page.fill("#code", "000000")
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
        assert page.locator(".govuk-error-summary").count()
        check_accessible(page)
        # A page that is not there.
        response = page.goto(f"{site.url}/no-such-page")
        assert response.status == 404
        check_accessible(page)

        fresh = browser.new_context(viewport=LAPTOP).new_page()
        fresh.goto(f"{site.url}/sign-in")
        fresh.fill("#email", NEW_MANAGER)
        fresh.fill("#password", PASSWORD)
        with fresh.expect_navigation():
            fresh.get_by_role("button", name="Sign in").click()
        assert endpoint_of(site.server.app, fresh.url) == "staff.set_up_codes"
        check_accessible(fresh)
        fresh.context.close()
    finally:
        context.close()


@pytest.mark.parametrize("role", list(STAFF_PAGES))
def test_staff_pages_pass_axe(site, browser, role):
    context = browser.new_context(viewport=LAPTOP)
    try:
        page = context.new_page()
        site.server.sign_in(page, EMAILS[role])
        assert _visit_all(site, page, STAFF_PAGES[role]) == {e for e, _a in STAFF_PAGES[role]}
        # A page of someone else's: the refusal is a page too.
        if role == "practitioner":
            response = page.goto(f"{site.url}/dashboard")
            assert response.status == 403
            check_accessible(page)
    finally:
        context.close()
