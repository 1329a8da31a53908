from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from feedback import db
from feedback.clock import now
from feedback.extensions import limiter, login_manager
from feedback.fields import whole_number
from feedback.staff import services
from feedback.staff.access import ADMIN, STAFF, public, roles_required
from feedback.staff.forms import ConfirmForm, MemberForm, SignInForm, SignOutEverywhereForm
from feedback.staff.models import ROLES, User

bp = Blueprint("staff", __name__)
SIGNED_IN_AT = "signed_in_at"


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    # "id:version" (User.get_id): a session signed in before the account's sessions were
    # ended, or for an account since deactivated, is signed out.
    account, _, version = user_id.partition(":")
    number = whole_number(account, 2**31 - 1)
    user = db.session().get(User, number) if number is not None else None
    return user if services.session_matches(user, version) else None


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


def _account_key() -> str:
    """The account a sign-in is for: the email typed, as sign-in matches it. Empty (no
    email typed) leaves the attempt to the limit on the address alone."""
    email = services.normalise_email(request.form.get("email") or "")
    return f"account:{email}" if email else ""


def _failed(response) -> bool:
    # The form shown again with an error (200), or a request refused (400); a sign-in
    # that works redirects, and a 429 is not another guess.
    return response.status_code in (200, 400)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["SIGN_IN_ACCOUNT_LIMIT"],
    methods=["POST"],
    key_func=_account_key,
    scope="sign-in-account",
    deduct_when=_failed,
)
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(db.session(), form.email.data, form.password.data)
        if user is None:
            form.email.errors.append("The email address or password is not right")
        else:
            db.session().commit()
            login_user(user)
            session[SIGNED_IN_AT] = now().isoformat(timespec="minutes")
            return redirect(_safe_next(request.args.get("next")) or url_for("staff.home"))
    return render_template("staff/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@roles_required(*STAFF)
def sign_out():
    _sign_out_everywhere()
    flash("You have signed out.", "success")
    return redirect(url_for("staff.sign_in"))


def _sign_out_everywhere() -> None:
    services.end_sessions(db.session(), current_user)
    db.session().commit()
    logout_user()
    session.pop(SIGNED_IN_AT, None)


@bp.route("/account/sessions")
@roles_required(*STAFF)
def your_sessions():
    signed_in_at = session.get(SIGNED_IN_AT)
    return render_template(
        "staff/sessions.html",
        form=SignOutEverywhereForm(),
        signed_in_at=datetime.fromisoformat(signed_in_at) if signed_in_at else None,
    )


@bp.route("/account/sessions/sign-out", methods=["POST"])
@roles_required(*STAFF)
def sign_out_everywhere():
    if not SignOutEverywhereForm().validate_on_submit():
        abort(400)
    _sign_out_everywhere()
    flash("You have signed out on every device and browser.", "success")
    return redirect(url_for("staff.sign_in"))


# --- staff administration (admins) -------------------------------------------------------


def _member(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/staff")
@roles_required(ADMIN)
def staff_list():
    return render_template("staff/list.html", staff=services.all_staff(db.session()))


@bp.route("/admin/staff/<int:user_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_member(user_id: int):
    member = _member(user_id)
    # What the member is now, on the first look only: unticking every team sends none.
    current = {"role": member.role, "teams": sorted(member.team_ids)}
    form = MemberForm(data=current if request.method == "GET" else None)
    form.teams.choices = [(t.id, t.name) for t in services.all_teams(db.session())]
    if form.validate_on_submit():
        try:
            services.set_role_and_teams(
                db.session(), member, form.role.data, form.teams.data or [], by=current_user
            )
        except services.StaffError as error:
            (form.teams if "team" in str(error) else form.role).errors.append(str(error))
        else:
            db.session().commit()
            flash(
                f"{member.name} is now {ROLES[member.role].lower()}"
                f"{' of ' + ', '.join(t.name for t in member.teams) if member.teams else ''}.",
                "success",
            )
            return redirect(url_for("staff.staff_list"))
    return render_template("staff/edit.html", form=form, member=member), (
        400 if form.errors else 200
    )


@bp.route("/admin/staff/<int:user_id>/access", methods=["GET", "POST"])
@roles_required(ADMIN)
def change_access(user_id: int):
    """Deactivate an active member of staff, or reactivate one, after a yes or no."""
    member = _member(user_id)
    form = ConfirmForm()
    becomes_active = not member.active
    if form.validate_on_submit():
        if form.confirm.data == "no":
            return redirect(url_for("staff.staff_list"))
        try:
            services.set_active(db.session(), member, becomes_active, by=current_user)
        except services.StaffError as error:
            form.confirm.errors.append(str(error))
        else:
            db.session().commit()
            done = "can sign in again" if becomes_active else "can no longer sign in"
            flash(f"{member.name} {done}.", "success")
            return redirect(url_for("staff.staff_list"))
    return render_template(
        "staff/access.html", form=form, member=member, becomes_active=becomes_active
    ), (400 if form.errors else 200)
