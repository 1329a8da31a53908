"""The SMTP sender against a real SMTP server on 127.0.0.1 (aiosmtpd), and the GOV.UK
Notify sender's requests, as its official client makes them, against a stand-in on
127.0.0.1: never the real service."""

from __future__ import annotations

import email
import socket
import uuid
from datetime import datetime, timedelta

import jwt
import pytest
from sqlalchemy import select

from feedback.outbox.models import OutboxMessage
from feedback.outbox.senders import (
    NotifySender,
    Outgoing,
    Refused,
    SendError,
    SmtpSender,
    make_sender,
)
from feedback.outbox.services import Policy, deliver
from tests.conftest import utcnow

MESSAGE = Outgoing(
    7, "email", "parent@example.org", "Check-in: your link", "Hello", datetime(2026, 1, 2, 3, 4, 5)
)
SERVICE_ID = str(uuid.UUID(int=1))
SECRET = str(uuid.UUID(int=2))
API_KEY = f"youth_voice_test-{SERVICE_ID}-{SECRET}"


def smtp(inbox) -> SmtpSender:
    return SmtpSender(
        host="127.0.0.1", port=inbox.port, sender="Youth check-in <no-reply@council.example>"
    )


def test_smtp_sends_a_plain_email_with_a_message_id_that_is_the_same_each_time(smtp_server):
    smtp(smtp_server).send(MESSAGE)
    smtp(smtp_server).send(MESSAGE)
    (first_from, first_to, first), (_f, _t, second) = smtp_server.messages
    assert (first_from, first_to) == ("no-reply@council.example", ["parent@example.org"])
    parsed = email.message_from_bytes(first)
    assert parsed["Subject"] == "Check-in: your link"
    assert parsed.get_payload().strip() == "Hello"
    assert parsed["Message-ID"] == "<outbox-7-20260102030405@council.example>"
    assert email.message_from_bytes(second)["Message-ID"] == parsed["Message-ID"]


def test_smtp_try_later_is_a_send_error_and_no_is_a_refusal(smtp_server):
    smtp_server.refuse = 1
    with pytest.raises(SendError) as later:
        smtp(smtp_server).send(MESSAGE)
    assert not isinstance(later.value, Refused)
    smtp_server.permanent = True
    with pytest.raises(Refused):
        smtp(smtp_server).send(MESSAGE)
    with pytest.raises(Refused, match="email only"):
        smtp(smtp_server).send(Outgoing(8, "sms", "+447911123456", "s", "b", MESSAGE.created_at))


def test_smtp_with_no_server_is_a_send_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free, and nobody listens once the probe closes
    sender = SmtpSender(host="127.0.0.1", port=port, sender="a@b.example", timeout=2)
    with pytest.raises(SendError):
        sender.send(MESSAGE)


def test_the_outbox_through_smtp_that_says_try_later_three_times_delivers_each_once(
    app, session, make_user, smtp_server
):
    app.config.update(OUTBOX_SENDER="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    sender = make_sender(app.config)
    manager, admin = make_user("manager"), make_user("admin")
    for user in (manager, admin):
        session.add(
            OutboxMessage(
                recipient_id=user.id, subject="Alert", body="Open it", created_at=utcnow()
            )
        )
    session.commit()
    smtp_server.refuse = 3
    now = utcnow()
    for minute in range(0, 60, 1):
        deliver(session, sender, clock=lambda m=minute: now + timedelta(minutes=m), policy=Policy())
    assert smtp_server.tries == 5
    assert sorted(to for _f, (to,), _c in smtp_server.messages) == sorted(
        [manager.email, admin.email]
    )
    assert all(m.status == "sent" for m in session.scalars(select(OutboxMessage)))


def notify(fake) -> NotifySender:
    return NotifySender(
        api_key=API_KEY,
        email_template_id="email-template",
        sms_template_id="sms-template",
        base_url=fake.base_url,
    )


def test_notify_gets_the_text_message_its_client_would_send(notify_server):
    notify(notify_server).send(
        Outgoing(9, "sms", "+447911123456", "s", "Your link", MESSAGE.created_at)
    )
    (request,) = notify_server.requests
    assert request["path"] == "/v2/notifications/sms"
    assert request["json"] == {
        "phone_number": "+447911123456",
        "template_id": "sms-template",
        "personalisation": {"body": "Your link"},
        "reference": "outbox-9",
    }
    token = request["headers"]["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID


def test_notify_gets_an_email_with_its_subject_and_body(notify_server):
    notify(notify_server).send(MESSAGE)
    (request,) = notify_server.requests
    assert request["path"] == "/v2/notifications/email"
    assert request["json"]["email_address"] == "parent@example.org"
    assert request["json"]["template_id"] == "email-template"
    assert request["json"]["personalisation"] == {"subject": "Check-in: your link", "body": "Hello"}


def test_notify_errors_are_tried_again_unless_they_cannot_get_better(notify_server):
    notify_server.status = 500
    with pytest.raises(SendError) as error:
        notify(notify_server).send(MESSAGE)
    assert not isinstance(error.value, Refused)
    notify_server.status = 400
    with pytest.raises(Refused):
        notify(notify_server).send(MESSAGE)


def test_notify_is_chosen_by_its_settings(app_config, notify_server):
    from feedback import create_app

    app = create_app(
        {
            **app_config,
            "OUTBOX_SENDER": "notify",
            "NOTIFY_API_KEY": API_KEY,
            "NOTIFY_EMAIL_TEMPLATE_ID": "e",
            "NOTIFY_SMS_TEMPLATE_ID": "s",
            "NOTIFY_BASE_URL": notify_server.base_url,
        }
    )
    sender = make_sender(app.config)
    assert isinstance(sender, NotifySender) and sender.channels == ("email", "sms")
    sender.send(MESSAGE)
    assert notify_server.requests[0]["json"]["template_id"] == "e"
