"""Drafts resume without revealing: earlier answers are shown only to the session that
gave them, a PIN can open them elsewhere, and leaving ends the session on the server."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from feedback.responses.models import Response
from outcomes.store import Occasion
from tests.feedback.checkin.answers import GOOD_ANSWERS, answer_all

THREAT = "my boyfriend says he'll hurt me if I stop carrying stuff for his mates"


def copy_session(source, target) -> None:
    """What someone does who copies the cookie out of a browser."""
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value)


def start(app, token):
    browser = app.test_client()
    assert browser.get(f"/r/{token}").status_code == 302
    return browser


def test_another_phone_with_the_link_carries_on_but_sees_no_answers(app, make_invitation):
    issued = make_invitation()
    first = start(app, issued.token)
    first.post("/check-in/questions/feel-safe", data={"answer": "very-unsafe"})
    first.post("/check-in/questions/trusted-adult", data={"answer": "no"})
    first.post("/check-in/questions/listened-to", data={"answer": "never"})

    other = start(app, issued.token)
    welcome = other.get("/check-in").get_data(as_text=True)
    assert "Welcome back" in welcome
    assert 'href="/check-in/questions/school"' in welcome  # the next unanswered question
    assert "we only show your answers again on the phone or browser you gave them on" in welcome
    page = other.get("/check-in/questions/feel-safe").get_data(as_text=True)
    assert "checked" not in page
    assert "You answered this question before" in page
    assert 'href="/check-in/questions/trusted-adult">Keep the answer I gave' in page

    # The phone that gave them still sees them.
    mine = first.get("/check-in/questions/feel-safe").get_data(as_text=True)
    assert 'value="very-unsafe" checked' in mine


def test_the_code_typed_on_another_phone_reveals_no_words(app, make_invitation):
    issued = make_invitation()
    first = start(app, issued.token)
    answer_all(first, {**GOOD_ANSWERS, "anything-else": THREAT})
    other = app.test_client()
    assert other.post("/start", data={"code": issued.code}).status_code == 302
    check = other.get("/check-in/check").get_data(as_text=True)
    assert "Check your answers" in check
    assert "hurt me" not in check and "Talking to my worker" not in check
    assert check.count(">Answered<") == len(GOOD_ANSWERS)
    box = other.get("/check-in/questions/anything-else").get_data(as_text=True)
    assert "hurt me" not in box


def test_answering_again_on_the_new_phone_shows_the_new_answer_there(app, make_invitation):
    issued = make_invitation()
    first = start(app, issued.token)
    first.post("/check-in/questions/feel-safe", data={"answer": "unsafe"})
    other = start(app, issued.token)
    other.post("/check-in/questions/feel-safe", data={"answer": "safe"})
    assert 'value="safe" checked' in other.get("/check-in/questions/feel-safe").get_data(
        as_text=True
    )
    # ...and the first phone no longer sees an answer it did not give.
    assert "checked" not in first.get("/check-in/questions/feel-safe").get_data(as_text=True)


def test_leave_ends_the_session_on_the_server(app, make_invitation):
    issued = make_invitation()
    browser = start(app, issued.token)
    answer_all(browser, {**GOOD_ANSWERS, "anything-else": THREAT})
    copy = app.test_client()
    copy_session(browser, copy)
    assert "hurt me" in copy.get("/check-in/check").get_data(as_text=True)  # a real copy

    assert browser.get("/leave").status_code == 303
    # The copy taken before leaving reveals nothing now...
    after = copy.get("/check-in/check").get_data(as_text=True)
    assert "hurt me" not in after and ">Answered<" in after
    assert "checked" not in copy.get("/check-in/questions/feel-safe").get_data(as_text=True)
    # ...and nor does the link reopened from the history.
    history = start(app, issued.token)
    assert "hurt me" not in history.get("/check-in/check").get_data(as_text=True)


def test_leaving_loses_nothing(app, session, make_invitation):
    issued = make_invitation()
    browser = start(app, issued.token)
    answer_all(browser)
    browser.get("/leave")
    session.expire_all()
    assert session.scalar(select(Response)).answer_map() == GOOD_ANSWERS
    later = start(app, issued.token)
    assert later.post("/check-in/check", data={"quote_consent": "no"}).status_code == 302
    session.expire_all()
    assert session.scalar(select(Response)).status == "submitted"


def test_a_pin_set_at_the_start_shows_the_answers_on_another_phone(app, make_invitation):
    issued = make_invitation()
    first = start(app, issued.token)
    assert "Choose a PIN" in first.get("/check-in").get_data(as_text=True)
    response = first.post("/check-in/pin", data={"pin": "2580", "pin_again": "2580"})
    assert response.status_code == 302
    answer_all(first, {**GOOD_ANSWERS, "anything-else": THREAT})
    first.get("/leave")

    other = start(app, issued.token)
    welcome = other.get("/check-in").get_data(as_text=True)
    assert "enter it to see your answers" in welcome
    assert "Choose a PIN" not in welcome  # set once, by the session that sees everything
    assert other.post("/check-in/pin/enter", data={"pin": "2580"}).status_code == 302
    assert "hurt me" in other.get("/check-in/check").get_data(as_text=True)


@pytest.mark.parametrize(
    ("pin", "again", "message"),
    [
        ("", "", "Enter your 4 numbers"),
        ("12a4", "12a4", "Your PIN is 4 numbers"),
        ("12345", "12345", "Your PIN is 4 numbers"),
        ("1234", "1243", "The two PINs are not the same"),
    ],
)
def test_a_bad_pin_is_explained_kindly(app, make_invitation, pin, again, message):
    browser = start(app, make_invitation().token)
    response = browser.post("/check-in/pin", data={"pin": pin, "pin_again": again})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "There is a problem" in response.get_data(as_text=True)


def test_someone_else_with_the_link_cannot_set_a_pin_to_open_the_answers(
    app, session, make_invitation
):
    issued = make_invitation()
    first = start(app, issued.token)
    first.post("/check-in/questions/anything-else", data={"answer": THREAT})
    intruder = start(app, issued.token)
    assert "Choose a PIN" not in intruder.get("/check-in").get_data(as_text=True)
    response = intruder.post("/check-in/pin", data={"pin": "1111", "pin_again": "1111"})
    assert response.status_code == 302
    session.expire_all()
    assert session.scalar(select(Response)).pin_hash is None


def test_wrong_pins_are_counted_on_the_draft_whatever_the_browser(app, session, make_invitation):
    issued = make_invitation()
    first = start(app, issued.token)
    first.post("/check-in/pin", data={"pin": "2580", "pin_again": "2580"})
    first.post("/check-in/questions/anything-else", data={"answer": THREAT})
    first.get("/leave")
    messages = []
    for guess in ("0000", "1111", "2222", "3333", "4444"):
        # A new browser (and, to the limiter, maybe a new address) for every guess.
        guesser = start(app, issued.token)
        response = guesser.post("/check-in/pin/enter", data={"pin": guess})
        assert response.status_code == 400
        messages.append(response.get_data(as_text=True))
    assert "You can try 4 more times" in messages[0]
    assert "You can try 1 more time" in messages[3]
    assert "Your PIN no longer works" in messages[4]
    # Now even the right PIN is refused, and the page still lets them carry on.
    last = start(app, issued.token)
    locked = last.post("/check-in/pin/enter", data={"pin": "2580"})
    assert "Your PIN no longer works" in locked.get_data(as_text=True)
    assert "hurt me" not in last.get("/check-in/check").get_data(as_text=True)
    assert "Carry on without my PIN" in locked.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(Response)).pin_failures == 5


def test_the_pin_is_stored_as_a_slow_keyed_hash_only(app, session, make_invitation):
    browser = start(app, make_invitation().token)
    browser.post("/check-in/pin", data={"pin": "2580", "pin_again": "2580"})
    stored = session.scalar(select(Response)).pin_hash
    assert stored.startswith("$argon2")
    assert "2580" not in stored


def test_wrong_pins_are_limited_by_address_too(app_config, make_invitation):
    from feedback import create_app

    limited = create_app(
        {**app_config, "RATELIMIT_ENABLED": True, "PIN_LIMIT": "3 per minute", "PIN_TRIES": 100}
    )
    browser = limited.test_client()
    browser.get(f"/r/{make_invitation().token}")
    statuses = [
        browser.post("/check-in/pin/enter", data={"pin": "0000"}).status_code for _ in range(4)
    ]
    assert statuses[-1] == 429
    assert "Too many tries" in browser.post("/check-in/pin/enter", data={"pin": "0000"}).get_data(
        as_text=True
    )


def test_a_double_press_on_send_sends_once(app, session, make_invitation):
    issued = make_invitation()
    browser = start(app, issued.token)
    answer_all(browser)
    # Both presses carry the cookie from before the first one was answered.
    twin = app.test_client()
    copy_session(browser, twin)
    first = browser.post("/check-in/check", data={"quote_consent": "no"})
    second = twin.post("/check-in/check", data={"quote_consent": "no"})
    assert first.status_code == second.status_code == 302
    assert second.location.endswith("/check-in/done")
    assert "Thank you" in twin.get(second.location).get_data(as_text=True)
    assert session.scalar(select(func.count(Occasion.id))) == 1


def test_two_presses_at_the_same_moment_send_once(app, session, make_invitation):
    issued = make_invitation()
    browser = start(app, issued.token)
    answer_all(browser)
    twin = app.test_client()
    copy_session(browser, twin)
    barrier = threading.Barrier(2)
    statuses = []

    def press(client):
        barrier.wait()
        statuses.append(client.post("/check-in/check", data={"quote_consent": "no"}).status_code)

    threads = [threading.Thread(target=press, args=(c,)) for c in (browser, twin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    session.expire_all()
    assert session.scalar(select(func.count(Occasion.id))) == 1


def test_the_back_button_after_sending_shows_the_thanks(app, make_invitation):
    browser = start(app, make_invitation().token)
    answer_all(browser)
    browser.post("/check-in/check", data={"quote_consent": "no"})
    for page in ("/check-in/check", "/check-in/questions/anything-else", "/check-in"):
        assert browser.get(page).location.endswith("/check-in/done"), page
    late = browser.post("/check-in/questions/feel-safe", data={"answer": "unsafe"})
    assert late.location.endswith("/check-in/done")


def test_one_browser_answering_anonymous_and_named_links_leaves_nothing_to_join(
    app, session, make_invitation, make_case
):
    from feedback.responses.models import Answer

    case = make_case()
    named = make_invitation(case=case)
    anonymous = make_invitation(case=case, questionnaire=("service-feedback", 1))
    browser = app.test_client()
    browser.get(f"/r/{named.token}")
    browser.post("/check-in/questions/feel-safe", data={"answer": "safe"})
    browser.get(f"/r/{anonymous.token}")
    browser.post("/check-in/questions/easy-to-talk", data={"answer": "ok"})
    browser.get(f"/r/{named.token}")
    assert 'value="safe" checked' in browser.get("/check-in/questions/feel-safe").get_data(
        as_text=True
    )
    rows = session.execute(
        select(Response.anonymous, Answer.viewer_hash).join(
            Answer, Answer.response_id == Response.id
        )
    ).all()
    anonymous_hashes = {h for anon, h in rows if anon}
    named_hashes = {h for anon, h in rows if not anon}
    assert anonymous_hashes and named_hashes
    assert not anonymous_hashes & named_hashes


def test_a_sent_response_keeps_no_viewer(app, session, make_invitation):
    from feedback.responses.models import Answer

    browser = start(app, make_invitation().token)
    answer_all(browser)
    browser.post("/check-in/check", data={"quote_consent": "no"})
    session.expire_all()
    assert session.scalars(select(Answer.viewer_hash)).all() == [None] * len(GOOD_ANSWERS)
