"""What a manager asked to see: who may see which teams, the filters read from the
form, and the months and periods they cover; and the audit of each view."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.audit.services import record
from feedback.i18n import s_
from feedback.i18n_outcomes import month_words, outcome_word
from feedback.staff import access
from feedback.staff.models import Team, User
from outcomes import reports
from outcomes.framework import Framework
from outcomes.reports import Filters, Period
from outcomes.vocabulary import (
    AGE_BANDS,
    GENDERS,
    QUESTIONNAIRE_KINDS,
    STRANDS,
)

TREND_MONTHS = 6
DEFAULT_KIND = "checkin"


# --- who may see what ---------------------------------------------------------------------


def visible_teams(session: Session, user: User) -> list[Team]:
    query = select(Team).order_by(Team.name)
    codes = access.dashboard_team_codes(user)
    if codes is not None:
        query = query.where(Team.code.in_(codes))
    return list(session.scalars(query))


# --- the selection ------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def whole_periods(first: date, last: date, period: Period) -> tuple[date, date]:
    """The first and last months widened to whole quarters where grouping by quarter,
    because the figures are kept per whole period."""
    if period == "quarter":
        first = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
        last = add_months(date(last.year, (last.month - 1) // 3 * 3 + 1, 1), 2)
    return first, last


@dataclass(frozen=True)
class Selection:
    """What the viewer asked for, checked: the report filters and how to group."""

    filters: Filters
    period: Period = "month"
    first_month: date | None = None
    last_month: date | None = None

    def describe(self) -> dict[str, object]:
        """For the audit log: the filters as plain values."""
        data = self.filters.as_dict()
        data["period"] = self.period
        return data


def default_form_data(today: date) -> dict[str, str]:
    """The last six months that have ended: the figures of a month appear once it has."""
    last_month = add_months(date(today.year, today.month, 1), -1)
    return {
        "date_from": add_months(last_month, -(TREND_MONTHS - 1)).strftime("%Y-%m"),
        "date_to": last_month.strftime("%Y-%m"),
        "period": "month",
        "kind": DEFAULT_KIND,
    }


def selection_from_form(form, user: User, framework: Framework, today: date) -> Selection:
    """The checked form as a Selection. Call only after the form validated."""
    from feedback.dashboard.forms import parse_month

    period = form.period.data or "month"
    first, last = whole_periods(
        parse_month(form.date_from.data), parse_month(form.date_to.data), period
    )
    allowed = access.dashboard_team_codes(user)
    team = form.team.data or None
    teams = (team,) if team else allowed
    return Selection(
        filters=Filters(
            framework_code=framework.code,
            framework_version=framework.version,
            date_from=first,
            date_to=add_months(last, 1),
            teams=teams,
            age_band=form.age_band.data or None,
            gender=form.gender.data or None,
            strand=form.strand.data or None,
            kind=form.kind.data or DEFAULT_KIND,
            allowed_teams=allowed,
            as_of=today,
        ),
        period=period,
        first_month=first,
        last_month=last,
    )


def month_selection(
    teams: tuple[str, ...] | None, framework: Framework, month: date, today: date
) -> Selection:
    """One calendar month over the given teams (None: every team), of check-ins."""
    return Selection(
        filters=Filters(
            framework_code=framework.code,
            framework_version=framework.version,
            date_from=month,
            date_to=add_months(month, 1),
            teams=teams,
            allowed_teams=teams,
            as_of=today,
        ),
        period="month",
        first_month=month,
        last_month=month,
    )


def filter_summary(selection: Selection, team_names: Mapping[str, str]) -> list[str]:
    """The filters in words, for the page and the report."""
    f = selection.filters
    words = [
        s_(
            "%(first)s to %(last)s",
            first=month_words(selection.first_month),
            last=month_words(selection.last_month),
        )
        if selection.first_month != selection.last_month
        else month_words(selection.first_month)
    ]
    if f.teams is None:
        words.append(s_("All teams"))
    else:
        words.append(", ".join(team_names.get(c, c) for c in f.teams) or s_("No teams"))
    for value, names in (
        (f.age_band, AGE_BANDS),
        (f.gender, GENDERS),
        (f.strand, STRANDS),
        (f.kind, QUESTIONNAIRE_KINDS),
    ):
        if value:
            words.append(outcome_word(names.get(value, value)))
    return words


def not_yet_ended(selection: Selection) -> str:
    """In words, the periods asked for that are not shown because they have not ended."""
    waiting = reports.open_periods(selection.filters, selection.period)
    if not waiting:
        return ""
    periods = ", ".join(period_words(p) for p in waiting)
    if selection.period == "quarter":
        return s_(
            "Not shown yet: %(periods)s. The figures for a quarter appear once it has ended, "
            "because figures that change with each answer could be compared before and after "
            "one young person answered.",
            periods=periods,
        )
    return s_(
        "Not shown yet: %(periods)s. The figures for a month appear once it has ended, "
        "because figures that change with each answer could be compared before and after "
        "one young person answered.",
        periods=periods,
    )


def period_words(label: str) -> str:
    """A period as every output names it: "2026-11" is "Nov 2026", "2026-Q4" is "Oct to
    Dec 2026"."""
    if "Q" in label:
        year, quarter = label.split("-Q")
        first = date(int(year), (int(quarter) - 1) * 3 + 1, 1)
        return s_(
            "%(first)s to %(last)s",
            first=month_words(first, "MMM"),
            last=month_words(add_months(first, 2)),
        )
    return month_words(date.fromisoformat(label + "-01"))


# --- audit ----------------------------------------------------------------------------------


def audit(session: Session, user, action: str, target: str, selection: Selection, **extra) -> None:
    detail = {"filters": selection.describe(), **extra}
    record(session, actor=user, action=action, target=target, detail=detail)
