"""Delivering the outbox: one claim at a time, tries again with growing waits, gives up
after OUTBOX_MAX_ATTEMPTS, and sends each message once across a crash mid-batch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from feedback import db
from feedback.invitations import services as invitations
from feedback.outbox.models import OutboxAddress, OutboxMessage
from feedback.outbox.senders import Refused
from feedback.outbox.services import Policy, claim_next, deliver, queue_to_address
from feedback.privacy.services import erase_case
from tests.conftest import utcnow

POLICY = Policy(max_attempts=5, retry_seconds=60, lease_seconds=300)


class Clock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


def staff_message(session, user, n=1):
    message = OutboxMessage(
        recipient_id=user.id, subject=f"Staff {n}", body=f"Body {n}", created_at=utcnow()
    )
    session.add(message)
    session.commit()
    return message


def person_message(session, issued, address="+447911123456", channel="sms", contact=None):
    message = queue_to_address(
        session,
        channel=channel,
        address=address,
        subject="Your link",
        body=f"link {issued.token}",
        case_id=issued.invitation.case_id,
        now=utcnow(),
        invitation_id=issued.invitation.id,
        family_contact_id=contact.id if contact else None,
    )
    session.commit()
    return message


def test_each_message_goes_once_to_the_right_place_and_a_persons_address_and_link_go(
    session, make_user, make_invitation, recording_sender
):
    manager = make_user("manager")
    issued = make_invitation()
    staff = staff_message(session, manager)
    person = person_message(session, issued)
    sender = recording_sender()

    done = deliver(session, sender, clock=utcnow, policy=POLICY)

    assert done.sent == [staff.id, person.id]
    assert [(m.channel, m.to) for m in sender.sent] == [
        ("email", manager.email),
        ("sms", "+447911123456"),
    ]
    assert issued.token in sender.sent[1].body
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(OutboxAddress)) == 0
    person = session.get(OutboxMessage, person.id)
    assert (person.status, person.body, person.attempts) == ("sent", "", 1)
    assert person.sent_at is not None
    assert session.get(OutboxMessage, staff.id).body == "Body 1"
    assert deliver(session, sender, clock=utcnow, policy=POLICY).sent == []
    assert len(sender.sent) == 2


def test_a_sender_that_dies_mid_batch_loses_nothing_and_sends_nothing_twice(
    app, session, make_user, recording_sender
):
    manager = make_user("manager")
    ids = [staff_message(session, manager, n).id for n in range(1, 4)]
    sender = recording_sender()
    sender.crash_on = ids[1]
    start = utcnow()

    with pytest.raises(SystemExit):
        deliver(session, sender, clock=Clock(start), policy=POLICY)

    # What another process sees: the claim was committed before the hand-off.
    engine = create_engine(app.config["DATABASE_URL"])
    with engine.connect() as connection:
        states = dict(connection.execute(text("SELECT id, status FROM outbox_message")).all())
    engine.dispose()
    assert [states[i] for i in ids] == ["sent", "sending", "queued"]

    # A new process, as cron starts one: a fresh session.
    db.session().rollback()
    db.session().close()
    fresh = db.session()
    again = deliver(fresh, sender, clock=Clock(start + timedelta(seconds=10)), policy=POLICY)
    assert again.sent == [ids[2]]  # the dead sender's claim still holds
    later = deliver(fresh, sender, clock=Clock(start + timedelta(seconds=301)), policy=POLICY)
    assert later.sent == [ids[1]]
    assert sorted(m.id for m in sender.sent) == ids
    assert fresh.get(OutboxMessage, ids[1]).attempts == 2


def test_two_senders_at_once_never_hold_the_same_message(app, session, make_user):
    manager = make_user("manager")
    first, second = staff_message(session, manager, 1), staff_message(session, manager, 2)
    other = db.open_session(db.engine(), db.store_engine())
    now = utcnow()
    mine = claim_next(session, now, POLICY)
    theirs = claim_next(other, now, POLICY)
    assert {mine.id, theirs.id} == {first.id, second.id}
    assert claim_next(other, now, POLICY) is None
    db.close_session(other)


def test_a_sender_failing_three_times_then_recovering_delivers_each_once_with_growing_waits(
    session, make_user, make_invitation, recording_sender
):
    manager = make_user("manager")
    issued = make_invitation()
    staff = staff_message(session, manager)
    person = person_message(session, issued, "yp@example.org", "email")
    sender = recording_sender(fail=3)
    clock = Clock(utcnow())
    waits = []
    for _round in range(10):
        deliver(session, sender, clock=clock, policy=POLICY)
        session.expire_all()
        pending = [
            m
            for m in (session.get(OutboxMessage, staff.id), session.get(OutboxMessage, person.id))
            if m.status == "queued"
        ]
        if not pending:
            break
        due = min(m.next_attempt_at for m in pending)
        waits.append(round((due - clock.now).total_seconds()))
        # Not a moment early: nothing is tried before it is due.
        assert deliver(session, sender, clock=clock, policy=POLICY).sent == []
        clock.now = due
    assert sorted(m.id for m in sender.sent) == [staff.id, person.id]
    assert sender.tries == 5
    assert waits == [60, 120]  # after the 1st and the 2nd failed try of the staff message
    staff, person = session.get(OutboxMessage, staff.id), session.get(OutboxMessage, person.id)
    assert (staff.status, person.status) == ("sent", "sent")
    assert staff.attempts + person.attempts == 5


def test_after_max_attempts_a_message_is_given_up_and_its_address_goes(
    session, make_invitation, recording_sender
):
    issued = make_invitation()
    message = person_message(session, issued)
    sender = recording_sender(fail=100)
    clock = Clock(utcnow())
    policy = Policy(max_attempts=3, retry_seconds=1, lease_seconds=300)
    for _round in range(5):
        deliver(session, sender, clock=clock, policy=policy)
        clock.now += timedelta(hours=7)
    session.expire_all()
    message = session.get(OutboxMessage, message.id)
    assert (message.status, message.attempts, sender.tries) == ("dead", 3, 3)
    assert message.address is None and message.body == ""
    assert "connection refused" in message.last_error


def test_a_refusal_gives_up_at_once(session, make_invitation):
    issued = make_invitation()
    message = person_message(session, issued)

    class Refusing:
        name, channels = "refusing", ("sms",)

        def send(self, message):
            raise Refused("no such number")

    assert deliver(session, Refusing(), clock=utcnow, policy=POLICY).dead == [message.id]


def test_a_withdrawn_or_used_link_is_not_sent(session, make_invitation, recording_sender):
    issued = make_invitation()
    message = person_message(session, issued)
    invitations.withdraw(session, issued.invitation, utcnow())
    session.commit()
    sender = recording_sender()
    done = deliver(session, sender, clock=utcnow, policy=POLICY)
    assert (done.sent, done.cancelled, sender.tries) == ([], [message.id], 0)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(OutboxAddress)) == 0


def test_erasure_retention_and_a_removed_contact_leave_no_address_behind(
    app, session, make_case, make_invitation
):
    from feedback.cases.services import ContactDetails, add_family_contact, remove_family_contact
    from feedback.privacy.services import Retention, purge

    def addresses():
        session.expire_all()
        return session.scalar(select(func.count()).select_from(OutboxAddress))

    erased = make_case()
    person_message(session, make_invitation(case=erased))
    assert addresses() == 1
    erase_case(session, erased.reference, app.config["PSEUDONYM_KEY"].encode(), utcnow())
    session.commit()
    assert addresses() == 0

    kept = make_case()
    contact = add_family_contact(
        session, kept, ContactDetails("Ann", "Mum", phone="07911 123456"), by=None, now=utcnow()
    )
    session.commit()
    person_message(session, make_invitation(case=kept), contact=contact)
    assert addresses() == 1
    remove_family_contact(session, contact, by=None, now=utcnow())
    session.commit()
    assert addresses() == 0

    old = make_case()
    old_message = person_message(session, make_invitation(case=old)).id
    old.status, old.closed_at = "closed", utcnow() - timedelta(days=4000)
    session.commit()
    purge(session, Retention(30, 30, 365), utcnow(), apply=True)
    session.commit()
    assert addresses() == 0
    assert session.get(OutboxMessage, old_message) is None


def test_the_command_sends_once_with_the_log_sender(runner, session, make_user):
    manager = make_user("manager")
    staff_message(session, manager)
    result = runner.invoke(args=["outbox", "send", "--once"])
    assert result.exit_code == 0, result.output
    assert f"To (email): {manager.email}" in result.output
    assert "Sent 1, to try again 0, given up 0" in result.output
    assert "Sent 0," in runner.invoke(args=["outbox", "send", "--once"]).output


def test_a_sender_without_its_settings_stops_the_app_starting(app_config):
    from feedback import create_app
    from feedback.config import ConfigError

    with pytest.raises(ConfigError, match="NOTIFY_API_KEY"):
        create_app({**app_config, "OUTBOX_SENDER": "notify"})
    with pytest.raises(ConfigError, match="OUTBOX_SENDER must be one of"):
        create_app({**app_config, "OUTBOX_SENDER": "pigeon"})
    with pytest.raises(ConfigError, match="not a whole Notify API key"):
        create_app(
            {
                **app_config,
                "OUTBOX_SENDER": "notify",
                "NOTIFY_API_KEY": "half-a-key",
                "NOTIFY_EMAIL_TEMPLATE_ID": "e",
                "NOTIFY_SMS_TEMPLATE_ID": "s",
            }
        )
    with pytest.raises(ConfigError, match="SMTP_HOST"):
        create_app({**app_config, "OUTBOX_SENDER": "smtp"})


def test_the_command_keeps_looking_until_stopped(runner, session, make_user, monkeypatch):
    from feedback.outbox import cli

    manager = make_user("manager")
    staff_message(session, manager)
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        if len(waits) == 1:
            staff_message(session, manager, 2)  # a new message while it waits
            return
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.time, "sleep", sleep)
    result = runner.invoke(args=["outbox", "send", "--every", "3"])
    assert result.exit_code == 0, result.output
    assert waits == [3, 3]
    assert result.output.count("Sent 1, to try again 0") == 2
    assert result.output.rstrip().endswith("Stopped.")
