"""Young people's pages: no account, one question a page, nothing left behind.

The link (or code) puts the invitation in the session; every page after that works from
the session, so the token leaves the address bar after the first page.
"""

from __future__ import annotations

from datetime import UTC, datetime

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
from feedback.checkin.forms import CodeForm, ConsentForm, question_form
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
SESSION_KEY = "young_person"


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@bp.before_request
def _young_person_page():
    mark_young_person_page()


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _refuse(state: InvitationState):
    status = 404 if state is InvitationState.UNKNOWN else 410
    return render_template("young/link_problem.html", state=state.value), status


def _enter(invitation: Invitation):
    state = invitations.state_of(invitation, now())
    if state is not InvitationState.LIVE:
        return _refuse(state)
    held = session.get(SESSION_KEY) or {}
    # Opening the same link again keeps an anonymous draft, which only this session knows.
    draft = held.get("draft") if held.get("invitation") == invitation.id else None
    session.clear()
    session[SESSION_KEY] = {"invitation": invitation.id, "draft": draft}
    _draft_for(invitation)
    db.session().commit()
    return redirect(url_for("young.welcome"))


def _draft_for(invitation: Invitation) -> Response:
    if responses.questionnaire_of(invitation).anonymous:
        held = session.get(SESSION_KEY) or {}
        draft = responses.start_or_resume_anonymous(
            db.session(), invitation, held.get("draft"), now()
        )
        if held.get("draft") != draft.id:
            session[SESSION_KEY] = {**held, "draft": draft.id}
        return draft
    return responses.start_or_resume(db.session(), invitation, now())


def _current() -> tuple[Invitation, Response] | None:
    """The invitation and draft in this browser's session, if still live."""
    held = session.get(SESSION_KEY) or {}
    invitation = db.session().get(Invitation, held.get("invitation") or 0)
    state = invitations.state_of(invitation, now())
    if state is not InvitationState.LIVE:
        return None
    return invitation, _draft_for(invitation)


def _current_or_refuse():
    current = _current()
    if current is None:
        held = session.get(SESSION_KEY) or {}
        if held.get("done"):
            return None, redirect(url_for("young.done"))
        invitation = db.session().get(Invitation, held.get("invitation") or 0)
        if invitation is None:
            return None, redirect(url_for("young.start"))
        return None, _refuse(invitations.state_of(invitation, now()))
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
    invitation, response = current
    questionnaire = responses.questionnaire_of(response)
    answers = responses.answers_of(response)
    resume = responses.first_unanswered(questionnaire, answers)
    db.session().commit()
    return render_template(
        "young/welcome.html",
        questionnaire=questionnaire,
        started=bool(answers),
        next_url=url_for("young.question", question_id=resume.id)
        if resume
        else url_for("young.check"),
    )


@bp.route("/check-in/questions/<question_id>", methods=["GET", "POST"])
@public
def question(question_id: str):
    current, refusal = _current_or_refuse()
    if refusal:
        return refusal
    _invitation, response = current
    questionnaire = responses.questionnaire_of(response)
    q = questionnaire.question(question_id)
    if q is None:
        abort(404)
    answers = responses.answers_of(response)
    changing = request.args.get("change") == "1"
    saved = answers.get(q.id)

    if request.method == "POST" and "rather_not_say" in request.form:
        value = RATHER_NOT_SAY
        form = None
    else:
        form = question_form(
            q, formdata=request.form if request.method == "POST" else None, data=saved
        )
        value = None
        if request.method == "POST" and form.validate():
            value = form.answer.data
            if q.type == "free-text":
                value = (value or "").strip()
    if value is not None:
        responses.save_answer(db.session(), response, q, value, now())
        db.session().commit()
        answers[q.id] = value
        following = responses.next_question(questionnaire, q)
        if changing or following is None:
            return redirect(url_for("young.check"))
        return redirect(url_for("young.question", question_id=following.id))

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
        position=questionnaire.position(q.id),
        total=len(questionnaire.questions),
        back_url=back_url,
        changing=changing,
    ), status


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
        responses.submit_response(
            db.session(),
            response,
            pseudonym_key=current_app.config["PSEUDONYM_KEY"].encode(),
            now=now(),
            quote_consent=consent,
            invitation=invitation,
        )
        db.session().commit()
        session[SESSION_KEY] = {"done": True, "anonymous": questionnaire.anonymous}
        return redirect(url_for("young.done"))
    db.session().commit()
    return render_template(
        "young/check.html",
        questionnaire=questionnaire,
        answers=answers,
        form=form,
        wrote_text=wrote_text,
    ), 400 if form.errors else 200


@bp.route("/check-in/done")
@public
def done():
    held = session.get(SESSION_KEY) or {}
    return render_template("young/done.html", anonymous=bool(held.get("anonymous")))


@bp.route("/help")
@public
def help_contacts():
    return render_template("young/help.html", contacts=current_app.config["HELP_CONTACTS"])


@bp.route("/leave")
@public
def leave():
    # Forget everything this browser held, then go somewhere ordinary.
    session.clear()
    response = redirect(current_app.config["EXIT_URL"], code=303)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
