"""Two requests saving the first answer to the same question of one draft at once (a
double tap, two phones) leave one answer, the later one, and neither fails."""

from __future__ import annotations

from sqlalchemy import func, select

from feedback import db
from feedback.responses import services as responses
from feedback.responses.models import Answer, Response
from outcomes.questionnaires import get_questionnaire
from tests.conftest import utcnow


def test_two_first_saves_of_one_answer_leave_one_answer(app, session, make_invitation):
    issued = make_invitation()
    draft = responses.start_or_resume(session, issued.invitation, utcnow())
    session.commit()
    question = get_questionnaire("checkin", 1).question("feel-safe")

    with app.app_context():
        first, second = (db.open_session(db.engine(), db.store_engine()) for _ in range(2))
        try:
            # Both requests look before either saves: neither sees an answer yet.
            mine, theirs = first.get(Response, draft.id), second.get(Response, draft.id)
            assert mine.answers == [] and theirs.answers == []
            responses.save_answer(first, mine, question, "unsafe", utcnow(), viewer="a" * 64)
            first.commit()
            saved = responses.save_answer(
                second, theirs, question, "safe", utcnow(), viewer="b" * 64
            )
            second.commit()
            assert saved.answer.value == "safe"
            assert [a.question_id for a in theirs.answers] == ["feel-safe"]
        finally:
            db.close_session(first)
            db.close_session(second)

    session.expire_all()
    rows = session.scalars(select(Answer).where(Answer.response_id == draft.id)).all()
    assert [(a.question_id, a.value, a.viewer_hash) for a in rows] == [
        ("feel-safe", "safe", "b" * 64)
    ]
    assert session.scalar(select(func.count(Answer.id))) == 1


def test_an_anonymous_first_save_raced_keeps_the_first_key_and_the_day_only(
    app, session, make_invitation
):
    from datetime import datetime

    issued = make_invitation(questionnaire=("service-feedback", 1))
    draft = responses.start_or_resume_anonymous(session, issued.invitation, None, utcnow())
    session.commit()
    questionnaire = get_questionnaire("service-feedback", 1)
    question = questionnaire.questions[0]
    value = next(o.id for o in question.options)

    with app.app_context():
        first, second = (db.open_session(db.engine(), db.store_engine()) for _ in range(2))
        try:
            mine, theirs = first.get(Response, draft.id), second.get(Response, draft.id)
            assert mine.answers == [] and theirs.answers == []
            kept = responses.save_answer(first, mine, question, value, utcnow()).answer.id
            first.commit()
            again = responses.save_answer(second, theirs, question, value, utcnow()).answer
            second.commit()
            assert again.id == kept < 0
        finally:
            db.close_session(first)
            db.close_session(second)

    session.expire_all()
    (row,) = session.scalars(select(Answer).where(Answer.response_id == draft.id)).all()
    assert row.answered_at == datetime.combine(row.answered_at.date(), datetime.min.time())
