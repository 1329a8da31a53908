"""The accessibility statement: linked from every page's footer, in neutral words, and
saying where to report a problem only when the service has said where."""

from __future__ import annotations

import pytest

from feedback.config import YOUNG_PERSON_UNSAID
from tests.feedback.staff import Browser

pytestmark = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)


def test_every_kind_of_page_links_to_the_statement(app, make_user, make_invitation):
    browser = Browser(app)
    for path in ("/start", "/help", "/sign-in"):
        assert 'href="/accessibility"' in browser.get(path).get_data(as_text=True), path
    browser.get(f"/r/{make_invitation().token}")
    assert 'href="/accessibility"' in browser.get("/check-in").get_data(as_text=True)
    staff = Browser(app)
    staff.sign_in(make_user("practitioner"))
    assert 'href="/accessibility"' in staff.get("/cases").get_data(as_text=True)


def test_the_statement_has_the_parts_the_regulations_ask_for(client):
    page = client.get("/accessibility").get_data(as_text=True)
    for part in (
        "Accessibility statement for",
        "Compliance status",
        "partially compliant",
        "Web Content Accessibility Guidelines version 2.2",
        "Equality Advisory and Support Service",
        "How we test these pages",
    ):
        assert part in page
    lowered = page.lower()
    assert not [word for word in YOUNG_PERSON_UNSAID if word in lowered]


def test_the_contact_is_shown_only_when_it_is_set(app_config):
    from feedback import create_app

    page = create_app(app_config).test_client().get("/accessibility").get_data(as_text=True)
    assert "Tell your worker about a problem" in page
    app = create_app({**app_config, "ACCESSIBILITY_CONTACT": "access@northshire.example"})
    page = app.test_client().get("/accessibility").get_data(as_text=True)
    assert "at access@northshire.example. We will reply within 10 working days." in page


def test_the_statement_says_easy_read_is_there_in_every_language_it_names(client):
    from feedback.i18n import LANGUAGES
    from outcomes.easy_read import all_easy_read

    page = client.get("/accessibility").get_data(as_text=True)
    assert "choose easy read at the start, in any of these languages" in page
    assert "there is no easy-read version" not in page
    # "These languages" are the languages the line before names: the app's.
    assert all(easy.languages == tuple(LANGUAGES) for easy in all_easy_read().values())
