"""Talk to a manager, and "you said, we did", in a real browser on a small phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SMALL_PHONE
from tests.browser.journeys import check_accessible, watch_requests

pytestmark = pytest.mark.browser

WORRYING = "My stepdad hits me when he is drunk"


def _request_ids(live_server) -> list[int]:
    from sqlalchemy import select

    from feedback.talk.models import TalkRequest

    return live_server.query(
        lambda s: list(s.scalars(select(TalkRequest.id).order_by(TalkRequest.id)))
    )


def _ask(page, checked, *, contact="phone", message=""):
    page.get_by_role("link", name="Talk to a manager").click()
    assert page.url.endswith("/talk/about")
    check_accessible(page, checked)
    # Nothing chosen: a clear message, and the page again.
    page.get_by_role("button", name="Continue").click()
    assert "Choose what you want to talk about" in page.inner_text("main")
    check_accessible(page, checked)
    page.get_by_label("Something that could be better").check()
    page.get_by_role("button", name="Continue").click()
    check_accessible(page, checked)
    if contact == "phone":
        page.get_by_label("A phone call").check()
        page.locator("#phone").fill("07911 123456")
    else:
        page.get_by_label("Through my worker").check()
    page.get_by_role("button", name="Continue").click()
    check_accessible(page, checked)
    page.get_by_label("In the evening (6pm to 8pm)").check()
    page.get_by_role("button", name="Continue").click()
    check_accessible(page, checked)
    if message:
        page.locator("#message").fill(message)
    page.get_by_role("button", name="Send to a manager").click()
    assert "Thank you" in page.inner_text("h1")
    check_accessible(page, checked)


def test_asked_from_a_check_in_page_answered_by_a_manager(live_server, phone):
    context = phone(viewport=SMALL_PHONE)
    page = context.new_page()
    elsewhere = watch_requests(page, live_server.url)
    checked: list[str] = []
    page.goto(live_server.invite("CS-TALK-1"))
    page.get_by_role("button", name="Start").click()
    assert "/check-in/questions/" in page.url
    before = set(_request_ids(live_server))
    _ask(page, checked)
    assert "A manager will get in touch by the end of" in page.inner_text("#when")
    (talk_id,) = set(_request_ids(live_server)) - before
    assert elsewhere == []

    manager = live_server.staff("manager", "talk-manager@example.org")
    staff_page = phone(javascript=True, viewport={"width": 1024, "height": 768}).new_page()
    live_server.sign_in(staff_page, manager)
    staff_page.goto(f"{live_server.url}/requests")
    check_accessible(staff_page, checked)
    staff_page.get_by_role("link", name=f"Request {talk_id}").click()
    check_accessible(staff_page, checked)
    # Resolving needs contact first, and an outcome: the page says so.
    staff_page.get_by_role("button", name="Mark as contacted").click()
    assert "Enter what was done" in staff_page.inner_text("main")
    check_accessible(staff_page, checked)
    staff_page.locator("#note-contacted").fill("Rang at 6pm, talked about visit times")
    staff_page.get_by_role("button", name="Mark as contacted").click()
    staff_page.get_by_role("button", name="Mark as resolved").click()
    assert "Enter the outcome" in staff_page.inner_text("main")
    staff_page.locator("#note-resolve").fill("Visits moved to after school")
    staff_page.get_by_role("button", name="Mark as resolved").click()
    assert "The request is resolved" in staff_page.inner_text("main")
    assert "Resolved" in staff_page.inner_text("main")


def test_a_worrying_request_raises_an_alert_and_shows_help(live_server, phone):
    page = phone().new_page()
    checked: list[str] = []
    page.goto(live_server.invite("CS-TALK-2"))
    page.get_by_role("button", name="Start").click()
    _ask(page, checked, message=WORRYING)
    assert "worries us" in page.inner_text("#worrying")
    assert (
        page.get_by_role("link", name="Call 999").count()
        or page.locator("a[href='tel:999']").count()
    )

    from sqlalchemy import select

    from feedback.alerts.models import Alert
    from feedback.talk.models import TalkRequest

    alert_level = live_server.query(
        lambda s: s.scalar(
            select(Alert.level)
            .join(TalkRequest, TalkRequest.alert_id == Alert.id)
            .order_by(TalkRequest.id.desc())
        )
    )
    assert alert_level in ("worrying", "danger-now")


def test_a_worker_sees_the_request_only_once_shared(live_server, phone):
    page = phone().new_page()
    checked: list[str] = []
    page.goto(live_server.invite("CS-TALK-3"))
    page.get_by_role("button", name="Start").click()
    before = set(_request_ids(live_server))
    _ask(page, checked, contact="worker")
    (talk_id,) = set(_request_ids(live_server)) - before

    desk = {"width": 1024, "height": 768}
    worker = phone(viewport=desk).new_page()
    live_server.sign_in(worker, "browser@example.org")
    response = worker.goto(f"{live_server.url}/requests/{talk_id}")
    assert response.status == 404
    worker.goto(f"{live_server.url}/requests")
    assert f"Request {talk_id}" not in worker.inner_text("main")

    manager = phone(viewport=desk).new_page()
    live_server.sign_in(manager, live_server.staff("manager", "talk-manager@example.org"))
    manager.goto(f"{live_server.url}/requests/{talk_id}")
    manager.get_by_role("button", name="Share with").click()
    assert "shared with the young person" in manager.inner_text("main")

    response = worker.goto(f"{live_server.url}/requests/{talk_id}")
    assert response.status == 200
    check_accessible(worker, checked)


def test_a_you_said_we_did_note_appears_on_the_public_page(live_server, phone):
    desk = phone(viewport={"width": 1024, "height": 768}).new_page()
    checked: list[str] = []
    live_server.sign_in(desk, live_server.staff("manager", "talk-manager@example.org"))
    desk.goto(f"{live_server.url}/you-said-we-did/manage")
    check_accessible(desk, checked)
    desk.locator("#you_said").fill("Jordan said visits came at bad times")
    desk.locator("#we_did").fill("Workers now offer visits after school")
    desk.get_by_role("button", name="Preview").click()
    assert "may name a person" in desk.inner_text("main")
    check_accessible(desk, checked)
    desk.locator("#you_said").fill("Visits came at bad times")
    desk.get_by_role("button", name="Publish").click()
    assert "The note is published" in desk.inner_text("main")

    for javascript in (True, False):
        page = phone(javascript=javascript).new_page()
        page.goto(live_server.invite("CS-TALK-4"))
        page.get_by_role("link", name="You said, we did").click()
        assert "Workers now offer visits after school" in page.inner_text("main")
        if javascript:  # axe runs in the page: it needs JavaScript
            check_accessible(page, checked)


def test_the_talk_pages_work_without_javascript(live_server, phone):
    """The whole request with JavaScript off (axe needs it: the same pages are checked
    with it on, here and above)."""
    checked: list[str] = []
    with_js = phone().new_page()
    with_js.goto(f"{live_server.url}/talk")
    check_accessible(with_js, checked)
    with_js.goto(f"{live_server.url}/talk/r/not-a-real-link")
    assert "This link does not work here" in with_js.inner_text("h1")
    check_accessible(with_js, checked)

    page = phone(javascript=False).new_page()
    _link, code = live_server.invite("CS-TALK-5", with_code=True)
    page.goto(f"{live_server.url}/talk")
    page.locator("#code").fill(code)
    page.get_by_role("button", name="Continue").click()
    assert page.url.endswith("/talk/about")
    page.get_by_label("Something that is going well").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("I don't want to be contacted: I'm just passing it on").check()
    page.get_by_role("button", name="Continue").click()
    page.locator("#message").fill("x" * 2100)
    page.get_by_role("button", name="Send to a manager").click()
    assert "2,000 characters or fewer" in page.inner_text("main")
    assert page.locator("#message").input_value() == "x" * 2100
    page.locator("#message").fill("My worker is great")
    page.get_by_role("button", name="Send to a manager").click()
    assert "nobody will contact you" in page.inner_text("#when")
