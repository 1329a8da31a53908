"""Managers' pages: the dashboard, its exports, and the monthly report.

Managers see their own teams, admins every team, practitioners none of it. Every view and
export is written to the audit log with its filters.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from feedback import charts, db
from feedback.clock import today
from feedback.dashboard import exports, services
from feedback.dashboard.forms import DashboardFilterForm, parse_month
from feedback.staff import access
from feedback.staff.access import MANAGERS, roles_required
from outcomes.framework import Framework, current_framework, get_framework
from outcomes.questionnaires import all_questionnaires

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def measured_kinds(fw: Framework) -> set[str]:
    """The kinds of questionnaire with a question scored on an indicator of `fw`."""
    return {
        questionnaire.kind
        for questionnaire in all_questionnaires().values()
        if any(q.indicator and fw.has_indicator(q.indicator) for q in questionnaire.questions)
    }


def framework(kind: str | None = None) -> Framework:
    """The framework the dashboard reports on: the DASHBOARD_FRAMEWORK setting, (code,
    version), or the current framework when it is not set. A kind of questionnaire that
    setting's framework does not measure (exit interviews, from version 2) is shown on the
    current framework."""
    setting = current_app.config.get("DASHBOARD_FRAMEWORK")
    if setting is None or (kind and kind not in measured_kinds(get_framework(*setting))):
        return current_framework()
    code, version = setting
    return get_framework(code, version)


def _read_filters():
    """The filter form from the query string, with defaults for what is missing."""
    data = MultiDict(services.default_form_data(today()))
    for key in request.args:
        data.setlist(key, request.args.getlist(key)[:1])
    form = DashboardFilterForm(formdata=data)
    teams = services.visible_teams(db.session(), current_user)
    everyone = "All teams" if access.sees_every_team(current_user) else "All my teams"
    form.team.choices = [("", everyone), *((t.code, t.name) for t in teams)]
    if not form.validate():
        return form, None
    fw = framework(form.kind.data)
    return form, services.selection_from_form(form, current_user, fw, today())


def _bad_filters(form):
    return render_template("dashboard/index.html", form=form, dashboard=None, title=TITLE), 400


TITLE = "Outcomes dashboard"
# Worst to best, and improved / no change / worse, in GOV.UK colours with 3:1 contrast
# against white; the table beside each chart carries the meaning in words.
BAND_COLOURS = ("#d4351c", "#b14f0e", "#1d70b8", "#00703c")
STATUS_COLOURS = ("#00703c", "#505a5f", "#d4351c")


@bp.route("")
@roles_required(*MANAGERS)
def index():
    form, selection = _read_filters()
    if selection is None:
        return _bad_filters(form)
    session = db.session()
    names = services.team_names(session)
    fw = framework(selection.filters.kind)
    dashboard = services.build_dashboard(session, fw, selection, names)
    services.audit(session, current_user, "dashboard.view", "dashboard", selection)
    session.commit()
    return render_template(
        "dashboard/index.html",
        title=TITLE,
        form=form,
        dashboard=dashboard,
        charts=_charts(fw, dashboard),
        summary=services.filter_summary(selection, names),
        table_keys=services.TABLE_KEYS,
        query=request.args.to_dict(),
    )


def _charts(fw: Framework, dashboard: services.Dashboard) -> dict:
    names = {d.code: d.name for d in fw.domains}
    scores = dashboard.scores
    lines = [
        charts.Line(names[d], [scores.cell(p, d).mean.value for p in scores.rows])
        for d in scores.cols
    ]
    what = "quarter" if scores.period == "quarter" else "month"
    out = {
        "scores": charts.line_chart(
            chart_id="scores-chart",
            title=f"Mean outcome score by domain and {what}",
            description=(
                f"A line for each domain, 0 (worst) to 100 (best), by {what}. Gaps marked c "
                "are means hidden because fewer than 10 young people answered. The table "
                "below gives the same numbers."
            ),
            x_labels=scores.rows,
            lines=lines,
            gap_label="c",
        )
    }
    for key, tables, labels, colours in (
        ("distribution", dashboard.distribution, services.BAND_LABELS, BAND_COLOURS),
        ("distance", dashboard.distance, services.STATUS_LABELS, STATUS_COLOURS),
    ):
        label = tables.latest_shown
        if label is None:
            continue
        table = tables.table(label)
        title = f"{dashboard.table(key).title}: {label}"
        out[key] = charts.stacked_bars(
            chart_id=f"{key}-chart",
            title=title,
            description=(
                f"A bar for each domain in {label}, the latest period with numbers to show, "
                "split by "
                + ", ".join(labels[c] for c in table.cols)
                + ". Slots marked c are hidden numbers. The table below gives the same "
                "numbers for every period."
            ),
            rows=[(names[r], [table.cell(r, c).value for c in table.cols]) for r in table.rows],
            segments=[labels[c] for c in table.cols],
            colours=colours,
        )
    return out


def _download(body: bytes | str, filename: str, fmt: str) -> Response:
    response = Response(body, mimetype=FORMATS[fmt].split(";")[0])
    response.headers["Content-Type"] = FORMATS[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _render(tables, fmt: str, summary: list[str]) -> bytes | str:
    if fmt == "csv":
        return exports.write_csv(tables)
    return exports.write_xlsx(tables, summary)


@bp.route("/export/<name>.<fmt>")
@roles_required(*MANAGERS)
def export(name: str, fmt: str):
    if fmt not in FORMATS or (name not in services.TABLE_KEYS and name != "all"):
        abort(404)
    form, selection = _read_filters()
    if selection is None:
        return _bad_filters(form)
    session = db.session()
    names = services.team_names(session)
    dashboard = services.build_dashboard(
        session, framework(selection.filters.kind), selection, names
    )
    tables = dashboard.tables if name == "all" else [dashboard.table(name)]
    body = _render(tables, fmt, services.filter_summary(selection, names))
    services.audit(
        session, current_user, "dashboard.export", f"{name}.{fmt}", selection, format=fmt
    )
    session.commit()
    return _download(body, f"youth-voice-{name}.{fmt}", fmt)


def _report_month() -> tuple[date | None, str | None]:
    text = request.args.get("month")
    if text is None:
        this_month = date(today().year, today().month, 1)
        return services.add_months(this_month, -1), None
    month = parse_month(text)
    if month is None:
        return None, "The month must be a year and month, like 2026-03"
    return month, None


def _build_report(month: date):
    return services.build_monthly_report(
        db.session(),
        framework(),
        month,
        access.dashboard_team_codes(current_user),
        current_app.config.get("REPORT_SECTIONS", []),
        today(),
    )


def _no_report(error: str):
    return render_template(
        "dashboard/report.html", title="Monthly report", report=None, error=error
    ), 400


@bp.route("/report")
@roles_required(*MANAGERS)
def monthly_report():
    month, error = _report_month()
    if error:
        return _no_report(error)
    try:
        report = _build_report(month)
    except services.MonthNotEnded as not_ended:
        return _no_report(str(not_ended))
    session = db.session()
    services.audit(
        session,
        current_user,
        "report.view",
        f"monthly report {month:%Y-%m}",
        report.dashboard.selection,
    )
    session.commit()
    return render_template(
        "dashboard/report.html",
        title=f"Monthly report: {month:%B %Y}",
        report=report,
        error=None,
        month_value=f"{month:%Y-%m}",
        summary=services.filter_summary(report.dashboard.selection, services.team_names(session)),
    )


@bp.route("/report/export.<fmt>")
@roles_required(*MANAGERS)
def report_export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    month, error = _report_month()
    if error:
        return _no_report(error)
    try:
        report = _build_report(month)
    except services.MonthNotEnded as not_ended:
        return _no_report(str(not_ended))
    session = db.session()
    summary = services.filter_summary(report.dashboard.selection, services.team_names(session))
    body = _render(report.tables, fmt, summary)
    services.audit(
        session,
        current_user,
        "report.export",
        f"monthly report {month:%Y-%m}.{fmt}",
        report.dashboard.selection,
        format=fmt,
    )
    session.commit()
    return _download(body, f"youth-voice-report-{month:%Y-%m}.{fmt}", fmt)
