"""The monthly report's sections on endings: cases closed by reason, and exit interviews
(offered, completed, how satisfied each kind of respondent was, and re-referrals).

Registered in app.config["REPORT_SECTIONS"] by `feedback.invitations.init_app`; the report
(`feedback.dashboard.services.report._section_table`) puts every count through disclosure
control. A satisfaction score is a mean of the store's scores, protected where it is
computed (`outcomes.reports.scores_and_spread`: at least 10 people, cell key perturbation,
no view that another set of teams gives away), one kind of respondent at a time: a
young person's and a parent's account of the service are never mixed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from feedback.cases.models import CLOSURE_REASONS, Case, CaseReferral
from feedback.i18n import s_, sl_
from feedback.invitations.models import Invitation
from feedback.invitations.services import EXIT_FAMILY, EXIT_YOUNG_PERSON
from feedback.staff.models import Team
from outcomes import reports
from outcomes.disclosure import DEFAULT_RULE, SUPPRESSED
from outcomes.framework import current_framework

# Each kind of exit interview and the domain that says how the service was for them.
SATISFACTION = {
    EXIT_YOUNG_PERSON: (
        sl_("Young people: experience of the service (mean score of 100)"),
        "experience",
    ),
    EXIT_FAMILY: (
        sl_("Parents and carers: experience of the service (mean score of 100)"),
        "family-experience",
    ),
}


def _in_teams(query, teams: Sequence[str] | None):
    if teams is None:
        return query
    return query.join(Team, Team.id == Case.team_id).where(Team.code.in_(list(teams) or [""]))


def closures_section(session: Session, month_start: date, month_end: date, teams):
    """Cases closed in the month (the day the work ended), by why: parts of a total."""
    query = _in_teams(
        select(CaseReferral.closure_reason, func.count(CaseReferral.id))
        .join(Case, Case.id == CaseReferral.case_id)
        .where(CaseReferral.closed_on >= month_start, CaseReferral.closed_on < month_end)
        .group_by(CaseReferral.closure_reason),
        teams,
    )
    counts = dict(session.execute(query).all())
    rows = [(str(label), counts.get(code, 0)) for code, label in CLOSURE_REASONS.items()]
    return s_("Cases closed, by reason"), rows, s_("Cases closed")


def _offered_and_completed(
    session: Session, code: str, start: datetime, end: datetime, teams
) -> tuple[int, int]:
    """Distinct people offered an exit interview of this kind in the month (a case's
    young person, or a parent or carer), and of them those who answered it."""
    who = Invitation.case_id if code == EXIT_YOUNG_PERSON else Invitation.family_contact_id
    answered = func.count(func.distinct(case((Invitation.used_at.is_not(None), who))))
    query = _in_teams(
        select(func.count(func.distinct(who)), answered)
        .join(Case, Case.id == Invitation.case_id)
        .where(
            Invitation.questionnaire_code == code,
            Invitation.created_at >= start,
            Invitation.created_at < end,
        ),
        teams,
    )
    offered, completed = session.execute(query).one()
    return offered or 0, completed or 0


def _satisfaction(session: Session, code: str, month_start: date, month_end: date, teams) -> str:
    framework = current_framework()
    _title, domain = SATISFACTION[code]
    filters = reports.Filters(
        framework_code=framework.code,
        framework_version=framework.version,
        date_from=month_start,
        date_to=month_end,
        teams=tuple(teams) if teams is not None else None,
        allowed_teams=tuple(teams) if teams is not None else None,
        kind=code,
        as_of=month_end,
    )
    scores, _spread = reports.scores_and_spread(session, framework, filters, "month")
    label = f"{month_start:%Y-%m}"
    if label not in scores.rows or domain not in scores.cols:
        return SUPPRESSED
    return scores.cell(label, domain).mean.display


def exit_interviews_section(session: Session, month_start: date, month_end: date, teams):
    """Exit interviews offered and completed in the month, for young people and families
    apart, how satisfied each was, and re-referrals (cases reopened in the month)."""
    start, end = datetime.combine(month_start, time()), datetime.combine(month_end, time())
    rows: list[tuple[str, int | str]] = []
    words = {
        EXIT_YOUNG_PERSON: (
            s_("Young people offered an exit interview"),
            s_("Young people who completed it"),
        ),
        EXIT_FAMILY: (
            s_("Parents and carers offered an exit interview"),
            s_("Parents and carers who completed it"),
        ),
    }
    for code, (offered_words, completed_words) in words.items():
        offered, completed = _offered_and_completed(session, code, start, end, teams)
        rows.append((offered_words, offered))
        # Those who did not answer are the offered less the completed: a small group of
        # them would be given away by the two figures side by side.
        completed_shown: int | str = (
            completed if DEFAULT_RULE.safe(offered - completed) else SUPPRESSED
        )
        rows.append((completed_words, completed_shown))
    re_referred = _in_teams(
        select(func.count(CaseReferral.id))
        .join(Case, Case.id == CaseReferral.case_id)
        .where(
            CaseReferral.number > 1,
            CaseReferral.opened_at >= start,
            CaseReferral.opened_at < end,
        ),
        teams,
    )
    rows.append((s_("Re-referrals (closed cases opened again)"), session.scalar(re_referred) or 0))
    for code, (title, _domain) in SATISFACTION.items():
        rows.append((str(title), _satisfaction(session, code, month_start, month_end, teams)))
    return s_("Exit interviews"), rows
