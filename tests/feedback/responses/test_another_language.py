"""Answers in another language: counted as "not analysed: language" on the dashboard, in
its exports and in the monthly report; and, as an attacker would look for them, no word
of a quote in another language anywhere (page, CSV, XLSX, PDF, command line) until a
manager has read it and closed its alert, saying its words may be quoted."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from feedback.alerts.models import Alert
from feedback.dashboard.services import TABLE_KEYS
from outcomes.store import Comment, record_comment
from outcomes.text import NOT_ANALYSED
from tests.conftest import once_the_month_has_ended, start_of_month, utcnow
from tests.feedback.checkin.answers import GOOD_ANSWERS, answer_all
from tests.feedback.dashboard import cell, seed

POLISH = "Moja opiekunka bardzo mi pomaga, zawsze mnie słucha i dzwoni kiedy obiecała"
URDU = "میری کارکن ہمیشہ میری بات سنتی ہے اور مدد کرتی ہے"
SAFE_QUOTE = "She listens to me"
# Words of each answer that its quote keeps (names are taken out of quotes).
POLISH_WORDS = ("opiekunka", "słucha", "obiecała")
URDU_WORDS = ("کارکن", "ہمیشہ")


@pytest.fixture
def manager(make_user):
    return make_user("manager", teams=("north",))


@pytest.fixture
def month_in_two_languages(app, session, make_invitation):
    """Nine people who wrote in English, one of them quoted (so that every quote of the
    month is among the five shown), then two young people who agreed to be quoted and
    wrote in Polish and in Urdu, each raising a "needs a human read" alert."""
    when = max(utcnow() - timedelta(hours=1), start_of_month())
    seed(session, range(8), when=when, themes=[("listened-to", "positive")])
    seed(session, [8], when=when, themes=[("listened-to", "positive")], quote=SAFE_QUOTE)
    session.commit()
    for text in (POLISH, URDU):
        browser = app.test_client()
        browser.get(f"/r/{make_invitation().token}")
        answer_all(browser, {**GOOD_ANSWERS, "anything-else": text})
        assert browser.post("/check-in/check", data={"quote_consent": "yes"}).status_code == 302
    session.expire_all()
    alerts = {a.texts[0]["text"]: a for a in session.scalars(select(Alert))}
    assert set(alerts) == {POLISH, URDU}
    # The store keeps their quotes, waiting: no sentiment or theme was read from them.
    held = session.scalars(select(Comment).where(Comment.sentiment == NOT_ANALYSED)).all()
    assert len(held) == 2 and all(c.quote and not c.themes for c in held)
    month = utcnow().strftime("%Y-%m")
    with once_the_month_has_ended():
        yield month, alerts


def everything_a_manager_can_get(client, runner, month: str) -> dict[str, str]:
    """Every output that shows quotes or figures of the month, as text."""
    query = f"date_from={month}&date_to={month}"
    out = {"dashboard": client.get(f"/dashboard?{query}").get_data(as_text=True)}
    for narrow in ("&strand=missing", "&age_band=14-15", "&kind=checkin", "&gender=girl"):
        out[narrow] = client.get(f"/dashboard?{query}{narrow}").get_data(as_text=True)
    for key in (*TABLE_KEYS, "all"):
        out[f"{key}.csv"] = client.get(f"/dashboard/export/{key}.csv?{query}").get_data(
            as_text=True
        )
    out["all.xlsx"] = _xlsx_text(client.get(f"/dashboard/export/all.xlsx?{query}").data)
    out["report"] = client.get(f"/dashboard/report?month={month}").get_data(as_text=True)
    out["report.csv"] = client.get(f"/dashboard/report/export.csv?month={month}").get_data(
        as_text=True
    )
    out["report.xlsx"] = _xlsx_text(client.get(f"/dashboard/report/export.xlsx?month={month}").data)
    pdf = client.get(f"/dashboard/report.pdf?month={month}")
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    out["report.pdf"] = " ".join(text.split())
    for fmt in ("json", "csv"):
        result = runner.invoke(args=["report", "monthly", "--month", month, "--format", fmt])
        assert result.exit_code == 0, result.output
        out[f"report monthly {fmt}"] = result.output
    return out


def _xlsx_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data))
    return " ".join(
        str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value
    )


def assert_none_of(words, outputs: dict[str, str]) -> None:
    for where, text in outputs.items():
        for word in words:
            assert word not in text, (where, word)


def close_alert(client, alert_id: int, *, quotable: bool = True) -> None:
    assert client.post(f"/alerts/{alert_id}/acknowledge").status_code == 302
    note = {"note": "Read with an interpreter: nothing worrying"}
    assert client.post(f"/alerts/{alert_id}/action", data=note).status_code == 302
    page = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert 'name="quotable"' in page  # asked, as the alert holds another language
    ticked = {"quotable": "y"} if quotable else {}
    assert client.post(f"/alerts/{alert_id}/close", data=ticked).status_code == 302


def test_no_word_of_another_language_anywhere_until_a_manager_reads_it(
    client, auth, runner, session, manager, month_in_two_languages
):
    month, alerts = month_in_two_languages
    auth.sign_in(manager)
    before = everything_a_manager_can_get(client, runner, month)
    # Quotes are shown in this view, so the test could find the others if they leaked.
    assert SAFE_QUOTE in before["dashboard"] and SAFE_QUOTE in before["report"]
    assert_none_of(POLISH_WORDS + URDU_WORDS, before)
    # Instead: how many wait (2, so "c"), and the way to the alerts that hold them.
    for page in (before["dashboard"], before["report"]):
        assert 'id="quotes-waiting"' in page
        assert "Waiting for a manager to read: c" in page
        assert 'href="/alerts"' in page
    assert SAFE_QUOTE in before["report.pdf"]
    assert "Waiting for a manager to read: c" in before["report.pdf"]

    # Reading is not enough while the alert is open: it is closed only once dealt with.
    client.get(f"/alerts/{alerts[POLISH].id}")
    assert client.post(f"/alerts/{alerts[POLISH].id}/acknowledge").status_code == 302
    assert_none_of(
        POLISH_WORDS,
        {
            "dashboard": client.get(f"/dashboard?date_from={month}&date_to={month}").get_data(
                as_text=True
            )
        },
    )

    note = {"note": "Read with an interpreter: nothing worrying"}
    assert client.post(f"/alerts/{alerts[POLISH].id}/action", data=note).status_code == 302
    ticked = {"quotable": "y"}
    assert client.post(f"/alerts/{alerts[POLISH].id}/close", data=ticked).status_code == 302
    after = everything_a_manager_can_get(client, runner, month)
    for where in ("dashboard", "report", "report.pdf"):
        assert all(word in after[where] for word in POLISH_WORDS), where
    # Quotes never go into the tables' downloads; the Urdu answer is still unread.
    assert_none_of(POLISH_WORDS, {k: v for k, v in after.items() if "csv" in k or "xlsx" in k})
    assert_none_of(URDU_WORDS, after)

    close_alert(client, alerts[URDU].id)
    last = everything_a_manager_can_get(client, runner, month)
    assert all(word in last["dashboard"] for word in URDU_WORDS)
    assert all(word in last["report"] for word in URDU_WORDS)


def test_words_a_manager_read_and_did_not_pass_are_never_shown(
    client, auth, runner, session, manager, month_in_two_languages
):
    month, alerts = month_in_two_languages
    auth.sign_in(manager)
    close_alert(client, alerts[POLISH].id, quotable=False)
    outputs = everything_a_manager_can_get(client, runner, month)
    assert SAFE_QUOTE in outputs["dashboard"]
    assert_none_of(POLISH_WORDS + URDU_WORDS, outputs)
    session.expire_all()
    assert session.get(Alert, alerts[POLISH].id).words_quotable is False


def test_words_that_ever_worried_us_stay_unquoted_after_the_alert_is_closed(
    app, client, auth, session, manager, make_invitation
):
    """An answer that first held a disclosure in English and then was changed into Polish:
    its alert is closed, but its words are never quoted (as for any answer that worried
    us), and no word of it is shown."""
    seed(
        session,
        range(9),
        when=max(utcnow() - timedelta(hours=1), start_of_month()),
        quote=SAFE_QUOTE,
    )
    session.commit()
    browser = app.test_client()
    browser.get(f"/r/{make_invitation().token}")
    answer_all(browser, {**GOOD_ANSWERS, "anything-else": "my stepdad hits me when he is drunk"})
    browser.post("/check-in/questions/anything-else", data={"answer": POLISH})
    assert browser.post("/check-in/check", data={"quote_consent": "yes"}).status_code == 302
    session.expire_all()
    (alert,) = session.scalars(select(Alert))
    assert [t["text"] for t in alert.texts][-1] == POLISH
    month = utcnow().strftime("%Y-%m")
    with once_the_month_has_ended():
        auth.sign_in(manager)
        close_alert(client, alert.id)
        page = client.get(f"/dashboard?date_from={month}&date_to={month}").get_data(as_text=True)
    assert SAFE_QUOTE in page
    assert_none_of(POLISH_WORDS + ("stepdad",), {"dashboard": page})


def _wrote(session, people, sentiment, when):
    for occasion in seed(session, people, when=when):
        record_comment(
            session,
            occasion,
            question="anything-else",
            sentiment=sentiment,
            polarity=0.0,
            themes=(),
            quote=None,
        )


def test_the_dashboard_its_exports_and_the_report_count_another_language(
    client, auth, session, manager
):
    march = datetime(2026, 3, 10)
    _wrote(session, range(12), "positive", march)
    _wrote(session, range(100, 112), NOT_ANALYSED, march)
    session.commit()
    auth.sign_in(manager)
    html = client.get("/dashboard?date_from=2026-03&date_to=2026-03").get_data(as_text=True)
    (shown,) = cell(html, "wrote", "Not analysed: language")
    assert shown in ("10", "15")  # 12 people, moved by up to 2 and rounded
    assert "Themes and sentiment are read in English only" in html
    csv = client.get("/dashboard/export/wrote.csv?date_from=2026-03&date_to=2026-03")
    assert f"Not analysed: language,{shown}" in csv.get_data(as_text=True)
    report = client.get("/dashboard/report?month=2026-03").get_data(as_text=True)
    label = "Not analysed: language (people who wrote in another language)"
    assert cell(report, "headline", label)[0] == shown
    report_csv = client.get("/dashboard/report/export.csv?month=2026-03").get_data(as_text=True)
    assert f"{label},{shown}" in report_csv


def test_a_few_who_wrote_in_another_language_show_as_c(client, auth, session, manager):
    march = datetime(2026, 3, 10)
    _wrote(session, range(12), "positive", march)
    _wrote(session, range(100, 103), NOT_ANALYSED, march)
    session.commit()
    auth.sign_in(manager)
    html = client.get("/dashboard?date_from=2026-03&date_to=2026-03").get_data(as_text=True)
    assert cell(html, "wrote", "Not analysed: language") == ["c"]
    report = client.get("/dashboard/report?month=2026-03").get_data(as_text=True)
    label = "Not analysed: language (people who wrote in another language)"
    assert cell(report, "headline", label)[0] == "c"


def test_closing_an_alert_on_english_words_asks_nothing_about_quoting(
    client, auth, session, manager, make_invitation
):
    client.get(f"/r/{make_invitation().token}")
    disclosure = "my stepdad hits me when he is drunk"
    client.post("/check-in/questions/anything-else", data={"answer": disclosure})
    (alert,) = session.scalars(select(Alert))
    auth.sign_in(manager)
    assert client.post(f"/alerts/{alert.id}/acknowledge").status_code == 302
    assert client.post(f"/alerts/{alert.id}/action", data={"note": "Rang"}).status_code == 302
    assert 'name="quotable"' not in client.get(f"/alerts/{alert.id}").get_data(as_text=True)
    # A tick sent anyway changes nothing: the words were English, and worried us.
    assert client.post(f"/alerts/{alert.id}/close", data={"quotable": "y"}).status_code == 302
    session.expire_all()
    closed = session.get(Alert, alert.id)
    assert closed.state == "closed" and closed.words_quotable is None
