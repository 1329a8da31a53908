"""Every table as plain rows of text, already through disclosure control: the one
object the page, the CSV and XLSX exports and the `report monthly` command all show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from feedback.dashboard.services.selection import period_words
from feedback.i18n import s_, sl_
from feedback.i18n_outcomes import outcome_word, themes_reason
from outcomes import reports
from outcomes.disclosure import (
    SUPPRESSED,
    Shown,
)
from outcomes.framework import Framework
from outcomes.reports import Period

# Translated where a table or chart is made: str(BAND_LABELS[code]).
BAND_LABELS = {
    "0-24": sl_("0 to 24"),
    "25-49": sl_("25 to 49"),
    "50-74": sl_("50 to 74"),
    "75-100": sl_("75 to 100"),
}
STATUS_LABELS = {
    "improved": sl_("Improved"),
    "no-reliable-change": sl_("No reliable change"),
    "worse": sl_("Worse"),
}

# --- tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataTable:
    """A table as the reader sees it: every cell text, already protected."""

    key: str
    title: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Columns from this index on hold numbers (right-aligned on the page).
    numeric_from: int = 1
    note: str = ""
    # A short name for a spreadsheet's sheet (31 characters at most); else the title's.
    name: str = ""

    @property
    def sheet_name(self) -> str:
        if self.name:
            return self.name
        if len(self.title) <= 31:
            return self.title
        return self.title[:31].rsplit(" ", 1)[0]

    @property
    def anything_shown(self) -> bool:
        """Whether any number in the table is shown (not every one "c")."""
        return any(cell != SUPPRESSED for row in self.rows for cell in row[self.numeric_from :])


def _period_rows(
    tables: reports.PeriodTables, row_labels: Mapping[str, str]
) -> tuple[tuple[str, ...], ...]:
    """Each period's table in turn: a row per domain with the period beside it."""
    rows = []
    for label in tables.rows:
        table = tables.table(label)
        for r in table.rows:
            cells = [table.cell(r, c).display for c in table.cols]
            rows.append(
                (period_words(label), row_labels.get(r, r), *cells, table.row_totals[r].display)
            )
    return tuple(rows)


def _by_quarter(period: Period) -> bool:
    return period == "quarter"


def scores_tables(framework: Framework, scores: reports.ScoreTable) -> list[DataTable]:
    names = {d.code: outcome_word(d.name) for d in framework.domains}
    quarterly = _by_quarter(scores.period)
    means = tuple(
        (names[d], *(scores.cell(p, d).mean.display for p in scores.rows)) for d in scores.cols
    )
    people = tuple(
        (names[d], *(scores.cell(p, d).people.display for p in scores.rows)) for d in scores.cols
    )
    return [
        DataTable(
            key="scores",
            title=s_("Mean outcome score (0 to 100) by domain and quarter")
            if quarterly
            else s_("Mean outcome score (0 to 100) by domain and month"),
            head=(s_("Domain"), *(period_words(p) for p in scores.rows)),
            rows=means if scores.rows else (),
            name=s_("Mean scores"),
        ),
        DataTable(
            key="people",
            title=s_("Young people with a score, by domain and quarter")
            if quarterly
            else s_("Young people with a score, by domain and month"),
            head=(s_("Domain"), *(period_words(p) for p in scores.rows)),
            rows=people if scores.rows else (),
            name=s_("Young people with a score"),
        ),
    ]


def answered_table(people: Mapping[str, Shown], period: Period) -> DataTable:
    return DataTable(
        key="answered",
        title=s_("Young people who answered, by quarter")
        if _by_quarter(period)
        else s_("Young people who answered, by month"),
        head=(s_("Who"), *(period_words(p) for p in people)),
        rows=((s_("Young people"), *(shown.display for shown in people.values())),)
        if people
        else (),
        name=s_("Young people who answered"),
    )


def distribution_table(framework: Framework, tables: reports.PeriodTables) -> DataTable:
    names = {d.code: outcome_word(d.name) for d in framework.domains}
    quarterly = _by_quarter(tables.period)
    return DataTable(
        key="distribution",
        title=s_("Young people by their latest score in each domain, by quarter")
        if quarterly
        else s_("Young people by their latest score in each domain, by month"),
        head=(
            s_("Period"),
            s_("Domain"),
            *(str(BAND_LABELS[c]) for c in reports.BAND_CODES),
            s_("All"),
        ),
        rows=_period_rows(tables, names),
        numeric_from=2,
        note=s_(
            "Each young person counted once a quarter in each domain, by their latest score "
            "that quarter."
        )
        if quarterly
        else s_(
            "Each young person counted once a month in each domain, by their latest score "
            "that month."
        ),
        name=s_("Spread of scores"),
    )


def distance_data_table(framework: Framework, tables: reports.PeriodTables) -> DataTable:
    names = {d.code: outcome_word(d.name) for d in framework.domains}
    quarterly = _by_quarter(tables.period)
    return DataTable(
        key="distance",
        title=s_(
            "Distance travelled: young people whose score changed since their first "
            "check-in, by quarter"
        )
        if quarterly
        else s_(
            "Distance travelled: young people whose score changed since their first "
            "check-in, by month"
        ),
        head=(
            s_("Period"),
            s_("Domain"),
            *(str(STATUS_LABELS[c]) for c in reports.DISTANCE_STATUSES),
            s_("All"),
        ),
        rows=_period_rows(tables, names),
        numeric_from=2,
        note=s_(
            "Young people who checked in that quarter, their latest check-in compared with "
            "their baseline. Only young people with an earlier check-in to compare with."
        )
        if quarterly
        else s_(
            "Young people who checked in that month, their latest check-in compared with "
            "their baseline. Only young people with an earlier check-in to compare with."
        ),
        name=s_("Distance travelled"),
    )


def themes_tables(summary: reports.ThemesSummary) -> list[DataTable]:
    out = []
    for key, title, pick in (
        ("going-well", s_("What is going well"), lambda p: p.going_well),
        ("could-be-better", s_("What could be better"), lambda p: p.could_be_better),
    ):
        rows = tuple(
            (period_words(p.period), outcome_word(t.label), t.people.display, t.share.display)
            for p in summary.periods
            if p.shown
            for t in pick(p)
        )
        out.append(
            DataTable(
                key=key,
                title=title,
                head=(s_("Period"), s_("Theme"), s_("People"), s_("Share of those who wrote")),
                rows=rows,
                numeric_from=2,
                note=themes_reason(summary.period),
            )
        )
    return out


# People who wrote an answer in another language, which themes and sentiment do not read:
# counted, so that managers see such answers exist.
NOT_ANALYSED_LABEL = sl_("Not analysed: language")
NOT_ANALYSED_NOTE = sl_(
    "Themes and sentiment are read in English only. “Not analysed: language” counts the "
    "people who wrote in another language; a manager reads those answers through the "
    "safeguarding alerts."
)


def writers_table(summary: reports.ThemesSummary) -> DataTable:
    return DataTable(
        key="wrote",
        title=s_("People who wrote about the support, by quarter")
        if _by_quarter(summary.period)
        else s_("People who wrote about the support, by month"),
        head=(s_("Who"), *(period_words(p.period) for p in summary.periods)),
        rows=(
            (s_("People"), *(p.answered.display for p in summary.periods)),
            (str(NOT_ANALYSED_LABEL), *(p.not_analysed.display for p in summary.periods)),
        )
        if summary.periods
        else (),
        note=str(NOT_ANALYSED_NOTE),
        name=s_("People who wrote"),
    )
