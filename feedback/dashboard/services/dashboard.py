"""The dashboard: every table of one selection, built once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.dashboard.services.responses import Responses, response_counts, responses_table
from feedback.dashboard.services.selection import Selection, not_yet_ended
from feedback.dashboard.services.tables import (
    DataTable,
    answered_table,
    distance_data_table,
    distribution_table,
    scores_tables,
    themes_tables,
    writers_table,
)
from feedback.responses.services import read_quotes
from feedback.staff.models import Team
from outcomes import reports
from outcomes.disclosure import (
    Shown,
)
from outcomes.framework import Framework
from outcomes.reports import Filters

# --- the dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    selection: Selection
    people: Mapping[str, Shown]  # young people who answered, by ended period
    scores: reports.ScoreTable
    distribution: reports.PeriodTables
    distance: reports.PeriodTables
    themes: reports.ThemesSummary
    quotes: list[str]
    responses: Responses | None
    waiting: str = ""  # the periods not shown yet, in words
    # Quotes in another language that wait for a manager to read them, in this view.
    quotes_waiting: Shown | None = None
    tables: list[DataTable] = field(default_factory=list)

    def table(self, key: str) -> DataTable:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    @property
    def latest(self) -> str | None:
        return next(reversed(self.people), None) if self.people else None

    @property
    def anything_shown(self) -> bool:
        """Whether this view shows any figure about young people's answers at all."""
        return any(self.table(key).anything_shown for key in STORE_TABLE_KEYS)


TABLE_KEYS = (
    "answered",
    "scores",
    "people",
    "distribution",
    "distance",
    "wrote",
    "going-well",
    "could-be-better",
    "responses",
)
# The tables read from what young people said, as against the invitations.
STORE_TABLE_KEYS = TABLE_KEYS[:-1]


def every_team_is(filters: Filters, team_names: Mapping[str, str]) -> Filters:
    """The filters with the service's other teams named: a view of some teams is compared
    with those teams added (and, holding them all, with none)."""
    if filters.teams is None:
        return filters
    return replace(filters, other_teams=tuple(sorted(set(team_names) - set(filters.teams))))


def build_dashboard(
    session: Session,
    framework: Framework,
    selection: Selection,
    team_names: Mapping[str, str],
) -> Dashboard:
    f = every_team_is(selection.filters, team_names)
    scores, distribution = reports.scores_and_spread(session, framework, f, selection.period)
    distance = reports.distance_by_period(session, framework, f, selection.period)
    themes = reports.themes_summary(session, f, selection.period)
    people = reports.people_by_period(session, f, selection.period)
    read = read_quotes(session)
    responses = response_counts(session, selection)
    tables = [
        answered_table(people, selection.period),
        *scores_tables(framework, scores),
        distribution_table(framework, distribution),
        distance_data_table(framework, distance),
        writers_table(themes),
        *themes_tables(themes),
        responses_table(responses, team_names),
    ]
    return Dashboard(
        selection=selection,
        people=people,
        scores=scores,
        distribution=distribution,
        distance=distance,
        themes=themes,
        quotes=reports.quotes(session, f, read=read.quotable),
        quotes_waiting=reports.quotes_waiting(session, f, read=read.read),
        responses=responses,
        waiting=not_yet_ended(selection),
        tables=tables,
    )


def team_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Team.code, Team.name)).tuples().all())
