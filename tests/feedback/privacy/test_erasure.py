"""Erasing a case removes it from both stores and leaves an audit row that names no one."""

from __future__ import annotations

from sqlalchemy import func, select

from feedback.alerts.models import Alert, OutboxMessage
from feedback.audit.models import AuditEvent
from feedback.cases.models import Case
from feedback.invitations.models import Invitation
from feedback.responses.models import Answer, Response
from outcomes.store import (
    Comment,
    Measurement,
    Occasion,
    Person,
    PersonMonth,
    ScoreCell,
    pseudonymise,
)
from tests.feedback.privacy import DISCLOSURE, send_check_in


def two_cases(app, session, make_case, make_invitation, make_user):
    make_user("manager")
    erased, kept = make_case(reference="CS-ERASE"), make_case(reference="CS-KEEP")
    for case in (erased, kept):
        send_check_in(app, make_invitation, case, DISCLOSURE)
    session.expire_all()
    return erased, kept


def occasions_of(app, session, reference):
    pseudonym = pseudonymise(app.config["PSEUDONYM_KEY"].encode(), reference)
    return session.scalar(select(func.count(Occasion.id)).where(Occasion.pseudonym == pseudonym))


def test_erase_case_removes_both_stores_and_keeps_other_cases(
    app, runner, session, make_case, make_invitation, make_user
):
    erased, _kept = two_cases(app, session, make_case, make_invitation, make_user)
    erased_id = erased.id
    assert occasions_of(app, session, "CS-ERASE") == 1
    measurements_kept = session.scalar(
        select(func.count(Measurement.id))
        .join(Occasion)
        .where(Occasion.pseudonym == pseudonymise(app.config["PSEUDONYM_KEY"].encode(), "CS-KEEP"))
    )

    result = runner.invoke(args=["erase-case", "cs-erase", "--yes"])
    assert result.exit_code == 0, result.output
    session.expire_all()

    assert session.scalar(select(Case).where(Case.reference == "CS-ERASE")) is None
    for model, column in (
        (Response, Response.case_id),
        (Invitation, Invitation.case_id),
        (Alert, Alert.case_id),
    ):
        assert (
            session.scalar(select(func.count()).select_from(model).where(column == erased_id)) == 0
        ), model
    assert session.scalar(select(func.count(Alert.id))) == 1  # the other case's
    alert_ids = session.scalars(select(Alert.id)).all()
    assert all(m.alert_id in alert_ids for m in session.scalars(select(OutboxMessage)))
    assert session.scalar(select(func.count(Answer.id))) == 10  # the kept case's answers
    assert occasions_of(app, session, "CS-ERASE") == 0
    assert occasions_of(app, session, "CS-KEEP") == 1
    assert (
        session.scalar(
            select(func.count(Measurement.id))
            .join(Occasion)
            .where(
                Occasion.pseudonym == pseudonymise(app.config["PSEUDONYM_KEY"].encode(), "CS-KEEP")
            )
        )
        == measurements_kept
    )
    assert session.scalar(select(func.count(Comment.id))) == 1
    # The dashboard's summaries hold the kept case alone: one person, counted once.
    (person,) = session.scalars(select(Person)).all()
    assert person.pseudonym == pseudonymise(app.config["PSEUDONYM_KEY"].encode(), "CS-KEEP")
    assert {m.person_id for m in session.scalars(select(PersonMonth))} == {person.id}
    assert set(session.scalars(select(ScoreCell.people))) == {1}

    row = session.scalar(select(AuditEvent).where(AuditEvent.action == "erase-case"))
    assert row.target == "a case"
    assert "ERASE" not in row.detail.upper() and "CS-" not in row.target


def test_erase_case_asks_first_and_refuses_unknown_references(
    app, runner, session, make_case, make_invitation, make_user
):
    two_cases(app, session, make_case, make_invitation, make_user)
    declined = runner.invoke(args=["erase-case", "CS-ERASE"], input="n\n")
    assert declined.exit_code == 1
    assert "cannot be undone" in declined.output
    session.expire_all()
    assert session.scalar(select(Case).where(Case.reference == "CS-ERASE")) is not None

    confirmed = runner.invoke(args=["erase-case", "CS-ERASE"], input="y\n")
    assert confirmed.exit_code == 0, confirmed.output

    unknown = runner.invoke(args=["erase-case", "CS-NOPE", "--yes"])
    assert unknown.exit_code == 1
    assert "There is no case" in unknown.output
    assert session.scalar(select(func.count()).where(AuditEvent.action == "erase-case")) == 1
