"""Where a young person is in a questionnaire, held in their browser session.

The link (or code) puts the invitation in the session, with a random secret of this
session's own; every young person's page after that, the goals page included, works
from here: the live invitation and its draft, or the kind page that says why not.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, redirect, render_template, session, url_for

from feedback import db, i18n
from feedback.clock import now
from feedback.invitations import services as invitations
from feedback.invitations.models import Invitation
from feedback.invitations.services import InvitationState
from feedback.responses import services as responses
from feedback.responses.models import Response
from outcomes.questionnaires import ENGLISH, Questionnaire

SESSION_KEY = "young_person"
SECRET_BYTES = 32


def secret() -> str:
    return current_app.config["SECRET_KEY"]


def typed_code(text: str) -> Invitation | None:
    """The link a code typed by a young person stands for, or None; raises
    invitations.CodeFormatError, with words to show, for something that is not a code."""
    return invitations.find_by_code(db.session(), secret(), invitations.normalise_code(text))


def in_session() -> dict:
    return session.get(SESSION_KEY) or {}


def viewer(response: Response) -> str | None:
    secret = in_session().get("secret")
    return responses.viewer_of(secret, response) if secret else None


def respondent(invitation: Invitation, response: Response) -> responses.Respondent:
    """Who is answering, as far as the alerts may know (see `Respondent`)."""
    if not response.anonymous:
        return responses.Respondent(team_id=invitation.case.team_id)
    secret = in_session().get("secret") or ""
    key = hashlib.sha256(f"draft:{response.id}:{secret}".encode()).hexdigest()
    return responses.Respondent(team_id=invitation.case.team_id, draft_key=key)


def refuse(state: InvitationState):
    status = 404 if state is InvitationState.UNKNOWN else 410
    return render_template("young/link_problem.html", state=state.value), status


def keep_reading(invitation: Invitation, *, typed: bool = False) -> None:
    """Keep the language and easy read the practitioner chose for the journey. A code
    typed on a page already in a language the person chose keeps their choice; a link
    opened is read as the practitioner chose (the top bar changes it on any page)."""
    chosen = {k: session[k] for k in (i18n.SESSION_KEY, i18n.EASY_READ_KEY) if k in session}
    i18n.follow_link(invitation.language, invitation.easy_read)
    if typed:
        session.update(chosen)


def in_page_language(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire in the page's language, or in English where it is not offered
    in it."""
    language = i18n.current_language()
    return questionnaire.in_language(language if questionnaire.offers(language) else ENGLISH)


def enter(invitation: Invitation | None, *, typed: bool = False):
    """Start (or carry on) the journey of a link opened, or of a code `typed`."""
    state = invitations.state_of(invitation, now())
    if state is not InvitationState.LIVE:
        return refuse(state)
    held = in_session()
    # The reading choices outlive the fresh session; `keep_reading` decides which stand.
    reading = {k: session[k] for k in (i18n.SESSION_KEY, i18n.EASY_READ_KEY) if k in session}
    same = held.get("invitation") == invitation.id
    # Opening the same link again keeps an anonymous draft, which only this session knows.
    draft = held.get("draft") if same else None
    # The same browser session keeps its secret, so it still sees what it gave, even
    # through a new link that carried its answers over.
    secret = held.get("secret") or secrets.token_urlsafe(SECRET_BYTES)
    session.clear()
    session.update(reading)
    session[SESSION_KEY] = {"invitation": invitation.id, "secret": secret}
    if draft is not None:
        session[SESSION_KEY]["draft"] = draft
    keep_reading(invitation, typed=typed)
    draft_for(invitation)
    db.session().commit()
    return redirect(url_for("young.welcome"))


def draft_for(invitation: Invitation, draft: object = responses.NOT_READ) -> Response:
    """The draft this browser fills in for `invitation`, started if need be (`draft`:
    the link's named draft, if already read)."""
    if responses.questionnaire_of(invitation).anonymous:
        held = in_session()
        draft = responses.start_or_resume_anonymous(
            db.session(), invitation, held.get("draft"), now()
        )
        if held.get("draft") != draft.id:
            session[SESSION_KEY] = {**held, "draft": draft.id}
        return draft
    return responses.start_or_resume(db.session(), invitation, now(), draft)


def live_draft() -> tuple[Invitation, Response] | None:
    """The invitation and draft in this browser's session, if still live."""
    invitation, draft = responses.find_link_and_draft(db.session(), in_session().get("invitation"))
    state = invitations.state_of(invitation, now())
    if state is not InvitationState.LIVE:
        return None
    return invitation, draft_for(invitation, draft)


def current_or_refuse():
    current = live_draft()
    if current is None:
        held = in_session()
        if held.get("done"):
            return None, redirect(url_for("young.done"))
        invitation = invitations.find_by_id(db.session(), held.get("invitation"))
        if invitation is None:
            return None, redirect(url_for("young.start"))
        state = invitations.state_of(invitation, now())
        if state is InvitationState.USED:
            # Sent from this session a moment ago (a double press, or the back button
            # after sending), or from another of their phones: it is done, not wrong.
            return None, redirect(url_for("young.done"))
        return None, refuse(state)
    return current, None
