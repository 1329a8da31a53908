from __future__ import annotations

from datetime import datetime, timedelta

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
from feedback.i18n import s_
from feedback.security import safe_next
from feedback.staff import links, mfa, services
from feedback.staff.access import ADMIN, STAFF, public, roles_required
from feedback.staff.forms import (
    ConfirmForm,
    EnrolForm,
    MemberForm,
    NewRecoveryCodesForm,
    SetPasswordForm,
    SignInCodeForm,
    SignInForm,
    SignOutEverywhereForm,
)
from feedback.staff.models import ROLES, User

bp = Blueprint("staff", __name__)
SIGNED_IN_AT = "signed_in_at"
# Between the password and the code: whose password was right, when, and where to go.
# Nothing is signed in until the second step is done.
PENDING = "pending_sign_in"
PENDING_MINUTES = 10


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    # "id:version" (User.get_id): a session signed in before the account's sessions were
    # ended, or for an account since deactivated, is signed out.
    account, _, version = user_id.partition(":")
    number = whole_number(account, 2**31 - 1)
    user = db.session().get(User, number) if number is not None else None
    return user if services.session_matches(user, version) else None


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
            form.email.errors.append(s_("The email address or password is not right"))
        else:
            db.session().commit()
            target = safe_next(request.args.get("next"))
            if mfa.needs_code(user):
                session[PENDING] = {
                    "user": user.get_id(),
                    "at": now().isoformat(),
                    "next": target,
                }
                step = "staff.sign_in_code" if user.mfa_enrolled else "staff.set_up_codes"
                return redirect(url_for(step))
            return _complete_sign_in(user, target)
    return render_template("staff/sign_in.html", form=form)


def _complete_sign_in(user: User, target: str | None):
    session.pop(PENDING, None)
    login_user(user)
    session[SIGNED_IN_AT] = now().isoformat(timespec="minutes")
    return redirect(target or url_for("staff.home"))


def _pending_user() -> User | None:
    """The account whose password was just right, while the second step is waited for."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    try:
        started = datetime.fromisoformat(pending["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if now() - started > timedelta(minutes=PENDING_MINUTES):
        session.pop(PENDING, None)
        return None
    user = _load_user(str(pending.get("user", "")))
    return user


def _pending_key() -> str:
    """Second-step tries count against the account, from any address."""
    pending = session.get(PENDING)
    user = pending.get("user", "") if isinstance(pending, dict) else ""
    return f"account-code:{str(user).partition(':')[0]}" if user else ""


def _refused(response) -> bool:
    # The code pages answer a wrong code with the form and a 400; a right one moves on.
    return response.status_code == 400


def _start_again():
    flash(s_("Sign in again: it has been too long since you typed your password."), "info")
    return redirect(url_for("staff.sign_in"))


# Codes typed at sign-in, and at setting codes up, count against one limit an account.
_code_limit = limiter.limit(
    lambda: current_app.config["SIGN_IN_ACCOUNT_LIMIT"],
    methods=["POST"],
    key_func=_pending_key,
    scope="sign-in-code",
    deduct_when=_refused,
)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
@_code_limit
def sign_in_code():
    user = _pending_user()
    if user is None:
        return _start_again()
    if not user.mfa_enrolled:
        return redirect(url_for("staff.set_up_codes"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        if mfa.check_second_step(db.session(), user, form.code.data, now()):
            db.session().commit()
            return _complete_sign_in(user, session[PENDING].get("next"))
        db.session().rollback()
        form.code.errors.append(
            s_(
                "That code is not right, or has been used already: wait for the next code "
                "your app shows, or use a recovery code"
            )
        )
    return render_template("staff/sign_in_code.html", form=form), (400 if form.errors else 200)


def _enrol_page(user: User, form: EnrolForm, template_values: dict):
    secret = mfa.start_enrolment(db.session(), user)
    db.session().commit()
    return render_template(
        "staff/set_up_codes.html",
        form=form,
        qr=mfa.qr_svg(mfa.provisioning_uri(user)),
        secret=mfa.grouped_secret(secret),
        **template_values,
    ), (400 if form.errors else 200)


def _confirm_enrolment(user: User, form: EnrolForm) -> list[str] | None:
    """The recovery codes once the code typed is right; None with the form's error."""
    if not form.validate_on_submit():
        return None
    try:
        codes = mfa.confirm_enrolment(db.session(), user, form.code.data, now())
    except mfa.MfaError as error:
        db.session().rollback()
        form.code.errors.append(str(error))
        return None
    db.session().commit()
    return codes


@bp.route("/sign-in/set-up-codes", methods=["GET", "POST"])
@public
@_code_limit
def set_up_codes():
    """Managers and admins set up sign-in codes before they reach anything else."""
    user = _pending_user()
    if user is None:
        return _start_again()
    if user.mfa_enrolled:
        return redirect(url_for("staff.sign_in_code"))
    form = EnrolForm()
    codes = _confirm_enrolment(user, form)
    if codes is not None:
        target = session[PENDING].get("next")
        _complete_sign_in(user, target)
        return render_template(
            "staff/recovery_codes.html", codes=codes, next_url=target or url_for("staff.home")
        )
    return _enrol_page(user, form, {"at_sign_in": True})


@bp.route("/account/sign-in-codes", methods=["GET", "POST"])
@roles_required(*STAFF)
def your_codes():
    """Set up sign-in codes (where they are optional), or see how many recovery codes are
    left and make new ones."""
    user = current_user
    if user.mfa_enrolled:
        return render_template(
            "staff/your_codes.html",
            left=mfa.recovery_codes_left(db.session(), user),
            form=NewRecoveryCodesForm(),
        )
    form = EnrolForm()
    codes = _confirm_enrolment(user, form)
    if codes is not None:
        return render_template(
            "staff/recovery_codes.html", codes=codes, next_url=url_for("staff.home")
        )
    return _enrol_page(user, form, {"at_sign_in": False})


@bp.route("/account/sign-in-codes/recovery-codes", methods=["POST"])
@roles_required(*STAFF)
def new_recovery_codes():
    if not NewRecoveryCodesForm().validate_on_submit() or not current_user.mfa_enrolled:
        abort(400)
    codes = mfa.new_recovery_codes(db.session(), current_user, now(), by=current_user)
    db.session().commit()
    return render_template(
        "staff/recovery_codes.html", codes=codes, next_url=url_for("staff.your_codes")
    )


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT"], methods=["POST"])
def set_password(token: str):
    """An invited member of staff's first password, or a new one after an admin's reset."""
    link, problem = links.find_link(db.session(), token, now())
    if problem:
        return render_template(
            "staff/link_problem.html", message=str(links.PROBLEMS[problem])
        ), 404 if problem == "unknown" else 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = links.use_link(db.session(), token, form.password.data, now())
        except services.StaffError as error:
            db.session().rollback()
            form.password.errors.append(str(error))
        else:
            db.session().commit()
            logout_user()
            session.clear()
            flash(s_("Your password is set. Sign in as %(email)s.", email=user.email), "success")
            return redirect(url_for("staff.sign_in"))
    return render_template("staff/set_password.html", form=form, member=link.user), (
        400 if form.errors else 200
    )


@bp.route("/sign-out", methods=["POST"])
@roles_required(*STAFF)
def sign_out():
    _sign_out_everywhere()
    flash(s_("You have signed out."), "success")
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
    flash(s_("You have signed out on every device and browser."), "success")
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
    # Retired teams are not offered, except those the member still belongs to.
    form.teams.choices = [
        (t.id, t.name)
        for t in services.all_teams(db.session())
        if t.retired_at is None or t.id in member.team_ids
    ]
    if form.validate_on_submit():
        try:
            services.set_role_and_teams(
                db.session(), member, form.role.data, form.teams.data or [], by=current_user
            )
        except services.StaffError as error:
            (form.teams if error.field == "teams" else form.role).errors.append(str(error))
        else:
            db.session().commit()
            role = str(ROLES[member.role]).lower()
            flash(
                s_(
                    "%(name)s is now %(role)s of %(teams)s.",
                    name=member.name,
                    role=role,
                    teams=", ".join(t.name for t in member.teams),
                )
                if member.teams
                else s_("%(name)s is now %(role)s.", name=member.name, role=role),
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
            flash(
                s_("%(name)s can sign in again.", name=member.name)
                if becomes_active
                else s_("%(name)s can no longer sign in.", name=member.name),
                "success",
            )
            return redirect(url_for("staff.staff_list"))
    return render_template(
        "staff/access.html", form=form, member=member, becomes_active=becomes_active
    ), (400 if form.errors else 200)
