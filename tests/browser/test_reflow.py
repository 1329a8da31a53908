"""Young people's and families' pages with text at 200% on a 320 x 568 phone: no page
scrolls sideways, no control is clipped, off the screen or lying over another, and the
check-in, the request to talk to a manager and the family exit interview can still be
finished (each step presses the page's own buttons and links, which Playwright refuses
to do when something else lies over them)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SMALL_PHONE
from tests.browser.reflow import check_reflows, zoom_text
from tests.browser.walks import YOUNG_ENDPOINTS, Walker, walk_check_in, walk_family_exit

pytestmark = pytest.mark.browser


def test_with_text_at_200_percent_every_young_and_family_page_reflows(site, browser):
    contexts = []

    def new_phone():
        context = browser.new_context(viewport=SMALL_PHONE, is_mobile=True, bypass_csp=True)
        zoom_text(context)
        contexts.append(context)
        return context.new_page()

    def check(page) -> None:
        assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == (
            "32px"
        )
        check_reflows(page)

    visit = Walker(site, check)
    try:
        walk_check_in(site, new_phone, visit)
        walk_family_exit(site, new_phone, visit)
    finally:
        for context in contexts:
            context.close()
    assert visit.endpoints == YOUNG_ENDPOINTS


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ('<p style="width:400px">wide</p>', "sideways scrolling"),
        ('<p style="height:20px;overflow:hidden">a<br>b<br>c</p>', "clipped"),
        ('<input style="height:20px;padding:0;font-size:30px">', "text taller than its box"),
        (
            '<button style="position:absolute;top:0">one</button>'
            '<button style="position:absolute;top:5px">two</button>',
            "overlapping",
        ),
    ],
)
def test_the_reflow_checks_can_fail(browser, html, problem):
    context = browser.new_context(viewport=SMALL_PHONE)
    try:
        page = context.new_page()
        page.set_content(html)
        with pytest.raises(AssertionError, match=problem):
            check_reflows(page)
    finally:
        context.close()
