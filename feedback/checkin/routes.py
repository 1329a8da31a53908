"""Young people's pages: no account, one question a page, nothing left behind.

The link (or code) puts the invitation in the session; every page after that works from
the session, so the token leaves the address bar after the first page.

The session also holds a random secret. Answers are shown again only to the session
whose secret gave them (see `feedback.responses.services`), and "Leave this site" makes
the server forget it, so neither another phone with the same link nor the link reopened
from the browser's history shows what was said.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from feedback import db
from feedback.checkin.forms import CodeForm, ConsentForm, EnterPinForm, SetPinForm, question_form
from feedback.checkin.widgets import question_macro, widget_for
from feedback.clock import now
from feedback.extensions import limiter
from feedback.invitations import services as invitations
from feedback.invitations.models import Invitation
from feedback.invitations.services import InvitationState
from feedback.responses import services as responses
from feedback.responses.models import Response
from feedback.security import mark_young_person_page
from feedback.staff.access import public
from outcomes.questionnaires import RATHER_NOT_SAY

bp = Blueprint("young", __name__)
bp.add_app_template_global(widget_for, "question_widget")
bp.add_app_template_global(question_macro, "question_macro")
SESSION_KEY = "young_person"
SECRET_BYTES = 32



@bp.before_request
def _young_person_page():
    mark_young_person_page()


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _held() -> dict:
    return session.get(SESSION_KEY) or {}


def _viewer(response: Response) -> str | None:
    secret = _held().get("secret")
    return responses.viewer_of(secret, response) if secret else None


def _respondent(invitation: Invitation, response: Response) -> responses.Respondent:
    """Who is answering, as far as the alerts may know (see `Respondent`)."""
    if not response.anonymous:
        return responses.Respondent(team_id=invitation.case.team_id)
    secret = _held().get("secret") or ""
    key = hashlib.sha256(f"draft:{response.id}:{secret}".encode()).hexdigest()
    return responses.Respondent(team_id=invitation.case.team_id, draft_key=key)


def _refuse(state: InvitationState):
    status = 404 if state is InvitationState.UNKNOWN else 410
    return render_template("young/link_problem.html", state=state.value), status


def _enter(invitation: Invitation | None):
    state = invitations.state_of(invitation, now())
    if state is not InvitationState.LIVE:
        return _refuse(state)
    held = _held()
    same = held.get("invitation") == invitation.id
    # Opening the same link again keeps an anonymous draft, which only this session knows.
    draft = held.get("draft") if same else None
    # The same browser session keeps its secret, so it still sees what it gave, even
    # through a new link that carried its answers over.
    secret = held.get("secret") or secrets.token_urlsafe(SECRET_BYTES)
    session.clear()
    session[SESSION_KEY] = {"invitation": invitation.id, "draft": draft, "secret": secret}
    _draft_for(invitation)
    db.session().commit()
    return redirect(url_for("young.welcome"))


def _draft_for(invitation: Invitation) -> Response:
    if responses.questionnaire_of(invitation).anonymous:
        held = _held()
        draft = responses.start_or_resume_anonymous(
            db.session(), invitation, held.get("draft"), now()
        )
        if held.get("draft") != draft.id:
            session[SESSION_KEY] = {**held, "draft": draft.id}
        return draft
    return responses.start_or_resume(db.session(), invitation, now())


def _current() -> tuple[Invitation, Response] | None:
    """The invitation and draft in this browser's session, if still live."""
    invitation = db.session().get(Invitation, _held().get("invitation") or 0)
    state = invitations.state_of(invitation, now())
    if state is not InvitationState.LIVE:
        return None
    return invitation, _draft_for(invitation)


def _current_or_refuse():
    current = _current()
    if current is None:
        held = _held()
        if held.get("done"):
            return None, redirect(url_for("young.done"))
        invitation = db.session().get(Invitation, held.get("invitation") or 0)
        if invitation is None:
            return None, redirect(url_for("young.start"))
        state = invitations.state_of(invitation, now())
        if state is InvitationState.USED:
            # Sent from this session a moment ago (a double press, or the back button
            # after sending), or from another of their phones: it is done, not wrong.
            return None, redirect(url_for("young.done"))
        return None, _refuse(state)
    return current, None


@bp.route("/start", methods=["GET", "POST"])
@public
@limiter.limit("30 per minute", methods=["POST"])
def start():
    form = CodeForm()
    if form.validate_on_submit():
        try:
            code = invitations.normalise_code(form.code.data)
        except invitations.CodeFormatError as error:
            form.code.errors.append(str(error))
        else:
            invitation = invitations.find_by_code(db.session(), _secret(), code)
            if invitation is None:
                form.code.errors.append(
                    "We cannot find that code. Check it, or ask your worker for a new one"
                )
            else:
                return _enter(invitation)
    return render_template("young/start.html", form=form), 200 if not form.errors else 400


@bp.route("/r/<token>")
@public
def open_link(token: str):
    return _enter(invitations.find_by_token(db.session(), _secret(), token))


@bp.route("/check-in")
@public
def welcome():
    current, refusal = _current_or_refuse()
    if refusal:
        return refusal
    _invitation, response = current
    questionnaire = responses.questionnaire_of(response)
    answers = responses.answers_of(response)
    viewer = _viewer(response)
    resume = responses.first_unanswered(questionnaire, answers)
    db.session().commit()
    return render_template(
        "young/welcome.html",
        questionnaire=questionnaire,
        started=bool(answers),
        hidden=len(answers) - len(responses.visible_answers(response, viewer)),
        may_set_pin=responses.may_set_pin(response, viewer),
        pin_form=EnterPinForm() if _may_use_pin(response, viewer) else None,
        next_url=url_for("young.question", question_id=resume.id)
        if resume
        else url_for("young.check"),
    )


def _may_use_pin(response: Response, viewer: str | None) -> bool:
    return (
        response.pin_hash is not None
        and not responses.sees_everything(response, viewer)
        and responses.pin_tries_left(response, current_app.config["PIN_TRIES"]) > 0
    )


@bp.route("/check-in/pin", methods=["GET", "POST"])
@public
def set_pin():
    current, refusal = _current_or_refuse()
    if refusal:
        return refusal
    _invitation, response = current
    viewer = _viewer(response)
    if not responses.may_set_pin(response, viewer):
        db.session().commit()
        return redirect(url_for("young.welcome"))
    form = SetPinForm()
    if form.validate_on_submit():
        try:
            responses.set_pin(db.session(), response, form.pin.data, viewer, secret=_secret())
        except responses.PinError as error:
            form.pin.errors.append(str(error))
        else:
            db.session().commit()
            return redirect(url_for("young.welcome"))
    db.session().commit()
    return render_template("young/set_pin.html", form=form), 400 if form.errors else 200


@bp.route("/check-in/pin/enter", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["PIN_LIMIT"], methods=["POST"])
def enter_pin():
    current, refusal = _current_or_refuse()
    if refusal:
        return refusal
    _invitation, response = current
    viewer = _viewer(response)
    form = EnterPinForm()
    tries = current_app.config["PIN_TRIES"]
    if response.pin_hash is None or responses.sees_everything(response, viewer):
        db.session().commit()
        return redirect(url_for("young.welcome"))
    if form.validate_on_submit():
        try:
            responses.use_pin(
                db.session(), response, form.pin.data, viewer, secret=_secret(), tries=tries
            )
        except responses.PinError as error:
            form.pin.errors.append(str(error))
        else:
            db.session().commit()
            return redirect(url_for("young.check"))
    # A wrong PIN is counted even though the page says so: commit the count.
    db.session().commit()
    locked = responses.pin_tries_left(response, tries) == 0
    return render_template(
        "young/enter_pin.html",
        # Once locked there is no box to point an error at: the page says it instead.
        form=None if locked else form,
        locked=locked,
        next_url=_resume_url(response),
    ), 400 if form.errors else 200


def _resume_url(response: Response) -> str:
    questionnaire = responses.questionnaire_of(response)
    resume = responses.first_unanswered(questionnaire, responses.answers_of(response))
    return url_for("young.question", question_id=resume.id) if resume else url_for("young.check")


@bp.route("/check-in/questions/<question_id>", methods=["GET", "POST"])
@public
def question(question_id: str):
    current, refusal = _current_or_refuse()
    if refusal:
        return refusal
    invitation, response = current
    questionnaire = responses.questionnaire_of(response)
    q = questionnaire.question(question_id)
    if q is None:
        abort(404)
    viewer = _viewer(response)
    answered = q.id in responses.answers_of(response)
    saved = responses.visible_answers(response, viewer).get(q.id)
    changing = request.args.get("change") == "1"
    following = responses.next_question(questionnaire, q)
    next_url = (
        url_for("young.check")
        if changing or following is None
        else url_for("young.question", question_id=following.id)
    )

    if request.method == "POST" and "rather_not_say" in request.form:
        value = RATHER_NOT_SAY
        form = None
    else:
        form = question_form(
            q, formdata=request.form if request.method == "POST" else None, data=saved
        )
        value = None
        if request.method == "POST" and form.validate():
            value = q.kind.normalise(q, form.answer.data)
    if value is not None:
        try:
            result = responses.save_answer(
                db.session(), response, q, value, now(),
                viewer=viewer, respondent=_respondent(invitation, response),
            )
        except responses.AlreadySubmitted:
            db.session().rollback()
            return redirect(url_for("young.done"))
        db.session().commit()
        if result.concern is not None and result.concern.fresh:
            # Help straight after the answer, not at the end: the page says what happens
            # next, then lets them carry on or stop.
            session[SESSION_KEY] = {
                **_held(),
                "support": {
                    "level": result.concern.level,
                    "minutes": result.concern.told_again_after,
                    "next": next_url,
                },
            }
            return redirect(url_for("young.support"))
        return redirect(next_url)

    previous = responses.previous_question(questionnaire, q)
    back_url = (
        url_for("young.check")
        if changing
        else url_for("young.question", question_id=previous.id)
        if previous
        else url_for("young.welcome")
    )
    db.session().commit()
    status = 400 if form is not None and form.errors else 200
    return render_template(
        "young/question.html",
        questionnaire=questionnaire,
        question=q,
        form=form,
        saved=saved,
        answered_elsewhere=answered and saved is None,
        position=questionnaire.position(q.id),
        total=len(questionnaire.questions),
        back_url=back_url,
        next_url=next_url,
        changing=changing,
    ), status


@bp.route("/check-in/thank-you")
@public
def support():
    """Straight after an answer that worries us: what happens next, and who to call."""
    support = _held().get("support")
    if not support:
        return redirect(url_for("young.welcome"))
    current, refusal = _current_or_refuse()
    if refusal:
        return refusal
    _invitation, response = current
    db.session().commit()
    return render_template(
        "young/support.html",
        level=support["level"],
        minutes=support.get("minutes"),
        anonymous=response.anonymous,
        next_url=support["next"],
        contacts=current_app.config["HELP_CONTACTS"],
    )


@bp.route("/check-in/check", methods=["GET", "POST"])
@public
def check():
    current, refusal = _current_or_refuse()
    if refusal:
        return refusal
    invitation, response = current
    questionnaire = responses.questionnaire_of(response)
    answers = responses.answers_of(response)
    missing = responses.first_unanswered(questionnaire, answers)
    if missing is not None:
        return redirect(url_for("young.question", question_id=missing.id))
    # Anonymous answers are never quoted, so there is nothing to ask consent for.
    wrote_text = responses.has_free_text(questionnaire, answers) and not questionnaire.anonymous
    form = ConsentForm()
    if request.method == "POST" and (not wrote_text or form.validate()):
        consent = form.quote_consent.data == "yes" if wrote_text else None
        try:
            result = responses.submit_response(
                db.session(),
                response,
                pseudonym_key=current_app.config["PSEUDONYM_KEY"].encode(),
                now=now(),
                quote_consent=consent,
                invitation=invitation,
                respondent=_respondent(invitation, response),
            )
        except responses.AlreadySubmitted:
            # Sent already, by a press a moment ago: the same thanks, nothing twice.
            db.session().rollback()
            return redirect(url_for("young.done"))
        db.session().commit()
        session[SESSION_KEY] = {
            "done": True,
            "anonymous": questionnaire.anonymous,
            "concern": result.concern.level if result.concern else None,
        }
        return redirect(url_for("young.done"))
    db.session().commit()
    return render_template(
        "young/check.html",
        questionnaire=questionnaire,
        answers=answers,
        visible=responses.visible_answers(response, _viewer(response)),
        answer_label=responses.answer_label,
        form=form,
        wrote_text=wrote_text,
    ), 400 if form.errors else 200


@bp.route("/check-in/done")
@public
def done():
    held = _held()
    return render_template(
        "young/done.html",
        anonymous=bool(held.get("anonymous")),
        concern=held.get("concern"),
        contacts=current_app.config["HELP_CONTACTS"],
    )


@bp.route("/help")
@public
def help_contacts():
    return render_template(
        "young/help.html",
        contacts=current_app.config["HELP_CONTACTS"],
        in_check_in=bool(_held().get("invitation")),
    )


def _end_session() -> bool:
    """Forget this browser's session, on the server too: its answers stay saved but are
    shown to nobody until answered again (or the PIN is used). Returns whether the draft
    was anonymous, which decides what the young person is told."""
    held = _held()
    response = responses.find_draft(db.session(), held.get("invitation"), held.get("draft"))
    anonymous = bool(response and response.anonymous)
    if response is not None and held.get("secret"):
        responses.forget_viewer(
            db.session(), response, responses.viewer_of(held["secret"], response)
        )
        db.session().commit()
    session.clear()
    return anonymous


@bp.route("/check-in/stop")
@public
def stop():
    """"Stop for now", from the page after a worrying answer: a calm way out."""
    anonymous = _end_session()
    return render_template(
        "young/stopped.html", anonymous=anonymous, contacts=current_app.config["HELP_CONTACTS"]
    )


@bp.route("/leave")
@public
def leave():
    # Forget everything this browser held, then go somewhere ordinary.
    _end_session()
    response = redirect(current_app.config["EXIT_URL"], code=303)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
