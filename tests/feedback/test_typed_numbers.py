"""Numbers people type: only 0 to 9 make a number, and no number of any length is a 500."""

from __future__ import annotations

import pytest

from feedback.fields import whole_number
from tests.feedback.staff import Browser

SQLITE = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    ("text", "most", "expected"),
    [
        ("0", 99, 0),
        (" 42 ", 99, 42),
        ("99", 99, 99),
        ("100", 99, None),
        ("²", 99, None),  # str.isdigit says yes; int refuses it
        ("٣", 99, None),  # int takes other scripts' digits: a person typing 3 types 3
        ("-1", 99, None),
        ("1.0", 99, None),
        ("9" * 24, 10**6, None),
        ("", 99, None),
        (None, 99, None),
    ],
)
def test_whole_number(text, most, expected):
    assert whole_number(text, most) == expected


@SQLITE
@pytest.mark.parametrize("page", ["²", "9" * 24, "-3", "abc", ""])
def test_the_audit_log_takes_any_page_number(app, make_user, page):
    browser = Browser(app)
    browser.sign_in(make_user("admin", teams=()))
    response = browser.get(f"/admin/audit?page={page}")
    assert response.status_code == 200


@SQLITE
@pytest.mark.parametrize("episodes", ["²", "9" * 24, "٣"])
def test_missing_episodes_must_be_a_plain_whole_number(app, make_case, episodes):
    case = make_case()
    browser = Browser(app)
    browser.sign_in(case.practitioner)
    response = browser.post(
        f"/cases/{case.id}/facts",
        {
            "missing_episodes": episodes,
            "in_education": "yes",
            "living_at_home": "home",
            "in_borough": "in",
        },
    )
    assert response.status_code == 400
    assert "missing episodes must be" in response.get_data(as_text=True)


@SQLITE
@pytest.mark.parametrize("year", ["9" * 20, "²⁰¹⁰", "10000"])
def test_a_date_of_birth_with_an_impossible_year_is_an_error_message(app, make_user, year):
    user = make_user("practitioner")
    browser = Browser(app)
    browser.sign_in(user)
    response = browser.post(
        "/cases/new",
        {
            "reference": "CS-77777",
            "initials": "AB",
            "date_of_birth": ["1", "6", year],
            "team": str(user.teams[0].id),
            "strands": "missing",
        },
    )
    assert response.status_code == 400
    assert "real date" in response.get_data(as_text=True).lower() or "date of birth" in (
        response.get_data(as_text=True).lower()
    )
