"""Languages: which language a page is in, and how a young person or parent chooses it.

The one place that knows the shipped languages, each named in itself, and which way each
is written. A young person's or parent's choice (from the link in the top bar, or the
language the practitioner picked when inviting) is kept in their session for the whole
journey. Staff pages are in English.

Strings are translated with Flask-Babel's gettext (catalogues under
`feedback/translations`, compiled by the build).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, get_locale

SESSION_KEY = "lang"
EASY_READ_KEY = "easy_read"
DEFAULT = "en"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself: how someone who reads it finds it
    english_name: str
    direction: str  # "ltr" or "rtl"


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English", "English", "ltr"),
        Language("ur", "اردو", "Urdu", "rtl"),
        Language("ar", "العربية", "Arabic", "rtl"),
        Language("pl", "Polski", "Polish", "ltr"),
        Language("ro", "Română", "Romanian", "ltr"),
    )
}


def is_language(code: object) -> bool:
    return isinstance(code, str) and code in LANGUAGES


def remember_language(code: str | None) -> None:
    """Keep a young person's or parent's language for the rest of their journey.

    An unknown code is ignored: the page stays in the language it was in.
    """
    if is_language(code):
        session[SESSION_KEY] = code


def remember_easy_read(wanted: bool) -> None:
    """Keep the easy-read choice (made at the start, or by the practitioner) for the journey."""
    session[EASY_READ_KEY] = bool(wanted)


def wants_easy_read() -> bool:
    return bool(session.get(EASY_READ_KEY, False))


def current_language() -> str:
    """The language of this request's page, or of `flask_babel.force_locale` where a
    message is written in another (English outside a request)."""
    if not has_request_context():
        return DEFAULT
    code = str(get_locale() or DEFAULT)
    return code if is_language(code) else DEFAULT


def select_language() -> str:
    """Flask-Babel's locale selector: `?lang=` (remembered), then the session, then English.

    An unknown `?lang=` falls back to the language already chosen (or English), and the
    page shows the language switch as it always does.
    """
    asked = request.args.get("lang")
    if is_language(asked):
        remember_language(asked)
    chosen = session.get(SESSION_KEY)
    language = chosen if is_language(chosen) else DEFAULT
    g.language = language
    return language


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_language)

    @app.context_processor
    def languages() -> dict[str, object]:
        code = str(get_locale() or DEFAULT)
        return {
            "languages": LANGUAGES,
            "current_language": LANGUAGES[code if is_language(code) else DEFAULT],
        }
