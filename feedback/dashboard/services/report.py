"""The monthly report for a scrutiny committee, and the manager's commentary saved with
it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedback import clock
from feedback.audit.services import record
from feedback.cases.models import Case
from feedback.dashboard.services.dashboard import (
    Dashboard,
    build_dashboard,
    every_team_is,
    team_names,
)
from feedback.dashboard.services.responses import Responses, response_counts
from feedback.dashboard.services.selection import (
    TREND_MONTHS,
    add_months,
    month_selection,
    period_words,
)
from feedback.dashboard.services.tables import (
    NOT_ANALYSED_NOTE,
    DataTable,
    distance_data_table,
    scores_tables,
)
from feedback.i18n import date_in_words, s_
from feedback.i18n_outcomes import month_words, outcome_word, window_words
from feedback.staff.models import Team, User
from outcomes import pooled, reports
from outcomes.disclosure import (
    SUPPRESSED,
    TOTAL,
    Shown,
    lattice_safe,
    protect_count,
    protect_table,
)
from outcomes.framework import Framework
from outcomes.vocabulary import (
    age_band,
    age_bands,
)

# --- the monthly report ---------------------------------------------------------------------

# A report section: (session, month_start, month_end, teams) -> (title, rows) or
# (title, rows, total_label), rows being (label, count); with a total label, the rows are
# the parts of a total that the report adds under that label. Other features register
# theirs in app.config["REPORT_SECTIONS"].
Section = Callable[[Session, date, date, Sequence[str] | None], tuple]


class MonthNotEnded(ValueError):
    """The monthly report of a month that has not ended: the message says so kindly."""


@dataclass(frozen=True)
class MonthlyReport:
    month: date
    headline: DataTable
    dashboard: Dashboard
    trend: list[DataTable]
    distance: DataTable
    sections: list[DataTable]
    # Distance travelled over the smallest window that passes disclosure control.
    improved: DataTable | None = None
    improved_words: tuple[str, ...] = ()
    # Each domain's pooled figures, over the window the improved table names.
    pools: Mapping[str, pooled.Pooled] | None = None
    ages: DataTable | None = None
    trend_scores: reports.ScoreTable | None = None
    teams: tuple[str, ...] | None = None

    @property
    def tables(self) -> list[DataTable]:
        d = self.dashboard
        return [
            self.headline,
            *([self.improved] if self.improved else []),
            *self.trend,
            self.distance,
            d.table("going-well"),
            d.table("could-be-better"),
            d.table("responses"),
            *([self.ages] if self.ages else []),
            *self.sections,
        ]


def _section_table(
    index: int,
    section: Section,
    session: Session,
    month: date,
    end: date,
    teams: tuple[str, ...] | None,
) -> DataTable:
    """A section's numbers are counts of people or events about them, so they go through
    the same rules as everything else in a report that can leave the service: the 10-5
    rule, secondary suppression where the rows are the parts of a total, and no count
    that another set of teams would give away by subtraction."""
    title, rows, *rest = section(session, month, end, teams)
    total_label = rest[0] if rest else None
    counted = [
        (str(label), n) for label, n in rows if isinstance(n, int) and not isinstance(n, bool)
    ]
    others: list[dict[str, int]] = []
    if teams is not None:
        for team in session.scalars(select(Team.code).where(Team.code.not_in(teams))):
            _title, other_rows, *_rest = section(session, month, end, (team,))
            others.append({str(label): n for label, n in other_rows if isinstance(n, int)})
    labels = tuple(label for label, _n in counted)
    counts = {(label, "n"): n for label, n in counted}
    unsafe = set()
    for label in labels:
        if not lattice_safe(0, [other.get(label, 0) for other in others]):
            unsafe |= {(label, "n"), (label, TOTAL)}
    shown_rows: list[tuple[str, str]] = []
    if total_label and labels:
        if not lattice_safe(0, [sum(o.get(label, 0) for label in labels) for o in others]):
            unsafe |= {(TOTAL, "n"), (TOTAL, TOTAL)}
        table = protect_table(counts, labels, ("n",), unsafe=unsafe)
        shown_rows = [(label, table.cell(label, "n").display) for label in labels]
        shown_rows.append((str(total_label), table.grand_total.display))
    else:
        for label, n in counted:
            shown = protect_count(n)
            hidden = (label, "n") in unsafe and not shown.suppressed
            shown_rows.append((label, SUPPRESSED if hidden else shown.display))
    for label, value in rows:
        if not (isinstance(value, int) and not isinstance(value, bool)):
            shown_rows.append((str(label), str(value)))
    return DataTable(
        key=f"section-{index}",
        title=str(title),
        head=(s_("What is counted"), s_("Number") if counted else s_("Details")),
        rows=tuple(shown_rows),
    )


def _checkin_codes() -> list[str]:
    from outcomes.questionnaires import all_questionnaires

    return sorted({code for (code, _v), q in all_questionnaires().items() if q.kind == "checkin"})


def ages_section(session: Session, month: date, end: date, teams) -> tuple:
    """Young people who sent a check-in in the month, by the committee's age bands on the
    day they sent it (the one rule of `outcomes.vocabulary.age_band`), from the case
    records: each young person once, at their first check-in of the month."""
    from feedback.responses.models import Response

    query = (
        select(Case.id, Case.date_of_birth, func.min(Response.submitted_at))
        .join(Response, Response.case_id == Case.id)
        .where(
            Response.status == "submitted",
            Response.submitted_at >= datetime.combine(month, time()),
            Response.submitted_at < datetime.combine(end, time()),
            Response.questionnaire_code.in_(_checkin_codes()),
        )
        .group_by(Case.id, Case.date_of_birth)
    )
    if teams is not None:
        query = query.join(Team, Team.id == Case.team_id).where(Team.code.in_(teams))
    counts = dict.fromkeys(age_bands("committee"), 0)
    for _case, born, sent in session.execute(query):
        counts[age_band(born, sent.date(), "committee")] += 1
    rows = [(outcome_word(words), counts[code]) for code, words in age_bands("committee").items()]
    return s_("Young people who sent a check-in, by age"), rows, s_("All ages")


def _headline(
    month: date,
    year_words: str,
    columns: Sequence[tuple[str, Shown | None, Responses | None, tuple[str, str]]],
) -> DataTable:
    """``columns``: (heading, people who answered, responses, (people who wrote, people
    who wrote in another language))."""

    def total(responses: Responses | None, which: str) -> str:
        if responses is None:
            return SUPPRESSED
        return getattr(responses, which).grand_total.display

    return DataTable(
        key="headline",
        title=s_("Headline figures"),
        head=(s_("Figure"), *(heading for heading, *_rest in columns)),
        rows=(
            (
                s_("Young people who answered a check-in"),
                *(people.display if people else SUPPRESSED for _h, people, _r, _w in columns),
            ),
            (s_("Young people invited"), *(total(r, "invited") for _h, _p, r, _w in columns)),
            (
                s_("Young people who answered an invitation"),
                *(total(r, "responded") for _h, _p, r, _w in columns),
            ),
            (
                s_("People who wrote about the support"),
                *(w for _h, _p, _r, (w, _n) in columns),
            ),
            (
                s_("Not analysed: language (people who wrote in another language)"),
                *(n for _h, _p, _r, (_w, n) in columns),
            ),
        ),
        note=s_(
            "%(month)s beside the same month a year before and the %(year)s: figures over "
            "12 months end with the latest whole quarter. Over 12 months, a young person "
            "invited in several months is counted once; people who wrote are counted by "
            "month only.",
            month=month_words(month),
            year=year_words,
        )
        + f" {NOT_ANALYSED_NOTE}",
        name=s_("Headline figures"),
    )


def _improved(
    framework: Framework, month: date, results: Sequence[pooled.Pooled]
) -> tuple[DataTable, tuple[str, ...], dict[str, pooled.Pooled]]:
    by_domain, _answered = pooled.smallest_of(framework, results)
    rows, words = [], []
    for domain in framework.domains:
        figures = by_domain[domain.code]
        cell = figures.domains[domain.code]
        rows.append(
            (
                outcome_word(domain.name),
                window_words(figures.window),
                cell.share.display,
                cell.improved.display,
                cell.people.display,
            )
        )
        if not cell.share.suppressed:
            words.append(
                s_(
                    "%(share)s of young people improved in “%(domain)s” (%(period)s)",
                    share=cell.share.display,
                    domain=outcome_word(domain.name),
                    period=window_words(figures.window),
                )
            )
    table = DataTable(
        key="improved",
        title=s_("Distance travelled: young people who improved"),
        head=(
            s_("Domain"),
            s_("Over"),
            s_("Share improved"),
            s_("Improved"),
            s_("With a change to compare"),
        ),
        rows=tuple(rows),
        numeric_from=2,
        note=s_(
            "Each domain over the smallest period ending with %(month)s whose figures can be "
            "shown: the month, else the latest whole quarter, else the 12 months to its end. "
            "Young people who checked in in that period, their latest check-in there "
            "compared with their baseline; improved means by more than the domain's reliable "
            "change.",
            month=month_words(month),
        ),
        name=s_("Improved"),
    )
    return table, tuple(words), by_domain


def build_monthly_report(
    session: Session,
    framework: Framework,
    month: date,
    teams: tuple[str, ...] | None,
    sections: Sequence[Section] = (),
    today: date | None = None,
) -> MonthlyReport:
    today = today or clock.today()
    end = add_months(month, 1)
    if end > today:
        raise MonthNotEnded(
            s_(
                "%(month)s has not ended yet. Its report can be made from %(date)s: the "
                "figures of a month are shown once it has ended.",
                month=month_words(month, "MMMM y"),
                date=date_in_words(end),
            )
        )
    names = team_names(session)
    selection = month_selection(teams, framework, month, today)
    dashboard = build_dashboard(session, framework, selection, names)
    trend_filters = replace(
        every_team_is(selection.filters, names), date_from=add_months(month, -(TREND_MONTHS - 1))
    )
    trend_scores = reports.domain_scores_by_period(session, framework, trend_filters, "month")
    trend = scores_tables(framework, trend_scores)
    distance = replace(
        distance_data_table(framework, dashboard.distance),
        title=s_(
            "Distance travelled by young people who checked in in %(month)s",
            month=month_words(month, "MMMM y"),
        ),
    )
    label = f"{month:%Y-%m}"
    wrote = next(
        (
            (p.answered.display, p.not_analysed.display)
            for p in dashboard.themes.periods
            if p.period == label
        ),
        (SUPPRESSED, SUPPRESSED),
    )
    # The same month a year before, and the 12 months to the latest whole quarter.
    last_year = month_selection(teams, framework, add_months(month, -12), today)
    last_year_filters = every_team_is(last_year.filters, names)
    last_year_label = f"{last_year.first_month:%Y-%m}"
    last_year_wrote = next(
        (
            (p.answered.display, p.not_analysed.display)
            for p in reports.themes_summary(session, last_year_filters).periods
            if p.period == last_year_label
        ),
        (SUPPRESSED, SUPPRESSED),
    )
    results = pooled.report_figures(
        session, framework, every_team_is(selection.filters, names), month, tuple(names)
    )
    year = results[-1]
    year_selection = replace(
        selection,
        filters=replace(selection.filters, date_from=year.window.first, date_to=year.window.end),
    )
    year_words = window_words(year.window)
    headline = _headline(
        month,
        year_words,
        [
            (period_words(label), dashboard.people[label], dashboard.responses, wrote),
            (
                period_words(last_year_label),
                reports.people_by_period(session, last_year_filters).get(last_year_label),
                response_counts(session, last_year),
                last_year_wrote,
            ),
            (
                year_words,
                year.people,
                response_counts(session, year_selection, whole=year_words),
                (s_("not counted"), s_("not counted")),
            ),
        ],
    )
    improved, improved_words, pools = _improved(framework, month, results)
    ages = replace(
        _section_table(0, ages_section, session, month, end, teams), key="ages", name="Ages"
    )
    section_tables = [
        _section_table(index, section, session, month, end, teams)
        for index, section in enumerate(sections, start=1)
    ]
    return MonthlyReport(
        month=month,
        headline=headline,
        dashboard=dashboard,
        trend=trend,
        distance=distance,
        sections=section_tables,
        improved=improved,
        improved_words=improved_words,
        pools=pools,
        ages=ages,
        trend_scores=trend_scores,
        teams=teams,
    )


# --- the manager's commentary ---------------------------------------------------------------

COMMENTARY_LIMIT = 5000


class CommentaryTooLong(ValueError):
    """Commentary longer than a report has room for: the message says so kindly."""


def commentary_for(session: Session, month: date, teams: tuple[str, ...] | None):
    from feedback.dashboard.models import ReportCommentary, teams_key

    return session.scalar(
        select(ReportCommentary).where(
            ReportCommentary.month == month, ReportCommentary.teams == teams_key(teams)
        )
    )


def save_commentary(
    session: Session,
    user: User,
    month: date,
    teams: tuple[str, ...] | None,
    text: str,
    now: datetime,
):
    """Keep the manager's commentary for the month and teams (one each; saving again
    replaces it; saving nothing removes it), and audit it without its words."""
    from feedback.dashboard.models import ReportCommentary, teams_key

    text = text.replace("\r\n", "\n").strip()
    if len(text) > COMMENTARY_LIMIT:
        raise CommentaryTooLong(
            s_(
                "The commentary must be %(most)s characters or fewer; it has %(count)s. "
                "Nothing has been saved yet: shorten it and save again.",
                most=format(COMMENTARY_LIMIT, ","),
                count=format(len(text), ","),
            )
        )
    found = commentary_for(session, month, teams)
    if not text:
        if found is not None:
            session.delete(found)
    elif found is None:
        found = ReportCommentary(month=month, teams=teams_key(teams), text=text)
        session.add(found)
    else:
        found.text = text
    if found is not None and text:
        found.updated_at = now
        found.updated_by_id = user.id
    record(
        session,
        actor=user,
        action="report.commentary",
        target=f"monthly report {month:%Y-%m}",
        detail={"teams": teams_key(teams), "characters": len(text)},
    )
    session.flush()
    return found if text else None
