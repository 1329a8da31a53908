"""A young person's check-in answers, and answering them all through the pages."""

from __future__ import annotations

from outcomes.questionnaires import get_questionnaire

CHECKIN = get_questionnaire("checkin")
GOOD_ANSWERS = {
    "feel-safe": "safe",
    "trusted-adult": "yes",
    "listened-to": "mostly",
    "school": "ok",
    "feelings": "good",
    "home": "rather-not-say",
    "stayed-away": "no",
    "future": "really-good",
    "what-helped": ["talking", "activities"],
    "anything-else": "My worker is sound and listens to me",
}


def answer_all(client, answers=GOOD_ANSWERS):
    for question in CHECKIN.questions:
        value = answers[question.id]
        response = client.post(f"/check-in/questions/{question.id}", data={"answer": value})
        assert response.status_code == 302, (question.id, response.data[:400])
