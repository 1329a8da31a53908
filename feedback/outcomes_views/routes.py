"""Staff pages: case facts, a case's journey, and the framework for admins."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from markupsafe import Markup

from feedback import db
from feedback.cases import services as cases
from feedback.cases.models import Case
from feedback.charts import Line, line_chart
from feedback.clock import now
from feedback.i18n import s_, sl_, sn_
from feedback.i18n_outcomes import month_words, outcome_word
from feedback.outcomes_views import services
from feedback.outcomes_views.forms import CaseFactsForm
from feedback.staff import access
from feedback.staff.access import ADMIN, CASE_WORKERS, roles_required
from outcomes.framework import all_frameworks

bp = Blueprint("outcomes", __name__)

STATUS_TEXT = {
    "improved": sl_("Improved"),
    "no-reliable-change": sl_("No reliable change"),
    "worse": sl_("Worse"),
    "no-baseline": sl_("Not enough check-ins to compare"),
}


@bp.route("/cases/<int:case_id>/facts", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def record_facts(case_id: int):
    case = cases.get_visible_case(db.session(), current_user, case_id)
    if case is None:
        abort(404)
    if case.status != "open":
        abort(400)
    form = CaseFactsForm()
    if form.validate_on_submit():
        services.record_case_facts(
            db.session(),
            case,
            services.FactValues(
                missing_episodes=form.episodes,
                in_education=form.in_education.data,
                living_at_home=form.living_at_home.data,
                in_borough=form.in_borough.data,
            ),
            current_user.id,
            now(),
        )
        db.session().commit()
        flash(s_("Case facts saved. They count towards the next check-in."), "success")
        return redirect(url_for("cases.show", case_id=case.id))
    return render_template(
        "outcomes_views/facts.html",
        case=case,
        form=form,
        latest=services.latest_case_facts(db.session(), case.id),
        options=services.FACT_OPTIONS,
    ), 400 if form.errors else 200


@bp.route("/admin/outcomes-framework")
@roles_required(ADMIN)
def framework_admin():
    frameworks = [
        (framework, services.indicator_feeds(framework))
        for _key, framework in sorted(all_frameworks().items())
    ]
    return render_template("outcomes_views/framework.html", frameworks=frameworks)


def _format_date(moment: datetime) -> str:
    return month_words(moment, "d MMM y")


def _journey_description(domains: int, labels: list[str]) -> str:
    """The journey chart's description: how many domains, over which check-ins."""
    how_many = sn_("%(num)d domain", "%(num)d domains", domains)
    if len(labels) == 1:
        return s_(
            "Scores from 0 to 100 for %(domains)s at 1 check-in on %(date)s, from the answers "
            "shared with their worker and the case facts. The table below gives the same "
            "numbers.",
            domains=how_many,
            date=labels[0],
        )
    return s_(
        "Scores from 0 to 100 for %(domains)s at %(check_ins)s from %(first)s to %(last)s, "
        "from the answers shared with their worker and the case facts. The table below gives "
        "the same numbers.",
        domains=how_many,
        check_ins=sn_("%(num)d check-in", "%(num)d check-ins", len(labels)),
        first=labels[0],
        last=labels[-1],
    )


def render_case_journey(case: Case) -> Markup:
    """The case page's journey section: chart, table, distance travelled, facts, goals."""
    session = db.session()
    journey = services.case_journey(session, case)
    domains = journey.domains
    labels = [_format_date(p.submitted_at) for p in journey.points]
    chart = None
    if domains:
        chart = line_chart(
            chart_id=f"journey-{case.id}",
            title=s_("%(name)s's domain scores over time", name=case.label),
            description=_journey_description(len(domains), labels),
            x_labels=labels,
            lines=[
                Line(outcome_word(d.name), [p.domains.get(d.code) for p in journey.points])
                for d in domains
            ],
        )
    return Markup(  # noqa: S704  # nosec B704  # a rendered, autoescaped template
        render_template(
            "outcomes_views/journey.html",
            case=case,
            journey=journey,
            domains=domains,
            labels=labels,
            chart=chart,
            status_text=STATUS_TEXT,
            facts=services.latest_case_facts(session, case.id),
            options=services.FACT_OPTIONS,
            goals=services.goals_with_latest_rating(session, case.id),
            can_record=access.may_work_on_case(current_user, case),
        )
    )
