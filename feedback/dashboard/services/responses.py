"""Invitations sent and answered, by team and month: counts and rates under disclosure
control, with no team's count given away by another's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.orm import Session

from feedback.cases.models import Case
from feedback.dashboard.services.selection import Selection, period_words
from feedback.dashboard.services.tables import DataTable
from feedback.i18n import s_
from feedback.invitations.models import Invitation
from feedback.staff.models import Team
from outcomes import reports
from outcomes.disclosure import (
    DEFAULT_RULE,
    TOTAL,
    ProtectedTable,
    Shown,
    lattice_safe,
    protect_table,
)

# --- response counts and rates --------------------------------------------------------------


@dataclass(frozen=True)
class Responses:
    invited: ProtectedTable
    responded: ProtectedTable
    rates: Mapping[tuple[str, str], Shown]


def _team_unsafe(
    counts: Mapping[tuple[str, str], int],
    shown_teams: tuple[str, ...],
    periods: tuple[str, ...],
    all_teams: tuple[str, ...],
) -> set[tuple[str, str]]:
    """Cells and margins of a team-by-period table that some wider set of teams would
    give away by subtraction: each team's row is a view of that team, the margins a view
    of the teams shown, and every other team may be added to either (`lattice_safe`)."""
    unsafe = set()

    def count(team: str, period: str | None) -> int:
        if period is None:
            return sum(counts.get((team, p), 0) for p in periods)
        return counts.get((team, period), 0)

    for period in (*periods, None):
        col = TOTAL if period is None else period
        for team in shown_teams:
            others = [count(t, period) for t in all_teams if t != team]
            if not lattice_safe(0, others):
                unsafe.add((team, col))
        others = [count(t, period) for t in all_teams if t not in shown_teams]
        if not lattice_safe(0, others):
            unsafe.add((TOTAL, col))
    return unsafe


def response_counts(
    session: Session, selection: Selection, whole: str | None = None
) -> Responses | None:
    """Young people invited and young people who answered, per team and ended period, from
    invitations made in the period. Whose voices are missing, without naming anyone.

    Counts are of distinct cases. "Responded" is a subset of "invited", so a team's
    non-responders are never a small, visible group; and every cell is safe beside the
    same figures for any other set of teams. Age band, gender and strand filters do not
    apply. With ``whole``, the selection's months together are one period of that name."""
    f = selection.filters
    if whole is not None:
        assert f.date_to is not None
        periods: tuple[str, ...] = (whole,) if f.date_to <= f.today() else ()
        # Any expression the same for every row: the whole range is one group.
        bucket = func.min(literal_column("0")).label("period")
    else:
        periods = reports.ended_periods(f, selection.period)
        bucket = reports.period_expression(session, selection.period, Invitation.created_at).label(
            "period"
        )
    used_case = case((Invitation.used_at.is_not(None), Invitation.case_id))
    query = (
        select(
            Team.code,
            bucket,
            func.count(func.distinct(Invitation.case_id)),
            func.count(func.distinct(used_case)),
        )
        .join_from(Invitation, Case, Case.id == Invitation.case_id)
        .join(Team, Team.id == Case.team_id)
        .where(
            Invitation.created_at >= datetime.combine(f.date_from, time()),
            Invitation.created_at < datetime.combine(f.date_to, time()),
        )
        .group_by(Team.code, *([] if whole is not None else [bucket]))
    )
    all_teams = tuple(session.scalars(select(Team.code).order_by(Team.name)))
    teams = all_teams if f.teams is None else tuple(t for t in all_teams if t in f.teams)
    if not teams or not periods:
        return None
    invited: dict[tuple[str, str], int] = {}
    responded: dict[tuple[str, str], int] = {}
    for team, period, n_invited, n_responded in session.execute(query):
        period = whole if whole is not None else period
        if period in periods:
            invited[(team, period)] = n_invited
            responded[(team, period)] = n_responded
    not_responded = {key: n - responded[key] for key, n in invited.items()}
    shown = {k: v for k, v in invited.items() if k[0] in teams}
    answered = {k: v for k, v in responded.items() if k[0] in teams}
    invited_table = protect_table(
        shown, teams, periods, unsafe=_team_unsafe(invited, teams, periods, all_teams)
    )
    # Those who did not answer are "invited" with "answered" taken away: a small group
    # of them is hidden too, in the answered table.
    missing = _grid_of(shown, teams, periods)
    gone = {
        label
        for label, n in _grid_of(answered, teams, periods).items()
        if not DEFAULT_RULE.safe(missing.get(label, 0) - n)
    }
    responded_table = protect_table(
        answered,
        teams,
        periods,
        unsafe=_team_unsafe(responded, teams, periods, all_teams)
        | _team_unsafe(not_responded, teams, periods, all_teams)
        | gone,
    )
    rates = {
        key: reports.safe_percentage(
            responded.get(key, 0),
            responded_table.cells[key],
            invited.get(key, 0),
            invited_table.cells[key],
        )
        for key in invited_table.cells
    }
    return Responses(invited_table, responded_table, rates)


def _grid_of(
    counts: Mapping[tuple[str, str], int], rows: tuple[str, ...], cols: tuple[str, ...]
) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for r in (*rows, TOTAL):
        for c in (*cols, TOTAL):
            out[(r, c)] = sum(
                n
                for (row, col), n in counts.items()
                if (r == TOTAL or row == r)
                and (c == TOTAL or col == c)
                and row in rows
                and col in cols
            )
    return out


def responses_table(responses: Responses | None, team_names: Mapping[str, str]) -> DataTable:
    rows = []
    if responses is not None:
        for team in responses.invited.rows:
            for period in responses.invited.cols:
                key = (team, period)
                rows.append(
                    (
                        team_names.get(team, team),
                        period_words(period),
                        responses.invited.cells[key].display,
                        responses.responded.cells[key].display,
                        responses.rates[key].display,
                    )
                )
    return DataTable(
        key="responses",
        title=s_("Young people invited and young people who answered, by team"),
        head=(s_("Team"), s_("Period"), s_("Invited"), s_("Answered"), s_("Response rate")),
        rows=tuple(rows),
        numeric_from=2,
        note=s_(
            "Invitations made in each period. Not filtered by age band, gender, strand or "
            "questionnaire."
        ),
        name=s_("Invited and answered"),
    )
