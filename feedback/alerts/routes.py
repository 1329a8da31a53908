"""Staff pages for safeguarding alerts: a list, and one page an alert with its steps."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from feedback import db
from feedback.alerts import services
from feedback.alerts.forms import AcknowledgeForm, ActionForm, CloseForm
from feedback.alerts.models import STATES
from feedback.clock import now
from feedback.i18n import sl_
from feedback.staff import access
from feedback.staff.access import STAFF, roles_required

bp = Blueprint("alerts", __name__, url_prefix="/alerts")
DONE = {
    "acknowledged": sl_("You have acknowledged the alert"),
    "action-taken": sl_("The action taken is recorded"),
    "closed": sl_("The alert is closed"),
}


def _alert_or_404(alert_id: int):
    alert = services.get_visible_alert(db.session(), current_user, alert_id)
    if alert is None:
        abort(404)
    return alert


def _render(alert, *, action_form=None, status=200):
    return render_template(
        "alerts/show.html",
        alert=alert,
        acknowledge_form=AcknowledgeForm(),
        action_form=action_form or ActionForm(),
        close_form=CloseForm(),
        can_close=access.may_close_alert(current_user, alert),
        form=action_form,
    ), status


@bp.route("")
@roles_required(*STAFF)
def list_alerts():
    state = request.args.get("state") or None
    if state not in STATES:
        state = None
    alerts = services.visible_alerts(db.session(), current_user, state)
    return render_template("alerts/list.html", alerts=alerts, state=state, states=STATES)


@bp.route("/<int:alert_id>")
@roles_required(*STAFF)
def show(alert_id: int):
    alert = _alert_or_404(alert_id)
    services.record_view(db.session(), current_user, alert, now())
    db.session().commit()
    return _render(alert)


def _step(alert_id: int, form_class, step):
    alert = _alert_or_404(alert_id)
    form = form_class()
    if not form.validate_on_submit():
        return _render(alert, action_form=form if form_class is ActionForm else None, status=400)
    try:
        step(alert, form)
    except services.AlertError as error:
        if form_class is ActionForm:
            form.note.errors = [*form.note.errors, str(error)]
            return _render(alert, action_form=form, status=400)
        flash(str(error), "info")
    else:
        db.session().commit()
        flash(str(DONE[alert.state]), "success")
    return redirect(url_for("alerts.show", alert_id=alert.id))


@bp.route("/<int:alert_id>/acknowledge", methods=["POST"])
@roles_required(*STAFF)
def acknowledge(alert_id: int):
    return _step(
        alert_id,
        AcknowledgeForm,
        lambda alert, _form: services.acknowledge(db.session(), alert, current_user, now()),
    )


@bp.route("/<int:alert_id>/action", methods=["POST"])
@roles_required(*STAFF)
def take_action(alert_id: int):
    return _step(
        alert_id,
        ActionForm,
        lambda alert, form: services.take_action(
            db.session(), alert, current_user, form.note.data, now()
        ),
    )


@bp.route("/<int:alert_id>/close", methods=["POST"])
@roles_required(*STAFF)
def close(alert_id: int):
    if not access.may_close_alert(current_user, _alert_or_404(alert_id)):
        abort(403)
    return _step(
        alert_id,
        CloseForm,
        lambda alert, form: services.close(
            db.session(), alert, current_user, now(), quotable=bool(form.quotable.data)
        ),
    )
