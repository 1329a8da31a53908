"""A disclosure raises one alert, told through the outbox, audited, in the same request."""

from __future__ import annotations

from sqlalchemy import func, select

from feedback.alerts.models import Alert, OutboxMessage
from feedback.audit.models import AuditEvent
from feedback.responses.models import Response
from tests.feedback.alerts.conftest import DISCLOSURE
from tests.feedback.checkin.answers import GOOD_ANSWERS


def count(session, model):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_disclosure_raises_alert_outbox_and_audit_in_the_same_request(
    app, client, session, make_invitation, team_staff
):
    other_practitioner = team_staff["practitioner"]
    issued = make_invitation()
    case = issued.invitation.case
    client.get(f"/r/{issued.token}")
    for question_id, value in GOOD_ANSWERS.items():
        if question_id != "anything-else":
            client.post(f"/check-in/questions/{question_id}", data={"answer": value})
    assert count(session, Alert) == 0

    response = client.post("/check-in/questions/anything-else", data={"answer": DISCLOSURE})
    assert response.status_code == 302

    alert = session.scalar(select(Alert))
    assert alert is not None and alert.state == "new"
    assert alert.case_id == case.id and alert.team_id == case.team_id
    assert alert.category_codes == ["abuse"]
    assert alert.texts[0]["text"] == DISCLOSURE
    messages = session.scalars(select(OutboxMessage)).all()
    recipients = {m.recipient_id for m in messages}
    # No duty manager set: the case's practitioner and every manager of the team.
    assert case.practitioner_id in recipients
    assert {team_staff["manager"].id, team_staff["second_manager"].id} <= recipients
    assert other_practitioner.id not in recipients  # not on this case
    for message in messages:
        assert "hits" not in message.body and DISCLOSURE not in message.body
        assert f"http://localhost/alerts/{alert.id}" in message.body
        assert message.sent_at is None
    raised = session.scalar(select(AuditEvent).where(AuditEvent.action == "alert-raised"))
    assert raised.target == f"alert {alert.id}"
    assert "hits" not in raised.detail


def test_young_person_sees_what_happens_next_straight_after_the_answer(
    client, make_invitation, team_staff
):
    client.get(f"/r/{make_invitation().token}")
    response = client.post("/check-in/questions/feel-safe", data={"answer": "safe"})
    assert response.location.endswith("/check-in/questions/trusted-adult")  # ordinary
    response = client.post("/check-in/questions/anything-else", data={"answer": DISCLOSURE})
    assert response.location.endswith("/check-in/thank-you")
    page = client.get(response.location).get_data(as_text=True)
    assert "What happens next" in page
    assert "We have told a manager and your worker, with your name." in page
    assert "If nobody has read it within 2 hours, we tell someone else too." in page
    assert 'href="tel:08001111"' in page and 'href="tel:999"' in page
    assert 'href="sms:85258?body=SHOUT"' in page
    assert 'href="/check-in/check"' in page  # carry on where they were going
    assert 'href="/check-in/stop"' in page
    # The same words saved again tell nobody anything new, so no second help page.
    again = client.post("/check-in/questions/anything-else", data={"answer": DISCLOSURE})
    assert again.location.endswith("/check-in/check")


def test_danger_now_says_so_and_escalates_within_minutes(
    client, session, make_invitation, team_staff
):
    client.get(f"/r/{make_invitation().token}")
    response = client.post(
        "/check-in/questions/anything-else", data={"answer": "I want to kill myself"}
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "If you are in danger now, call 999." in page
    assert "within 15 minutes" in page
    alert = session.scalar(select(Alert))
    assert alert.level == "danger-now"
    subjects = {m.subject for m in session.scalars(select(OutboxMessage))}
    assert subjects == {"Safeguarding alert: danger now, act straight away"}


def test_stopping_after_the_help_page_keeps_the_answers_and_ends_the_session(
    client, session, make_invitation, team_staff
):
    issued = make_invitation()
    client.get(f"/r/{issued.token}")
    client.post("/check-in/questions/anything-else", data={"answer": DISCLOSURE})
    stopped = client.get("/check-in/stop")
    assert stopped.status_code == 200
    assert "Your answers are saved" in stopped.get_data(as_text=True)
    assert "tel:08001111" in stopped.get_data(as_text=True)
    assert client.get("/check-in").location.endswith("/start")
    session.expire_all()
    assert session.scalar(select(Response)).answer_map() == {"anything-else": DISCLOSURE}


def test_ordinary_text_raises_nothing(client, session, check_in, team_staff):
    browser = check_in(text=GOOD_ANSWERS["anything-else"])
    assert count(session, Alert) == 0
    assert count(session, OutboxMessage) == 0
    assert "You told us something" not in browser.get("/check-in/done").get_data(as_text=True)


def test_same_text_saved_again_and_sent_makes_no_duplicate(client, session, check_in, team_staff):
    browser = check_in(submit=False)
    messages = count(session, OutboxMessage)
    browser.post("/check-in/questions/anything-else", data={"answer": DISCLOSURE})
    browser.post("/check-in/check", data={"quote_consent": "no"})
    assert session.scalar(select(Response)).status == "submitted"
    assert count(session, Alert) == 1
    assert count(session, OutboxMessage) == messages


def test_changed_text_updates_the_open_alert(client, session, check_in, team_staff):
    browser = check_in(submit=False)
    browser.post("/check-in/questions/anything-else", data={"answer": "I want to kill myself"})
    browser.post("/check-in/check", data={"quote_consent": "no"})
    assert count(session, Alert) == 1
    alert = session.scalar(select(Alert))
    assert alert.category_codes == ["suicide-self-harm", "abuse"]
    # Both texts kept: editing an answer cannot make a disclosure disappear.
    assert [t["text"] for t in alert.texts] == [DISCLOSURE, "I want to kill myself"]
    assert session.scalar(select(func.count()).where(AuditEvent.action == "alert-updated")) == 1


def test_duty_manager_is_told_instead_of_every_manager(
    runner, session, check_in, make_case, team_staff
):
    duty = team_staff["second_manager"]
    result = runner.invoke(args=["alerts", "set-duty", "--team", "north", "--email", duty.email])
    assert result.exit_code == 0, result.output
    case = make_case(practitioner=team_staff["practitioner"])
    check_in(case=case)
    session.expire_all()
    recipients = {m.recipient_id for m in session.scalars(select(OutboxMessage))}
    assert recipients == {team_staff["practitioner"].id, duty.id}


def test_set_duty_refuses_someone_who_is_not_a_manager_of_the_team(runner, team_staff):
    result = runner.invoke(
        args=["alerts", "set-duty", "--team", "north", "--email", team_staff["practitioner"].email]
    )
    assert result.exit_code != 0
    assert "is not a manager of the team" in result.output
    result = runner.invoke(args=["alerts", "set-duty", "--team", "nope", "--email", "x@y.org"])
    assert "no team" in result.output


def test_outbox_send_marks_messages_sent_and_prints_no_words(runner, session, check_in, team_staff):
    check_in()
    result = runner.invoke(args=["outbox", "send", "--once"])
    assert result.exit_code == 0, result.output
    assert "Safeguarding alert" in result.output
    assert "hits" not in result.output
    session.expire_all()
    assert all(m.sent_at for m in session.scalars(select(OutboxMessage)))
    assert "Sent 0," in runner.invoke(args=["outbox", "send", "--once"]).output


def test_report_section_counts_alerts_by_state(app, session, check_in, team_staff):
    from datetime import timedelta

    from feedback.alerts.services import report_section
    from tests.conftest import utcnow

    check_in()
    check_in(text="I want to kill myself")
    start = utcnow() - timedelta(days=1)
    title, rows, total = report_section(session, start, utcnow() + timedelta(days=1), ["north"])
    assert (title, total) == ("Safeguarding alerts", "Total raised")
    assert dict(rows) == {"New": 2, "Acknowledged": 0, "Action taken": 0, "Closed": 0}
    assert sum(dict(report_section(session, start, utcnow(), ["south"])[1]).values()) == 0
    assert report_section in app.config["REPORT_SECTIONS"]
