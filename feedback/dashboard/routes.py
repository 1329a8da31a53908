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
from feedback.dashboard import charting, exports, services
from feedback.dashboard.forms import DashboardFilterForm, parse_month
from feedback.staff import access
from feedback.staff.access import MANAGERS, roles_required
from outcomes.framework import Framework, current_framework, get_framework

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def framework() -> Framework:
    """The framework the dashboard reports on: the DASHBOARD_FRAMEWORK setting, (code,
    version), or the current framework when it is not set."""
    setting = current_app.config.get("DASHBOARD_FRAMEWORK")
    if setting is None:
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
    return form, services.selection_from_form(form, current_user, framework(), today())


def _bad_filters(form):
    return render_template("dashboard/index.html", form=form, dashboard=None, title=TITLE), 400


TITLE = "Outcomes dashboard"


@bp.route("")
@roles_required(*MANAGERS)
def index():
    form, selection = _read_filters()
    if selection is None:
        return _bad_filters(form)
    session = db.session()
    names = services.team_names(session)
    fw = framework()
    dashboard = services.build_dashboard(session, fw, selection, names)
    services.audit(session, current_user, "dashboard.view", "dashboard", selection)
    session.commit()
    group = charting.pick_group(fw, request.args.get("lines"))
    return render_template(
        "dashboard/index.html",
        title=TITLE,
        form=form,
        dashboard=dashboard,
        charts=_charts(fw, dashboard, group),
        line_groups=[charting.group_label(fw, g) for g in charting.line_groups(fw)],
        line_group=group,
        summary=services.filter_summary(selection, names),
        table_keys=services.TABLE_KEYS,
        query=request.args.to_dict(),
    )


def _charts(fw: Framework, dashboard: services.Dashboard, group: int) -> dict:
    domains = charting.line_groups(fw)[group]
    out: dict = {
        "scores": charting.scores_chart(fw, dashboard.scores, domains),
        "scores_changed": charting.what_changed(fw, dashboard.scores, domains),
    }
    for key, tables in (("distribution", dashboard.distribution), ("distance", dashboard.distance)):
        drawn = charting.bars_chart(fw, key, dashboard.table(key).title, tables)
        if drawn is not None:
            out[key], out[f"{key}_changed"] = drawn
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
    dashboard = services.build_dashboard(session, framework(), selection, names)
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
