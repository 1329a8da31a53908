"""Closing a case, reopening it on a re-referral, and the exit interview link."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from feedback.audit.models import AuditEvent
from feedback.cases import services
from feedback.cases.models import Case, CaseReferral
from feedback.invitations import services as invitations
from feedback.invitations.models import Invitation
from feedback.invitations.services import InvitationState
from outcomes.questionnaires import get_questionnaire
from tests.conftest import utcnow

EXIT = get_questionnaire("exit-young-person")


def _close(session, case, *, reason="planned", on=None, by=None, now=None):
    now = now or utcnow()
    referral = services.close_case(
        session, case, reason=reason, closed_on=on or now.date(), by=by, now=now
    )
    session.commit()
    return referral


def test_closing_sets_reason_and_day_withdraws_links_and_is_audited(
    session, make_case, make_invitation
):
    case = make_case()
    checkin = make_invitation(case=case)
    feedback = make_invitation(case=case, questionnaire=("service-feedback", 1))
    day = utcnow().date() - timedelta(days=0)
    referral = _close(session, case, reason="moved", on=day, by=case.practitioner)

    assert case.status == "closed"
    assert (referral.number, referral.closure_reason, referral.closed_on) == (1, "moved", day)
    assert case.closed_at.date() == day
    for issued in (checkin, feedback):
        session.refresh(issued.invitation)
        assert issued.invitation.withdrawn_at is not None
        assert invitations.state_of(issued.invitation, utcnow()) is InvitationState.WITHDRAWN
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "case-closed"))
    assert event.target == f"case {case.id}"
    assert event.actor == case.practitioner.email
    assert '"reason": "moved"' in event.detail


def test_closing_sends_case_closed(session, make_case):
    case = make_case()
    seen = []

    def receiver(sender, **kwargs):
        seen.append((sender, kwargs["by_id"]))

    services.case_closed.connect(receiver)
    try:
        _close(session, case, by=case.practitioner)
    finally:
        services.case_closed.disconnect(receiver)
    assert seen == [(case, case.practitioner.id)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": "bored"}, "Unknown reason"),
        ({"on": date.today() + timedelta(days=2)}, "today or in the past"),
        ({"on": date(2000, 1, 1)}, "on or after the day the case opened"),
    ],
)
def test_bad_closures_change_nothing(session, make_case, make_invitation, change, message):
    case = make_case()
    issued = make_invitation(case=case)
    with pytest.raises(services.CaseError, match=message):
        _close(session, case, **change)
    session.rollback()
    session.refresh(case)
    session.refresh(issued.invitation)
    assert case.status == "open"
    assert issued.invitation.withdrawn_at is None
    assert case.referral.closed_on is None


def test_closing_a_closed_case_says_so(session, make_case):
    case = make_case()
    _close(session, case)
    with pytest.raises(services.CaseError, match="already closed"):
        _close(session, case, reason="other")
    assert case.referral.closure_reason == "planned"


def test_exit_link_works_only_on_a_closed_case_and_check_ins_only_on_an_open_one(
    app, session, make_case, make_invitation
):
    case = make_case()
    with pytest.raises(invitations.InvitationError, match="closed case"):
        invitations.invite(session, case, EXIT, config=app.config, created_by_id=None, now=utcnow())
    _close(session, case)
    issued = invitations.invite(
        session, case, EXIT, config=app.config, created_by_id=None, now=utcnow()
    )
    session.commit()
    assert invitations.state_of(issued.invitation, utcnow()) is InvitationState.LIVE
    with pytest.raises(invitations.InvitationError, match="closed"):
        invitations.invite(
            session,
            case,
            get_questionnaire("checkin"),
            config=app.config,
            created_by_id=None,
            now=utcnow(),
        )


def test_reopening_is_a_re_referral_that_withdraws_the_exit_link(app, session, make_case):
    case, other = make_case(), make_case()
    _close(session, case, on=utcnow().date())
    issued = invitations.invite(
        session, case, EXIT, config=app.config, created_by_id=None, now=utcnow()
    )
    assert services.re_referrals(session) == 0
    referral = services.reopen_case(session, case, by=case.practitioner, now=utcnow())
    session.commit()

    assert (case.status, case.closed_at, referral.number) == ("open", None, 2)
    assert issued.invitation.withdrawn_at is not None
    assert [r.number for r in case.referrals] == [1, 2]
    assert services.re_referrals(session) == 1
    assert services.re_referrals(session, [case.team_id]) == 1
    assert services.re_referrals(session, [other.team_id + 1000]) == 0
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "case-reopened"))
    with pytest.raises(services.CaseError, match="already open"):
        services.reopen_case(session, case, by=None, now=utcnow())

    # Closed again later: the day cannot be before the re-referral.
    with pytest.raises(services.CaseError, match="reopened"):
        services.close_case(
            session,
            case,
            reason="planned",
            closed_on=utcnow().date() - timedelta(days=1),
            by=None,
            now=utcnow(),
        )


# --- the pages ------------------------------------------------------------------------------


def test_practitioner_closes_from_the_case_page_and_sees_the_exit_link_once(
    client, auth, session, make_case, make_invitation
):
    case = make_case()
    checkin = make_invitation(case=case)
    auth.sign_in(case.practitioner)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"/cases/{case.id}/close" in page
    form = client.get(f"/cases/{case.id}/close").get_data(as_text=True)
    assert "Planned ending" in form and "Stopped engaging" in form
    assert 'name="closed_on"' in form and 'name="exit_interview"' in form

    today = utcnow().date()
    response = client.post(
        f"/cases/{case.id}/close",
        data={
            "reason": "planned",
            "exit_interview": "yes",
            "closed_on": [str(today.day), str(today.month), str(today.year)],
        },
    )
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Exit interview invitation ready" in html
    link = re.search(r'id="invite-link">([^<]+)<', html).group(1)
    assert "/r/" in link
    assert "Reopen case" in html
    assert "Planned ending" in html
    again = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert link not in again

    session.expire_all()
    assert session.get(Case, case.id).status == "closed"
    assert session.get(Invitation, checkin.invitation.id).withdrawn_at is not None
    exit_link = session.scalar(
        select(Invitation).where(
            Invitation.case_id == case.id, Invitation.questionnaire_code == EXIT.code
        )
    )
    assert exit_link.withdrawn_at is None

    # Closing again: a clear message, nothing changed.
    response = client.post(
        f"/cases/{case.id}/close",
        data={
            "reason": "other",
            "exit_interview": "no",
            "closed_on": [str(today.day), str(today.month), str(today.year)],
        },
        follow_redirects=True,
    )
    assert "already closed" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Case, case.id).referral.closure_reason == "planned"

    response = client.post(f"/cases/{case.id}/reopen", follow_redirects=True)
    assert "referral 2" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Case, case.id).status == "open"
    assert session.get(Invitation, exit_link.id).withdrawn_at is not None


def test_close_form_refuses_a_future_day_without_closing(client, auth, session, make_case):
    case = make_case()
    auth.sign_in(case.practitioner)
    later = utcnow().date() + timedelta(days=3)
    response = client.post(
        f"/cases/{case.id}/close",
        data={
            "reason": "planned",
            "exit_interview": "no",
            "closed_on": [str(later.day), str(later.month), str(later.year)],
        },
    )
    assert response.status_code == 400
    assert "today or in the past" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Case, case.id).status == "open"
    assert session.scalars(select(CaseReferral)).all()[0].closed_on is None


# --- the command line -----------------------------------------------------------------------


def test_cli_close_prints_the_exit_link_and_reopen_re_refers(runner, session, make_case):
    case = make_case(reference="CS-CLOSE-1")
    result = runner.invoke(args=["cases", "close", "cs-close-1", "--reason", "planned"])
    assert result.exit_code == 0, result.output
    assert "Exit interview link: http" in result.output
    assert re.search(r"Code: [A-Z2-9]{4}-[A-Z2-9]{4}", result.output)
    session.expire_all()
    assert session.get(Case, case.id).status == "closed"

    result = runner.invoke(args=["cases", "reopen", "CS-CLOSE-1"])
    assert result.exit_code == 0, result.output
    assert "referral 2" in result.output

    yesterday = (utcnow().date() - timedelta(days=0)).isoformat()
    result = runner.invoke(
        args=["cases", "close", "CS-CLOSE-1", "--reason", "moved", "--date", yesterday, "--no-exit"]
    )
    assert result.exit_code == 0, result.output
    assert "link" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["close", "CS-NOPE", "--reason", "planned"], "no case"),
        (["close", "CS-CLI-2", "--reason", "bored"], "Invalid value"),
        (["close", "CS-CLI-2", "--reason", "planned", "--date", "2999-01-01"], "past"),
        (["close", "CS-CLI-2", "--reason", "planned", "--date", "01/02/2026"], "Invalid value"),
        (["reopen", "CS-CLI-2"], "already open"),
        (["reopen", "CS-NOPE"], "no case"),
    ],
)
def test_cli_bad_input_is_a_clear_error_and_writes_nothing(
    runner, session, make_case, args, message
):
    case = make_case(reference="CS-CLI-2")
    result = runner.invoke(args=["cases", *args])
    assert result.exit_code != 0
    assert message in result.output
    session.expire_all()
    assert session.get(Case, case.id).status == "open"
    assert session.scalars(select(Invitation)).all() == []
    assert session.scalars(select(AuditEvent)).all() == []


def test_cli_closing_a_closed_case_is_an_error(runner, session, make_case):
    make_case(reference="CS-CLI-3")
    assert (
        runner.invoke(
            args=["cases", "close", "CS-CLI-3", "--reason", "planned", "--no-exit"]
        ).exit_code
        == 0
    )
    result = runner.invoke(args=["cases", "close", "CS-CLI-3", "--reason", "other"])
    assert result.exit_code != 0
    assert "already closed" in result.output
    assert len(session.scalars(select(Invitation)).all()) == 0
