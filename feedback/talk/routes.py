"""Pages: a young person (or parent) asks to speak to a manager; managers answer; and
the public "you said, we did" page.

The asking pages are young people's pages: no account, one question a page, no cache,
quick exit and help. Answers wait in the browser's session until the request is sent,
so nothing typed is lost to a wrong answer on a later page.
"""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user

from feedback import db
from feedback.checkin import journey
from feedback.checkin.forms import CodeForm
from feedback.clock import now, today
from feedback.extensions import limiter
from feedback.i18n import N_, s_
from feedback.invitations import services as invitations
from feedback.invitations.models import Invitation
from feedback.invitations.services import InvitationState
from feedback.security import mark_young_person_page
from feedback.settings import services as settings
from feedback.staff import access
from feedback.staff.access import MANAGERS, STAFF, public, roles_required
from feedback.talk import services
from feedback.talk.models import ABOUT, CONTACT, GOOD_TIME, STATES

bp = Blueprint("talk", __name__)
staff_bp = Blueprint("requests", __name__)

SESSION_KEY = "talk"


@bp.before_request
def _young_person_page():
    mark_young_person_page()


def _held() -> dict:
    return session.get(SESSION_KEY) or {}


def _begin(invitation: Invitation):
    held = _held()
    answers = held.get("answers", {}) if held.get("invitation") == invitation.id else {}
    session[SESSION_KEY] = {"invitation": invitation.id, "answers": answers}
    return redirect(url_for("talk.question", step=services.first_missing(answers) or "about"))


def _refuse(state: InvitationState):
    status = 404 if state is InvitationState.UNKNOWN else 410
    return render_template(
        "talk/link_problem.html", state=state.value, contacts=settings.help_contacts(db.session())
    ), status


TOO_OLD = N_(
    "That code is too old to use here. Ask your worker for a new one, "
    "or use the help contacts below"
)
CODE_PROBLEMS = {
    InvitationState.UNKNOWN: N_(
        "We cannot find that code. Check it, or ask your worker for a new one"
    ),
    InvitationState.WITHDRAWN: N_("That code has been stopped. Ask your worker for a new one"),
    InvitationState.EXPIRED: TOO_OLD,
    InvitationState.USED: TOO_OLD,
}


def _checkin_invitation() -> Invitation | None:
    """The link this browser is answering with, or answered with a moment ago."""
    held = journey.in_session()
    invitation_id = held.get("invitation") or held.get("answered")
    return db.session().get(Invitation, invitation_id) if invitation_id else None


@bp.route("/talk", methods=["GET", "POST"])
@public
@limiter.limit("30 per minute", methods=["POST"])
def start():
    form = CodeForm()
    if request.method == "GET":
        for invitation in (
            db.session().get(Invitation, _held().get("invitation") or 0),
            _checkin_invitation(),
        ):
            if services.may_ask_with(invitation, now()) is InvitationState.LIVE:
                return _begin(invitation)
    elif form.validate_on_submit():
        try:
            invitation = journey.typed_code(form.code.data)
        except invitations.CodeFormatError as error:
            form.code.errors.append(str(error))
        else:
            state = services.may_ask_with(invitation, now())
            if state is InvitationState.LIVE:
                journey.keep_reading(invitation, typed=True)
                return _begin(invitation)
            form.code.errors.append(gettext(CODE_PROBLEMS[state]))
    return render_template(
        "talk/start.html", form=form, contacts=settings.help_contacts(db.session())
    ), 400 if form.errors else 200


@bp.route("/talk/r/<token>")
@public
def open_link(token: str):
    invitation = invitations.find_by_token(db.session(), journey.secret(), token)
    state = services.may_ask_with(invitation, now())
    if state is not InvitationState.LIVE:
        return _refuse(state)
    journey.keep_reading(invitation)
    return _begin(invitation)


def _current() -> tuple[Invitation | None, object]:
    """The invitation this browser asks with, or the page to go to instead."""
    invitation = db.session().get(Invitation, _held().get("invitation") or 0)
    if invitation is None:
        return None, redirect(url_for("talk.start"))
    state = services.may_ask_with(invitation, now())
    if state is not InvitationState.LIVE:
        return None, _refuse(state)
    return invitation, None


def _standard() -> dict:
    days = services.contact_within_working_days()
    return {
        "days": days,
        "due": services.due_by(now()),
    }


@bp.route("/talk/<step>", methods=["GET", "POST"])
@public
def question(step: str):
    if step not in services.STEPS:
        abort(404)
    invitation, elsewhere = _current()
    if invitation is None:
        return elsewhere
    held = _held()
    answers = dict(held.get("answers", {}))
    steps = services.steps_for(answers)
    missing = services.first_missing(answers)
    if step not in steps or (missing is not None and steps.index(missing) < steps.index(step)):
        # A page before this one has nothing chosen yet: that page first.
        return redirect(url_for("talk.question", step=missing or "message"))
    anonymous_link = services.is_anonymous_link(invitation)
    error = None
    values = dict(answers)
    if request.method == "POST":
        values.update({k: v for k, v in request.form.items() if k != "csrf_token"})
        try:
            cleaned = services.clean_step(step, request.form, anonymous_link=anonymous_link)
        except services.TalkError as problem:
            error = problem
        else:
            answers.update(cleaned)
            if step == "contact" and cleaned["contact"] == "none":
                answers.pop("good_time", None)
            missing = services.first_missing(answers)
            if step == "message" and missing is None:
                # The last page sends: the message itself never waits in the browser.
                return _send(invitation, answers)
            answers.pop("message", None)
            session[SESSION_KEY] = {**held, "answers": answers}
            return redirect(url_for("talk.question", step=missing or "message"))
    steps = services.steps_for(answers)
    position = steps.index(step)
    back = url_for("talk.question", step=steps[position - 1]) if position else None
    return render_template(
        "talk/question.html",
        step=step,
        values=values,
        error=error,
        position=position + 1,
        total=len(steps),
        back_url=back,
        anonymous_link=anonymous_link,
        family=invitation.family_contact_id is not None,
        about=ABOUT,
        contact=CONTACT,
        good_time=GOOD_TIME,
        message_max=services.MESSAGE_MAX,
        standard=_standard(),
        answers=answers,
    ), 400 if error else 200


def _send(invitation: Invitation, answers: dict):
    try:
        asked = services.make_request(db.session(), invitation, answers, now())
    except services.TalkError as problem:
        db.session().rollback()
        flash(str(problem))
        return redirect(url_for("talk.question", step="about"))
    db.session().commit()
    talk = asked.request
    # What the thank-you page says, and nothing of what was asked: the number goes too.
    session[SESSION_KEY] = {
        "sent": {
            "due": talk.due_at.isoformat(),
            "wants_contact": talk.wants_contact,
            "worrying": asked.worrying,
            "anonymous": talk.anonymous,
        }
    }
    return redirect(url_for("talk.sent"))


@bp.route("/talk/sent")
@public
def sent():
    held = _held().get("sent")
    if not held:
        return redirect(url_for("talk.start"))
    return render_template(
        "talk/sent.html",
        due=datetime.fromisoformat(held["due"]),
        wants_contact=held["wants_contact"],
        worrying=held["worrying"],
        contacts=settings.help_contacts(db.session()),
        back_to_checkin=journey.in_session().get("invitation") is not None,
    )


@bp.route("/you-said-we-did")
@public
def you_said_we_did():
    notes = services.public_notes(db.session())
    own = _checkin_invitation()
    return render_template(
        "talk/you_said_we_did.html",
        notes=notes,
        own_team_id=own.case.team_id if own is not None else None,
    )


# --------------------------------------------------------------------------
# Managers' pages


def _request_or_404(request_id: int):
    talk = services.get_visible_request(db.session(), current_user, request_id)
    if talk is None:
        abort(404)
    return talk


@staff_bp.route("/requests")
@roles_required(*STAFF)
def list_requests():
    state = request.args.get("state") or None
    if state not in STATES:
        state = None
    talks = services.visible_requests(db.session(), current_user, state)
    moment = now()
    return render_template(
        "talk/list.html",
        requests=talks,
        state=state,
        states=STATES,
        overdue={t.id for t in talks if services.is_overdue(t, moment)},
        reach=access.talk_reach(current_user),
    )


def _show(talk, *, error=None, form_name=None, status=200):
    return render_template(
        "talk/show.html",
        talk=talk,
        overdue=services.is_overdue(talk, now()),
        error=error,
        form_name=form_name,
        note=request.form.get("note", "") if request.method == "POST" else "",
    ), status


@staff_bp.route("/requests/<int:request_id>")
@roles_required(*STAFF)
def show(request_id: int):
    talk = _request_or_404(request_id)
    services.record_view(db.session(), current_user, talk, now())
    db.session().commit()
    return _show(talk)


def _step(request_id: int, action, done: str, form_name: str):
    talk = _request_or_404(request_id)
    try:
        action(talk)
    except services.TalkError as problem:
        db.session().rollback()
        talk = _request_or_404(request_id)
        return _show(talk, error=str(problem), form_name=form_name, status=400)
    db.session().commit()
    flash(done, "success")
    return redirect(url_for("requests.show", request_id=request_id))


@staff_bp.route("/requests/<int:request_id>/contacted", methods=["POST"])
@roles_required(*MANAGERS)
def contacted(request_id: int):
    return _step(
        request_id,
        lambda t: services.mark_contacted(
            db.session(), t, current_user, request.form.get("note"), now()
        ),
        s_("Contact is recorded"),
        "contacted",
    )


@staff_bp.route("/requests/<int:request_id>/resolve", methods=["POST"])
@roles_required(*MANAGERS)
def resolve(request_id: int):
    return _step(
        request_id,
        lambda t: services.resolve(db.session(), t, current_user, request.form.get("note"), now()),
        s_("The request is resolved"),
        "resolve",
    )


@staff_bp.route("/requests/<int:request_id>/share", methods=["POST"])
@roles_required(*MANAGERS)
def share(request_id: int):
    return _step(
        request_id,
        lambda t: services.share_with_worker(db.session(), t, current_user, now()),
        s_("The request is shared with the young person's worker"),
        "share",
    )


@staff_bp.route("/you-said-we-did/manage", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def notes():
    session_ = db.session()
    teams = services.note_teams(session_, current_user)
    values = {"you_said": "", "we_did": "", "team": "service"}
    error = checks = None
    if request.method == "POST":
        values.update({k: request.form.get(k, "") for k in values})
        team_id = None if values["team"] == "service" else _int(values["team"])
        if values["team"] != "service" and team_id is None:
            error = services.TalkError(s_("Choose a team"), "team")
        elif request.form.get("action") == "publish":
            try:
                services.publish_note(
                    session_,
                    current_user,
                    team_id=team_id,
                    you_said=values["you_said"],
                    we_did=values["we_did"],
                    today=today(),
                    now=now(),
                )
            except services.TalkError as problem:
                error = problem
            else:
                session_.commit()
                flash(s_("The note is published"), "success")
                return redirect(url_for("requests.notes"))
        checks = {
            "you_said": services.check_note(values["you_said"]),
            "we_did": services.check_note(values["we_did"]),
        }
    return render_template(
        "talk/notes.html",
        notes=services.public_notes(session_),
        teams=teams,
        values=values,
        error=error,
        checks=checks,
    ), 400 if error else 200


def _int(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None
