"""Admins' pages: invite staff, reset a password or sign-in codes, teams and their duty
rota, settings. Thin: check, call one service, commit once, redirect."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from feedback import db
from feedback.admin import services
from feedback.admin.forms import (
    InviteForm,
    NewTeamForm,
    RenameTeamForm,
    rota_form,
    settings_form,
)
from feedback.alerts import services as alerts
from feedback.alerts.models import WEEKDAYS
from feedback.clock import now
from feedback.i18n import day_names, s_, sn_
from feedback.settings import services as settings
from feedback.staff import mfa, teams
from feedback.staff.access import ADMIN, roles_required
from feedback.staff.forms import ConfirmForm
from feedback.staff.models import Team, User
from feedback.staff.services import StaffError, all_teams

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _status(form) -> int:
    return 400 if form.errors else 200


def _link_settings() -> dict:
    return {
        "base_url": current_app.config["BASE_URL"],
        "hours": current_app.config["STAFF_LINK_HOURS"],
        "service_name": current_app.config["SERVICE_NAME"],
    }


def _member(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user


def _team(team_id: int) -> Team:
    team = db.session().get(Team, team_id)
    if team is None:
        abort(404)
    return team


# --- staff ----------------------------------------------------------------------------------


@bp.route("/staff/invite", methods=["GET", "POST"])
@roles_required(ADMIN)
def invite_member():
    form = InviteForm()
    form.teams.choices = [(t.id, t.name) for t in all_teams(db.session(), retired=False)]
    if form.validate_on_submit():
        try:
            member = services.invite_member(
                db.session(),
                name=form.name.data,
                email=form.email.data,
                role=form.role.data,
                team_ids=form.teams.data or [],
                by=current_user,
                now=now(),
                **_link_settings(),
            )
        except StaffError as error:
            db.session().rollback()
            message = str(error)
            field = getattr(form, error.field or "role", form.role)
            field.errors.append(message[:1].upper() + message[1:])
        else:
            db.session().commit()
            flash(
                s_(
                    "%(name)s is invited: a link to set their password is on its way to "
                    "%(email)s. It works once, for %(hours)s hours.",
                    name=member.name,
                    email=member.email,
                    hours=current_app.config["STAFF_LINK_HOURS"],
                ),
                "success",
            )
            return redirect(url_for("staff.staff_list"))
    return render_template("admin/invite.html", form=form), _status(form)


def _confirm_page(member: User, template: str, act, done: str):
    form = ConfirmForm()
    if form.validate_on_submit():
        if form.confirm.data == "no":
            return redirect(url_for("staff.staff_list"))
        try:
            act(member)
        except StaffError as error:
            db.session().rollback()
            form.confirm.errors.append(str(error))
        else:
            db.session().commit()
            flash(done, "success")
            return redirect(url_for("staff.staff_list"))
    return render_template(template, form=form, member=member), _status(form)


@bp.route("/staff/<int:user_id>/reset-password", methods=["GET", "POST"])
@roles_required(ADMIN)
def reset_password(user_id: int):
    member = _member(user_id)
    return _confirm_page(
        member,
        "admin/reset_password.html",
        lambda m: services.reset_password(
            db.session(), m, by=current_user, now=now(), **_link_settings()
        ),
        s_(
            "%(name)s's password no longer works: a link to set a new one is on its way to "
            "%(email)s.",
            name=member.name,
            email=member.email,
        ),
    )


@bp.route("/staff/<int:user_id>/reset-sign-in-codes", methods=["GET", "POST"])
@roles_required(ADMIN)
def reset_codes(user_id: int):
    member = _member(user_id)
    return _confirm_page(
        member,
        "admin/reset_codes.html",
        lambda m: mfa.reset(db.session(), m, by=current_user, now=now()),
        s_(
            "%(name)s's sign-in codes are reset: they set them up again when they next sign in.",
            name=member.name,
        ),
    )


# --- teams ----------------------------------------------------------------------------------


@bp.route("/teams")
@roles_required(ADMIN)
def teams_list():
    session = db.session()
    everyone = all_teams(session)
    rotas = {team.id: alerts.rota(session, team.id) for team in everyone}
    return render_template(
        "admin/teams.html", teams=everyone, rotas=rotas, short_days=day_names("abbreviated")
    )


@bp.route("/teams/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_team():
    form = NewTeamForm()
    if form.validate_on_submit():
        try:
            team = teams.new_team(
                db.session(), form.name.data, form.code.data, by=current_user, now=now()
            )
        except StaffError as error:
            db.session().rollback()
            (form.code if error.field == "code" else form.name).errors.append(str(error))
        else:
            db.session().commit()
            flash(s_("%(name)s is added.", name=team.name), "success")
            return redirect(url_for("admin.teams_list"))
    return render_template("admin/new_team.html", form=form), _status(form)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_team(team_id: int):
    team = _team(team_id)
    form = RenameTeamForm(data={"name": team.name})
    if form.validate_on_submit():
        try:
            teams.rename_team(db.session(), team, form.name.data, by=current_user, now=now())
        except StaffError as error:
            db.session().rollback()
            form.name.errors.append(str(error))
        else:
            db.session().commit()
            flash(s_("The team is now called %(name)s.", name=team.name), "success")
            return redirect(url_for("admin.teams_list"))
    return render_template("admin/edit_team.html", form=form, team=team), _status(form)


@bp.route("/teams/<int:team_id>/retire", methods=["GET", "POST"])
@roles_required(ADMIN)
def retire_team(team_id: int):
    """Retire a team, or bring a retired one back, after a yes or no."""
    team = _team(team_id)
    retiring = team.retired_at is None
    form = ConfirmForm()
    if form.validate_on_submit():
        if form.confirm.data == "yes":
            teams.set_retired(db.session(), team, retiring, by=current_user, now=now())
            db.session().commit()
            flash(
                s_("%(name)s is retired: it takes no new cases.", name=team.name)
                if retiring
                else s_("%(name)s takes new cases again.", name=team.name),
                "success",
            )
        return redirect(url_for("admin.teams_list"))
    return render_template(
        "admin/retire_team.html", form=form, team=team, retiring=retiring
    ), _status(form)


@bp.route("/teams/<int:team_id>/rota", methods=["GET", "POST"])
@roles_required(ADMIN)
def rota(team_id: int):
    """Who is the team's duty manager on each day of the week."""
    session = db.session()
    team = _team(team_id)
    managers = alerts.team_managers(session, team.id)
    current = {f"day_{d}": str(u.id) for d, u in alerts.rota(session, team.id).items()}
    form = rota_form(managers, data=current)
    if form.validate_on_submit():
        days = {}
        for number in range(len(WEEKDAYS)):
            raw = (form[f"day_{number}"].data or "").strip()
            days[number] = int(raw) if raw.isascii() and raw.isdigit() else None
            if raw and days[number] is None:
                form[f"day_{number}"].errors.append(s_("Choose a manager from the list, or nobody"))
        if not form.errors:
            try:
                alerts.set_rota(session, team, days, by=current_user)
            except alerts.AlertError as error:
                session.rollback()
                day = next((n for n, d in enumerate(WEEKDAYS) if d in str(error)), 0)
                form[f"day_{day}"].errors.append(str(error))
            else:
                session.commit()
                flash(
                    s_("%(name)s's rota is saved.", name=team.name)
                    if any(days.values())
                    else s_(
                        "%(name)s has no rota: alerts go to its duty manager if it has one, "
                        "else to every manager of the team.",
                        name=team.name,
                    ),
                    "success",
                )
                return redirect(url_for("admin.teams_list"))
    return render_template(
        "admin/rota.html", form=form, team=team, managers=managers, weekdays=WEEKDAYS
    ), _status(form)


# --- settings -------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(ADMIN)
def settings_page():
    session = db.session()
    form = settings_form(data=settings.current(session))
    if form.validate_on_submit():
        submitted = {key: form[key].data or "" for key in settings.BY_KEY}
        changes, errors = settings.change_settings(session, submitted, by=current_user, now=now())
        for key, message in errors.items():
            form[key].errors.append(message)
        if not errors:
            session.commit()
            flash(
                sn_("%(num)d setting changed.", "%(num)d settings changed.", len(changes))
                if changes
                else s_("Nothing was changed."),
                "success",
            )
            return redirect(url_for("admin.settings_page"))
    groups: dict[str, list] = {}
    for field in settings.FIELDS:
        groups.setdefault(str(field.group), []).append(form[field.key])
    return render_template(
        "admin/settings.html", form=form, groups=groups, in_languages=_in_languages(form)
    ), _status(form)


def _in_languages(form) -> list[tuple]:
    """The words young people see, in each language other than English: a section each."""
    return [
        (language, [form[f.key] for f in settings.TRANSLATED_FIELDS if f.group == language.code])
        for language in settings.OTHER_LANGUAGES
    ]
