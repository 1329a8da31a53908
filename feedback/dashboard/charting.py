"""The dashboard's and the report's charts, and a sentence above each saying what changed.

A line chart draws a few domains at once (`LINES_AT_ONCE`): nine lines in one picture
cannot be told apart, in colour or in print. The rest are behind a choice of group, a
plain form that works without script. Every sentence is written from the numbers shown
(after disclosure control), never from hidden ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from feedback import charts
from feedback.dashboard.services import BAND_LABELS, STATUS_LABELS, period_words
from feedback.i18n import s_, sn_
from feedback.i18n_outcomes import outcome_word
from outcomes import reports
from outcomes.framework import Framework

LINES_AT_ONCE = 3
# Worst to best, and improved / no change / worse, in GOV.UK colours with 3:1 contrast
# against white; patterns tell them apart in black and white, and the table beside each
# chart carries the meaning in words.
BAND_COLOURS = ("#d4351c", "#b14f0e", "#1d70b8", "#00703c")
STATUS_COLOURS = ("#00703c", "#505a5f", "#d4351c")


def line_groups(framework: Framework) -> list[tuple[str, ...]]:
    """The framework's domains in groups of at most `LINES_AT_ONCE`, in its order."""
    codes = [d.code for d in framework.domains]
    return [tuple(codes[i : i + LINES_AT_ONCE]) for i in range(0, len(codes), LINES_AT_ONCE)]


def group_label(framework: Framework, group: Sequence[str]) -> str:
    names = {d.code: outcome_word(d.name) for d in framework.domains}
    words = [names[c] for c in group]
    if len(words) == 1:
        return words[0]
    return s_("%(names)s and %(last)s", names=", ".join(words[:-1]), last=words[-1])


def pick_group(framework: Framework, text: str | None) -> int:
    """The group asked for by its number in the query string; the first otherwise."""
    groups = line_groups(framework)
    if text and text.isdigit() and int(text) < len(groups):
        return int(text)
    return 0


def what_changed(framework: Framework, scores: reports.ScoreTable, group: Sequence[str]) -> str:
    """A sentence on how each domain's mean moved between its first and last shown month."""
    names = {d.code: outcome_word(d.name) for d in framework.domains}
    said = []
    for code in group:
        shown = [
            (p, scores.cell(p, code).mean)
            for p in scores.rows
            if not scores.cell(p, code).mean.suppressed
        ]
        if len(shown) < 2:
            continue
        (first, a), (last, b) = shown[0], shown[-1]
        assert a.value is not None and b.value is not None
        change = b.value - a.value
        points = round(abs(change))
        figures = {
            "domain": names[code],
            "first_mean": a.display,
            "first": period_words(first),
            "last_mean": b.display,
            "last": period_words(last),
        }
        if abs(change) < 1:
            said.append(
                s_(
                    "%(domain)s: %(first_mean)s in %(first)s, %(last_mean)s in %(last)s "
                    "(about the same).",
                    **figures,
                )
            )
        elif change > 0:
            said.append(
                sn_(
                    "%(domain)s: %(first_mean)s in %(first)s, %(last_mean)s in %(last)s "
                    "(up %(num)d point).",
                    "%(domain)s: %(first_mean)s in %(first)s, %(last_mean)s in %(last)s "
                    "(up %(num)d points).",
                    points,
                    **figures,
                )
            )
        else:
            said.append(
                sn_(
                    "%(domain)s: %(first_mean)s in %(first)s, %(last_mean)s in %(last)s "
                    "(down %(num)d point).",
                    "%(domain)s: %(first_mean)s in %(first)s, %(last_mean)s in %(last)s "
                    "(down %(num)d points).",
                    points,
                    **figures,
                )
            )
    if not said:
        return s_(
            "Too few young people answered in these periods to say how these scores "
            "changed: a number is shown only over at least 10 young people."
        )
    return " ".join(said)


def scores_chart(
    framework: Framework,
    scores: reports.ScoreTable,
    group: Sequence[str],
    chart_id: str = "scores-chart",
) -> Markup:
    names = {d.code: outcome_word(d.name) for d in framework.domains}
    domains = group_label(framework, group)
    if scores.period == "quarter":
        title = s_("Mean outcome score by quarter: %(domains)s", domains=domains)
        description = s_(
            "A line for each of %(domains)s, 0 (worst) to 100 (best), by quarter. A gap is a "
            "mean hidden because fewer than 10 young people answered or it could be worked "
            "out from other figures. The table gives the same numbers.",
            domains=domains,
        )
    else:
        title = s_("Mean outcome score by month: %(domains)s", domains=domains)
        description = s_(
            "A line for each of %(domains)s, 0 (worst) to 100 (best), by month. A gap is a "
            "mean hidden because fewer than 10 young people answered or it could be worked "
            "out from other figures. The table gives the same numbers.",
            domains=domains,
        )
    return charts.line_chart(
        chart_id=chart_id,
        title=title,
        description=description,
        x_labels=[period_words(p) for p in scores.rows],
        lines=[
            charts.Line(names[d], [scores.cell(p, d).mean.value for p in scores.rows])
            for d in group
        ],
        gap_label="c",
    )


BARS = {
    # key: (segment labels, colours, the segment the sentence is about)
    "distribution": (BAND_LABELS, BAND_COLOURS, "75-100"),
    "distance": (STATUS_LABELS, STATUS_COLOURS, "improved"),
}


def _most_sentence(key: str, when: str, name: str, n: float) -> str:
    """The sentence beside a bar chart: where the most young people were in its segment."""
    about = f"{n:.0f}"
    if key == "distribution":
        return s_(
            "In %(period)s, the domain where the most young people scored 75 to 100 was "
            "%(domain)s (about %(number)s).",
            period=when,
            domain=name,
            number=about,
        )
    return s_(
        "In %(period)s, the domain where the most young people improved was %(domain)s "
        "(about %(number)s).",
        period=when,
        domain=name,
        number=about,
    )


def _too_few_sentence(key: str, when: str) -> str:
    if key == "distribution":
        return s_(
            "In %(period)s, too few young people scored 75 to 100 in any one domain to show.",
            period=when,
        )
    return s_(
        "In %(period)s, too few young people improved in any one domain to show.", period=when
    )


def bars_chart(
    framework: Framework, key: str, title: str, tables: reports.PeriodTables
) -> tuple[Markup, str] | None:
    """The stacked bars of the latest period with anything shown, and a sentence on them."""
    label = tables.latest_shown
    if label is None:
        return None
    names = {d.code: outcome_word(d.name) for d in framework.domains}
    labels, colours, segment = BARS[key]
    table = tables.table(label)
    when = period_words(label)
    chart = charts.stacked_bars(
        chart_id=f"{key}-chart",
        title=s_("%(title)s: %(period)s", title=title, period=when),
        description=s_(
            "A bar for each domain in %(period)s, the latest period with numbers to show, "
            "split by %(parts)s. Slots marked c are hidden numbers. The table gives the same "
            "numbers for every period.",
            period=when,
            parts=", ".join(str(labels[c]) for c in table.cols),
        ),
        rows=[(names[r], [table.cell(r, c).value for c in table.cols]) for r in table.rows],
        segments=[str(labels[c]) for c in table.cols],
        colours=colours,
    )
    shown = [
        (table.cell(r, segment).value or 0, names[r])
        for r in table.rows
        if not table.cell(r, segment).suppressed
    ]
    if shown:
        n, name = max(shown, key=lambda pair: (pair[0], pair[1]))
        sentence = _most_sentence(key, when, name, n)
    else:
        sentence = _too_few_sentence(key, when)
    return chart, sentence


def improved_chart(framework: Framework, report) -> Markup | None:
    """The report's distance travelled: a bar a domain, improved and not, each over the
    period the table beside it names."""
    if not report.pools:
        return None
    rows = []
    for domain in framework.domains:
        cell = report.pools[domain.code].domains[domain.code]
        rows.append((outcome_word(domain.name), [cell.improved.value, cell.not_improved.value]))
    if all(v is None for _name, values in rows for v in values):
        return None
    return charts.stacked_bars(
        chart_id="improved-chart",
        title=s_("Young people who improved and who did not, by domain"),
        description=s_(
            "A bar for each domain, split into young people who improved and those who did "
            "not, each domain over the period the table below names. Slots marked c are "
            "hidden numbers."
        ),
        rows=rows,
        segments=[s_("Improved"), s_("Did not improve")],
        colours=(STATUS_COLOURS[0], STATUS_COLOURS[1]),
    )
