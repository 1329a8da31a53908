from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.audit.actions import ACTIONS
from feedback.audit.models import AuditEvent
from feedback.clock import now


def record(
    session: Session,
    *,
    actor,
    action: str,
    target: str,
    detail: dict | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Write one audit row. `actor` is a staff User, or None for the system (CLI, scheduler).
    Flushes; the caller commits with the rest of the request. `action` is one of
    `feedback.audit.actions.ACTIONS`, which says what the log calls it."""
    if action not in ACTIONS:
        raise ValueError(f"no words for the audit action {action!r}: add it to ACTIONS")
    event = AuditEvent(
        at=at or now(),
        actor_id=getattr(actor, "id", None),
        actor=getattr(actor, "email", None) or "system",
        action=action,
        target=target,
        detail=json.dumps(detail or {}, sort_keys=True, default=str),
    )
    session.add(event)
    session.flush()
    return event


def recent(session: Session, *, action: str | None = None, limit: int = 200) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))
