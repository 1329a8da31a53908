"""A practitioner can withdraw a link; a new link withdraws the old; one live link only."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from feedback.invitations import services
from feedback.invitations.models import Invitation
from feedback.invitations.services import InvitationState
from feedback.responses.models import Response
from tests.conftest import utcnow


def current_links(session, case_id, code="checkin"):
    session.expire_all()
    return session.scalar(
        select(func.count(Invitation.id)).where(
            Invitation.case_id == case_id,
            Invitation.questionnaire_code == code,
            Invitation.used_at.is_(None),
            Invitation.withdrawn_at.is_(None),
        )
    )


def test_withdrawn_link_and_code_show_a_neutral_page(app, client, auth, make_invitation):
    issued = make_invitation()
    case = issued.invitation.case
    auth.sign_in(case.practitioner)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Withdraw" in page
    response = client.post(f"/cases/{case.id}/invitations/{issued.invitation.id}/withdraw")
    assert response.status_code == 302
    assert "Withdrawn" in client.get(response.location).get_data(as_text=True)

    young = app.test_client()
    for opened in (
        young.get(f"/r/{issued.token}"),
        young.post("/start", data={"code": issued.code}),
    ):
        text = opened.get_data(as_text=True)
        assert opened.status_code == 410
        assert "This link no longer works" in text
        assert "Ask your worker for a new link or code" in text


def test_a_young_person_part_way_through_is_stopped_kindly(app, client, auth, make_invitation):
    issued = make_invitation()
    young = app.test_client()
    young.get(f"/r/{issued.token}")
    assert young.post("/check-in/questions/feel-safe", data={"answer": "safe"}).status_code == 302
    case = issued.invitation.case
    auth.sign_in(case.practitioner)
    client.post(f"/cases/{case.id}/invitations/{issued.invitation.id}/withdraw")
    page = young.get("/check-in/questions/trusted-adult")
    assert page.status_code == 410
    assert "This link no longer works" in page.get_data(as_text=True)
    late = young.post("/check-in/questions/trusted-adult", data={"answer": "yes"})
    assert late.status_code == 410


def test_a_new_link_withdraws_the_old_and_carries_the_answers_over(
    app, client, auth, session, make_invitation
):
    first = make_invitation()
    case = first.invitation.case
    young = app.test_client()
    young.get(f"/r/{first.token}")
    young.post("/check-in/questions/feel-safe", data={"answer": "safe"})

    auth.sign_in(case.practitioner)
    client.post(f"/cases/{case.id}/invitations", data={"questionnaire": "checkin"})
    assert current_links(session, case.id) == 1
    assert young.get(f"/r/{first.token}").status_code == 410

    newest = session.scalars(
        select(Invitation).where(Invitation.case_id == case.id).order_by(Invitation.id.desc())
    ).first()
    draft = session.scalar(select(Response).where(Response.case_id == case.id))
    assert draft.invitation_id == newest.id
    assert draft.answer_map() == {"feel-safe": "safe"}  # nothing saved is lost


def test_anonymous_and_check_in_links_are_separate(client, auth, session, make_case):
    case = make_case()
    auth.sign_in(case.practitioner)
    for code in ("checkin", "service-feedback", "checkin", "service-feedback"):
        client.post(f"/cases/{case.id}/invitations", data={"questionnaire": code})
    assert current_links(session, case.id, "checkin") == 1
    assert current_links(session, case.id, "service-feedback") == 1


def test_the_database_refuses_two_current_links(session, make_invitation):
    issued = make_invitation()
    old = issued.invitation
    session.add(
        Invitation(
            case_id=old.case_id,
            questionnaire_code=old.questionnaire_code,
            questionnaire_version=old.questionnaire_version,
            token_hash="t" * 64,
            code_hash="c" * 64,
            created_by_id=old.created_by_id,
            created_at=utcnow(),
            expires_at=old.expires_at,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_a_link_issued_at_the_same_moment_is_replaced_not_doubled(
    client, auth, session, make_invitation, monkeypatch
):
    issued = make_invitation()
    case = issued.invitation.case
    real = services.current_invitations
    calls = []

    def stale_then_real(*args, **kwargs):
        # The first request read before another practitioner's new link was committed.
        calls.append(1)
        return [] if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(services, "current_invitations", stale_then_real)
    auth.sign_in(case.practitioner)
    response = client.post(f"/cases/{case.id}/invitations", data={"questionnaire": "checkin"})
    assert response.status_code == 302
    assert len(calls) == 2  # the unique index refused the first try; the second replaced
    assert current_links(session, case.id) == 1


def test_two_practitioners_pressing_at_once_leave_one_live_link(app, session, make_case, make_user):
    from tests.conftest import Auth

    case = make_case()
    colleague = make_user("practitioner")
    clients = [app.test_client(), app.test_client()]
    Auth(clients[0]).sign_in(case.practitioner)
    Auth(clients[1]).sign_in(colleague)
    barrier = threading.Barrier(2)
    statuses = []

    def press(browser):
        barrier.wait()
        statuses.append(
            browser.post(
                f"/cases/{case.id}/invitations", data={"questionnaire": "checkin"}
            ).status_code
        )

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert current_links(session, case.id) == 1


def test_withdrawing_is_refused_kindly_when_it_cannot_be_done(
    app, client, auth, make_invitation, make_user
):
    issued = make_invitation()
    case = issued.invitation.case
    url = f"/cases/{case.id}/invitations/{issued.invitation.id}/withdraw"
    outsider = make_user("practitioner", teams=("south",))
    auth.sign_in(outsider)
    assert client.post(url).status_code == 404
    auth.sign_out()
    auth.sign_in(case.practitioner)
    client.post(url)
    again = client.post(url, follow_redirects=True)
    assert again.status_code == 200
    assert "already been withdrawn" in again.get_data(as_text=True)


def test_state_of_a_withdrawn_link(make_invitation, session):
    issued = make_invitation()
    services.withdraw(session, issued.invitation, utcnow())
    assert services.state_of(issued.invitation, utcnow()) is InvitationState.WITHDRAWN
