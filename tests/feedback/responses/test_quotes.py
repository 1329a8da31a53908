"""Words that worried us are never quoted, whatever the consent: not on the dashboard,
its exports, the monthly report or `report monthly`."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from feedback.responses import services as responses
from outcomes.questionnaires import get_questionnaire
from outcomes.store import Comment
from tests.conftest import once_the_month_has_ended, start_of_month, utcnow
from tests.feedback.checkin.answers import GOOD_ANSWERS, answer_all
from tests.feedback.dashboard import seed

DISCLOSURE = "my boyfriend makes me carry stuff for his mates and says he'll hurt me if I stop"
# Words that raised an alert when saved, then were changed to words the detector passes:
# they still point at the same young person, so they are not quoted either.
CHANGED_FROM = "my stepdad hits me when he is drunk"
CHANGED_TO = "my stepdad is calmer now and my worker helps at home"
SAFE_QUOTE = "She listens to me"
WORDS = ("hurt me", "carry stuff", "stepdad", "calmer")


def test_quotable_needs_consent_and_words_that_worry_nobody():
    quotable = responses.quotable
    assert quotable(SAFE_QUOTE, True)
    assert not quotable(SAFE_QUOTE, False)
    assert not quotable(SAFE_QUOTE, None)
    assert not quotable(DISCLOSURE, True)
    assert not quotable("I want to kill myself", True)  # danger now
    assert not quotable(SAFE_QUOTE, True, worried=True)


def test_record_comments_keeps_themes_but_not_the_words(session):
    from tests.outcomes.store_data import record_checkin

    occasion = record_checkin(session, "p", utcnow(), {"safety": 50})
    questionnaire = get_questionnaire("service-feedback")
    answers = {"going-well": DISCLOSURE, "could-be-better": "Quicker replies please"}
    responses.record_comments(session, occasion, questionnaire, answers, quote_consent=True)
    comments = {c.question: c for c in session.scalars(select(Comment))}
    assert comments["going-well"].quote is None
    assert comments["going-well"].sentiment  # still counted in themes and sentiment
    assert comments["could-be-better"].quote == "Quicker replies please"
    before = set(session.scalars(select(Comment.id)))
    responses.record_comments(
        session,
        occasion,
        questionnaire,
        {"could-be-better": "Quicker replies please"},
        quote_consent=True,
        worrying={"could-be-better"},
    )
    # The store's keys are random, so the new comment is the one whose key is new.
    (latest,) = session.scalars(select(Comment).where(Comment.id.not_in(before)))
    assert latest.quote is None


@pytest.fixture
def month_with_quotes(app, session, make_invitation, make_user):
    """Nine people quoted saying something kind, then two young people who agreed to be
    quoted: one wrote a disclosure, one changed a disclosure into milder words."""
    seed(
        session,
        range(9),
        when=max(utcnow() - timedelta(hours=1), start_of_month()),
        themes=[("listened-to", "positive")],
        quote=SAFE_QUOTE,
    )
    session.commit()
    for text in (DISCLOSURE, CHANGED_FROM):
        browser = app.test_client()
        browser.get(f"/r/{make_invitation().token}")
        answer_all(browser, {**GOOD_ANSWERS, "anything-else": text})
        if text == CHANGED_FROM:
            browser.post("/check-in/questions/anything-else", data={"answer": CHANGED_TO})
        assert browser.post("/check-in/check", data={"quote_consent": "yes"}).status_code == 302
    session.expire_all()
    assert session.scalar(select(Comment).where(Comment.quote == SAFE_QUOTE)) is not None
    month = utcnow().strftime("%Y-%m")
    manager = make_user("manager", teams=("north",))
    with once_the_month_has_ended():
        yield month, manager


def assert_no_words(text: str, where: str) -> None:
    for words in WORDS:
        assert words not in text, (where, words)


def test_the_words_never_reach_the_dashboard_or_its_exports(client, auth, month_with_quotes):
    month, manager = month_with_quotes
    auth.sign_in(manager)
    query = f"date_from={month}&date_to={month}"
    page = client.get(f"/dashboard?{query}").get_data(as_text=True)
    assert SAFE_QUOTE in page  # quotes are shown in this view, so the test can fail
    assert_no_words(page, "dashboard")
    for narrow in ("&strand=missing", "&age_band=14-15", "&kind=checkin"):
        assert_no_words(client.get(f"/dashboard?{query}{narrow}").get_data(as_text=True), narrow)
    from feedback.dashboard.services import TABLE_KEYS

    for key in (*TABLE_KEYS, "all"):
        assert_no_words(
            client.get(f"/dashboard/export/{key}.csv?{query}").get_data(as_text=True), f"{key}.csv"
        )
    workbook = load_workbook(io.BytesIO(client.get(f"/dashboard/export/all.xlsx?{query}").data))
    cells = " ".join(
        str(c.value)
        for sheet in workbook
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    )
    assert_no_words(cells, "all.xlsx")


def test_the_words_never_reach_the_monthly_report(client, auth, runner, month_with_quotes):
    month, manager = month_with_quotes
    auth.sign_in(manager)
    assert_no_words(
        client.get(f"/dashboard/report?month={month}").get_data(as_text=True), "report page"
    )
    assert_no_words(
        client.get(f"/dashboard/report/export.csv?month={month}").get_data(as_text=True),
        "report csv",
    )
    for fmt in ("json", "csv"):
        result = runner.invoke(args=["report", "monthly", "--month", month, "--format", fmt])
        assert result.exit_code == 0, result.output
        assert_no_words(result.output, f"report monthly {fmt}")


def test_the_store_keeps_no_quote_of_them(session, month_with_quotes):
    quotes = [q for q in session.scalars(select(Comment.quote)) if q]
    assert quotes and all(q == SAFE_QUOTE for q in quotes)


def test_a_quote_is_remembered_by_a_digest_never_by_the_young_persons_own_words(monkeypatch):
    """The process remembers redacted quotes (read_quotes asks on every view) without
    holding the words they came from, which retention removes from the database."""
    monkeypatch.setattr(responses, "_quotes", type(responses._quotes)())
    monkeypatch.setattr(responses, "QUOTES_KEPT", 2)
    words = "Sarah Jones from Moss Side helps me, text me on 07700 900123"
    quote = responses.quote_of(words)
    assert "07700 900123" not in quote and "Sarah" not in quote
    assert responses.quote_of(words) == quote
    kept = responses._quotes
    assert list(kept.values()) == [quote]
    assert all(isinstance(key, bytes) and len(key) == 32 for key in kept)
    assert not any(words in repr(key) for key in kept)
    # At most QUOTES_KEPT, the oldest forgotten first.
    responses.quote_of("first other words")
    responses.quote_of("second other words")
    assert len(kept) == 2 and quote not in kept.values()
