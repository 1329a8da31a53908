"""Sending a response is one call into the store: it scores the answers, writes the
occasion with its comments and brings the summary cells up to date once. What it costs
in SQL statements does not grow with how many times the young person answered before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from feedback import db
from feedback.invitations.services import issue_invitation
from feedback.responses import services as responses
from outcomes.questionnaires import get_questionnaire
from tests.conftest import utcnow

pytestmark = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)


def _answers(questionnaire) -> dict[str, object]:
    answers: dict[str, object] = {}
    for question in questionnaire.questions:
        if question.kind.is_free_text:
            answers[question.id] = "My worker listens and helps me with school"
        elif question.kind.name == "choose-several":
            answers[question.id] = [question.options[0].id]
        else:
            answers[question.id] = question.options[-1].id
    return answers


def _statements_to_send(app, session, case, when) -> int:
    issued = issue_invitation(
        session,
        case,
        secret=app.config["SECRET_KEY"],
        questionnaire_code="checkin",
        questionnaire_version=1,
        created_by_id=None,
        now=when,
        days=14,
    )
    questionnaire = get_questionnaire("checkin", 1)
    response = responses.start_or_resume(session, issued.invitation, when)
    for question_id, value in _answers(questionnaire).items():
        responses.save_answer(session, response, questionnaire.question(question_id), value, when)
    session.commit()
    statements = []
    engines = {db.engine(), db.store_engine()}

    def count(*_args):
        statements.append(1)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        responses.submit_response(
            session,
            response,
            pseudonym_key=app.config["PSEUDONYM_KEY"].encode(),
            now=when,
            quote_consent=True,
        )
        session.flush()
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)
    session.commit()
    return len(statements)


def test_sending_costs_the_same_however_many_answers_came_before(app, session, make_case):
    case = make_case()
    start = utcnow() - timedelta(days=200)
    costs = [
        _statements_to_send(app, session, case, start + timedelta(days=30 * i)) for i in range(5)
    ]
    # Sending the fifth costs what sending the second did, give or take the two
    # statements that move a person out of a summary cell when a later answer in the
    # same quarter replaces theirs. (Before the occasion and its comments were written
    # in one call, each send cost 40 to 42: the person's answers were read four times
    # and the summaries updated twice.)
    assert max(costs[1:]) - min(costs[1:]) <= 2, costs
    assert max(costs) <= 32, costs
