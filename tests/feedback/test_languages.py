"""A young person's or parent's pages in their own language; staff pages in English."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for

from feedback.i18n import (
    FAMILY_BLUEPRINTS,
    LANGUAGES,
    SESSION_KEY,
    date_in_words,
    day_in_words,
    is_family_page,
    minutes_in_words,
)
from feedback.security import safe_next


def html_tag(page) -> str:
    return re.search(r"<html[^>]*>", page.get_data(as_text=True)).group(0)


def test_a_young_page_is_in_the_language_asked_for_and_stays_in_it(client):
    page = client.get("/start?lang=ur")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'lang="ur"' in html_tag(page) and 'dir="rtl"' in html_tag(page)
    assert "اپنا کوڈ لکھیں" in text  # "Enter your code"
    assert "Enter your code" not in text
    # The next page remembers it, without asking again.
    again = client.get("/help")
    assert 'dir="rtl"' in html_tag(again)
    assert "مدد اور رابطے" in again.get_data(as_text=True)  # "Help and contacts"


@pytest.mark.parametrize(
    ("code", "direction", "words"),
    [
        ("pl", "ltr", "Wpisz swój kod"),
        ("ro", "ltr", "Scrie codul tău"),
        ("ar", "rtl", "اكتب رمزك"),
        ("ur", "rtl", "اپنا کوڈ لکھیں"),
        ("en", "ltr", "Enter your code"),
    ],
)
def test_each_shipped_language_sets_lang_and_dir(client, code, direction, words):
    page = client.get(f"/start?lang={code}")
    assert f'lang="{code}"' in html_tag(page)
    assert f'dir="{direction}"' in html_tag(page)
    assert words in page.get_data(as_text=True)


def test_form_errors_and_their_summary_are_in_the_language(client):
    client.get("/start?lang=pl")
    page = client.post("/start", data={"code": ""})
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "Jest problem" in text  # "There is a problem"
    assert "Wpisz swój kod" in text  # "Enter your code", the error itself
    assert "<title>Błąd:" in text  # "Error:"


def test_error_pages_of_young_peoples_pages_are_in_the_language(client):
    client.get("/start?lang=ro")
    page = client.get("/talk/no-such-step")
    assert page.status_code == 404
    assert "Pagina nu a fost găsită" in page.get_data(as_text=True)  # "Page not found"


def test_staff_pages_stay_in_english_whatever_the_session_or_address_says(client):
    client.get("/start?lang=ar")
    page = client.get("/sign-in?lang=ur")
    assert page.status_code == 200
    assert 'lang="en"' in html_tag(page) and 'dir="ltr"' in html_tag(page)
    # A staff page's address does not change the young person's choice either.
    with client.session_transaction() as held:
        assert held[SESSION_KEY] == "ar"


def test_one_rule_says_which_pages_are_young_peoples_and_families(app):
    """Every page of the young people's blueprints is theirs, and no other page is."""
    family = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "<" in rule.rule:
            continue
        with app.test_request_context(rule.rule):
            from flask import request

            request.url_rule = rule  # as routing does: the blueprint comes from the endpoint
            expected = rule.endpoint.rpartition(".")[0] in FAMILY_BLUEPRINTS
            assert is_family_page() is expected, rule.endpoint
            if expected:
                family.add(rule.endpoint)
    assert {"young.start", "young.help_contacts", "talk.start", "goals.your_goals"} <= family
    assert not any(e.startswith(("cases.", "dashboard.", "alerts.", "staff.")) for e in family)


@pytest.mark.parametrize(
    "asked",
    ["zz", "x" * 5000, "../../etc/passwd", "ur\x00", "", "UR", "en-GB", "<script>", "%ff"],
)
def test_an_unknown_language_is_english_with_the_switch_shown(client, asked):
    page = client.get("/start", query_string={"lang": asked})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'lang="en"' in html_tag(page)
    assert "Enter your code" in text
    assert 'class="govuk-link app-topbar__language"' in text


def test_an_unknown_language_keeps_the_language_already_chosen(client):
    client.get("/start?lang=pl")
    page = client.get("/start?lang=zz")
    assert 'lang="pl"' in html_tag(page)
    assert "Wpisz swój kod" in page.get_data(as_text=True)


def test_the_top_bar_links_to_the_languages_coming_back_to_this_page(client):
    page = client.get("/help?lang=ro&x=1")
    link = re.search(
        r'<a class="govuk-link app-topbar__language" href="([^"]+)">'
        r'<span class="govuk-visually-hidden">([^<]+)</span></a>',
        page.get_data(as_text=True),
    )
    assert link.group(2) == "Limba"
    href = link.group(1).replace("&amp;", "&")
    assert urlsplit(href).path == "/language"
    # Back to the same page, without the old choice in its address.
    assert parse_qs(urlsplit(href).query)["next"] == ["/help?x=1"]


def test_the_language_page_names_each_language_in_itself(client):
    page = client.get("/language?next=/help")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    for language in LANGUAGES.values():
        link = re.search(
            rf'<a class="govuk-link app-control-link" href="([^"]+)" lang="{language.code}" '
            rf'hreflang="{language.code}" dir="{language.direction}"[^>]*>{language.name}</a>',
            text,
        )
        assert link, language.code
        chosen = client.get(link.group(1).replace("&amp;", "&"))
        assert chosen.status_code == 302
        assert chosen.location == "/help"
        with client.session_transaction() as held:
            assert held[SESSION_KEY] == language.code


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/help\r\nSet-Cookie: x=1",
        "/" + "a" * 3000,
        "",
    ],
)
def test_the_language_page_only_goes_back_to_this_site(client, target):
    assert safe_next(target) is None
    chosen = client.get("/language/pl", query_string={"next": target})
    assert chosen.status_code == 302
    assert chosen.location == "/start"
    listed = client.get("/language", query_string={"next": target})
    assert listed.status_code == 200
    text = listed.get_data(as_text=True)
    # Each language, and the back link, go to the start page instead.
    chosen_links = re.findall(r'href="(/language/[a-z]+[^"]*)"', text)
    assert len(chosen_links) == len(LANGUAGES)
    assert all(link.endswith("?next=/start") for link in chosen_links)
    assert '<a href="/start" class="govuk-back-link">' in text


def test_an_unknown_language_chosen_changes_nothing(client):
    client.get("/start?lang=ro")
    chosen = client.get("/language/zz?next=/help")
    assert chosen.status_code == 302 and chosen.location == "/help"
    with client.session_transaction() as held:
        assert held[SESSION_KEY] == "ro"
    assert client.get("/language/" + "z" * 500).status_code == 404


def test_dates_and_durations_are_in_the_pages_language(app):
    with app.test_request_context("/start?lang=pl"):
        assert day_in_words(datetime(2026, 12, 4, 17, 0)) == "piątek 4 grudnia"
        assert date_in_words(date(2026, 12, 4)) == "4 grudnia 2026"
        assert minutes_in_words(15) == "15 minut"
        assert minutes_in_words(120) == "2 godziny"
    with app.test_request_context("/start?lang=ro"):
        assert date_in_words(date(2026, 12, 4)) == "4 decembrie 2026"
    with app.test_request_context("/start"):
        assert day_in_words(date(2026, 12, 4)) == "Friday 4 December"
        assert minutes_in_words(1) == "1 minute"
    # Staff pages: English, even for a session that chose another language.
    with app.test_request_context("/sign-in?lang=pl"):
        assert date_in_words(date(2026, 12, 4)) == "4 December 2026"


def test_help_contacts_from_config_are_translated(client):
    page = client.get("/help?lang=pl")
    text = page.get_data(as_text=True)
    assert "Policja lub karetka" in text  # "Police or ambulance"
    assert "Zadzwoń: 999" in text


def test_url_for_the_language_page(app):
    with app.test_request_context():
        assert url_for("language.choose") == "/language"
