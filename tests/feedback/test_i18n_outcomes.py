"""The words of `outcomes` staff see are in the staff catalogue, and only there; and the
staff language gives the same English that `outcomes` writes."""

from __future__ import annotations

from datetime import date

from feedback.i18n_outcomes import (
    month_words,
    outcome_word,
    outcome_words,
    themes_reason,
    window_words,
)
from outcomes.framework import all_frameworks
from outcomes.pooled import Window
from outcomes.text import load_themes
from outcomes.vocabulary import AGE_BAND_SCHEMES, GENDERS, QUESTIONNAIRE_KINDS, STRANDS
from tests.feedback.catalogues import (
    MESSAGES_KEYWORDS,
    ROOT,
    STAFF_KEYWORDS,
    _extract,
)


def outcomes_words() -> set[str]:
    words = {*STRANDS.values(), *GENDERS.values(), *QUESTIONNAIRE_KINDS.values()}
    for bands in AGE_BAND_SCHEMES.values():
        words |= {band for _code, band, _low, _high in bands}
    for framework in all_frameworks().values():
        words |= {framework.name}
        words |= {d.name for d in framework.domains} | {i.name for i in framework.indicators}
    return words | {t.label for t in load_themes()}


def test_every_outcomes_word_is_extracted_for_staff_and_never_for_young_people(tmp_path):
    words = outcomes_words()
    assert {"Sexual exploitation", "Going missing", "17+", "Being listened to"} <= words
    staff = _extract(STAFF_KEYWORDS, tmp_path / "staff.pot", ROOT / "feedback")
    assert words - staff == set()
    # The young people's extraction of the same files takes none of them (those the young
    # people's pages show too are marked there in their own right).
    young = _extract(MESSAGES_KEYWORDS, tmp_path / "young.pot", ROOT / "feedback")
    messages = _extract(
        MESSAGES_KEYWORDS, tmp_path / "all.pot", ROOT / "feedback", ROOT / "templates"
    )
    assert young <= messages
    assert "Sexual exploitation" not in messages
    assert "Criminal exploitation and county lines" not in messages


def test_an_outcomes_word_in_english_is_the_word(app):
    with app.test_request_context("/cases"):
        assert outcome_word("Modern slavery and trafficking") == "Modern slavery and trafficking"
        assert outcome_word("") == ""
        assert outcome_words(STRANDS) == STRANDS


def test_periods_in_the_staff_language_are_outcomes_own_english(app):
    with app.test_request_context("/dashboard"):
        for month in range(1, 13):
            day = date(2026, month, 1)
            assert month_words(day) == f"{day:%b %Y}"
            assert month_words(day, "MMMM y") == f"{day:%B %Y}"
            assert month_words(date(2026, month, 3), "d MMM y") == "3 " + f"{day:%b %Y}"
            for months in (1, 3, 12):
                window = Window(day, months)
                assert window_words(window) == window.words
        assert window_words(Window(date(2026, 9, 1), 12)) == "12 months to Sep 2026"
        assert window_words(Window(date(2026, 9, 1), 3)) == "Jul to Sep 2026"


def test_the_themes_reason_is_outcomes_own_english(app, session):
    from outcomes import reports

    with app.test_request_context("/dashboard"):
        for period in ("month", "quarter"):
            march = reports.Filters(date_from=date(2026, 3, 1), date_to=date(2026, 4, 1))
            summary = reports.themes_summary(session, march, period)
            assert themes_reason(period) == summary.reason
