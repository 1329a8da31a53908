"""Languages: which language a page is in, and how a young person or parent chooses it.

The one place that knows the shipped languages, each named in itself, and which way each
is written; and the one place that decides which pages are in the person's own language
(`is_family_page`). A young person's or parent's choice (from the link in the top bar,
or the language the practitioner picked when inviting) is kept in their session for the
whole journey. Staff pages are in English.

Strings are translated with Flask-Babel's gettext (catalogues under
`feedback/translations`, compiled by the build: `make translations`). The words staff
see are marked for a second gettext domain, `staff` (`s_` in templates and code, `sl_`
for form labels made before a request, `sn_` with a plural), extracted to
`feedback/translations/staff.pot` by `make extract`, so that they never enter the young
people's catalogues. No staff catalogue is shipped: staff pages are in English until a
council adds one (the app reads it from STAFF_TRANSLATIONS, this folder by default).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    has_app_context,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import Babel, Domain, format_date, get_locale, ngettext
from jinja2 import BaseLoader, Environment, PackageLoader

from feedback.security import safe_next
from feedback.staff.access import public

SESSION_KEY = "lang"
EASY_READ_KEY = "easy_read"
DEFAULT = "en"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself: how someone who reads it finds it
    english_name: str
    direction: str  # "ltr" or "rtl"


def N_(text: str) -> str:  # noqa: N802  # gettext's conventional name for "mark only"
    """Mark a string for both catalogues where it is defined; translate it where it is
    shown: `_(text)` (`gettext(text)` in code) on a young person's or parent's page,
    `s_(text)` on a staff page. For words kept in config or models that young people's
    pages and staff pages both show (what a request to talk is about, for instance)."""
    return text


def sN_(text: str) -> str:  # noqa: N802  # as N_, for the staff catalogue only
    """Mark a string for the staff catalogue only; a staff page shows it with `s_(text)`."""
    return text


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English", sN_("English"), "ltr"),
        Language("ur", "اردو", sN_("Urdu"), "rtl"),
        Language("ar", "العربية", sN_("Arabic"), "rtl"),
        Language("pl", "Polski", sN_("Polish"), "ltr"),
        Language("ro", "Română", sN_("Romanian"), "ltr"),
    )
}

# The blueprints of the pages young people and parents see: the check-in, its goals,
# asking to speak to a manager and "you said, we did", and choosing a language. Every
# other page (cases, dashboard, alerts, admin, staff...) is a staff page, in English.
FAMILY_BLUEPRINTS = frozenset({"young", "goals", "talk", "language"})


class StaffDomain(Domain):
    """The `staff` domain, read from the app's STAFF_TRANSLATIONS folder (this package's
    `translations` unless set: a test points it at a catalogue of its own). Each app
    keeps the catalogues it has read, so that two apps with two folders never share."""

    @property
    def translation_directories(self) -> list[str]:
        folder = current_app.config.get("STAFF_TRANSLATIONS") if has_app_context() else None
        return [str(folder or TRANSLATIONS)]

    def get_translations_cache(self, ctx) -> dict:
        return current_app.extensions.setdefault("staff_translations", {})


STAFF = StaffDomain(domain="staff")


def staff_gettext(string: str, **variables: object) -> str:
    """Translate a string staff see, from the `staff` domain (English while no staff
    catalogue exists). Placeholders as gettext: `s_("%(n)s cases", n=3)`."""
    return str(STAFF.gettext(string, **variables))


def staff_lazy_gettext(string: str, **variables: object) -> object:
    """`staff_gettext` translated when used: for form labels made at import."""
    return STAFF.lazy_gettext(string, **variables)


def staff_ngettext(singular: str, plural: str, num: int, **variables: object) -> str:
    """`staff_gettext` with a plural: `sn_("%(num)d case", "%(num)d cases", n)`."""
    return str(STAFF.ngettext(singular, plural, num, **variables))


s_ = staff_gettext
sl_ = staff_lazy_gettext
sn_ = staff_ngettext


def is_language(code: object) -> bool:
    return isinstance(code, str) and code in LANGUAGES


def is_family_page() -> bool:
    """Whether this request's page is one a young person or parent sees (in their own
    language), rather than a staff page (in English)."""
    if not has_request_context():
        return False
    return request.blueprint in FAMILY_BLUEPRINTS or bool(g.get("young_person_page"))


def remember_language(code: str | None) -> None:
    """Keep a young person's or parent's language for the rest of their journey.

    An unknown code is ignored: the page stays in the language it was in.
    """
    if is_language(code):
        session[SESSION_KEY] = code


def remember_easy_read(wanted: bool) -> None:
    """Keep the easy-read choice (made at the start, or by the practitioner) for the journey."""
    session[EASY_READ_KEY] = bool(wanted)


def follow_link(language: str, easy_read: bool) -> None:
    """Read the journey as a link's practitioner chose. English and standard words are
    what a session without a choice reads, so they are kept by storing nothing: the
    session cookie a phone sends with every request stays small."""
    if language == DEFAULT:
        session.pop(SESSION_KEY, None)
    else:
        remember_language(language)
    if easy_read:
        remember_easy_read(True)
    else:
        session.pop(EASY_READ_KEY, None)


def wants_easy_read() -> bool:
    return bool(session.get(EASY_READ_KEY, False))


def current_language() -> str:
    """The language of this request's page, or of `flask_babel.force_locale` where a
    message is written in another (English outside a request, and on staff pages)."""
    if not has_request_context():
        return DEFAULT
    code = str(get_locale() or DEFAULT)
    return code if is_language(code) else DEFAULT


def select_language() -> str:
    """Flask-Babel's locale selector. Staff pages: English. A young person's or parent's
    page: `?lang=` (remembered), then the session, then English.

    An unknown `?lang=` falls back to the language already chosen (or English), and the
    page shows the language switch as it always does.
    """
    if not is_family_page():
        language = DEFAULT
    else:
        asked = request.args.get("lang")
        if is_language(asked):
            remember_language(asked)
        chosen = session.get(SESSION_KEY)
        language = chosen if is_language(chosen) else DEFAULT
    g.language = language
    return language


def _here() -> str:
    """This page's path and query, without `lang=` (the choice is made on the next page)."""
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "lang"])
    return request.path + (f"?{query}" if query else "")


def language_page_url() -> str:
    """The top bar's link: the list of languages, coming back to this page."""
    return url_for("language.choose", next=_here())


bp = Blueprint("language", __name__)


@bp.before_request
def _family_page():
    from feedback.security import mark_young_person_page

    mark_young_person_page()


@bp.route("/language")
@public
def choose():
    back = safe_next(request.args.get("next")) or url_for("young.start")
    links = [
        (language, url_for("language.use", code=language.code, next=back))
        for language in LANGUAGES.values()
    ]
    return render_template("young/language.html", links=links, back=back)


@bp.route("/language/<code>")
@public
def use(code: str):
    """Keep the language chosen and go back to the page the person was on. An unknown
    code changes nothing."""
    if len(code) > 16:
        abort(404)
    remember_language(code)
    return redirect(safe_next(request.args.get("next")) or url_for("young.start"))


# Dates and durations in words, in the page's language


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def day_in_words(value: date | datetime) -> str:
    """ "Friday 4 December" in English; the same day in the page's language."""
    return format_date(_as_date(value), "EEEE d MMMM")


def date_in_words(value: date | datetime) -> str:
    """ "4 December 2026" in English; the same date in the page's language."""
    return format_date(_as_date(value), "d MMMM y")


def day_names(width: str = "wide") -> list[str]:
    """Monday to Sunday (Python's numbering of the days) in the page's language, from the
    locale's own data: "Monday"..., or "Mon"... with width="abbreviated"."""
    from babel.dates import get_day_names

    names = get_day_names(width, locale=current_language())
    return [names[number] for number in range(7)]


def minutes_in_words(minutes: int) -> str:
    """15 -> "15 minutes", 120 -> "2 hours", in the page's language."""
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(num)d hour", "%(num)d hours", hours)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)


# <html dir="...">: the GOV.UK page template sets `lang` from `htmlLang` but has no
# setting for the direction, so its one `<html ...>` line gains `dir` from `htmlDir`.
GOVUK_HTML_TAG = "<html lang=\"{{ htmlLang | default('en', true) }}\""
WITH_DIRECTION = GOVUK_HTML_TAG + " dir=\"{{ htmlDir | default('ltr', true) }}\""


class GovukTemplateLoader(PackageLoader):
    """govuk-frontend-jinja's templates, with `dir` on the page template's `<html>`."""

    def __init__(self) -> None:
        super().__init__("govuk_frontend_jinja")

    def get_source(self, environment: Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        if template == "template.html":
            if GOVUK_HTML_TAG not in source:
                raise RuntimeError(
                    f"{filename}: no `{GOVUK_HTML_TAG}` to add the page's direction to"
                )
            source = source.replace(GOVUK_HTML_TAG, WITH_DIRECTION, 1)
        return source, filename, uptodate


def govuk_loader() -> BaseLoader:
    return GovukTemplateLoader()


def compile_catalogues(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile each language's .po file whose .mo is missing or older, as `make
    translations` does (fuzzy entries left out), for a run that did not start with make
    (`pytest` alone). Each .mo is written whole and then renamed into place, so that
    processes compiling at once never read half a file. Returns the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        with partial.open("wb") as target:
            write_mo(target, catalog)
        os.replace(partial, mo)
        written.append(mo)
    return written


def init_app(app: Flask) -> None:
    Babel(
        app,
        locale_selector=select_language,
        default_translation_directories=str(TRANSLATIONS),
    )
    app.register_blueprint(bp)
    app.add_template_global(language_page_url)
    app.add_template_global(staff_gettext, "s_")
    app.add_template_global(staff_ngettext, "sn_")
    app.add_template_filter(day_in_words, "app_day")
    app.add_template_filter(date_in_words, "app_date")
    app.add_template_filter(minutes_in_words, "app_duration")

    @app.context_processor
    def languages() -> dict[str, object]:
        return {
            "languages": LANGUAGES,
            "current_language": LANGUAGES[current_language()],
        }
