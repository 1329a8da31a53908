"""The words of `outcomes` that staff see, in the staff language.

`outcomes` imports no Flask and knows no catalogue: its words (exploitation strands, age
bands, genders, kinds of questionnaire, the frameworks' names, domains and indicators,
the themes' labels, the questionnaires' titles) are English data. This module is where
staff pages, charts and downloads turn one into the staff language (`outcome_word`), and
where `make extract` finds them all for the `staff` catalogue (`extract`, the extraction
method babel.cfg gives this file). Periods are named here from their dates, with the
locale's month names (Babel's CLDR data), rather than with the English words `outcomes`
builds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from feedback.i18n import current_language, s_, sl_, sn_
from outcomes.disclosure import DEFAULT_RULE


def outcome_word(word: str) -> str:
    """A word from `outcomes` in the staff language ("Sexual exploitation" in English)."""
    return s_(word) if word else word


def outcome_words(words: Mapping[str, str]) -> dict[str, str]:
    """Codes and their words (`STRANDS`, `age_bands()`...), the words in the staff language."""
    return {code: outcome_word(word) for code, word in words.items()}


def outcome_choices(words: Mapping[str, str]) -> list[tuple[str, Any]]:
    """Codes and their words as a form's choices, made at import and translated when
    the form is shown."""
    return [(code, sl_(word)) for code, word in words.items()]


# --- periods ---------------------------------------------------------------------------------


def month_words(day: date, pattern: str = "MMM y") -> str:
    """A month as the locale names it: "Nov 2026" ("MMM y"), "November 2026" ("MMMM y"),
    "Nov" ("MMM")."""
    from babel.dates import format_date

    return format_date(day, pattern, locale=current_language())


def window_words(window: Any) -> str:
    """An `outcomes.pooled.Window` in words: "Nov 2026", "Jul to Sep 2026" or "12 months
    to Sep 2026" in English (its `words`), in the staff language."""
    last = month_words(window.last)
    if window.months == 1:
        return last
    if window.months == 3:
        return s_("%(first)s to %(last)s", first=month_words(window.first, "MMM"), last=last)
    return sn_(
        "%(num)d month to %(month)s",
        "%(num)d months to %(month)s",
        window.months,
        month=last,
    )


def themes_reason(period: str, threshold: int = DEFAULT_RULE.threshold) -> str:
    """Why a period shows no themes (`outcomes.reports.ThemesSummary.reason`)."""
    if period == "quarter":
        return s_(
            "Themes are shown for a quarter only where at least %(number)s people wrote "
            "about the support.",
            number=threshold,
        )
    return s_(
        "Themes are shown for a month only where at least %(number)s people wrote about "
        "the support.",
        number=threshold,
    )


# --- extraction ------------------------------------------------------------------------------


def staff_words_of_outcomes() -> dict[str, str]:
    """Every word of `outcomes` a staff page may show, each with where it comes from."""
    from outcomes.framework import all_frameworks
    from outcomes.questionnaires import all_questionnaires
    from outcomes.text import load_themes
    from outcomes.vocabulary import AGE_BAND_SCHEMES, GENDERS, QUESTIONNAIRE_KINDS, STRANDS

    found: dict[str, str] = {}

    def add(words: object, where: str) -> None:
        for word in words:  # type: ignore[attr-defined]
            if word:
                found.setdefault(word, where)

    add(STRANDS.values(), "outcomes/vocabulary.py: STRANDS")
    for scheme, bands in AGE_BAND_SCHEMES.items():
        add((words for _code, words, _low, _high in bands), f"age band ({scheme})")
    add(GENDERS.values(), "outcomes/vocabulary.py: GENDERS")
    add(QUESTIONNAIRE_KINDS.values(), "outcomes/vocabulary.py: QUESTIONNAIRE_KINDS")
    for framework in all_frameworks().values():
        where = f"framework {framework.source}"
        add([framework.name], where)
        add((d.name for d in framework.domains), f"domain, {where}")
        add((i.name for i in framework.indicators), f"indicator, {where}")
    add((t.label for t in load_themes()), "theme, outcomes/text/themes.yaml")
    add((q.title for q in all_questionnaires().values()), "questionnaire's title")
    return found


def extract(
    fileobj: Any, keywords: Mapping[str, Any], comment_tags: Any, options: Mapping[str, Any]
) -> Iterator[tuple[int, str | None, Any, list[str]]]:
    """Babel's extraction method for this file (babel.cfg): its own marked strings, as
    Python's extractor finds them, and, for the staff catalogue only (extracted with the
    keyword `s_`), every word of `outcomes` staff may see."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    if "s_" not in keywords:
        return
    for word, where in sorted(staff_words_of_outcomes().items()):
        yield 0, "s_", word, [where]
