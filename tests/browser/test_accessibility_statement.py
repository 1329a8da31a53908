"""The accessibility statement on a small phone: reached from the footer, axe-clean."""

from __future__ import annotations

import pytest

from tests.browser.checks import check_young_page

pytestmark = pytest.mark.browser


def test_the_statement_is_reached_from_the_footer_and_passes_axe(live_server, phone):
    page = phone().new_page()
    page.goto(f"{live_server.url}/help")
    page.get_by_role("link", name="Accessibility").click()
    page.wait_for_url("**/accessibility")
    assert page.inner_text("h1").startswith("Accessibility statement for")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    check_young_page(page)
