"""The practitioner picks the language (and easy read) of every link they make: a
check-in or anonymous feedback from the case page, and the exit interviews when the case
closes. Each language is named in itself; anything else is a kind error."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from feedback.cases.models import Case
from feedback.cases.services import ContactDetails, add_family_contact
from feedback.invitations.models import Invitation
from tests.conftest import utcnow


def closing(**extra):
    today = utcnow().date()
    return {
        "reason": "planned",
        "closed_on": [str(today.day), str(today.month), str(today.year)],
        **extra,
    }


def _options(html: str, name: str) -> list[str]:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select_html, f"no select called {name}"
    return [" ".join(o.split()) for o in re.findall(r"<option[^>]*>[^<]*</option>", select_html[1])]


def test_the_invite_form_lists_each_language_in_itself_english_first(client, auth, make_case):
    case = make_case()
    auth.sign_in(case.practitioner)
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert _options(html, "language") == [
        '<option value="en" selected lang="en" dir="ltr">English</option>',
        '<option value="ur" lang="ur" dir="rtl">اردو</option>',
        '<option value="ar" lang="ar" dir="rtl">العربية</option>',
        '<option value="pl" lang="pl" dir="ltr">Polski</option>',
        '<option value="ro" lang="ro" dir="ltr">Română</option>',
    ]
    assert 'name="easy_read"' in html


@pytest.mark.parametrize("questionnaire", ["checkin", "service-feedback"])
def test_the_language_and_easy_read_chosen_are_kept_on_the_invitation(
    client, auth, session, make_case, questionnaire
):
    case = make_case()
    auth.sign_in(case.practitioner)
    response = client.post(
        f"/cases/{case.id}/invitations",
        data={"questionnaire": questionnaire, "how": "show", "language": "pl", "easy_read": "y"},
    )
    assert response.status_code == 302
    invitation = session.scalar(select(Invitation))
    assert (invitation.language, invitation.easy_read) == ("pl", True)


def test_without_a_choice_a_link_is_in_english_and_not_easy_read(client, auth, session, make_case):
    case = make_case()
    auth.sign_in(case.practitioner)
    client.post(f"/cases/{case.id}/invitations", data={"questionnaire": "checkin"})
    invitation = session.scalar(select(Invitation))
    assert (invitation.language, invitation.easy_read) == ("en", False)


@pytest.mark.parametrize("language", ["xx", "EN", "", "fr", "<script>"])
def test_a_language_not_offered_is_a_kind_error_not_a_500(
    client, auth, session, make_case, language
):
    case = make_case()
    auth.sign_in(case.practitioner)
    response = client.post(
        f"/cases/{case.id}/invitations",
        data={"questionnaire": "checkin", "how": "show", "language": language},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Choose a language from the list" in html
    assert "govuk-select--error" in html
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_closing_keeps_each_exit_links_language(client, auth, session, make_case):
    case = make_case()
    mum = add_family_contact(
        session,
        case,
        ContactDetails("Ann", "Mum", phone="07911 123456", language="pl"),
        by=None,
        now=utcnow(),
    )
    dad = add_family_contact(
        session,
        case,
        ContactDetails("Bob", "Dad", phone="07911 123457", language="de"),
        by=None,
        now=utcnow(),
    )
    session.commit()
    auth.sign_in(case.practitioner)
    html = client.get(f"/cases/{case.id}/close").get_data(as_text=True)
    for name in ("exit_language", "family_language"):
        assert '<option value="ur" lang="ur" dir="rtl">اردو</option>' in _options(html, name)
    response = client.post(
        f"/cases/{case.id}/close",
        data=closing(
            exit_interview="yes",
            exit_how="show",
            exit_language="ar",
            exit_easy_read="y",
            family_exit="yes",
            family_how="show",
            family_language="ro",
            family_own_language="y",
        ),
    )
    assert response.status_code == 302
    session.expire_all()
    chosen = {
        (i.questionnaire_code, i.family_contact_id): (i.language, i.easy_read)
        for i in session.scalars(select(Invitation))
    }
    assert chosen == {
        ("exit-young-person", None): ("ar", True),
        # Mum's own language is offered; Dad's (German) is not, so he gets the one chosen.
        ("exit-family", mum.id): ("pl", False),
        ("exit-family", dad.id): ("ro", False),
    }


def test_the_family_language_chosen_can_stand_for_every_parent(client, auth, session, make_case):
    case = make_case()
    add_family_contact(
        session,
        case,
        ContactDetails("Ann", "Mum", phone="07911 123456", language="pl"),
        by=None,
        now=utcnow(),
    )
    session.commit()
    auth.sign_in(case.practitioner)
    response = client.post(
        f"/cases/{case.id}/close",
        data=closing(
            exit_interview="no",
            family_exit="yes",
            family_how="show",
            family_language="ur",
            family_easy_read="y",
        ),
    )
    assert response.status_code == 302
    invitation = session.scalar(select(Invitation))
    assert (invitation.language, invitation.easy_read) == ("ur", True)


@pytest.mark.parametrize("field", ["exit_language", "family_language"])
def test_closing_with_a_language_not_offered_is_a_kind_error_and_nothing_closes(
    client, auth, session, make_case, field
):
    case = make_case()
    auth.sign_in(case.practitioner)
    response = client.post(
        f"/cases/{case.id}/close",
        data=closing(exit_interview="yes", exit_how="show", **{field: "klingon"}),
    )
    assert response.status_code == 400
    assert "Choose a language from the list" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Case, case.id).status == "open"
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0
