from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from feedback import db
from feedback.extensions import limiter, login_manager
from feedback.staff import services
from feedback.staff.access import STAFF, public, roles_required
from feedback.staff.forms import SignInForm
from feedback.staff.models import User

bp = Blueprint("staff", __name__)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    user = db.session().get(User, int(user_id)) if user_id.isdigit() else None
    return user if user and user.active else None


def _safe_next(target: str | None) -> str | None:
    # Only a path on this site, never an address elsewhere.
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    return render_template("start.html")


@bp.route("/staff")
@roles_required(*STAFF)
def home():
    if current_user.role == "practitioner":
        return redirect(url_for("cases.list_cases"))
    return render_template("staff/home.html")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT"], methods=["POST"])
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(db.session(), form.email.data, form.password.data)
        if user is None:
            form.email.errors.append("The email address or password is not right")
        else:
            db.session().commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("staff.home"))
    return render_template("staff/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@roles_required(*STAFF)
def sign_out():
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("staff.sign_in"))
