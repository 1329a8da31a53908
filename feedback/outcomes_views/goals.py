"""Young people's goal pages: set up to three goals of their own, and rate them.

Reached from the check-your-answers page of a check-in; works from the same session as
the check-in (see `feedback.checkin.journey`), so it needs no token in the address.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from feedback import db
from feedback.checkin.journey import current_or_refuse
from feedback.clock import now
from feedback.outcomes_views import services
from feedback.outcomes_views.forms import (
    SetGoalsForm,
    goal_field_name,
    goal_ratings_form,
)
from feedback.outcomes_views.models import MAX_GOALS
from feedback.security import mark_young_person_page
from feedback.staff.access import public
from outcomes.questionnaires import RATHER_NOT_SAY

bp = Blueprint("goals", __name__, url_prefix="/check-in/goals")


@bp.before_request
def _young_person_page():
    mark_young_person_page()


@bp.route("", methods=["GET", "POST"])
@public
def your_goals():
    current, refusal = current_or_refuse()
    if refusal:
        return refusal
    invitation, response = current
    if not services.offers_goals(response, invitation.case):
        abort(404)
    session = db.session()
    goals = services.active_goals(session, response.case_id)
    formdata = request.form if request.method == "POST" else None

    if not goals:
        form = SetGoalsForm(formdata=formdata)
        if request.method == "POST" and form.validate():
            services.set_goals(session, response.case_id, form.texts[:MAX_GOALS], now())
            session.commit()
            return redirect(url_for("young.check"))
        session.commit()
        return render_template("goals/set.html", form=form), 400 if form.errors else 200

    saved = services.ratings_for_response(session, response.id)
    form = goal_ratings_form(goals, formdata=formdata, data=saved)
    if request.method == "POST" and form.validate():
        ratings: dict[int, int | None] = {}
        for goal in goals:
            value = getattr(form, goal_field_name(goal.id)).data
            ratings[goal.id] = None if value == RATHER_NOT_SAY else int(value)
        services.rate_goals(session, response, ratings, now())
        session.commit()
        return redirect(url_for("young.check"))
    session.commit()
    rows = [(goal, getattr(form, goal_field_name(goal.id))) for goal in goals]
    return render_template("goals/rate.html", form=form, rows=rows), 400 if form.errors else 200
