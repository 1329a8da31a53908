"""Helpers shared by the outcomes views tests: a check-in answered and sent."""

from __future__ import annotations

from datetime import datetime

from feedback.responses import services as responses
from outcomes.questionnaires import get_questionnaire
from tests.outcomes.examples import EXAMPLE_2_ANSWERS

CHECKIN = get_questionnaire("checkin")

# Worked example 2 of complex-safeguarding-v1.yaml, with every question answered.
ANSWERS = {**EXAMPLE_2_ANSWERS, "what-helped": ["talking"], "anything-else": ""}


def answer(session, invitation, answers: dict, now: datetime):
    """A draft with these answers (the rest of the questions answered "rather not say")."""
    response = responses.start_or_resume(session, invitation, now)
    for question in CHECKIN.questions:
        value = answers.get(question.id, "rather-not-say")
        responses.save_answer(session, response, question, value, now)
    return response


def send(app, session, invitation, answers: dict, now: datetime):
    response = answer(session, invitation, answers, now)
    responses.submit_response(
        session, response, pseudonym_key=app.config["PSEUDONYM_KEY"].encode(), now=now
    )
    session.commit()
    return response
