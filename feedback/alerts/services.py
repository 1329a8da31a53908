"""Safeguarding alerts: raised from young people's answers, handled by staff, escalated.

Services flush and never commit: the request or command commits once. Every step is
audited, and no audit row or outbox message ever holds a young person's words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, has_app_context
from flask_babel import force_locale
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from feedback import clock
from feedback.alerts.models import (
    LEVEL_NAMES,
    STATES,
    WEEKDAYS,
    Alert,
    OutboxMessage,
    TeamDuty,
    TeamDutyDay,
)
from feedback.audit.services import record
from feedback.cases.models import Case
from feedback.i18n import DEFAULT, s_, sl_, sn_
from feedback.responses.models import Response
from feedback.responses.services import Concern, Respondent
from feedback.safeguarding.detector import ANOTHER_LANGUAGE, CATEGORIES, LEVELS, Scan, scan
from feedback.staff import access
from feedback.staff.models import Team, User, staff_team
from feedback.staff.services import find_user
from outcomes.questionnaires import RATHER_NOT_SAY

# How long an unacknowledged alert waits before it goes to someone else, by level; the
# settings ALERT_ESCALATE_DANGER_NOW_MINUTES and ALERT_ESCALATE_WORRYING_MINUTES win.
DEFAULT_ESCALATE_AFTER_MINUTES = {"danger-now": 15, "worrying": 120}
ESCALATE_SETTINGS = {
    "danger-now": "ALERT_ESCALATE_DANGER_NOW_MINUTES",
    "worrying": "ALERT_ESCALATE_WORRYING_MINUTES",
}


class AlertError(ValueError):
    """A step that cannot be taken: the message is fit to show the member of staff."""


@dataclass(frozen=True)
class Outcome:
    alert: Alert | None
    created: bool = False
    changed: bool = False

    @property
    def worth_telling(self) -> bool:
        return self.created or self.changed

    @property
    def concern(self) -> Concern | None:
        """What the young person's pages need to know: how urgent, and whether anyone
        has just been told."""
        if self.alert is None:
            return None
        return Concern(
            self.alert.level,
            fresh=self.worth_telling,
            told_again_after=escalate_after(self.alert.level),
        )


def _config(name: str, default):
    return current_app.config.get(name, default) if has_app_context() else default


def escalate_after(level: str) -> int:
    """Minutes an alert of this level may wait unacknowledged."""
    return int(_config(ESCALATE_SETTINGS[level], DEFAULT_ESCALATE_AFTER_MINUTES[level]))


def in_words(minutes: int) -> str:
    """15 -> "15 minutes", 120 -> "2 hours", for staff's messages and pages."""
    if minutes % 60 == 0:
        return sn_("%(num)d hour", "%(num)d hours", minutes // 60)
    return sn_("%(num)d minute", "%(num)d minutes", minutes)


def _most_urgent(levels) -> str:
    levels = set(levels)
    return next(lv for lv in LEVELS if lv in levels)


def alert_link(alert: Alert, base_url: str | None = None) -> str:
    base = base_url if base_url is not None else _config("BASE_URL", "")
    return f"{base.rstrip('/')}/alerts/{alert.id}"


# --------------------------------------------------------------------------
# Who is told, and who may see


def active(users) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        if user is not None and user.active:
            seen.setdefault(user.id, user)
    return list(seen.values())


def team_managers(session: Session, team_id: int | None) -> list[User]:
    if team_id is None:
        return []
    return list(
        session.scalars(
            select(User)
            .join(staff_team, staff_team.c.user_id == User.id)
            .where(staff_team.c.team_id == team_id, User.role == "manager", User.active)
            .order_by(User.id)
        )
    )


def admins(session: Session) -> list[User]:
    return list(
        session.scalars(select(User).where(User.role == "admin", User.active).order_by(User.id))
    )


def duty_manager(session: Session, team_id: int | None, on: date | None = None) -> User | None:
    """The team's duty manager on a day (today by default): the rota's manager for that
    day of the week, else the team's standing duty manager (`set-duty`), else nobody,
    and then every manager of the team is told. Someone deactivated counts as nobody."""
    if team_id is None:
        return None
    day = (on or clock.today()).weekday()
    rota = session.get(TeamDutyDay, (team_id, day))
    if rota is not None and rota.user.active:
        return rota.user
    duty = session.get(TeamDuty, team_id)
    return duty.user if duty is not None and duty.user.active else None


def duty_managers(session: Session, team_id: int | None) -> list[User]:
    """Who answers for the team now: its duty manager, else every manager of the team."""
    duty = duty_manager(session, team_id)
    return [duty] if duty else team_managers(session, team_id)


def rota(session: Session, team_id: int) -> dict[int, User]:
    """The team's rota: day of the week (0 is Monday) to its duty manager."""
    rows = session.scalars(select(TeamDutyDay).where(TeamDutyDay.team_id == team_id))
    return {row.weekday: row.user for row in rows}


def set_rota(session: Session, team: Team, days: dict[int, int | None], *, by: User) -> None:
    """Put managers of the team on days of the week (None: nobody that day). Every day is
    checked before any is changed."""
    managers = {u.id: u for u in team_managers(session, team.id)}
    for weekday, user_id in days.items():
        if weekday not in range(7):
            raise AlertError(s_("Choose days of the week from the list"))
        if user_id is not None and user_id not in managers:
            raise AlertError(
                s_(
                    "Choose a manager of %(team)s for %(day)s, or nobody",
                    team=team.name,
                    day=WEEKDAYS[weekday],
                )
            )
    before = {WEEKDAYS[d]: u.email for d, u in sorted(rota(session, team.id).items())}
    for weekday, user_id in days.items():
        row = session.get(TeamDutyDay, (team.id, weekday))
        if user_id is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(TeamDutyDay(team_id=team.id, weekday=weekday, user_id=user_id))
        else:
            row.user_id = user_id
    session.flush()
    for row in session.scalars(select(TeamDutyDay).where(TeamDutyDay.team_id == team.id)):
        session.expire(row, ["user"])
    after = {WEEKDAYS[d]: u.email for d, u in sorted(rota(session, team.id).items())}
    if before != after:
        record(
            session,
            actor=by,
            action="duty-rota-set",
            target=f"team {team.code}",
            detail={"before": before, "after": after},
        )


def first_recipients(session: Session, alert: Alert) -> list[User]:
    """The case's practitioner and the team's duty manager (else every manager of the
    team); for anonymous feedback the duty manager of the team that sent the link; admins
    when there is nobody else."""
    case = alert.case
    people = active([case.practitioner if case else None, *duty_managers(session, alert.team_id)])
    return people or admins(session)


def set_duty_manager(session: Session, team_code: str, email: str, *, actor=None) -> TeamDuty:
    team = session.scalar(select(Team).where(Team.code == team_code))
    if team is None:
        raise AlertError(s_("There is no team with the code %(code)r", code=team_code))
    user = find_user(session, email)
    if user is None or not user.active:
        raise AlertError(
            s_("There is no active member of staff with the email %(email)r", email=email)
        )
    if user.role != "manager" or team.id not in user.team_ids:
        raise AlertError(
            s_("%(email)s is not a manager of the team %(code)s", email=user.email, code=team.code)
        )
    duty = session.get(TeamDuty, team.id)
    if duty is None:
        duty = TeamDuty(team_id=team.id, user_id=user.id)
        session.add(duty)
    else:
        duty.user_id = user.id
    session.flush()
    session.expire(duty, ["user"])
    record(
        session,
        actor=actor,
        action="duty-manager-set",
        target=f"team {team.code}",
        detail={"user": user.email},
    )
    return duty


def visible_alerts(session: Session, user: User, state: str | None = None) -> list[Alert]:
    """The alerts `access.may_see_alert` lets the user see, as one query."""
    query = select(Alert).order_by(Alert.raised_at.desc(), Alert.id.desc())
    reach = access.alert_reach(user)
    if reach == "own-teams":
        query = query.where(access.team_condition(user, Alert.team_id))
    elif reach == "own-cases":
        query = query.join(Case, Case.id == Alert.case_id).where(Case.practitioner_id == user.id)
    if state:
        query = query.where(Alert.state == state)
    return list(session.scalars(query))


def open_alerts_by_case(session: Session, user: User, case_ids) -> dict[int, list[Alert]]:
    found: dict[int, list[Alert]] = {}
    if not case_ids:
        return found
    for alert in session.scalars(
        select(Alert)
        .where(Alert.case_id.in_(list(case_ids)), Alert.state != "closed")
        .order_by(Alert.raised_at.desc(), Alert.id.desc())
    ):
        if access.may_see_alert(user, alert):
            found.setdefault(alert.case_id, []).append(alert)
    return found


def get_visible_alert(session: Session, user: User, alert_id: int) -> Alert | None:
    alert = session.get(Alert, alert_id)
    return alert if alert is not None and access.may_see_alert(user, alert) else None


# --------------------------------------------------------------------------
# Raising


def _send(
    session: Session,
    recipients,
    alert: Alert,
    subject: str,
    intro: str,
    now: datetime,
    base_url: str | None = None,
) -> list[OutboxMessage]:
    # An email may be read anywhere: the words stay behind the sign-in. In the staff
    # pages' language, whichever page (a young person's, in theirs) raised the alert.
    with force_locale(DEFAULT):
        body = "\n\n".join(
            (
                intro,
                s_(
                    "Open the alert (you will need to sign in): %(link)s",
                    link=alert_link(alert, base_url),
                ),
                s_("This message does not contain what the young person wrote."),
            )
        )
    messages = [
        OutboxMessage(
            recipient_id=user.id, alert_id=alert.id, subject=subject, body=body, created_at=now
        )
        for user in recipients
    ]
    session.add_all(messages)
    session.flush()
    return messages


def _same_draft(response: Response, respondent: Respondent | None):
    """The condition that finds this draft's alerts: by the response for named answers,
    by the session's key for anonymous ones (which nothing else in the database holds)."""
    if not response.anonymous:
        return Alert.response_id == response.id
    key = respondent.draft_key if respondent is not None else None
    return Alert.draft_key == key if key else Alert.id.is_(None)


def _open_alert(
    session: Session, response: Response, respondent: Respondent | None
) -> Alert | None:
    return session.scalar(
        select(Alert)
        .where(_same_draft(response, respondent), Alert.state != "closed")
        .order_by(Alert.id.desc())
    )


def _known_texts(
    session: Session, response: Response, respondent: Respondent | None
) -> set[tuple[str, str]]:
    known = set()
    for texts_json in session.scalars(
        select(Alert.texts_json).where(_same_draft(response, respondent))
    ):
        known.update((t["question"], t["text"]) for t in json.loads(texts_json or "[]"))
    return known


_NEWS = {
    "danger-now": (
        sl_("Safeguarding alert: danger now, act straight away"),
        sl_(
            "A young person's answer suggests they may be in danger now. Read the alert and "
            "acknowledge it straight away."
        ),
    ),
    "worrying": (
        sl_("Safeguarding alert: needs attention today"),
        sl_(
            "A young person's answer has raised a safeguarding alert. It needs to be read and "
            "acknowledged today."
        ),
    ),
}


def _raised_message(alert: Alert) -> tuple[str, str]:
    """The subject and first words of the message telling staff of an alert, in the
    staff pages' language."""
    with force_locale(DEFAULT):
        subject, intro = (str(words) for words in _NEWS[alert.level])
        sentences = [intro]
        if alert.anonymous:
            sentences.append(
                s_("It came from anonymous feedback sent by your team: nobody knows who wrote it.")
            )
        sentences.append(
            s_(
                "If nobody acknowledges it within %(time)s, it goes to another manager.",
                time=in_words(escalate_after(alert.level)),
            )
        )
    return subject, " ".join(sentences)


def raise_or_update(
    session: Session,
    response: Response,
    flagged: list[tuple[str, Scan]],
    now: datetime,
    *,
    respondent: Respondent | None = None,
    base_url: str | None = None,
) -> Outcome:
    """Raise an alert for the flagged texts of a draft, or add them to its open alert.

    The same text saved again, or sent, changes nothing: one open alert per draft. An
    anonymous draft's alert goes to the team in `respondent`, linked by its key only.
    """
    flagged = [(q, s) for q, s in flagged if s.flag]
    if not flagged:
        return Outcome(None)
    known = _known_texts(session, response, respondent)
    fresh = [(q, s) for q, s in flagged if (q, s.text) not in known]
    alert = _open_alert(session, response, respondent)
    if not fresh:
        return Outcome(alert)
    entries = [
        {"question": q, "text": s.text, "categories": list(s.categories), "at": now.isoformat()}
        for q, s in fresh
    ]
    new_categories = {c for _, s in fresh for c in s.categories}
    new_level = _most_urgent(s.level or "worrying" for _, s in fresh)
    if alert is None:
        if response.anonymous:
            case = None
            team_id = respondent.team_id if respondent is not None else None
        else:
            case = session.get(Case, response.case_id) if response.case_id else None
            team_id = case.team_id if case else None
        alert = _raise(
            session,
            Alert(
                response_id=None if response.anonymous else response.id,
                case_id=case.id if case else None,
                team_id=team_id,
                anonymous=response.anonymous,
                draft_key=respondent.draft_key if response.anonymous and respondent else None,
            ),
            entries,
            new_level,
            new_categories,
            now,
            base_url,
        )
        return Outcome(alert, created=True)

    more_urgent = _most_urgent([alert.level, new_level]) != alert.level
    combined = set(alert.category_codes) | new_categories
    alert.categories = ",".join(c for c in CATEGORIES if c in combined)
    alert.texts_json = json.dumps(alert.texts + entries, ensure_ascii=False)
    alert.level = _most_urgent([alert.level, new_level])
    alert.updated_at = now
    session.flush()
    recipients = active(m.recipient for m in _messages(session, alert)) or first_recipients(
        session, alert
    )
    if more_urgent:
        subject, intro = _raised_message(alert)
    else:
        with force_locale(DEFAULT):
            subject, intro = (
                s_("Safeguarding alert: new information"),
                s_("A young person has written more in answers that raised a safeguarding alert."),
            )
    _send(session, recipients, alert, subject, intro, now, base_url)
    record(
        session,
        actor=None,
        action="alert-updated",
        target=f"alert {alert.id}",
        detail={"categories": alert.category_codes, "level": alert.level},
        at=now,
    )
    return Outcome(alert, changed=True)


def _raise(
    session: Session,
    alert: Alert,
    entries: list[dict],
    level: str,
    categories: set[str],
    now: datetime,
    base_url: str | None,
) -> Alert:
    """A new alert with its words: saved, sent to its first recipients, audited."""
    alert.level = level
    alert.state = "new"
    alert.categories = ",".join(c for c in CATEGORIES if c in categories)
    alert.texts_json = json.dumps(entries, ensure_ascii=False)
    alert.raised_at = now
    alert.updated_at = now
    alert.escalations = 0
    session.add(alert)
    session.flush()
    recipients = first_recipients(session, alert)
    subject, intro = _raised_message(alert)
    _send(session, recipients, alert, subject, intro, now, base_url)
    record(
        session,
        actor=None,
        action="alert-raised",
        target=f"alert {alert.id}",
        detail={
            "categories": alert.category_codes,
            "level": alert.level,
            "told": sorted(u.id for u in recipients),
        },
        at=now,
    )
    return alert


def raise_for_words(
    session: Session,
    scanned: Scan,
    now: datetime,
    *,
    team_id: int | None,
    anonymous: bool,
    source: str,
    base_url: str | None = None,
) -> Alert | None:
    """An alert for words written outside a questionnaire (a request to speak to a
    manager), when the detector flags them: the same levels, recipients, escalation and
    audit as an answer's. It names no case, so that it reaches the team's duty manager
    and not the worker: the page that holds the words says whose they are."""
    if not scanned.flag:
        return None
    entry = {
        "question": source,
        "text": scanned.text,
        "categories": list(scanned.categories),
        "at": now.isoformat(),
    }
    return _raise(
        session,
        Alert(team_id=team_id, anonymous=anonymous),
        [entry],
        scanned.level or "worrying",
        set(scanned.categories),
        now,
        base_url,
    )


def is_free_text(question, value) -> bool:
    return (
        question.kind.is_free_text
        and isinstance(value, str)
        and bool(value.strip())
        and value != RATHER_NOT_SAY
    )


def check_answer(
    session: Session, response: Response, question, value, now: datetime, **kwargs
) -> Outcome:
    """Scan a free-text answer as soon as it is saved."""
    if not is_free_text(question, value):
        return Outcome(None)
    return raise_or_update(session, response, [(question.id, scan(value))], now, **kwargs)


def check_response(
    session: Session, response: Response, questionnaire, now: datetime, **kwargs
) -> Outcome:
    """Scan every free-text answer again as the response is sent."""
    answers = response.answer_map()
    flagged = [
        (q.id, scan(answers[q.id]))
        for q in questionnaire.questions
        if is_free_text(q, answers.get(q.id))
    ]
    return raise_or_update(session, response, flagged, now, **kwargs)


# --------------------------------------------------------------------------
# Handling


def _messages(session: Session, alert: Alert) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.alert_id == alert.id)
            .order_by(OutboxMessage.id)
        )
    )


def record_view(session: Session, user: User, alert: Alert, now: datetime) -> None:
    record(session, actor=user, action="alert-viewed", target=f"alert {alert.id}", at=now)


def acknowledge(session: Session, alert: Alert, user: User, now: datetime) -> None:
    if alert.state != "new":
        raise AlertError(s_("This alert has already been acknowledged"))
    alert.state = "acknowledged"
    alert.acknowledged_at = now
    alert.acknowledged_by_id = user.id
    alert.updated_at = now
    session.flush()
    record(session, actor=user, action="alert-acknowledged", target=f"alert {alert.id}", at=now)


def take_action(session: Session, alert: Alert, user: User, note: str, now: datetime) -> None:
    note = (note or "").strip()
    if not note:
        raise AlertError(s_("Enter what was done about this alert"))
    if alert.state != "acknowledged":
        raise AlertError(
            s_("Acknowledge the alert first")
            if alert.state == "new"
            else s_("Action has already been recorded for this alert")
        )
    alert.state = "action-taken"
    alert.action_at = now
    alert.action_by_id = user.id
    alert.action_note = note
    alert.updated_at = now
    session.flush()
    # The note may name people: the audit says only that a note was written.
    record(
        session,
        actor=user,
        action="alert-action-taken",
        target=f"alert {alert.id}",
        detail={"note_length": len(note)},
        at=now,
    )


def close(
    session: Session, alert: Alert, user: User, now: datetime, *, quotable: bool = False
) -> None:
    """Close an alert; for one on words in another language, the manager says whether,
    having read them, they may be quoted (`read_in_another_language`)."""
    if not access.may_close_alert(user, alert):
        raise AlertError(s_("Only a manager can close an alert"))
    if alert.state != "action-taken":
        raise AlertError(s_("Record the action taken before closing the alert"))
    alert.state = "closed"
    alert.closed_at = now
    alert.closed_by_id = user.id
    alert.updated_at = now
    in_another_language = ANOTHER_LANGUAGE in alert.category_codes
    alert.words_quotable = bool(quotable) if in_another_language else None
    session.flush()
    record(
        session,
        actor=user,
        action="alert-closed",
        target=f"alert {alert.id}",
        detail={"words_quotable": alert.words_quotable} if in_another_language else None,
        at=now,
    )


def read_in_another_language(session: Session) -> dict[str, bool]:
    """Answers in another language, as written, that a manager has read, each with
    whether it may be quoted. An answer (a question of one draft) is read once every
    alert that holds it is closed, which only a manager can do; it may be quoted only if
    each of them was closed with a tick to say so, and every version of it was flagged
    for its language alone: an answer that ever flagged for its words is never quoted
    (`feedback.responses.services.quotable`)."""
    language = select(Alert.response_id, Alert.draft_key).where(
        Alert.categories.contains(ANOTHER_LANGUAGE)
    )
    responses, drafts = set(), set()
    for response_id, draft_key in session.execute(language):
        if response_id is not None:
            responses.add(response_id)
        elif draft_key:
            drafts.add(draft_key)
    if not responses and not drafts:
        return {}
    answers: dict[tuple[object, str], list[tuple[Alert, dict]]] = {}
    for alert in session.scalars(
        select(Alert).where(
            or_(Alert.response_id.in_(sorted(responses)), Alert.draft_key.in_(sorted(drafts)))
        )
    ):
        draft = alert.response_id if alert.response_id is not None else alert.draft_key
        for entry in alert.texts:
            answers.setdefault((draft, entry["question"]), []).append((alert, entry))
    read: dict[str, bool] = {}
    for entries in answers.values():
        if not all(alert.state == "closed" for alert, _entry in entries):
            continue
        quotable = all(
            bool(alert.words_quotable) and entry.get("categories") == [ANOTHER_LANGUAGE]
            for alert, entry in entries
        )
        for _alert, entry in entries:
            read[entry["text"]] = read.get(entry["text"], True) and quotable
    return read


# --------------------------------------------------------------------------
# Escalation


def next_in_line(session: Session, alert: Alert) -> list[User]:
    """Another manager of the team who has not been told yet, else an admin who has not;
    when everyone has been told, every admin again as a reminder."""
    told = {m.recipient_id for m in _messages(session, alert)}
    for candidates in (team_managers(session, alert.team_id), admins(session)):
        untold = [u for u in candidates if u.id not in told]
        if untold:
            return untold[:1]
    return admins(session)


def escalate_overdue(
    session: Session,
    now: datetime,
    *,
    after_minutes: dict[str, int] | None = None,
    base_url: str | None = None,
) -> list[Alert]:
    """Escalate every alert left unacknowledged for too long for its level (since it was
    raised, or since it was last escalated). The clock is a parameter so tests can move
    it; `after_minutes` by level overrides the settings."""
    minutes = {level: escalate_after(level) for level in LEVELS}
    minutes.update(after_minutes or {})
    late = []
    for level in LEVELS:
        due = now - timedelta(minutes=minutes[level])
        late.append(
            (Alert.level == level)
            & or_(
                Alert.escalated_at.is_(None) & (Alert.raised_at <= due),
                Alert.escalated_at <= due,
            )
        )
    overdue = list(
        session.scalars(
            select(Alert)
            .where(Alert.state == "new", or_(*late))
            .order_by(Alert.raised_at, Alert.id)
        )
    )
    for alert in overdue:
        targets = next_in_line(session, alert)
        alert.escalated_at = now
        alert.escalations = (alert.escalations or 0) + 1
        with force_locale(DEFAULT):
            subject = s_(
                "Safeguarding alert (%(level)s): not yet acknowledged",
                level=alert.level_name.lower(),
            )
            intro = s_(
                "A safeguarding alert has not been acknowledged within %(time)s of being "
                "raised, so it has come to you. Please read it and acknowledge it now.",
                time=in_words(minutes[alert.level]),
            )
        _send(session, targets, alert, subject, intro, now, base_url)
        record(
            session,
            actor=None,
            action="alert-escalated",
            target=f"alert {alert.id}",
            detail={"to": sorted(u.id for u in targets), "escalation": alert.escalations},
            at=now,
        )
    session.flush()
    return overdue


# --------------------------------------------------------------------------
# Monthly report


def _team_ids(session: Session, teams) -> list[int] | None:
    if teams is None:
        return None
    ids = []
    for team in teams:
        if isinstance(team, Team):
            ids.append(team.id)
        elif isinstance(team, int):
            ids.append(team)
        else:
            found = session.scalar(select(Team.id).where(Team.code == str(team)))
            if found is not None:
                ids.append(found)
    return ids


def report_section(session: Session, month_start, month_end, teams):
    """Alerts raised in the month, by where they stand now: numbers only, the parts of a
    total that the report adds and protects with them."""
    query = (
        select(Alert.state, func.count(Alert.id))
        .where(Alert.raised_at >= month_start, Alert.raised_at < month_end)
        .group_by(Alert.state)
    )
    ids = _team_ids(session, teams)
    if ids is not None:
        query = query.where(Alert.team_id.in_(ids or [-1]))
    counts = dict(session.execute(query).all())
    rows = [(str(label), counts.get(code, 0)) for code, label in STATES.items()]
    return s_("Safeguarding alerts"), rows, s_("Total raised")


def acknowledgement_section(session: Session, month_start, month_end, teams):
    """Alerts raised in the month, by how soon someone acknowledged them against the
    standard (the time after which an alert escalates, for its level): parts of a total,
    and the standard in words."""
    query = select(Alert.level, Alert.raised_at, Alert.acknowledged_at).where(
        Alert.raised_at >= month_start, Alert.raised_at < month_end
    )
    ids = _team_ids(session, teams)
    if ids is not None:
        query = query.where(Alert.team_id.in_(ids or [-1]))
    within = later = waiting = 0
    for level, raised, acknowledged in session.execute(query):
        if acknowledged is None:
            waiting += 1
        elif acknowledged - raised <= timedelta(minutes=escalate_after(level)):
            within += 1
        else:
            later += 1
    standard = ", ".join(
        s_(
            "%(time)s for “%(level)s”",
            time=in_words(escalate_after(level)),
            level=LEVEL_NAMES[level].lower(),
        )
        for level in LEVELS
        if level in LEVEL_NAMES
    )
    rows = [
        (s_("Acknowledged within the standard"), within),
        (s_("Acknowledged later than the standard"), later),
        (s_("Not acknowledged"), waiting),
        (s_("The standard"), s_("Acknowledged within %(standard)s", standard=standard)),
    ]
    return s_("Safeguarding alerts: time to acknowledge"), rows, s_("Alerts raised")
