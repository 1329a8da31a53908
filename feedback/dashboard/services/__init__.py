"""The managers' dashboard and monthly report: who may see which teams, reading the
filters, response rates, and every table as plain rows of text.

Each table is built once, as a `DataTable` of strings already through disclosure control,
and the page, the CSV and XLSX exports and the `report monthly` command all show that
same object, so their numbers cannot drift apart.

By job: `selection` (who may see which teams, the filters, the periods, the audit),
`tables` (each table as rows of text), `responses` (response counts and rates),
`dashboard` (one selection's tables) and `report` (the monthly report and its
commentary).
"""

from feedback.dashboard.services.dashboard import (
    STORE_TABLE_KEYS,
    TABLE_KEYS,
    Dashboard,
    build_dashboard,
    every_team_is,
    team_names,
)
from feedback.dashboard.services.report import (
    COMMENTARY_LIMIT,
    CommentaryTooLong,
    MonthlyReport,
    MonthNotEnded,
    Section,
    ages_section,
    build_monthly_report,
    commentary_for,
    save_commentary,
)
from feedback.dashboard.services.responses import (
    Responses,
    response_counts,
    responses_table,
)
from feedback.dashboard.services.selection import (
    DEFAULT_KIND,
    TREND_MONTHS,
    Selection,
    add_months,
    audit,
    default_form_data,
    filter_summary,
    month_selection,
    not_yet_ended,
    period_words,
    selection_from_form,
    visible_teams,
    whole_periods,
)
from feedback.dashboard.services.tables import (
    BAND_LABELS,
    STATUS_LABELS,
    DataTable,
    answered_table,
    distance_data_table,
    distribution_table,
    scores_tables,
    themes_tables,
    writers_table,
)

__all__ = [
    "BAND_LABELS",
    "COMMENTARY_LIMIT",
    "CommentaryTooLong",
    "DEFAULT_KIND",
    "Dashboard",
    "DataTable",
    "MonthNotEnded",
    "MonthlyReport",
    "Responses",
    "STATUS_LABELS",
    "STORE_TABLE_KEYS",
    "Section",
    "Selection",
    "TABLE_KEYS",
    "TREND_MONTHS",
    "add_months",
    "ages_section",
    "answered_table",
    "audit",
    "build_dashboard",
    "build_monthly_report",
    "commentary_for",
    "default_form_data",
    "distance_data_table",
    "distribution_table",
    "every_team_is",
    "filter_summary",
    "month_selection",
    "not_yet_ended",
    "period_words",
    "response_counts",
    "responses_table",
    "save_commentary",
    "scores_tables",
    "selection_from_form",
    "team_names",
    "themes_tables",
    "visible_teams",
    "whole_periods",
    "writers_table",
]
