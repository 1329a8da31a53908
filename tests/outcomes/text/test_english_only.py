"""Sentiment and themes read English only: an answer in another language gets neither and
is counted as "not analysed: language", under the same disclosure rules as every count;
its quote is shown only once a manager has read it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from outcomes import reports
from outcomes.reports import Filters
from outcomes.store import ThemeRow, record_comment
from outcomes.text import NOT_ANALYSED, analyse
from tests.outcomes.store_data import record_checkin

POLISH = "Moja opiekunka bardzo mi pomaga, zawsze mnie słucha i dzwoni kiedy obiecała"
URDU = "میری کارکن ہمیشہ میری بات سنتی ہے اور مدد کرتی ہے"
# The same answer in English, which does have a feeling and themes: so the tests below
# would fail if another language were read like English.
ENGLISH = "My worker always listens to me and rings when she said she would"
MARCH = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 4, 1))


def test_an_english_answer_has_sentiment_and_themes():
    found = analyse(ENGLISH)
    assert found.analysed and found.language == "en"
    assert found.sentiment == "positive" and found.themes


@pytest.mark.parametrize(("text", "language"), [(POLISH, "pl"), (URDU, "und")])
def test_an_answer_in_another_language_gets_no_sentiment_or_theme(text, language):
    found = analyse(text)
    assert not found.analysed
    assert found.sentiment == NOT_ANALYSED
    assert found.polarity == 0.0 and found.themes == () and found.theme_codes == ()
    assert found.language == language


def test_answers_without_words_are_read_as_english_has_nothing_to_misread():
    assert analyse("👍").analysed and analyse("14").analysed


def _wrote(session, person, sentiment, themes=(), quote=None, *, gender="girl"):
    occasion = record_checkin(session, person, datetime(2026, 3, 2), {}, gender=gender)
    record_comment(
        session,
        occasion,
        question="going-well",
        sentiment=sentiment,
        polarity=0.0,
        themes=tuple(ThemeRow(code, "listened-to", s) for code, s in themes),
        quote=quote,
    )


def test_people_who_wrote_in_another_language_are_counted_apart(store_session):
    for person in range(12):
        _wrote(store_session, person, "positive", [("listened-to", "positive")])
    for person in range(12, 24):
        _wrote(store_session, person, NOT_ANALYSED)
    (march,) = reports.themes_summary(store_session, MARCH).periods
    assert march.shown
    assert march.answered.display in ("20", "25")  # 24 people, moved by up to 2, rounded
    assert march.not_analysed.display in ("10", "15")  # 12 people, moved by up to 2
    # Their answers add nothing to any theme: only the 12 who wrote in English.
    (top,) = march.going_well
    assert top.code == "listened-to" and top.people.display in ("10", "15")
    assert march.could_be_better == ()


def test_the_count_of_another_language_is_protected_like_any_count(store_session):
    for person in range(20):
        _wrote(store_session, person, "positive", [("listened-to", "positive")])
    for person in range(20, 23):
        _wrote(store_session, person, NOT_ANALYSED)
    (march,) = reports.themes_summary(store_session, MARCH).periods
    assert march.shown and march.answered.display != "c"
    # Three people: fewer than ten, so "c", never 3 (nor 0 where there is nobody).
    assert march.not_analysed.display == "c" and march.not_analysed.suppressed


def test_the_count_of_another_language_is_safe_from_differencing(store_session):
    """Twelve girls and one boy wrote in another language: the girls' count beside the
    whole view's would give the boy away, so it is hidden."""
    for person in range(15):
        _wrote(store_session, person, "positive", [("listened-to", "positive")])
    for person in range(15, 27):
        _wrote(store_session, person, NOT_ANALYSED)
    _wrote(store_session, 99, NOT_ANALYSED, gender="boy")
    (everyone,) = reports.themes_summary(store_session, MARCH).periods
    (girls,) = reports.themes_summary(store_session, replace(MARCH, gender="girl")).periods
    assert not everyone.not_analysed.suppressed
    assert girls.not_analysed.suppressed and girls.not_analysed.reason == "differencing"


def test_a_quote_in_another_language_waits_until_it_is_read(store_session):
    for person in range(10):
        _wrote(store_session, person, "positive", quote="They listen")
    _wrote(store_session, 10, NOT_ANALYSED, quote=POLISH)
    _wrote(store_session, 11, NOT_ANALYSED, quote=URDU)
    shown = reports.quotes(store_session, MARCH, limit=20)
    assert POLISH not in shown and URDU not in shown and "They listen" in shown
    assert reports.quotes_waiting(store_session, MARCH).display == "c"  # 2: fewer than 10

    shown = reports.quotes(store_session, MARCH, limit=20, read={POLISH})
    assert POLISH in shown and URDU not in shown
    waiting = reports.quotes_waiting(store_session, MARCH, read={POLISH, URDU})
    assert waiting is not None and waiting.suppressed  # none waiting shows "c" too


def test_a_waiting_count_of_ten_or_more_is_shown_rounded(store_session):
    for person in range(12):
        _wrote(store_session, person, NOT_ANALYSED, quote=f"{POLISH} {person}")
    waiting = reports.quotes_waiting(store_session, MARCH)
    assert waiting is not None and waiting.display in ("10", "15")
    assert reports.quotes(store_session, MARCH) == []


def test_no_waiting_count_where_the_view_has_no_month_to_quote_from(store_session):
    for person in range(3):
        _wrote(store_session, person, NOT_ANALYSED, quote=POLISH)
    assert reports.quotes_waiting(store_session, MARCH) is None
