"""Managers' pages: the dashboard, its exports, and the monthly report.

Managers see their own teams, admins every team, practitioners none of it. Every view and
export is written to the audit log with its filters.
"""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from feedback import db
from feedback.clock import now, today
from feedback.dashboard import charting, exports, pdf, services
from feedback.dashboard.forms import DashboardFilterForm, parse_month
from feedback.i18n import s_
from feedback.i18n_outcomes import month_words
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
    form.team.choices = _team_choices()
    if not form.validate():
        return form, None
    fw = framework(form.kind.data)
    return form, services.selection_from_form(form, current_user, fw, today())


def _team_choices() -> list[tuple[str, str]]:
    teams = services.visible_teams(db.session(), current_user)
    everyone = s_("All teams") if access.sees_every_team(current_user) else s_("All my teams")
    return [("", everyone), *((t.code, t.name) for t in teams)]


def _bad_filters(form):
    return render_template(
        "dashboard/index.html", form=form, dashboard=None, title=s_("Outcomes dashboard")
    ), 400


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
    group = charting.pick_group(fw, request.args.get("lines"))
    return render_template(
        "dashboard/index.html",
        title=s_("Outcomes dashboard"),
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
        return exports.write_csv(tables, filters=summary)
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
    text = request.values.get("month")
    if text is None:
        this_month = date(today().year, today().month, 1)
        return services.add_months(this_month, -1), None
    month = parse_month(text)
    if month is None:
        return None, s_("The month must be a year and month, like 2026-03")
    return month, None


def _report_teams() -> tuple[tuple[str, ...] | None, str | None]:
    """The teams a report covers: one of the viewer's teams if asked for, else all of
    them (every team, for an admin)."""
    allowed = access.dashboard_team_codes(current_user)
    team = (request.values.get("team") or "").strip()
    if not team:
        return allowed, None
    if (allowed is not None and team not in allowed) or team not in services.team_names(
        db.session()
    ):
        return None, s_("Choose one of your teams, or all of them")
    return (team,), None


def _build_report(month: date, teams: tuple[str, ...] | None):
    return services.build_monthly_report(
        db.session(),
        framework(),
        month,
        teams,
        current_app.config.get("REPORT_SECTIONS", []),
        today(),
    )


def _no_report(error: str, status: int = 400):
    return render_template(
        "dashboard/report.html",
        title=s_("Monthly report"),
        report=None,
        error=error,
        team_choices=_team_choices(),
    ), status


def _report_or_error():
    """(month, teams, report) from the query, or the page with the problem in words."""
    month, error = _report_month()
    teams, team_error = _report_teams()
    if error or team_error:
        return None, _no_report(error or team_error or "")
    assert month is not None
    try:
        return (month, teams, _build_report(month, teams)), None
    except services.MonthNotEnded as not_ended:
        return None, _no_report(str(not_ended))


def _report_query(month: date, teams) -> dict[str, str]:
    query = {"month": f"{month:%Y-%m}"}
    team = request.values.get("team")
    if team and teams == (team,):
        query["team"] = team
    return query


def _report_context(month: date, teams, report) -> dict:
    session = db.session()
    fw = framework()
    groups = charting.line_groups(fw)
    trend_charts = [
        (
            charting.scores_chart(fw, report.trend_scores, group, chart_id=f"trend-chart-{i}"),
            charting.what_changed(fw, report.trend_scores, group),
        )
        for i, group in enumerate(groups)
    ]
    return {
        "title": s_("Monthly report: %(month)s", month=month_words(month, "MMMM y")),
        "report": report,
        "month_value": f"{month:%Y-%m}",
        "summary": services.filter_summary(
            report.dashboard.selection, services.team_names(session)
        ),
        "trend_charts": trend_charts,
        "improved_chart": charting.improved_chart(fw, report),
        "commentary": services.commentary_for(session, month, teams),
        "query": _report_query(month, teams),
        "team_choices": _team_choices(),
        "made_on": today(),
    }


@bp.route("/report")
@roles_required(*MANAGERS)
def monthly_report():
    found, problem = _report_or_error()
    if problem:
        return problem
    month, teams, report = found
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
        "dashboard/report.html", error=None, **_report_context(month, teams, report)
    )


@bp.route("/report/commentary", methods=["POST"])
@roles_required(*MANAGERS)
def save_commentary():
    found, problem = _report_or_error()
    if problem:
        return problem
    month, teams, report = found
    session = db.session()
    try:
        services.save_commentary(
            session, current_user, month, teams, request.form.get("commentary", ""), now()
        )
    except services.CommentaryTooLong as too_long:
        session.rollback()
        context = _report_context(month, teams, report)
        return render_template(
            "dashboard/report.html",
            error=None,
            commentary_error=str(too_long),
            commentary_text=request.form.get("commentary", ""),
            **context,
        ), 400
    session.commit()
    flash(s_("Commentary saved with the report"), "success")
    return redirect(url_for("dashboard.monthly_report", **_report_query(month, teams)))


@bp.route("/report/export.<fmt>")
@roles_required(*MANAGERS)
def report_export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    found, problem = _report_or_error()
    if problem:
        return problem
    month, teams, report = found
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


@bp.route("/report.pdf")
@roles_required(*MANAGERS)
def report_pdf():
    found, problem = _report_or_error()
    if problem:
        return problem
    month, teams, report = found
    session = db.session()
    html = render_template(
        "dashboard/report_pdf.html",
        css_string=pdf.css_string,
        page_of_pages=pdf.page_of_pages(),
        **_report_context(month, teams, report),
    )
    body = pdf.render(html)
    services.audit(
        session,
        current_user,
        "report.export",
        f"monthly report {month:%Y-%m}.pdf",
        report.dashboard.selection,
        format="pdf",
    )
    session.commit()
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="youth-voice-report-{month:%Y-%m}.pdf"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
