"""The outbox: queue a message in the caller's transaction; deliver them one at a time.

Queuing flushes and never commits: a message is written in the same transaction as the
alert or invitation it tells of, so both are kept or neither is.

Delivery is its own boundary and commits once per step, because the steps must outlive a
crash: a message is claimed (state "sending", a lease until `lease_until`) and that claim
is committed *before* the sender is called; the result is committed after. Another
sender running at the same time claims other messages: the claim is one UPDATE that
succeeds only if the message is still claimable, so two senders never hold one message.

What "once" means. A sender that dies before the hand-off leaves a claimed message whose
lease runs out, and it is sent afterwards: once. A sender that dies after the mail server
or Notify has accepted a message but before the "sent" commit cannot know it was
accepted; when the lease runs out the message goes again. Neither SMTP nor Notify takes a
key that would let it drop the second copy (Notify's `reference` is only a label), so
this is at-least-once with the window shrunk to the moment between the hand-off and one
commit; the email carries the same Message-ID both times, so mail programs show one. The
other choice, marking it sent before the hand-off, would lose an alert in the same
window: a safeguarding alert twice is better than not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from feedback.invitations.models import Invitation
from feedback.outbox.models import OutboxAddress, OutboxMessage
from feedback.outbox.senders import Outgoing, Refused, Sender, SendError

# The longest wait between two tries, however many have failed.
MAX_BACKOFF = timedelta(hours=6)


# --- queuing --------------------------------------------------------------------------------


def queue_to_address(
    session: Session,
    *,
    channel: str,
    address: str,
    subject: str,
    body: str,
    case_id: int,
    now: datetime,
    invitation_id: int | None = None,
    family_contact_id: int | None = None,
) -> OutboxMessage:
    """A message to a young person's or a parent or carer's phone or email."""
    if channel not in ("email", "sms"):
        raise ValueError(f"unknown channel {channel!r}")
    message = OutboxMessage(
        recipient_id=None,
        invitation_id=invitation_id,
        subject=subject,
        body=body,
        created_at=now,
        status="queued",
        attempts=0,
        address=OutboxAddress(
            channel=channel,
            address=address,
            case_id=case_id,
            family_contact_id=family_contact_id,
        ),
    )
    session.add(message)
    session.flush()
    return message


def messages_for_invitations(session: Session, invitation_ids) -> dict[int, OutboxMessage]:
    """The latest message carrying each of these links, for the case page."""
    found: dict[int, OutboxMessage] = {}
    if not invitation_ids:
        return found
    for message in session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.invitation_id.in_(list(invitation_ids)))
        .order_by(OutboxMessage.id)
    ):
        found[message.invitation_id] = message
    return found


# --- delivery -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    max_attempts: int = 5
    retry_seconds: int = 60
    lease_seconds: int = 300

    @classmethod
    def from_config(cls, config) -> Policy:
        return cls(
            int(config.get("OUTBOX_MAX_ATTEMPTS", 5)),
            int(config.get("OUTBOX_RETRY_SECONDS", 60)),
            int(config.get("OUTBOX_LEASE_SECONDS", 300)),
        )

    def backoff(self, attempts: int) -> timedelta:
        """1, 2, 4, 8... times the first wait after the 1st, 2nd, 3rd... failed try."""
        return min(timedelta(seconds=self.retry_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


@dataclass
class Delivered:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    dead: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Sent {len(self.sent)}, to try again {len(self.retrying)}, "
            f"given up {len(self.dead)}, no longer wanted {len(self.cancelled)}."
        )


def _claimable(now: datetime):
    return or_(
        and_(
            OutboxMessage.status == "queued",
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        ),
        # A sender that died holding it: its lease has run out.
        and_(OutboxMessage.status == "sending", OutboxMessage.lease_until <= now),
    )


def _forget_address(session: Session, message: OutboxMessage) -> None:
    """The address goes, and a message to a young person or parent loses its link: only
    hashes of links are kept anywhere else."""
    if message.address is not None:
        session.delete(message.address)
        message.address = None
        message.body = ""


def _finish(session: Session, message: OutboxMessage, status: str, error: str | None) -> None:
    message.status = status
    message.lease_until = None
    message.last_error = error
    _forget_address(session, message)


def _still_wanted(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    """Why the message should not go, or None: its link no longer works, or the person
    it was for (their address) has gone."""
    if message.recipient_id is None and message.address is None:
        return "no address: the case or the contact was removed"
    if message.recipient_id is not None and (message.recipient is None):
        return "the member of staff has gone"
    if message.invitation_id is not None:
        invitation = session.get(Invitation, message.invitation_id)
        if (
            invitation is None
            or invitation.withdrawn_at is not None
            or invitation.used_at is not None
            or invitation.expires_at <= now
        ):
            return "the link no longer works"
    return None


def claim_next(
    session: Session, now: datetime, policy: Policy, cancelled: list[int] | None = None
) -> Outgoing | None:
    """Claim the oldest message due, commit the claim, and return what to send; messages
    that are no longer wanted on the way are cancelled (and committed)."""
    while True:
        # A long-running sender must not read what it loaded earlier (sessions here keep
        # objects past a commit): a link withdrawn since is seen as withdrawn.
        session.expire_all()
        candidate = session.scalar(
            select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.id).limit(1)
        )
        if candidate is None:
            session.commit()
            return None
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == candidate, _claimable(now))
            .values(
                status="sending",
                lease_until=now + timedelta(seconds=policy.lease_seconds),
                attempts=OutboxMessage.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            # Another sender took it between the two statements.
            session.commit()
            continue
        message = session.get(OutboxMessage, candidate, populate_existing=True)
        assert message is not None
        unwanted = _still_wanted(session, message, now)
        if unwanted is not None:
            _finish(session, message, "cancelled", unwanted)
            session.commit()
            if cancelled is not None:
                cancelled.append(message.id)
            continue
        if message.address is not None:
            channel, to = message.address.channel, message.address.address
        else:
            assert message.recipient is not None
            channel, to = "email", message.recipient.email
        outgoing = Outgoing(
            message.id, channel, to, message.subject, message.body, message.created_at
        )
        session.commit()
        return outgoing


def record_result(
    session: Session,
    message_id: int,
    now: datetime,
    policy: Policy,
    error: SendError | None,
) -> str:
    """After the hand-off: sent, to try again later, or given up. Committed."""
    message = session.get(OutboxMessage, message_id, populate_existing=True)
    if message is None:  # erased while it was being sent
        session.commit()
        return "cancelled"
    if error is None:
        message.sent_at = now
        _finish(session, message, "sent", None)
    elif isinstance(error, Refused) or message.attempts >= policy.max_attempts:
        _finish(session, message, "dead", str(error)[:200])
    else:
        message.status = "queued"
        message.lease_until = None
        message.next_attempt_at = now + policy.backoff(message.attempts)
        message.last_error = str(error)[:200]
    status = message.status
    session.commit()
    return status


def deliver(
    session: Session,
    sender: Sender,
    *,
    clock: Callable[[], datetime],
    policy: Policy,
    limit: int | None = None,
) -> Delivered:
    """Send every message due now, one at a time, each claimed before it is sent."""
    done = Delivered()
    while limit is None or len(done.sent) + len(done.retrying) + len(done.dead) < limit:
        before = clock()
        outgoing = claim_next(session, before, policy, done.cancelled)
        if outgoing is None:
            break
        error: SendError | None = None
        if outgoing.channel not in sender.channels:
            error = Refused(f"the {sender.name} sender cannot send {outgoing.channel}")
        else:
            try:
                sender.send(outgoing)
            except SendError as failed:
                error = failed
        status = record_result(session, outgoing.id, clock(), policy, error)
        {"sent": done.sent, "queued": done.retrying, "dead": done.dead}.get(
            status, done.cancelled
        ).append(outgoing.id)
    return done
