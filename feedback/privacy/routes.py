"""The audit log, for admins: who viewed or exported what, alerts handled, erasures."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from feedback import db
from feedback.audit.models import action_words
from feedback.fields import whole_number
from feedback.privacy import services
from feedback.staff.access import ADMIN, roles_required

bp = Blueprint("privacy", __name__, url_prefix="/admin")


@bp.route("/audit")
@roles_required(ADMIN)
def audit_log():
    actions = sorted(services.audit_actions(db.session()), key=action_words)
    action = request.args.get("action") or None
    if action not in actions:
        action = None
    page = whole_number(request.args.get("page"), 10**6) or 1
    result = services.audit_page(db.session(), action=action, page=page)
    return render_template(
        "privacy/audit.html",
        result=result,
        actions=actions,
        action=action,
        action_words=action_words,
    )
