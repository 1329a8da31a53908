"""A practitioner chooses how a link reaches someone: shown to read out, texted or
emailed. The message is written with the link, says nothing a phone's other reader
should not see, and the number or address typed goes once it has been delivered."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from feedback.cases.models import Case, CaseReferral
from feedback.cases.services import ContactDetails, add_family_contact
from feedback.config import YOUNG_PERSON_UNSAID
from feedback.invitations.models import Invitation
from feedback.outbox.models import OutboxAddress, OutboxMessage
from feedback.outbox.senders import make_sender
from feedback.outbox.services import Policy, deliver
from tests.conftest import utcnow

MOBILE = "07911 123456"
MOBILE_E164 = "+447911123456"
# Never in a message to a young person or parent: what the service is about, an alert.
UNSAID = (*YOUNG_PERSON_UNSAID, "alert", "abuse", "risk", "concern", "social worker", "case")


def closing(today=None, **extra):
    today = today or utcnow().date()
    return {
        "reason": "planned",
        "closed_on": [str(today.day), str(today.month), str(today.year)],
        **extra,
    }


def counts(session):
    session.expire_all()
    return tuple(
        session.scalar(select(func.count()).select_from(table))
        for table in (Invitation, OutboxMessage, OutboxAddress)
    )


def test_a_check_in_link_texted_is_queued_with_the_link_and_the_number_goes_on_delivery(
    app, client, auth, session, make_case
):
    case = make_case()
    auth.sign_in(case.practitioner)
    response = client.post(
        f"/cases/{case.id}/invitations",
        data={"questionnaire": "checkin", "how": "sms", "phone": MOBILE},
    )
    assert response.status_code == 302
    assert MOBILE_E164 not in str(client.get_cookie("session").value)
    html = client.get(response.location).get_data(as_text=True)
    assert "We are sending them a text message" in html
    code = re.search(r'id="invite-code">([^<]+)<', html).group(1)

    message = session.scalar(select(OutboxMessage))
    invitation = session.scalar(select(Invitation))
    assert message.invitation_id == invitation.id
    assert (message.address.channel, message.address.address) == ("sms", MOBILE_E164)
    assert code in message.body and "/r/" in message.body
    assert "Message waiting to be sent" in client.get(f"/cases/{case.id}").get_data(as_text=True)

    sender = make_sender(app.config, echo=lambda text: None)
    assert deliver(session, sender, clock=utcnow, policy=Policy()).sent == [message.id]
    assert counts(session) == (1, 1, 0)
    assert session.get(OutboxMessage, message.id).body == ""
    assert "Message sent" in client.get(f"/cases/{case.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"how": "sms"}, "Enter the mobile number to text the link to"),
        ({"how": "sms", "phone": "12345"}, "Enter a UK mobile number, starting 07"),
        ({"how": "sms", "phone": "020 7946 0018"}, "That is not a mobile number"),
        ({"how": "email", "email": "sam@example"}, "Enter an email address in the right format"),
        ({"how": "email", "email": "sam at example.org"}, "in the right format"),
        ({"how": "email"}, "Enter the email address to send the link to"),
        ({"how": "pigeon"}, "Choose how to give them the link"),
    ],
)
def test_a_wrong_number_or_address_is_said_and_nothing_is_written(
    client, auth, session, make_case, data, message
):
    case = make_case()
    auth.sign_in(case.practitioner)
    response = client.post(
        f"/cases/{case.id}/invitations", data={"questionnaire": "checkin", **data}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts(session) == (0, 0, 0)


def test_text_messages_are_not_offered_when_the_sender_cannot_send_them(
    app, client, auth, session, make_case
):
    app.config.update(OUTBOX_SENDER="smtp", SMTP_HOST="127.0.0.1")
    case = make_case()
    auth.sign_in(case.practitioner)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'value="email"' in page and 'value="sms"' not in page
    response = client.post(f"/cases/{case.id}/invitations", data={"how": "sms", "phone": MOBILE})
    assert response.status_code == 400
    assert "Text messages cannot be sent from here yet" in response.get_data(as_text=True)
    assert counts(session) == (0, 0, 0)


def test_closing_sends_the_young_persons_exit_link_by_email_and_each_parents_by_their_own_details(
    app, client, auth, session, make_case
):
    case = make_case()
    mum = add_family_contact(
        session, case, ContactDetails("Ann", "Mum", phone=MOBILE), by=None, now=utcnow()
    )
    dad = add_family_contact(
        session,
        case,
        ContactDetails("Bob", "Dad", phone="020 7946 0018", email="bob@example.org"),
        by=None,
        now=utcnow(),
    )
    session.commit()
    auth.sign_in(case.practitioner)
    response = client.post(
        f"/cases/{case.id}/close",
        data=closing(
            exit_interview="yes",
            exit_how="email",
            exit_email="yp@example.org",
            family_exit="yes",
            family_how="send",
        ),
    )
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "We are sending them an email" in html
    assert html.count("We are sending them a text message") == 1
    session.expire_all()
    sent = {
        (m.address.channel, m.address.address, m.address.family_contact_id)
        for m in session.scalars(select(OutboxMessage))
    }
    assert sent == {
        ("email", "yp@example.org", None),
        ("sms", MOBILE_E164, mum.id),
        ("email", "bob@example.org", dad.id),  # a landline cannot take a text
    }
    assert session.get(Case, case.id).status == "closed"


@pytest.mark.parametrize(
    ("extra", "contact", "message"),
    [
        ({"exit_how": "email", "exit_email": "yp@example"}, None, "in the right format"),
        ({"exit_how": "sms", "exit_phone": "0791112345"}, None, "Enter a UK mobile number"),
        (
            {"exit_how": "show", "family_exit": "yes", "family_how": "send"},
            ContactDetails("Bob", "Dad", phone="020 7946 0018"),
            "Bob (Dad) has no mobile number or email address kept",
        ),
    ],
)
def test_closing_with_a_link_that_cannot_go_says_why_and_closes_nothing(
    client, auth, session, make_case, extra, contact, message
):
    case = make_case()
    if contact:
        add_family_contact(session, case, contact, by=None, now=utcnow())
        session.commit()
    auth.sign_in(case.practitioner)
    response = client.post(f"/cases/{case.id}/close", data=closing(exit_interview="yes", **extra))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Case, case.id).status == "open"
    assert session.scalar(select(CaseReferral.closed_on)) is None
    assert counts(session) == (0, 0, 0)


def test_closing_without_exit_invitations_writes_no_link_and_no_message(
    client, auth, session, make_case
):
    case = make_case()
    add_family_contact(
        session, case, ContactDetails("Ann", "Mum", phone=MOBILE), by=None, now=utcnow()
    )
    session.commit()
    auth.sign_in(case.practitioner)
    response = client.post(
        f"/cases/{case.id}/close",
        data=closing(
            exit_interview="no",
            exit_how="sms",
            exit_phone=MOBILE,
            family_exit="no",
            family_how="send",
        ),
    )
    assert response.status_code == 302
    assert session.get(Case, case.id).status == "closed"
    assert counts(session) == (0, 0, 0)


def test_no_message_to_a_young_person_or_parent_says_what_the_service_is_about(
    app, client, auth, session, make_case
):
    case = make_case(reference="CS-ALERT-77")
    add_family_contact(
        session, case, ContactDetails("Ann", "Mum", email="ann@example.org"), by=None, now=utcnow()
    )
    session.commit()
    auth.sign_in(case.practitioner)
    client.post(f"/cases/{case.id}/invitations", data={"how": "sms", "phone": MOBILE})
    client.post(
        f"/cases/{case.id}/invitations",
        data={"questionnaire": "service-feedback", "how": "email", "email": "yp@example.org"},
    )
    client.post(
        f"/cases/{case.id}/close",
        data=closing(
            exit_interview="yes",
            exit_how="sms",
            exit_phone=MOBILE,
            family_exit="yes",
            family_how="send",
        ),
    )
    messages = session.scalars(select(OutboxMessage)).all()
    assert len(messages) == 4
    service = app.config["YOUNG_PERSON_SERVICE_NAME"]
    for message in messages:
        words = f"{message.subject}\n{message.body}"
        lowered = words.lower()
        assert not [w for w in UNSAID if w in lowered], words
        assert "CS-ALERT-77" not in words.upper() and case.label not in words.split()
        assert words.startswith(service) and len(message.body) < 300


def test_exit_links_work_for_exit_link_days(app, session, make_case):
    from feedback.cases.services import close_case
    from feedback.invitations import services as invitations
    from feedback.invitations.services import InvitationState
    from outcomes.questionnaires import get_questionnaire

    assert app.config["EXIT_LINK_DAYS"] == 28
    case = make_case()
    start = utcnow()
    close_case(session, case, reason="planned", closed_on=start.date(), by=None, now=start)
    issued = invitations.invite(
        session,
        case,
        get_questionnaire("exit-young-person"),
        config=app.config,
        created_by_id=None,
        now=start,
    )
    session.commit()
    token = issued.token
    with time_machine.travel(start + timedelta(days=27), tick=False):
        assert invitations.state_of(issued.invitation, utcnow()) is InvitationState.LIVE
        page = app.test_client().get(f"/r/{token}", follow_redirects=True)
        assert "This link has run out" not in page.get_data(as_text=True)
        assert "Your time with us" in page.get_data(as_text=True)
    with time_machine.travel(start + timedelta(days=29), tick=False):
        assert invitations.state_of(issued.invitation, utcnow()) is InvitationState.EXPIRED
        page = app.test_client().get(f"/r/{token}", follow_redirects=True)
        assert "This link has run out" in page.get_data(as_text=True)
    app.config["EXIT_LINK_DAYS"] = 3
    case2 = make_case()
    close_case(session, case2, reason="planned", closed_on=start.date(), by=None, now=start)
    short = invitations.invite(
        session,
        case2,
        get_questionnaire("exit-young-person"),
        config=app.config,
        created_by_id=None,
        now=start,
    )
    assert short.invitation.expires_at == start + timedelta(days=3)


def test_closing_twice_or_reopening_sends_no_stale_link(
    app, client, auth, session, make_case, recording_sender
):
    from feedback.responses.models import Response

    case = make_case()
    auth.sign_in(case.practitioner)
    data = closing(exit_interview="yes", exit_how="sms", exit_phone=MOBILE)
    assert client.post(f"/cases/{case.id}/close", data=data).status_code == 302
    again = client.post(f"/cases/{case.id}/close", data=data, follow_redirects=True)
    assert "already closed" in again.get_data(as_text=True)
    assert counts(session) == (1, 1, 1)  # one link, one message: nothing from the second try
    link = re.search(r"/r/\S+", session.scalar(select(OutboxMessage.body))).group(0).rstrip(".")

    reopened = client.post(f"/cases/{case.id}/reopen", follow_redirects=True)
    assert "Any exit interview link no longer works" in reopened.get_data(as_text=True)
    sender = recording_sender()
    done = deliver(session, sender, clock=utcnow, policy=Policy())
    assert (done.sent, sender.tries, len(done.cancelled)) == ([], 0, 1)
    assert counts(session)[2] == 0

    young = app.test_client()
    page = young.get(link, follow_redirects=True)
    assert "This link no longer works" in page.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Response)) == 0
