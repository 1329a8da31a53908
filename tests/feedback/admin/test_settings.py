"""Settings in the browser: the name young people see, the council's help lines and the
retention periods. Config gives the defaults; an admin's value wins everywhere it is
read; every change is audited; a value that cannot be kept changes nothing."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback import db
from feedback.audit.models import AuditEvent
from feedback.responses.models import Response
from feedback.settings import services as settings
from feedback.settings.models import Setting
from tests.conftest import utcnow
from tests.feedback.staff import Browser


@pytest.fixture
def admin(app, make_user):
    browser = Browser(app)
    assert browser.sign_in(make_user("admin", teams=())).status_code == 302
    return browser


def _current(app) -> dict[str, str]:
    with app.app_context():
        return settings.current(db.session())


def _form(app, **changes) -> dict[str, str]:
    return {**_current(app), **changes}


def test_the_settings_page_shows_configs_values_until_changed(app, admin):
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert 'value="Youth support check-in"' in page
    assert 'value="0300 123 4567"' in page and 'value="730"' in page
    assert _current(app)["RETENTION_CLOSED_CASE_DAYS"] == "730"


def test_a_new_name_and_help_line_reach_young_peoples_pages(app, admin):
    response = admin.post(
        "/admin/settings",
        _form(
            app,
            YOUNG_PERSON_SERVICE_NAME="Northshire check-in",
            COUNCIL_HELP_PHONE="01632 960 123",
            COUNCIL_HELP_TEXT="07700 900 123",
        ),
    )
    assert response.status_code == 302
    assert "3 settings changed" in admin.get("/admin/settings").get_data(as_text=True)
    young = Browser(app).get("/help").get_data(as_text=True)
    assert "Northshire check-in" in young
    assert "01632 960 123" in young and "0300 123 4567" not in young
    assert "07700 900 123" in young
    with app.app_context():
        events = {
            e.target: json.loads(e.detail)
            for e in db.session().scalars(
                select(AuditEvent).where(AuditEvent.action == "setting-changed")
            )
        }
    assert events["setting YOUNG_PERSON_SERVICE_NAME"] == {
        "before": "Youth support check-in",
        "after": "Northshire check-in",
    }
    assert set(events) == {
        "setting YOUNG_PERSON_SERVICE_NAME",
        "setting COUNCIL_HELP_PHONE",
        "setting COUNCIL_HELP_TEXT",
    }


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("RETENTION_DRAFT_DAYS", "²", "must be a whole number of days"),
        ("RETENTION_DRAFT_DAYS", str(10**30), "must be between 1 and 36,500 days"),
        ("RETENTION_FREE_TEXT_DAYS", "0", "must be between 1 and 36,500 days"),
        ("RETENTION_CLOSED_CASE_DAYS", "-5", "must be a whole number of days"),
        ("RETENTION_CLOSED_CASE_DAYS", "12.5", "must be a whole number of days"),
        ("RETENTION_CLOSED_CASE_DAYS", "", "must be a whole number of days"),
        ("YOUNG_PERSON_SERVICE_NAME", "Child exploitation check-in", "leave out “exploitation”"),
        ("YOUNG_PERSON_SERVICE_NAME", "   ", "Enter the name young people see"),
        ("YOUNG_PERSON_SERVICE_NAME", "x" * 61, "60 characters or fewer"),
        ("COUNCIL_HELP_PHONE", "call us", "must be a phone number"),
    ],
)
def test_a_value_that_cannot_be_kept_changes_nothing(app, admin, key, value, message):
    response = admin.post(
        "/admin/settings", _form(app, **{key: value, "COUNCIL_HELP_NAME": "Front door"})
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "error-summary" in page
    # What was typed is shown again, nothing is kept (not even the good value beside it).
    assert "Front door" in page
    with app.app_context():
        assert db.session().scalar(select(Setting)) is None


def test_retention_reads_the_admins_periods(app, admin, runner, session, make_invitation):
    young = app.test_client()
    young.get(f"/r/{make_invitation().token}")
    young.post("/check-in/questions/feel-safe", data={"answer": "safe"})
    session.expire_all()
    draft = session.scalar(select(Response).where(Response.status == "draft"))
    draft.updated_at = utcnow() - timedelta(days=40)
    session.commit()
    # Config's 30 days: the draft is due.
    assert "1 unsent draft" in runner.invoke(args=["retention", "purge"]).output
    admin.post("/admin/settings", _form(app, RETENTION_DRAFT_DAYS=" 45 "))
    assert _current(app)["RETENTION_DRAFT_DAYS"] == "45"
    # The admin's 45 days: not yet.
    assert "0 unsent draft" in runner.invoke(args=["retention", "purge"]).output


def test_an_unchanged_form_changes_nothing(app, admin):
    response = admin.post("/admin/settings", _form(app))
    assert response.status_code == 302
    assert "Nothing was changed" in admin.get("/admin/settings").get_data(as_text=True)
    with app.app_context():
        assert (
            db.session().scalar(select(AuditEvent.id).where(AuditEvent.action == "setting-changed"))
            is None
        )


URDU_NAME = "نوجوانوں کی آواز"
URDU_HOURS = "پیر سے جمعہ، صبح 9 بجے سے شام 5 بجے تک"


def _error_by(page: str, key: str) -> str:
    """The error message shown by one field (GOV.UK's `<id>-error` under its label)."""
    found = re.search(
        rf'<p id="{re.escape(key)}-error" class="govuk-error-message">(.*?)</p>', page, re.S
    )
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split()) if found else ""


def test_the_settings_page_asks_for_young_peoples_words_in_each_language(admin):
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert 'Urdu (<span lang="ur" dir="rtl">اردو</span>)' in page
    assert 'Polish (<span lang="pl" dir="ltr">Polski</span>)' in page
    for key in settings.YOUNG_WORDS:
        field = re.search(rf'<input[^>]*name="{key}:ar"[^>]*>', page)
        assert field, key
        assert 'lang="ar"' in field.group(0) and 'dir="rtl"' in field.group(0)
    assert "Name young people see in Urdu" in page
    # Numbers and retention periods are the same in every language: no box for them.
    assert 'name="COUNCIL_HELP_PHONE:ur"' not in page
    assert 'name="RETENTION_DRAFT_DAYS:ur"' not in page


def test_words_an_admin_gives_in_urdu_show_on_urdu_pages_only(app, admin):
    response = admin.post(
        "/admin/settings",
        _form(
            app,
            YOUNG_PERSON_SERVICE_NAME="Northshire check-in",
            **{
                "YOUNG_PERSON_SERVICE_NAME:ur": f"  {URDU_NAME} ",
                "COUNCIL_HELP_HOURS:ur": URDU_HOURS,
            },
        ),
    )
    assert response.status_code == 302
    assert "3 settings changed" in admin.get("/admin/settings").get_data(as_text=True)

    urdu = Browser(app).get("/help?lang=ur").get_data(as_text=True)
    assert f"– {URDU_NAME}</title>" in urdu
    assert URDU_NAME in urdu.split('<footer class="govuk-footer', 1)[1]
    assert URDU_HOURS in urdu
    assert "Northshire check-in" not in urdu and "Monday to Friday" not in urdu
    # The other words of the council's lines, not given in Urdu, stay in English.
    assert "Council emergency duty team" in urdu and "Evenings, nights and weekends." in urdu

    for lang in ("pl", "en"):
        other = Browser(app).get(f"/help?lang={lang}").get_data(as_text=True)
        assert "– Northshire check-in</title>" in other
        assert "Monday to Friday, 9am to 5pm." in other
        assert URDU_NAME not in other and URDU_HOURS not in other

    # Staff pages are in English.
    assert URDU_NAME not in admin.get("/admin/cases").get_data(as_text=True)

    with app.app_context():
        events = {
            e.target: json.loads(e.detail)
            for e in db.session().scalars(
                select(AuditEvent).where(AuditEvent.action == "setting-changed")
            )
        }
        stored = {s.key: s.value for s in db.session().scalars(select(Setting))}
    assert events["setting YOUNG_PERSON_SERVICE_NAME:ur"] == {"before": "", "after": URDU_NAME}
    assert events["setting COUNCIL_HELP_HOURS:ur"] == {"before": "", "after": URDU_HOURS}
    assert stored["YOUNG_PERSON_SERVICE_NAME:ur"] == URDU_NAME

    # Emptied again: Urdu pages show the English words.
    admin.post("/admin/settings", _form(app, **{"COUNCIL_HELP_HOURS:ur": " "}))
    urdu = Browser(app).get("/help?lang=ur").get_data(as_text=True)
    assert URDU_HOURS not in urdu and "Monday to Friday, 9am to 5pm." in urdu
    assert URDU_NAME in urdu


def test_configs_default_name_is_in_each_languages_own_words(app):
    assert "– Youth support check-in</title>" in Browser(app).get("/help").get_data(as_text=True)
    polish = Browser(app).get("/help?lang=pl").get_data(as_text=True)
    assert "– Ankieta wsparcia dla młodzieży</title>" in polish
    assert "Youth support check-in" not in polish


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "YOUNG_PERSON_SERVICE_NAME:pl",
            "Ankieta exploitation",
            "Name young people see in Polish is shown to young people, whose phones others "
            "may see: leave out “exploitation”",
        ),
        (
            "YOUNG_PERSON_SERVICE_NAME:pl",
            "Pomoc po wyzysku",
            "Name young people see in Polish is shown to young people, whose phones others "
            "may see: leave out “wyzysk”",
        ),
        (
            "YOUNG_PERSON_SERVICE_NAME:ro",
            "Ajutor după exploatare",
            "Name young people see in Romanian is shown to young people, whose phones "
            "others may see: leave out “exploatar”",
        ),
        (
            "YOUNG_PERSON_SERVICE_NAME:ur",
            "استحصال کے بعد مدد",
            "Name young people see in Urdu is shown to young people, whose phones others "
            "may see: leave out “استحصال”",
        ),
        (
            "YOUNG_PERSON_SERVICE_NAME:ar",
            "مساعدة بعد الاستغلال",
            "Name young people see in Arabic is shown to young people, whose phones others "
            "may see: leave out “استغلال”",
        ),
        (
            "YOUNG_PERSON_SERVICE_NAME:ro",
            "x" * 61,
            "Name young people see in Romanian must be 60 characters or fewer",
        ),
        (
            "COUNCIL_HELP_HOURS:ar",
            "س" * 201,
            "Daytime help line hours in Arabic must be 200 characters or fewer",
        ),
    ],
)
def test_words_in_a_language_that_cannot_be_kept_change_nothing(app, admin, key, value, message):
    beside = "YOUNG_PERSON_SERVICE_NAME:ur"
    beside = "COUNCIL_HELP_HOURS:ur" if key == beside else beside
    response = admin.post("/admin/settings", _form(app, **{key: value, beside: URDU_NAME}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "error-summary" in page
    assert _error_by(page, key) == f"Error: {message}"
    assert URDU_NAME in page  # what was typed beside it is shown again
    with app.app_context():
        assert db.session().scalar(select(Setting)) is None
        assert (
            db.session().scalar(select(AuditEvent.id).where(AuditEvent.action == "setting-changed"))
            is None
        )


def test_words_for_a_language_not_shipped_or_a_setting_not_translated_are_ignored(app, admin):
    response = admin.post(
        "/admin/settings",
        _form(
            app,
            **{
                "YOUNG_PERSON_SERVICE_NAME:xx": "Anything",
                "YOUNG_PERSON_SERVICE_NAME:en": "Something else",
                "COUNCIL_HELP_PHONE:ur": "01632 960 999",
                "RETENTION_DRAFT_DAYS:pl": "1",
            },
        ),
    )
    assert response.status_code == 302
    assert "Nothing was changed" in admin.get("/admin/settings").get_data(as_text=True)
    with app.app_context():
        session = db.session()
        assert settings.change_settings(
            session, {"COUNCIL_HELP_NAME:xx": "Anything"}, by=None, now=utcnow()
        ) == ({}, {})
        assert session.scalar(select(Setting)) is None
    assert "Anything" not in Browser(app).get("/help?lang=ur").get_data(as_text=True)
