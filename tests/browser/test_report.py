"""The manager's monthly report and dashboard in Chromium: axe, print without the page's
chrome, and the chart's choice of lines without script."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.browser.checks import check_accessible

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def manager_page(live_server, browser):
    from tests.feedback.dashboard import seed

    def add(session):
        seed(session, [f"report-{n}" for n in range(15)], when=datetime(2026, 3, 4))
        session.commit()

    live_server.query(add)
    contexts = []

    def open_page(javascript: bool = True):
        context = browser.new_context(viewport=DESKTOP, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        live_server.sign_in(page, live_server.staff("manager", "report.north@example.org"))
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_the_report_page_passes_axe_and_prints_without_its_chrome(live_server, manager_page):
    page = manager_page()
    page.goto(f"{live_server.url}/dashboard/report?month=2026-03")
    assert "Closing the loop: March 2026" in page.inner_text("h1")
    check_accessible(page)
    assert page.get_by_text("Signed in as").is_visible()
    page.emulate_media(media="print")
    for hidden in ("Signed in as", "Download the report as a PDF", "Save commentary"):
        assert not page.get_by_text(hidden).first.is_visible(), hidden
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.locator("#report-choice").is_visible()
    assert page.locator("#table-headline").is_visible()
    assert page.locator("#how-to-read").is_visible()


def test_the_dashboard_passes_axe_and_draws_other_lines_without_script(live_server, manager_page):
    url = f"{live_server.url}/dashboard?date_from=2026-01&date_to=2026-03"
    page = manager_page()
    page.goto(url)
    check_accessible(page)
    # No "c" under each month: a gap is explained once, in the key.
    assert page.locator("#scores-chart .app-chart__suppressed").count() == 0
    # Without script (axe needs it, so it ran above), the choice is a plain form.
    page = manager_page(javascript=False)
    page.goto(url)
    series = page.locator("#scores-chart .app-chart__series")
    assert series.count() == 3
    first = series.first.get_attribute("data-series")
    page.select_option("#lines", index=1)
    with page.expect_navigation():
        page.click("#draw-lines")
    assert "lines=1" in page.url and "date_from=2026-01" in page.url
    drawn = page.locator("#scores-chart .app-chart__series").first.get_attribute("data-series")
    assert drawn != first
