"""Young people's pages: no account, one question a page, nothing left behind.

The link (or code) puts the invitation in the session; every page after that works from
the session, so the token leaves the address bar after the first page.

The session also holds a random secret. Answers are shown again only to the session
whose secret gave them (see `feedback.responses.services`), and "Leave this site" makes
the server forget it, so neither another phone with the same link nor the link reopened
from the browser's history shows what was said.
"""

from __future__ import annotations

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
from flask_babel import gettext

from feedback import db
from feedback.checkin import easy_read, journey
from feedback.checkin.forms import CodeForm, ConsentForm, EnterPinForm, SetPinForm, question_form
from feedback.checkin.widgets import question_macro, widget_for
from feedback.clock import now
from feedback.extensions import limiter
from feedback.i18n import current_language
from feedback.invitations import services as invitations
from feedback.responses import services as responses
from feedback.responses.models import Response
from feedback.security import mark_young_person_page
from feedback.settings import services as settings
from feedback.shared_pages import render_shared
from feedback.staff.access import public
from outcomes.questionnaires import RATHER_NOT_SAY

bp = Blueprint("young", __name__)
bp.add_app_template_global(widget_for, "question_widget")
bp.add_app_template_global(question_macro, "question_macro")
bp.record_once(lambda state: easy_read.init_app(state.app))


@bp.before_request
def _young_person_page():
    mark_young_person_page()


@bp.route("/start", methods=["GET", "POST"])
@public
@limiter.limit("30 per minute", methods=["POST"])
def start():
    form = CodeForm()
    if form.validate_on_submit():
        try:
            invitation = journey.typed_code(form.code.data)
        except invitations.CodeFormatError as error:
            form.code.errors.append(str(error))
        else:
            if invitation is None:
                form.code.errors.append(
                    gettext("We cannot find that code. Check it, or ask your worker for a new one")
                )
            else:
                return journey.enter(invitation, typed=True)
    return render_template("young/start.html", form=form), 200 if not form.errors else 400


@bp.route("/r/<token>")
@public
def open_link(token: str):
    return journey.enter(invitations.find_by_token(db.session(), journey.secret(), token))


@bp.route("/check-in")
@public
def welcome():
    current, refusal = journey.current_or_refuse()
    if refusal:
        return refusal
    _invitation, response = current
    questionnaire = responses.questionnaire_of(response)
    easy_read.choose(request.args.get("read"))
    answers = responses.answers_of(response)
    viewer = journey.viewer(response)
    resume = responses.first_unanswered(questionnaire, answers)
    db.session().commit()
    return render_template(
        "young/welcome.html",
        questionnaire=easy_read.shown(questionnaire),
        easy_read_offered=easy_read.offered(questionnaire),
        easy_read=easy_read.in_use(questionnaire),
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
    current, refusal = journey.current_or_refuse()
    if refusal:
        return refusal
    _invitation, response = current
    viewer = journey.viewer(response)
    if not responses.may_set_pin(response, viewer):
        db.session().commit()
        return redirect(url_for("young.welcome"))
    form = SetPinForm()
    if form.validate_on_submit():
        try:
            responses.set_pin(
                db.session(), response, form.pin.data, viewer, secret=journey.secret()
            )
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
    current, refusal = journey.current_or_refuse()
    if refusal:
        return refusal
    _invitation, response = current
    viewer = journey.viewer(response)
    form = EnterPinForm()
    tries = current_app.config["PIN_TRIES"]
    if response.pin_hash is None or responses.sees_everything(response, viewer):
        db.session().commit()
        return redirect(url_for("young.welcome"))
    if form.validate_on_submit():
        try:
            responses.use_pin(
                db.session(), response, form.pin.data, viewer, secret=journey.secret(), tries=tries
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
    current, refusal = journey.current_or_refuse()
    if refusal:
        return refusal
    invitation, response = current
    questionnaire = responses.questionnaire_of(response)
    q = questionnaire.question(question_id)
    if q is None:
        abort(404)
    # Saved and scored by the questionnaire's ids; shown in the page's words (and in easy
    # read where that was chosen: the same question, in other words, with pictures).
    shown = easy_read.shown(questionnaire)
    viewer = journey.viewer(response)
    answered = q.id in responses.answers_of(response)
    saved = responses.visible_answers(response, viewer).get(q.id)
    changing = request.args.get("change") == "1"
    following = responses.next_question(questionnaire, q)
    next_url = (
        url_for("young.check")
        if changing or following is None
        else url_for("young.question", question_id=following.id)
    )

    form = None  # made for a page only when it is drawn
    value = None
    if request.method == "POST" and "rather_not_say" in request.form:
        value = RATHER_NOT_SAY
    elif request.method == "POST":
        form = question_form(shown.question(q.id) or q, formdata=request.form, data=saved)
        if form.validate():
            value = q.kind.normalise(q, form.answer.data)
    if value is not None:
        try:
            result = responses.save_answer(
                db.session(),
                response,
                q,
                value,
                now(),
                viewer=viewer,
                respondent=journey.respondent(invitation, response),
            )
        except responses.AlreadySubmitted:
            db.session().rollback()
            return redirect(url_for("young.done"))
        db.session().commit()
        if result.concern is not None and result.concern.fresh:
            # Help straight after the answer, not at the end: the page says what happens
            # next, then lets them carry on or stop.
            session[journey.SESSION_KEY] = {
                **journey.in_session(),
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

    def page() -> dict:
        return {
            "questionnaire": shown,
            "question": shown.question(q.id),
            "form": form or question_form(shown.question(q.id) or q, formdata=None, data=saved),
            "saved": saved,
            "answered_elsewhere": answered and saved is None,
            "position": questionnaire.position(q.id),
            "total": len(questionnaire.questions),
            "back_url": back_url,
            "next_url": next_url,
            "changing": changing,
        }

    if form is not None and form.errors:
        return render_template("young/question.html", **page()), 400
    if saved is None:
        # Nothing of theirs on it: the page every young person sees here alike.
        facts = (questionnaire.code, questionnaire.version, answered)
        return render_shared("young/question.html", facts, page)
    return render_template("young/question.html", **page())


@bp.route("/check-in/thank-you")
@public
def support():
    """Straight after an answer that worries us: what happens next, and who to call."""
    support = journey.in_session().get("support")
    if not support:
        return redirect(url_for("young.welcome"))
    current, refusal = journey.current_or_refuse()
    if refusal:
        return refusal
    _invitation, response = current
    questionnaire = journey.in_page_language(responses.questionnaire_of(response))
    db.session().commit()
    return render_template(
        "young/support.html",
        level=support["level"],
        minutes=support.get("minutes"),
        anonymous=response.anonymous,
        told=questionnaire.told_after_it_worried,
        who_may_get_in_touch=questionnaire.who_may_get_in_touch,
        next_url=support["next"],
        contacts=settings.help_contacts(db.session()),
    )


@bp.route("/check-in/check", methods=["GET", "POST"])
@public
def check():
    current, refusal = journey.current_or_refuse()
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
                respondent=journey.respondent(invitation, response),
            )
        except responses.AlreadySubmitted:
            # Sent already, by a press a moment ago: the same thanks, nothing twice.
            db.session().rollback()
            return redirect(url_for("young.done"))
        db.session().commit()
        session[journey.SESSION_KEY] = {
            "done": True,
            # The link just used: it still lets this browser ask to speak to a manager.
            "answered": invitation.id,
            "anonymous": questionnaire.anonymous,
            "concern": result.concern.level if result.concern else None,
        }
        return redirect(url_for("young.done"))
    db.session().commit()
    return render_template(
        "young/check.html",
        questionnaire=easy_read.shown(questionnaire),
        answers=answers,
        visible=responses.visible_answers(response, journey.viewer(response)),
        answer_label=responses.answer_label,
        form=form,
        wrote_text=wrote_text,
    ), 400 if form.errors else 200


@bp.route("/check-in/done")
@public
def done():
    held = journey.in_session()
    return render_template(
        "young/done.html",
        anonymous=bool(held.get("anonymous")),
        concern=held.get("concern"),
        contacts=settings.help_contacts(db.session()),
    )


@bp.route("/help")
@public
def help_contacts():
    return render_template(
        "young/help.html",
        contacts=settings.help_contacts(db.session()),
        in_check_in=bool(journey.in_session().get("invitation")),
    )


@bp.route("/accessibility")
@public
def accessibility():
    """The accessibility statement, in the form the Public Sector Bodies Accessibility
    Regulations 2018 ask for; in neutral words, as every page a young person may open."""
    return render_template(
        "young/accessibility.html",
        contact=current_app.config.get("ACCESSIBILITY_CONTACT") or None,
        in_check_in=bool(journey.in_session().get("invitation")),
    )


def _end_session() -> bool:
    """Forget this browser's session, on the server too: its answers stay saved but are
    shown to nobody until answered again (or the PIN is used). Returns whether the draft
    was anonymous, which decides what the young person is told."""
    held = journey.in_session()
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
    """ "Stop for now", from the page after a worrying answer: a calm way out."""
    # This page is in the language the person was reading, though the session that
    # held it is forgotten: the request's language is settled before it goes.
    current_language()
    anonymous = _end_session()
    return render_template(
        "young/stopped.html", anonymous=anonymous, contacts=settings.help_contacts(db.session())
    )


@bp.route("/leave")
@public
def leave():
    # Forget everything this browser held, then go somewhere ordinary.
    _end_session()
    response = redirect(current_app.config["EXIT_URL"], code=303)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
