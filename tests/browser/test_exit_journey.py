"""The exit interview on a 320 x 568 phone, with axe on every page: the young person's,
and a parent's from the closing of the case through the text message to the end."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from feedback.outbox.models import OutboxAddress
from outcomes.questionnaires import get_questionnaire
from tests.browser.checks import check_accessible, check_young_page

pytestmark = pytest.mark.browser

EXIT = get_questionnaire("exit-young-person")
ANSWERS = {
    "listened-to": "certainly-true",
    "treated-well": "partly-true",
    "helped": "certainly-true",
    "easy-to-reach": "dont-know",
    "things-better": "certainly-true",
    "would-recommend": "not-true",
    "really-good": "Being listened to",
    "could-be-better": "More time",
    "anything-else": "",
    "who-with": "with-worker",
}


def test_whole_exit_interview_on_a_small_phone(live_server, phone):
    page = phone().new_page()
    page.goto(live_server.invite("CS-EXIT-BROWSER", questionnaire=EXIT.code))
    assert page.viewport_size == {"width": 320, "height": 568}
    check_young_page(page)
    page.get_by_role("button", name="Start").click()
    for question in EXIT.questions:
        page.wait_for_url(f"**/check-in/questions/{question.id}")
        check_young_page(page)
        value = ANSWERS[question.id]
        if question.kind.is_free_text:
            page.locator("textarea[name=answer]").fill(value)
        else:
            page.locator(f"input[name=answer][value='{value}']").check()
        page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/check-in/check")
    check_young_page(page)
    assert "Partly true" in page.inner_text(".govuk-summary-list")
    assert "goals" not in page.inner_text("main").lower()
    page.locator("input[name=quote_consent][value=no]").check()
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in page.inner_text("h1")
    check_young_page(page)


# --- a parent or carer, from the text message to the thank-you page -------------------------

FAMILY = get_questionnaire("exit-family")
FAMILY_ANSWERS = {
    "listened-to": "certainly-true",
    "treated-well": "certainly-true",
    "child-helped": "partly-true",
    "easy-to-reach": "not-true",
    "things-better": "dont-know",
    "would-recommend": "certainly-true",
    "really-good": "The worker always called back",
    "could-be-better": "More notice of meetings",
    # A worry in a parent's words: it must reach someone.
    "anything-else": "His stepdad hits him and I am scared for him",
    "who-with": "on-my-own",
}
PARENT_MOBILE = "+447911123456"


class FailsThreeTimes:
    """A sender that fails its first three tries, then delivers; keeps what it sent."""

    name = "flaky"
    channels = ("email", "sms")

    def __init__(self):
        self.failures = 3
        self.sent = []

    def send(self, message):
        from feedback.outbox.senders import SendError

        if self.failures:
            self.failures -= 1
            raise SendError("the network is down")
        self.sent.append(message)


def _case_with_a_parent(live_server, reference: str) -> int:
    from feedback.cases.services import (
        CaseDetails,
        ContactDetails,
        add_family_contact,
        open_case,
    )
    from feedback.staff.models import User
    from tests.conftest import utcnow

    worker = live_server.staff("practitioner", "exit.worker@example.org")
    live_server.staff("manager", "exit.manager@example.org")

    def make(session):
        user = session.scalar(select(User).where(User.email == worker))
        case = open_case(
            session,
            CaseDetails(reference, "JB", date(2010, 2, 2), user.teams[0].id, ("missing",)),
            user,
            utcnow(),
        )
        add_family_contact(
            session,
            case,
            ContactDetails("Ann Parent", "Mum", phone="07911 123456"),
            by=user,
            now=utcnow(),
        )
        session.commit()
        return case.id

    return worker, live_server.query(make)


def _close(page, url: str, case_id: int, *, young_person: str, family: str | None) -> None:
    page.goto(f"{url}/cases/{case_id}/close")
    check_accessible(page)
    page.check("input[name=reason][value=planned]")
    page.check(f"input[name=exit_interview][value={young_person}]")
    if family is not None:
        page.check("input[name=family_exit][value=yes]")
        page.check(f"input[name=family_how][value={family}]")
    with page.expect_navigation():
        page.get_by_role("button", name="Close case").click()
    check_accessible(page)


def test_a_parents_whole_exit_interview_from_a_text_message_on_a_small_phone(
    live_server, phone, browser
):
    from feedback.alerts.models import Alert
    from feedback.outbox.services import Policy, deliver
    from tests.conftest import utcnow

    worker, case_id = _case_with_a_parent(live_server, "CS-EXIT-PARENT")
    # What earlier tests on this server left in the outbox goes first: this test counts
    # the sends of its own message.
    earlier = FailsThreeTimes()
    earlier.failures = 0
    for hours in (0, 1, 2, 6, 24):
        later = utcnow() + timedelta(hours=hours)
        live_server.query(
            lambda s, at=later: deliver(s, earlier, clock=lambda: at, policy=Policy())
        )
    desk = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    live_server.sign_in(desk, worker)
    _close(desk, live_server.url, case_id, young_person="no", family="send")
    assert "We are sending them a text message" in desk.inner_text("main")

    # The outbox, under a sender that fails three times before it recovers.
    sender = FailsThreeTimes()
    moment = [utcnow()]
    for _round in range(8):
        live_server.query(
            lambda s: deliver(s, sender, clock=lambda: moment[0], policy=Policy(retry_seconds=60))
        )
        moment[0] += timedelta(minutes=10)
    (text,) = sender.sent  # delivered, once
    assert (text.channel, text.to) == ("sms", PARENT_MOBILE)
    assert text.body.startswith("Youth support check-in: ")
    path = re.search(r"/r/\S+", text.body).group(0)

    page = phone().new_page()
    page.goto(live_server.url + path)
    assert page.viewport_size == {"width": 320, "height": 568}
    check_young_page(page)
    page.get_by_role("button", name="Start").click()
    told = False
    for question in FAMILY.questions:
        page.wait_for_url(f"**/check-in/questions/{question.id}")
        check_young_page(page)
        value = FAMILY_ANSWERS[question.id]
        if question.kind.is_free_text:
            page.locator("textarea[name=answer]").fill(value)
        else:
            page.locator(f"input[name=answer][value='{value}']").check()
        page.get_by_role("button", name="Save and continue").click()
        if question.id == "anything-else":
            # Straight after the worry: what happens next, in words for a parent.
            page.wait_for_url("**/check-in/thank-you")
            assert "Thank you for telling us" in page.inner_text("h1")
            check_young_page(page)
            told = True
            page.get_by_role("button", name="Carry on").click()
    assert told
    page.wait_for_url("**/check-in/check")
    check_young_page(page)
    page.locator("input[name=quote_consent][value=no]").check()
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in page.inner_text("h1")
    check_young_page(page)

    alerts = live_server.query(
        lambda s: s.scalars(select(Alert.level).where(Alert.case_id == case_id)).all()
    )
    assert len(alerts) == 1
    # Nothing is sent twice, and the parent's number has gone from the outbox.
    live_server.query(
        lambda s: deliver(s, sender, clock=lambda: moment[0] + timedelta(hours=1), policy=Policy())
    )
    to_parent = [m for m in sender.sent if m.to == PARENT_MOBILE]
    assert len(to_parent) == 1
    # The alert's messages to staff went by the same outbox, to their email addresses.
    told = {m.to for m in sender.sent if m.subject.startswith("Safeguarding alert")}
    assert worker in told
    assert all("stepdad" not in m.body for m in sender.sent)
    assert not live_server.query(
        lambda s: s.scalars(select(OutboxAddress).where(OutboxAddress.case_id == case_id)).all()
    )


def test_closing_with_and_without_exit_invitations_in_the_browser(live_server, browser):
    desk = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    worker, without = _case_with_a_parent(live_server, "CS-EXIT-NONE")
    _w, shown = _case_with_a_parent(live_server, "CS-EXIT-SHOWN")
    live_server.sign_in(desk, worker)

    _close(desk, live_server.url, without, young_person="no", family=None)
    main = desk.inner_text("main")
    assert "The case is closed" in main and "invitation ready" not in main

    _close(desk, live_server.url, shown, young_person="yes", family="show")
    main = desk.inner_text("main")
    assert "Exit interview invitation ready" in main
    assert "Family exit interview invitations ready" in main
    assert "We are sending them" not in main
