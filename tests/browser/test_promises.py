"""Every promise a young person is shown, kept, in a real browser on a 320 x 568 phone.

Each test is written from the side of someone the promise protects against: a second
phone with the same link or code, the browser's history after "Leave this site", a
manager reading the dashboard, an alert that must reach someone.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.browser.checks import check_accessible, check_young_page

pytestmark = pytest.mark.browser

THREAT = "my boyfriend makes me carry stuff for his mates and says he'll hurt me if I stop"
DANGER = "they are keeping me in a flat and wont let me leave"
SAFE_QUOTE = "The activities are really good and my worker listens"


def save(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()


def open_link(page, link: str) -> None:
    page.goto(link)
    page.wait_for_url("**/check-in")


def test_a_second_phone_with_the_same_link_or_code_sees_no_earlier_answer(live_server, phone):
    link, code = live_server.invite("CS-SECOND-PHONE", with_code=True)
    mine = phone().new_page()
    open_link(mine, link)
    mine.goto(f"{live_server.url}/check-in/questions/feel-safe")
    mine.locator("input[name=answer][value=very-unsafe]").check()
    save(mine)
    mine.goto(f"{live_server.url}/check-in/questions/anything-else")
    mine.locator("textarea[name=answer]").fill(THREAT)
    save(mine)

    # Another phone with the link, and another that types the code.
    theirs = phone().new_page()
    open_link(theirs, link)
    typed = phone().new_page()
    typed.goto(f"{live_server.url}/start")
    typed.fill("#code", code)
    with typed.expect_navigation():
        typed.get_by_role("button", name="Continue").click()
    for page in (theirs, typed):
        assert page.locator("h1").inner_text() == "Welcome back"
        page.goto(f"{live_server.url}/check-in/questions/feel-safe")
        assert page.locator("input[name=answer]:checked").count() == 0
        check_young_page(page)
        page.goto(f"{live_server.url}/check-in/questions/anything-else")
        assert page.locator("textarea[name=answer]").input_value() == ""
        assert "hurt me" not in page.content()
        page.goto(f"{live_server.url}/check-in")
        assert "we only show your answers again on the phone" in page.inner_text("main")
        check_young_page(page)

    # The phone that gave the answers still sees them.
    mine.goto(f"{live_server.url}/check-in/questions/feel-safe")
    assert mine.locator("input[name=answer][value=very-unsafe]").is_checked()


def test_after_leave_this_site_the_history_entry_reveals_nothing(live_server, phone):
    link = live_server.invite("CS-HISTORY")
    context = phone()
    page = context.new_page()
    open_link(page, link)
    page.goto(f"{live_server.url}/check-in/questions/feel-safe")
    page.locator("input[name=answer][value=very-unsafe]").check()
    save(page)
    page.goto(f"{live_server.url}/check-in/questions/anything-else")
    page.locator("textarea[name=answer]").fill(THREAT)
    save(page)
    # Someone copies the session cookie before the young person leaves.
    copied = phone()
    copied.add_cookies(context.cookies())
    spy = copied.new_page()
    spy.goto(f"{live_server.url}/check-in/questions/feel-safe")
    assert spy.locator("input[name=answer][value=very-unsafe]").is_checked()  # a real copy

    with page.expect_navigation():
        page.locator(".govuk-exit-this-page__button").click()
    assert page.url.rstrip("/") == live_server.url
    page.go_back()
    assert "very-unsafe" not in page.content() and "hurt me" not in page.content()
    # The link, reopened from the history: it carries on, and shows nothing.
    open_link(page, link)
    assert page.locator("h1").inner_text() == "Welcome back"
    page.goto(f"{live_server.url}/check-in/questions/feel-safe")
    assert page.locator("input[name=answer]:checked").count() == 0
    page.goto(f"{live_server.url}/check-in/questions/anything-else")
    assert page.locator("textarea[name=answer]").input_value() == ""
    # And the copy taken earlier reveals nothing now either.
    spy.goto(f"{live_server.url}/check-in/questions/feel-safe")
    assert spy.locator("input[name=answer]:checked").count() == 0
    spy.goto(f"{live_server.url}/check-in/questions/anything-else")
    assert "hurt me" not in spy.content()


def test_an_anonymous_disclosure_reaches_the_inviting_teams_duty_manager(live_server, phone):
    from feedback.alerts.models import Alert, OutboxMessage
    from feedback.alerts.services import set_duty_manager
    from feedback.staff.models import User

    duty = live_server.staff("manager", "duty.north@example.org")
    live_server.staff("manager", "other.north@example.org")
    live_server.query(lambda s: (set_duty_manager(s, "north", duty), s.commit()))
    before = live_server.query(lambda s: {a.id for a in s.scalars(select(Alert))})

    page = phone().new_page()
    open_link(page, live_server.invite("CS-ANON-ALERT", questionnaire="service-feedback"))
    page.goto(f"{live_server.url}/check-in/questions/going-well")
    page.locator("textarea[name=answer]").fill(DANGER)
    save(page)
    # Straight after the answer: honest words and large Call and Text buttons.
    assert page.locator("h1").inner_text() == "Thank you for telling us"
    main = page.inner_text("main")
    assert "nobody can come to you" in main and "call 999" in main
    assert page.locator('a[href="tel:08001111"]').is_visible()
    assert page.locator('a[href="sms:85258?body=SHOUT"]').is_visible()
    assert page.locator('a[href="tel:999"]').is_visible()
    check_young_page(page)
    page.get_by_role("button", name="Carry on").click()
    page.wait_for_url("**/check-in/questions/could-be-better")

    def raised(session):
        alert = session.scalars(select(Alert).where(Alert.id.not_in(before or {0}))).one()
        told = {
            m.recipient.email: m.subject
            for m in session.scalars(
                select(OutboxMessage).where(OutboxMessage.alert_id == alert.id)
            )
        }
        return alert.id, alert.level, alert.team.code, alert.case_id, alert.raised_at, told

    alert_id, level, team, case_id, raised_at, told = live_server.query(raised)
    assert (level, team, case_id) == ("danger-now", "north", None)
    assert told == {duty: "Safeguarding alert: danger now, act straight away"}
    assert raised_at.time().isoformat() != "00:00:00"

    manager = phone().new_page()
    live_server.sign_in(manager, duty)
    manager.goto(f"{live_server.url}/alerts")
    row = manager.locator("tr", has=manager.locator(f'a[href="/alerts/{alert_id}"]'))
    assert "Danger now" in row.inner_text() and "Anonymous feedback" in row.inner_text()
    check_accessible(manager)
    manager.goto(f"{live_server.url}/alerts/{alert_id}")
    assert DANGER in manager.inner_text("main")
    assert "15 minutes" in manager.inner_text("main")
    check_accessible(manager)
    assert (
        live_server.query(lambda s: s.scalar(select(User.id).where(User.email == duty))) is not None
    )


def test_the_disclosure_never_reaches_the_dashboard_exports_or_report(live_server, phone):
    from tests.conftest import once_the_month_has_ended, start_of_month, utcnow
    from tests.feedback.dashboard import seed

    month = utcnow().strftime("%Y-%m")
    live_server.query(
        lambda s: (
            seed(
                s,
                [f"quoted-{i}" for i in range(9)],
                when=max(utcnow() - timedelta(hours=1), start_of_month()),
                themes=[("listened-to", "positive")],
                quote=SAFE_QUOTE,
            ),
            s.commit(),
        )
    )
    page = phone().new_page()
    open_link(page, live_server.invite("CS-QUOTE"))
    from tests.browser.journeys import ANSWERS, fill_answer

    page.get_by_role("button", name="Start").click()
    for question_id, kind, value in ANSWERS:
        page.wait_for_url(f"**/check-in/questions/{question_id}")
        fill_answer(page, kind, THREAT if kind == "text" else value)
        save(page)
    if page.url.endswith("/thank-you"):  # the help straight after a worrying answer
        page.get_by_role("button", name="Carry on").click()
    page.locator("input[name=quote_consent][value=yes]").check()  # they agree to be quoted
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in page.inner_text("h1")

    with once_the_month_has_ended():  # a month's figures show once it has ended
        manager = phone().new_page()
        live_server.sign_in(manager, live_server.staff("manager", "quotes.north@example.org"))
        manager.goto(f"{live_server.url}/dashboard?date_from={month}&date_to={month}")
        assert SAFE_QUOTE in manager.inner_text("main")  # quotes show here: the test can fail
        for words in ("hurt me", "carry stuff"):
            assert words not in manager.content()
        for url in (
            f"/dashboard/export/all.csv?date_from={month}&date_to={month}",
            f"/dashboard/export/going-well.csv?date_from={month}&date_to={month}",
            f"/dashboard/report?month={month}",
            f"/dashboard/report/export.csv?month={month}",
        ):
            body = manager.request.get(f"{live_server.url}{url}").text()
            assert "hurt me" not in body and "carry stuff" not in body, url
        workbook = load_workbook(
            io.BytesIO(
                manager.request.get(
                    f"{live_server.url}/dashboard/export/all.xlsx?date_from={month}&date_to={month}"
                ).body()
            )
        )
        cells = " ".join(
            str(c.value)
            for sheet in workbook
            for row in sheet.iter_rows()
            for c in row
            if c.value is not None
        )
        assert "hurt me" not in cells
        result = live_server.app.test_cli_runner().invoke(
            args=["report", "monthly", "--month", month, "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        assert "hurt me" not in result.output


def test_the_practitioner_sees_the_worker_shared_answers_and_not_the_service_ones(
    live_server, phone
):
    from outcomes.questionnaires import get_questionnaire
    from tests.browser.journeys import ANSWERS, case_id, fill_answer

    checkin = get_questionnaire("checkin")
    page = phone().new_page()
    open_link(page, live_server.invite("CS-SHARED"))
    page.get_by_role("button", name="Start").click()
    for question_id, kind, value in ANSWERS:
        page.wait_for_url(f"**/check-in/questions/{question_id}")
        fill_answer(page, kind, value)
        save(page)
    page.locator("input[name=quote_consent][value=no]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()

    worker = phone().new_page()
    live_server.sign_in(worker, "browser@example.org")
    worker.goto(f"{live_server.url}/cases/{case_id(live_server, 'CS-SHARED')}")
    shared = worker.inner_text("#shared-answers")
    for question in checkin.questions:
        if question.audience == "worker":
            assert question.text in shared, question.id
        else:
            assert question.text not in shared, question.id
    assert "I\u2019d rather not say" in shared  # the school question
    assert "activities are good" not in worker.inner_text("main")
    check_accessible(worker)


def test_every_young_person_page_passes_axe_and_has_44_pixel_controls(live_server, phone):
    seen: list[str] = []
    url = live_server.url
    page = phone().new_page()

    page.goto(f"{url}/start")
    check_young_page(page, seen)
    page.fill("#code", "ABCD-2345")
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").wait_for()
    check_young_page(page, seen)
    page.goto(f"{url}/r/not-a-real-link")
    check_young_page(page, seen)
    page.goto(live_server.invite("CS-EVERY-OLD", days=-1))
    assert "This link has run out" in page.inner_text("h1")
    check_young_page(page, seen)
    withdrawn = live_server.invite("CS-EVERY")
    link = live_server.invite("CS-EVERY")
    page.goto(withdrawn)
    assert "This link no longer works" in page.inner_text("h1")
    check_young_page(page, seen)
    page.goto(f"{url}/help")
    check_young_page(page, seen)

    open_link(page, link)
    check_young_page(page, seen)
    page.get_by_role("link", name="Choose a PIN").click()
    check_young_page(page, seen)
    page.fill("#pin", "2580")
    page.fill("#pin_again", "0852")
    page.get_by_role("button", name="Save my PIN").click()
    page.locator(".govuk-error-summary").wait_for()
    check_young_page(page, seen)
    page.fill("#pin", "2580")
    page.fill("#pin_again", "2580")
    with page.expect_navigation():
        page.get_by_role("button", name="Save my PIN").click()
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/questions/feel-safe")
    save(page)  # nothing chosen: the error
    page.locator(".govuk-error-summary").wait_for()
    check_young_page(page, seen)
    from tests.browser.journeys import ANSWERS

    for question_id, kind, value in ANSWERS:
        page.wait_for_url(f"**/check-in/questions/{question_id}")
        check_young_page(page, seen)
        if kind == "radio":
            page.locator(f"input[name=answer][value='{value}']").check()
        elif kind == "checkbox":
            for option in value:
                page.locator(f"input[name=answer][value='{option}']").check()
        else:
            page.locator("textarea[name=answer]").fill("my stepdad hits me")
        save(page)
    assert page.locator("h1").inner_text() == "Thank you for telling us"
    check_young_page(page, seen)
    page.get_by_role("button", name="Carry on").click()
    page.wait_for_url("**/check-in/check")
    check_young_page(page, seen)
    page.get_by_role("link", name="Set or rate your own goals").click()
    check_young_page(page, seen)
    page.get_by_role("link", name="Go back to your answers without setting goals").click()

    # The same link on another phone: answers hidden, the PIN box, a wrong PIN, a page
    # of a question answered elsewhere, then a calm stop.
    other = phone().new_page()
    open_link(other, link)
    check_young_page(other, seen)
    other.fill("#pin", "1111")
    other.get_by_role("button", name="See my answers").click()
    other.locator(".govuk-error-summary").wait_for()
    check_young_page(other, seen)
    other.goto(f"{url}/check-in/questions/home")
    assert "You answered this question before" in other.inner_text("main")
    check_young_page(other, seen)
    other.goto(f"{url}/check-in/check")
    check_young_page(other, seen)
    other.goto(f"{url}/check-in/stop")
    check_young_page(other, seen)

    # A form left open too long: the kind page, with nothing lost.
    page.goto(f"{url}/check-in/questions/home")
    page.evaluate("() => document.querySelector('input[name=csrf_token]').remove()")
    page.locator("input[name=answer][value=ok]").check()
    save(page)
    assert "Your page timed out" in page.inner_text("h1")
    check_young_page(page, seen)
    page.goto(f"{url}/check-in/questions/no-such-question")
    check_young_page(page, seen)

    page.goto(f"{url}/check-in/check")
    page.locator("input[name=quote_consent][value=no]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in page.inner_text("h1")
    check_young_page(page, seen)
    page.go_back()  # the back button after sending
    assert "Thank you" in page.inner_text("h1")
    page.goto(link)  # the used link
    assert "This check-in is done" in page.inner_text("h1")
    check_young_page(page, seen)

    # Anonymous feedback, and its help page.
    anonymous = phone().new_page()
    open_link(anonymous, live_server.invite("CS-EVERY-ANON", questionnaire="service-feedback"))
    check_young_page(anonymous, seen)
    anonymous.get_by_role("button", name="Start").click()
    for kind, value in [
        ("radio", "easy"),
        ("radio", "yes"),
        ("text", DANGER),
        ("text", "Quicker replies"),
    ]:
        anonymous.wait_for_url("**/check-in/questions/*")
        check_young_page(anonymous, seen)
        if kind == "radio":
            anonymous.locator(f"input[name=answer][value='{value}']").check()
        else:
            anonymous.locator("textarea[name=answer]").fill(value)
        save(anonymous)
        if value == DANGER:
            check_young_page(anonymous, seen)
            anonymous.get_by_role("button", name="Carry on").click()
    anonymous.wait_for_url("**/check-in/check")
    check_young_page(anonymous, seen)
    with anonymous.expect_navigation():
        anonymous.get_by_role("button", name="Send my answers").click()
    assert "nobody can come to you" in anonymous.inner_text("main")
    check_young_page(anonymous, seen)

    assert len(seen) >= 40
