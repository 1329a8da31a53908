"""Settings in the browser: the name young people see, the council's help lines and the
retention periods. Config gives the defaults; an admin's value wins everywhere it is
read; every change is audited; a value that cannot be kept changes nothing."""

from __future__ import annotations

import json
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
