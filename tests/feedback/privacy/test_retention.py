"""Retention: a dry run says what would go; --apply removes it and keeps the measurements."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from feedback.alerts.models import Alert
from feedback.audit.models import AuditEvent
from feedback.cases.models import Case
from feedback.invitations.models import Invitation
from feedback.privacy.services import REMOVED
from feedback.responses.models import Response
from outcomes.store import Measurement, Occasion
from tests.conftest import utcnow
from tests.feedback.privacy import DISCLOSURE, send_check_in


def counts(session):
    session.expire_all()
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model))
        for model in (Case, Response, Invitation, Alert, Occasion, Measurement)
    }


def old_data(app, session, make_case, make_invitation, make_user):
    make_user("manager")
    long_closed = make_case(reference="CS-OLD")
    send_check_in(app, make_invitation, long_closed, DISCLOSURE)
    old_text = make_case(reference="CS-TEXT")
    send_check_in(app, make_invitation, old_text, "My worker is sound and listens to me")
    abandoned = make_case(reference="CS-DRAFT")
    draft_browser = app.test_client()
    draft_browser.get(f"/r/{make_invitation(case=abandoned).token}")
    draft_browser.post("/check-in/questions/feel-safe", data={"answer": "safe"})
    recent = make_case(reference="CS-NEW")
    send_check_in(app, make_invitation, recent, "Thanks for the help this month")

    session.expire_all()
    now = utcnow()
    case = session.scalar(select(Case).where(Case.reference == "CS-OLD"))
    case.status, case.closed_at = "closed", now - timedelta(days=800)
    for response in session.scalars(select(Response).join(Case).where(Case.reference == "CS-TEXT")):
        response.submitted_at = now - timedelta(days=400)
    for response in session.scalars(select(Response).where(Response.status == "draft")):
        response.updated_at = now - timedelta(days=40)
    session.commit()


def answer_text(session, reference):
    session.expire_all()
    response = session.scalar(select(Response).join(Case).where(Case.reference == reference))
    return response.answer_map()["anything-else"]


def test_dry_run_changes_nothing_and_apply_removes_what_is_due(
    app, runner, session, make_case, make_invitation, make_user
):
    old_data(app, session, make_case, make_invitation, make_user)
    before = counts(session)

    dry = runner.invoke(args=["retention", "purge"])
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output
    assert "1 unsent draft response(s)" in dry.output
    assert "1 free-text answer(s)" in dry.output
    assert "1 closed case(s), with 1 response(s), 1 invitation(s)" in dry.output
    assert counts(session) == before
    assert answer_text(session, "CS-TEXT").startswith("My worker")

    applied = runner.invoke(args=["retention", "purge", "--apply"])
    assert applied.exit_code == 0, applied.output
    after = counts(session)
    assert after["Case"] == before["Case"] - 1
    assert after["Response"] == before["Response"] - 2  # the old case's and the draft
    assert after["Invitation"] == before["Invitation"] - 1
    # Measurements are anonymised already: retention keeps every one.
    assert (after["Occasion"], after["Measurement"]) == (before["Occasion"], before["Measurement"])
    assert session.scalar(select(Case).where(Case.reference == "CS-OLD")) is None
    assert answer_text(session, "CS-TEXT") == REMOVED
    assert answer_text(session, "CS-NEW") == "Thanks for the help this month"
    # The old case's alert stays as a number for reports, without its words.
    alert = session.scalar(select(Alert))
    assert alert.case_id is None and DISCLOSURE not in alert.texts_json
    audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "retention-purge"))
    assert "CS-" not in audit.detail and "hits" not in audit.detail
    assert '"closed_cases": 1' in audit.detail

    again = runner.invoke(args=["retention", "purge"])
    assert "0 closed case(s)" in again.output and "0 free-text answer(s)" in again.output


def test_retention_periods_come_from_config(app):
    assert app.config["RETENTION_DRAFT_DAYS"] == 30
    assert app.config["RETENTION_FREE_TEXT_DAYS"] == 365
    assert app.config["RETENTION_CLOSED_CASE_DAYS"] == 730
