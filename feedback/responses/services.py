"""Responses: drafts saved answer by answer, then sent once.

Services flush; the view commits, once per request.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedback.cases.models import Case
from feedback.invitations.models import Invitation
from feedback.invitations.services import keep_the_day
from feedback.responses.models import Answer, Response
from outcomes import store
from outcomes.framework import get_framework
from outcomes.questionnaires import RATHER_NOT_SAY, Question, Questionnaire, get_questionnaire
from outcomes.rescore import RawResponse, record_response
from outcomes.text import analyse, redact
from outcomes.vocabulary import age_band


class AlreadySubmitted(Exception):
    pass


@dataclass
class SubmitResult:
    response: Response
    occasion_type: str
    measurements: int
    hooks: dict[str, object] = field(default_factory=dict)


# Case facts and goal ratings come from the outcomes feature; it sets this to a
# callable (session, response, case) -> (facts, goal ratings).
FACTS_SOURCE: list = []


def _facts_and_goals(session: Session, response: Response, case: Case | None):
    if case is None or not FACTS_SOURCE:
        return {}, []
    return FACTS_SOURCE[0](session, response, case)


def record_comments(
    session: Session,
    occasion: store.Occasion,
    questionnaire: Questionnaire,
    answers: dict[str, object],
    quote_consent: bool | None,
) -> int:
    """Themes and sentiment of each free-text answer into the store; the words only as a
    redacted quote, and only with consent."""
    comments = []
    for question in questionnaire.questions:
        text = answers.get(question.id)
        if question.type != "free-text" or not isinstance(text, str):
            continue
        if not text.strip() or text == RATHER_NOT_SAY:
            continue
        analysis = analyse(text)
        comments.append(
            store.NewComment(
                question=question.id,
                sentiment=analysis.sentiment,
                polarity=analysis.polarity,
                themes=tuple(
                    store.ThemeRow(m.code, m.domain, m.sentiment) for m in analysis.themes
                ),
                quote=redact(text) if quote_consent else None,
            )
        )
    return len(store.record_comments(session, occasion, comments))


# Other features (safeguarding, text themes) add themselves here, so that sending a
# response stays one call in one transaction. Each hook is called as
# hook(session, response, questionnaire, case, context, now, result).
SUBMIT_HOOKS: list = []
ANSWER_HOOKS: list = []


def questionnaire_of(response: Response | Invitation) -> Questionnaire:
    return get_questionnaire(response.questionnaire_code, response.questionnaire_version)


def start_or_resume(session: Session, invitation: Invitation, now: datetime) -> Response:
    response = session.scalar(select(Response).where(Response.invitation_id == invitation.id))
    if response is None:
        response = Response(
            invitation_id=invitation.id,
            case_id=invitation.case_id,
            anonymous=False,
            questionnaire_code=invitation.questionnaire_code,
            questionnaire_version=invitation.questionnaire_version,
            status="draft",
            started_at=now,
            updated_at=now,
        )
        session.add(response)
    if invitation.opened_at is None:
        invitation.opened_at = now
    session.flush()
    return response


def _anonymous_key(session: Session, model) -> int:
    """A key for an anonymous response or answer: drawn at random below zero, apart from
    the counter that numbers the named ones, so that it neither follows the order answers
    came in nor moves that counter (SQLite numbers a new row after the largest key)."""
    while True:
        key = -(secrets.randbelow(2**31 - 1) + 1)
        if session.get(model, key) is None:
            return key


def start_or_resume_anonymous(
    session: Session, invitation: Invitation, draft_id: int | None, now: datetime
) -> Response:
    """The draft this browser holds, or a new one. Nothing in the database links an
    anonymous draft to its invitation: only the browser's session knows which it is, so
    it can be resumed in the same browser session and nowhere else."""
    response = session.get(Response, draft_id) if draft_id else None
    if (
        response is None
        or not response.anonymous
        or response.status != "draft"
        or response.questionnaire_code != invitation.questionnaire_code
        or response.questionnaire_version != invitation.questionnaire_version
    ):
        response = Response(
            id=_anonymous_key(session, Response),
            invitation_id=None,
            case_id=None,
            anonymous=True,
            questionnaire_code=invitation.questionnaire_code,
            questionnaire_version=invitation.questionnaire_version,
            status="draft",
            started_at=keep_the_day(now),
            updated_at=keep_the_day(now),
        )
        session.add(response)
    if invitation.opened_at is None:
        invitation.opened_at = keep_the_day(now)
    session.flush()
    return response


def answers_of(response: Response) -> dict[str, object]:
    return response.answer_map()


def save_answer(
    session: Session, response: Response, question: Question, value: object, now: datetime
) -> Answer:
    if response.status != "draft":
        raise AlreadySubmitted
    if response.anonymous:
        now = keep_the_day(now)
    if not question.is_valid_answer(value) and not (question.type == "free-text" and value == ""):
        raise ValueError(f"not a valid answer to {question.id}")
    answer = next((a for a in response.answers if a.question_id == question.id), None)
    encoded = json.dumps(value, ensure_ascii=False)
    if answer is None:
        answer = Answer(
            id=_anonymous_key(session, Answer) if response.anonymous else None,
            question_id=question.id,
            value_json=encoded,
            answered_at=now,
        )
        response.answers.append(answer)
    else:
        answer.value_json = encoded
        answer.answered_at = now
    response.updated_at = now
    session.flush()
    for hook in ANSWER_HOOKS:
        hook(session, response, question, value, now)
    return answer


def first_unanswered(questionnaire: Questionnaire, answers: dict[str, object]) -> Question | None:
    return next((q for q in questionnaire.questions if q.id not in answers), None)


def previous_question(questionnaire: Questionnaire, question: Question) -> Question | None:
    i = questionnaire.position(question.id) - 1
    return questionnaire.questions[i - 1] if i > 0 else None


def next_question(questionnaire: Questionnaire, question: Question) -> Question | None:
    i = questionnaire.position(question.id)
    return questionnaire.questions[i] if i < len(questionnaire.questions) else None


def has_free_text(questionnaire: Questionnaire, answers: dict[str, object]) -> bool:
    return any(
        q.type == "free-text" and answers.get(q.id) not in (None, "", RATHER_NOT_SAY)
        for q in questionnaire.questions
    )


def occasion_type_for(session: Session, response: Response, questionnaire: Questionnaire) -> str:
    if questionnaire.kind != "checkin":
        return "exit"
    if response.case_id is None:
        return "review"
    earlier = session.scalar(
        select(func.count(Response.id)).where(
            Response.case_id == response.case_id,
            Response.status == "submitted",
            Response.questionnaire_code == questionnaire.code,
            Response.id != response.id,
        )
    )
    return "baseline" if not earlier else "review"


def context_for(case: Case, response_id: int, pseudonym_key: bytes, on: datetime) -> store.Context:
    return store.Context(
        pseudonym=store.pseudonymise(pseudonym_key, case.reference),
        response_ref=store.pseudonymise(pseudonym_key, f"response:{response_id}"),
        team=case.team.code,
        age_band=age_band(case.date_of_birth, on.date()),
        strands=tuple(case.strands),
        gender=case.gender,
    )


def anonymous_context(response_id: int, pseudonym_key: bytes) -> store.Context:
    """An anonymous response in the store: a person of its own, under a pseudonym of the
    response's random key, with nothing about who they are (no team, age, gender or
    strands), so that the store adds nothing to what could single them out."""
    return store.Context(
        pseudonym=store.pseudonymise(pseudonym_key, f"anonymous:{response_id}"),
        response_ref=store.pseudonymise(pseudonym_key, f"response:{response_id}"),
        team="",
        age_band="",
        strands=(),
        gender=None,
    )


def submit_response(
    session: Session,
    response: Response,
    *,
    pseudonym_key: bytes,
    now: datetime,
    quote_consent: bool | None = None,
    invitation: Invitation | None = None,
) -> SubmitResult:
    """Make the response final, score it, and write its measurements under the pseudonym.

    One transaction: the caller commits once after this returns, so either all of it
    happens or none of it does.
    """
    if response.status != "draft":
        raise AlreadySubmitted
    questionnaire = questionnaire_of(response)
    answers = response.answer_map()
    response.status = "submitted"
    response.submitted_at = keep_the_day(now) if response.anonymous else now
    # Set, not left to the column's update to the second, which would match used_at.
    response.updated_at = response.submitted_at
    response.quote_consent = quote_consent if has_free_text(questionnaire, answers) else None
    if response.invitation_id is not None:
        invitation = session.get(Invitation, response.invitation_id)
    if invitation is not None:
        # Who took part is recorded here, on the invitation; for an anonymous response
        # this is the only trace, and it says nothing of what they said.
        invitation.used_at = keep_the_day(now) if response.anonymous else now
    case = session.get(Case, response.case_id) if response.case_id else None
    occasion_type = occasion_type_for(session, response, questionnaire)
    framework = get_framework(questionnaire.framework_code, questionnaire.framework_version)
    if case is not None:
        context = context_for(case, response.id, pseudonym_key, now)
    elif response.anonymous:
        context = anonymous_context(response.id, pseudonym_key)
    else:
        context = None
    result = SubmitResult(response, occasion_type, 0)
    if context is not None:
        facts, goals = _facts_and_goals(session, response, case)
        occasion, scores = record_response(
            session,
            framework,
            RawResponse(
                context=context,
                questionnaire_code=questionnaire.code,
                questionnaire_version=questionnaire.version,
                answers=answers,
                facts=facts,
                goals=goals,
                submitted_at=now,
                occasion_type=occasion_type,
            ),
        )
        result.measurements = len(scores.indicators)
        record_comments(session, occasion, questionnaire, answers, response.quote_consent)
    for hook in SUBMIT_HOOKS:
        hook(session, response, questionnaire, case, context, now, result)
    session.flush()
    return result
