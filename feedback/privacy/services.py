"""Retention, erasure and the audit log.

Identifiable data (cases, invitations, responses, answers, alerts' words) goes when its
time is up or when a young person asks; the anonymised measurements in the analytical
store stay, except on erasure, when they are found through the pseudonym and go too.
Services flush; the command commits once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from feedback.alerts.models import Alert, OutboxMessage
from feedback.audit.models import AuditEvent
from feedback.audit.services import record
from feedback.cases.models import Case, CaseStrand, FamilyContact
from feedback.invitations.models import Invitation
from feedback.outbox.models import OutboxAddress
from feedback.responses.models import Answer, Response
from feedback.talk import services as talk
from outcomes import store
from outcomes.questionnaires import RATHER_NOT_SAY, get_questionnaire

REMOVED = "[removed after retention period]"
REMOVED_JSON = json.dumps(REMOVED)


@dataclass
class PurgeCounts:
    draft_responses: int = 0
    free_text_answers: int = 0
    alert_texts: int = 0
    closed_cases: int = 0
    case_responses: int = 0
    case_invitations: int = 0
    case_alerts: int = 0
    talk_requests: int = 0

    def lines(self) -> list[str]:
        return [
            f"{self.draft_responses} unsent draft response(s)",
            f"{self.free_text_answers} free-text answer(s) in sent responses",
            f"{self.alert_texts} closed alert(s)' copies of the young person's words",
            f"{self.closed_cases} closed case(s), with {self.case_responses} response(s), "
            f"{self.case_invitations} invitation(s) and the words of {self.case_alerts} "
            "alert(s)",
            f"{self.talk_requests} resolved request(s) to speak to a manager' contact "
            "details and words",
        ]


@dataclass(frozen=True)
class Retention:
    draft_days: int
    free_text_days: int
    closed_case_days: int

    @classmethod
    def from_config(cls, config) -> Retention:
        return cls(
            int(config["RETENTION_DRAFT_DAYS"]),
            int(config["RETENTION_FREE_TEXT_DAYS"]),
            int(config["RETENTION_CLOSED_CASE_DAYS"]),
        )


def _free_text_questions(code: str, version: int) -> set[str]:
    try:
        questionnaire = get_questionnaire(code, version)
    except KeyError:
        return set()
    return {q.id for q in questionnaire.questions if q.kind.is_free_text}


def _expired_free_text(session: Session, before: datetime) -> list[Answer]:
    rows = session.execute(
        select(Answer, Response.questionnaire_code, Response.questionnaire_version)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.status == "submitted",
            Response.submitted_at < before,
            Answer.value_json != REMOVED_JSON,
        )
    ).all()
    cache: dict[tuple[str, int], set[str]] = {}
    expired = []
    for answer, code, version in rows:
        questions = cache.setdefault((code, version), _free_text_questions(code, version))
        if answer.question_id in questions and answer.value not in ("", RATHER_NOT_SAY):
            expired.append(answer)
    return expired


def _removed_texts(alert: Alert) -> str:
    return json.dumps([{**t, "text": REMOVED} for t in alert.texts], ensure_ascii=False)


def _delete_case_data(
    session: Session, case_ids: list[int], *, keep_alert_counts: bool
) -> tuple[int, int, int]:
    """Remove cases and everything identifiable hanging off them. Alerts are either
    deleted (erasure) or kept as words-free rows for the monthly counts (retention)."""
    if not case_ids:
        return 0, 0, 0
    response_ids = list(session.scalars(select(Response.id).where(Response.case_id.in_(case_ids))))
    alerts = list(session.scalars(select(Alert).where(Alert.case_id.in_(case_ids))))
    alert_ids = [a.id for a in alerts]
    # Requests to speak to a manager: contact details and words go with the case.
    talk.forget_for_cases(session, case_ids, erase=not keep_alert_counts)
    if alert_ids:
        session.execute(delete(OutboxMessage).where(OutboxMessage.alert_id.in_(alert_ids)))
    if keep_alert_counts:
        for alert in alerts:
            alert.texts_json = _removed_texts(alert)
            alert.action_note = REMOVED if alert.action_note else None
            alert.case_id = None
            alert.response_id = None
        session.flush()
    elif alert_ids:
        session.execute(delete(Alert).where(Alert.id.in_(alert_ids)))
    if response_ids:
        session.execute(
            update(Alert).where(Alert.response_id.in_(response_ids)).values(response_id=None)
        )
        session.execute(delete(Answer).where(Answer.response_id.in_(response_ids)))
        session.execute(delete(Response).where(Response.id.in_(response_ids)))
    # The links' messages and every address of the case in the outbox go too (the
    # database would remove them with the case; this says so where it can be read).
    session.execute(delete(OutboxAddress).where(OutboxAddress.case_id.in_(case_ids)))
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.invitation_id.in_(
                select(Invitation.id).where(Invitation.case_id.in_(case_ids))
            )
        )
    )
    invitations = session.execute(
        delete(Invitation).where(Invitation.case_id.in_(case_ids))
    ).rowcount
    session.execute(delete(FamilyContact).where(FamilyContact.case_id.in_(case_ids)))
    session.execute(delete(CaseStrand).where(CaseStrand.case_id.in_(case_ids)))
    session.execute(delete(Case).where(Case.id.in_(case_ids)))
    session.flush()
    session.expire_all()
    return len(response_ids), invitations, len(alert_ids)


def purge(
    session: Session, retention: Retention, now: datetime, *, apply: bool = False
) -> PurgeCounts:
    """What retention would remove (apply=False), or remove it. Measurements in the
    analytical store are never touched here: they are anonymised already."""
    counts = PurgeCounts()
    draft_before = now - timedelta(days=retention.draft_days)
    text_before = now - timedelta(days=retention.free_text_days)
    case_before = now - timedelta(days=retention.closed_case_days)

    closed_case_ids = list(
        session.scalars(
            select(Case.id).where(Case.status == "closed", Case.closed_at < case_before)
        )
    )
    counts.closed_cases = len(closed_case_ids)
    drafts = select(Response.id).where(
        Response.status == "draft", Response.updated_at < draft_before
    )
    if closed_case_ids:
        drafts = drafts.where(
            (Response.case_id.is_(None)) | (Response.case_id.not_in(closed_case_ids))
        )
    draft_ids = list(session.scalars(drafts))
    counts.draft_responses = len(draft_ids)
    answers = [
        a
        for a in _expired_free_text(session, text_before)
        if a.response.case_id is None or a.response.case_id not in closed_case_ids
    ]
    counts.free_text_answers = len(answers)
    old_alerts = [
        a
        for a in session.scalars(
            select(Alert).where(Alert.state == "closed", Alert.raised_at < text_before)
        )
        if (a.case_id is None or a.case_id not in closed_case_ids)
        and any(t["text"] != REMOVED for t in a.texts)
    ]
    counts.alert_texts = len(old_alerts)
    counts.talk_requests = talk.forget_old_details(session, text_before, apply=apply)
    if not apply:
        counts.case_responses = session.scalar(
            select(func.count(Response.id)).where(Response.case_id.in_(closed_case_ids or [-1]))
        )
        counts.case_invitations = session.scalar(
            select(func.count(Invitation.id)).where(Invitation.case_id.in_(closed_case_ids or [-1]))
        )
        counts.case_alerts = session.scalar(
            select(func.count(Alert.id)).where(Alert.case_id.in_(closed_case_ids or [-1]))
        )
        return counts

    for answer in answers:
        answer.value_json = REMOVED_JSON
    for alert in old_alerts:
        alert.texts_json = _removed_texts(alert)
    if draft_ids:
        session.execute(
            update(Alert).where(Alert.response_id.in_(draft_ids)).values(response_id=None)
        )
        session.execute(delete(Answer).where(Answer.response_id.in_(draft_ids)))
        session.execute(delete(Response).where(Response.id.in_(draft_ids)))
    session.flush()
    (counts.case_responses, counts.case_invitations, counts.case_alerts) = _delete_case_data(
        session, closed_case_ids, keep_alert_counts=True
    )
    record(
        session,
        actor=None,
        action="retention-purge",
        target="retention",
        detail=asdict(counts),
        at=now,
    )
    return counts


@dataclass(frozen=True)
class Erased:
    responses: int
    invitations: int
    alerts: int
    occasions: int


class NoSuchCase(LookupError):
    pass


def erase_case(
    session: Session, reference: str, pseudonym_key: bytes, now: datetime, *, actor=None
) -> Erased:
    """Remove a young person's identifiable data and their measurements in the store.

    The audit row says that an erasure happened, and nothing about whose."""
    from feedback.cases.services import normalise_reference

    reference = normalise_reference(reference)
    case_id = session.scalar(select(Case.id).where(Case.reference == reference))
    if case_id is None:
        raise NoSuchCase(reference)
    responses, invitations, alerts = _delete_case_data(session, [case_id], keep_alert_counts=False)
    occasions = store.erase_pseudonym(session, store.pseudonymise(pseudonym_key, reference))
    record(session, actor=actor, action="erase-case", target="a case", detail={}, at=now)
    return Erased(responses, invitations, alerts, occasions)


# --------------------------------------------------------------------------
# The audit log


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    page: int
    has_next: bool


def audit_actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def audit_page(
    session: Session, *, action: str | None = None, page: int = 1, per_page: int = 50
) -> AuditPage:
    page = max(page, 1)
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    rows = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page + 1)))
    return AuditPage(rows[:per_page], page, len(rows) > per_page)
