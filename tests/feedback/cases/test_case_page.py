"""The case page: the answers the young person was told their worker reads, and alerts."""

from __future__ import annotations

import re

from sqlalchemy import select

from feedback.alerts.models import Alert
from tests.feedback.checkin.answers import CHECKIN, GOOD_ANSWERS, answer_all

SERVICE_ONLY = [q for q in CHECKIN.questions if q.audience == "service"]
FOR_WORKER = [q for q in CHECKIN.questions if q.audience == "worker"]


def send(app, make_invitation, case, answers):
    browser = app.test_client()
    browser.get(f"/r/{make_invitation(case=case).token}")
    answer_all(browser, answers)
    assert browser.post("/check-in/check", data={"quote_consent": "no"}).status_code == 302


def shared_section(html: str) -> str:
    return html[html.index('id="shared-heading"') :]


def test_the_worker_reads_the_answers_shared_with_them_newest_first(
    app, client, auth, make_case, make_invitation
):
    case = make_case()
    send(
        app,
        make_invitation,
        case,
        {**GOOD_ANSWERS, "feel-safe": "very-unsafe", "anything-else": "The football club is great"},
    )
    send(app, make_invitation, case, {**GOOD_ANSWERS, "feel-safe": "rather-not-say"})
    auth.sign_in(case.practitioner)
    html = shared_section(client.get(f"/cases/{case.id}").get_data(as_text=True))

    for question in FOR_WORKER:
        assert question.text in html, question.id
    for question in SERVICE_ONLY:
        assert question.text not in html, question.id
    assert "football club" not in html and "Talking to my worker" not in html
    # Newest first, each with its date; "I'd rather not say" is an answer they gave.
    feel_safe = re.findall(
        r"How safe do you feel at the moment\?.*?<dd[^>]*>\s*(.*?)\s*</dd>", html, re.S
    )
    assert feel_safe == ["I\u2019d rather not say", "Very unsafe"]
    assert len(re.findall(r"Check-in sent \d{1,2} \w+ \d{4}", html)) == 2


def test_colleagues_see_the_case_but_not_the_answers(
    app, client, auth, make_case, make_invitation, make_user
):
    case = make_case()
    send(app, make_invitation, case, {**GOOD_ANSWERS, "feel-safe": "very-unsafe"})
    for other in (make_user("practitioner"), make_user("admin", teams=())):
        auth.sign_in(other)
        page = client.get(f"/cases/{case.id}")
        assert page.status_code == 200
        html = shared_section(page.get_data(as_text=True))
        assert "Very unsafe" not in html
        assert "can read these answers" in html
        auth.sign_out()


def test_anonymous_feedback_never_appears_on_the_case_page(
    app, client, auth, make_case, make_invitation
):
    case = make_case()
    browser = app.test_client()
    browser.get(f"/r/{make_invitation(case=case, questionnaire=('service-feedback', 1)).token}")
    for question_id, value in {
        "easy-to-talk": "really-hard",
        "trust-service": "no",
        "going-well": "nothing at all",
        "could-be-better": "all of it",
    }.items():
        browser.post(f"/check-in/questions/{question_id}", data={"answer": value})
    browser.post("/check-in/check", data={})
    auth.sign_in(case.practitioner)
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Really hard" not in html and "nothing at all" not in html
    assert 'id="shared-empty"' in html


def test_open_alerts_show_on_the_case_list_and_at_the_top_of_the_case_page(
    app, client, auth, session, make_case, make_invitation
):
    case = make_case()
    quiet = make_case(practitioner=case.practitioner)
    send(app, make_invitation, case, {**GOOD_ANSWERS, "anything-else": "I want to kill myself"})
    alert = session.scalar(select(Alert))
    auth.sign_in(case.practitioner)
    listing = client.get("/cases").get_data(as_text=True)
    assert "Open alerts" in listing
    row = next(r for r in re.findall(r"<tr.*?</tr>", listing, re.S) if case.reference in r)
    assert f'href="/alerts/{alert.id}"' in row and "Danger now" in row
    quiet_row = next(r for r in re.findall(r"<tr.*?</tr>", listing, re.S) if quiet.reference in r)
    assert "/alerts/" not in quiet_row
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert page.index('id="open-alerts"') < page.index('id="journey-heading"')
    assert f'href="/alerts/{alert.id}"' in page

    alert.state = "closed"
    session.commit()
    assert 'id="open-alerts"' not in client.get(f"/cases/{case.id}").get_data(as_text=True)
