"""The one way to read the settings an admin may change: a stored value, else config's.

Services flush; callers commit. Each change is audited with the value before and after.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, g, has_app_context, has_request_context
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.audit.services import record
from feedback.config import YOUNG_PERSON_UNSAID, YOUNG_PERSON_UNSAID_IN
from feedback.i18n import DEFAULT, LANGUAGES, current_language, s_, sl_
from feedback.settings.models import Setting

# A retention period of more than a century is a slip of the keyboard, not a policy.
MAX_DAYS = 36_500
PHONE = re.compile(r"^\+?[0-9][0-9 ]{1,18}[0-9]$")
ASCII_DIGITS = re.compile(r"^[0-9]+$")


class SettingError(ValueError):
    """A value that cannot be kept: the message is fit to show the admin (in the staff
    catalogue, with the field's label in it)."""


def _text(max_length: int, *, required: bool = True) -> Callable[[str, str], str]:
    def check(label: str, value: str) -> str:
        value = " ".join(value.split())
        if required and not value:
            raise SettingError(s_("Enter the %(label)s", label=label.lower()))
        if len(value) > max_length:
            raise SettingError(
                s_("%(label)s must be %(num)d characters or fewer", label=label, num=max_length)
            )
        return value

    return check


def _young_name(label: str, value: str, language: str = DEFAULT) -> str:
    value = _text(60)(label, value)
    unsaid = YOUNG_PERSON_UNSAID + YOUNG_PERSON_UNSAID_IN.get(language, ())
    said = [w for w in unsaid if w in value.lower()]
    if said:
        words = ", ".join(f"“{w}”" for w in said)
        raise SettingError(
            s_(
                "%(label)s is shown to young people, whose phones others may see: leave out "
                "%(words)s",
                label=label,
                words=words,
            )
        )
    return value


def _phone(*, required: bool) -> Callable[[str, str], str]:
    def check(label: str, value: str) -> str:
        value = " ".join(value.split())
        if not value and not required:
            return ""
        if not PHONE.match(value):
            raise SettingError(
                s_("%(label)s must be a phone number, like 0300 123 4567", label=label)
            )
        return value

    return check


def _days(label: str, value: str) -> str:
    value = value.strip()
    # ASCII digits only: "²" is a digit to Python's isdigit but no number of days.
    if not ASCII_DIGITS.match(value):
        raise SettingError(s_("%(label)s must be a whole number of days, like 365", label=label))
    days = int(value)
    if not 1 <= days <= MAX_DAYS:
        raise SettingError(
            s_("%(label)s must be between 1 and %(max)s days", label=label, max=f"{MAX_DAYS:,}")
        )
    return str(days)


@dataclass(frozen=True)
class Field:
    """A setting. Its label, hint and group are in the staff catalogue, translated where
    they are shown (str())."""

    key: str
    label: object
    check: Callable[[str, str], str]
    hint: object = ""
    group: object = ""


HELP_LINES = sl_("Help lines")
RETENTION = sl_("Retention")
FIELDS = (
    Field(
        "YOUNG_PERSON_SERVICE_NAME",
        sl_("Name young people see"),
        _young_name,
        sl_(
            "On every page and in every title a young person or parent sees. Say nothing of "
            "what the service is about: others may see their phone."
        ),
        sl_("Service"),
    ),
    Field("COUNCIL_HELP_NAME", sl_("Daytime help line name"), _text(100), group=HELP_LINES),
    Field(
        "COUNCIL_HELP_PHONE",
        sl_("Daytime help line number"),
        _phone(required=True),
        group=HELP_LINES,
    ),
    Field(
        "COUNCIL_HELP_TEXT",
        sl_("Daytime text number (optional)"),
        _phone(required=False),
        group=HELP_LINES,
    ),
    Field("COUNCIL_HELP_HOURS", sl_("Daytime help line hours"), _text(200), group=HELP_LINES),
    Field("COUNCIL_OUT_OF_HOURS_NAME", sl_("Out of hours line name"), _text(100), group=HELP_LINES),
    Field(
        "COUNCIL_OUT_OF_HOURS_PHONE",
        sl_("Out of hours line number"),
        _phone(required=True),
        group=HELP_LINES,
    ),
    Field(
        "COUNCIL_OUT_OF_HOURS_HOURS", sl_("Out of hours line hours"), _text(200), group=HELP_LINES
    ),
    Field(
        "RETENTION_DRAFT_DAYS",
        sl_("Unsent drafts, in days"),
        _days,
        sl_("Answers a young person started and never sent."),
        RETENTION,
    ),
    Field(
        "RETENTION_FREE_TEXT_DAYS",
        sl_("Written answers, in days"),
        _days,
        sl_("The words of sent answers; the scores stay."),
        RETENTION,
    ),
    Field(
        "RETENTION_CLOSED_CASE_DAYS",
        sl_("Closed cases, in days"),
        _days,
        sl_("What identifies a young person, once their case has closed."),
        RETENTION,
    ),
)
BY_KEY = {f.key: f for f in FIELDS}
_CACHE = "service_settings"
_KEPT = "settings_kept"
_CHANGED = "settings_changed"
_STORED = select(Setting.key, Setting.value)

# The words young people see that an admin may also give in each shipped language other
# than English: stored as "<key>:<language>"; empty means the English words.
YOUNG_WORDS = (
    "YOUNG_PERSON_SERVICE_NAME",
    "COUNCIL_HELP_NAME",
    "COUNCIL_HELP_HOURS",
    "COUNCIL_OUT_OF_HOURS_NAME",
    "COUNCIL_OUT_OF_HOURS_HOURS",
)
OTHER_LANGUAGES = tuple(language for code, language in LANGUAGES.items() if code != DEFAULT)


def in_language(key: str, language: str) -> str:
    """The stored key of a setting's words in a language: "COUNCIL_HELP_NAME:ur"."""
    return f"{key}:{language}"


def _optional(check: Callable[[str, str], str]) -> Callable[[str, str], str]:
    """The English setting's own check, for words that may be left empty."""

    def optional(label: str, value: str) -> str:
        value = " ".join(value.split())
        return check(label, value) if value else ""

    return optional


def _check_in(key: str, language: str) -> Callable[[str, str], str]:
    """A setting's check for its words in `language`: the English setting's, and for the
    name young people see, that language's words to leave out as well."""
    check = BY_KEY[key].check
    if check is _young_name:
        return functools.partial(_young_name, language=language)
    return check


TRANSLATED_FIELDS = tuple(
    Field(
        in_language(key, language.code),
        sl_(
            "%(setting)s in %(language)s",
            setting=BY_KEY[key].label,
            language=sl_(language.english_name),
        ),
        _optional(_check_in(key, language.code)),
        group=language.code,
    )
    for language in OTHER_LANGUAGES
    for key in YOUNG_WORDS
)
BY_KEY.update({f.key: f for f in TRANSLATED_FIELDS})


def defaults(config: Mapping) -> dict[str, str]:
    return {f.key: "" if config.get(f.key) is None else str(config[f.key]) for f in BY_KEY.values()}


def current(session: Session, config: Mapping | None = None) -> dict[str, str]:
    """Every setting: the stored value where an admin has set one, else config's. Read
    once a request, and kept by the process for `SETTINGS_KEPT_SECONDS` (5): every page a
    young person opens shows the service's name, and reading the settings cost a page
    more than the rest of its database work. A change made in this process shows on the
    next page; one made in another worker, within those seconds."""
    if has_request_context() and _CACHE in g:
        return g.get(_CACHE)
    config = config if config is not None else current_app.config
    kept = current_app.extensions.get(_KEPT) if has_app_context() else None
    if kept is not None and kept[0] > time.monotonic() and kept[1] is config:
        values = kept[2]
    else:
        values = defaults(config)
        for key, stored in session.execute(_STORED):
            if key in values:
                values[key] = stored
        if has_app_context() and not session.info.get(_CHANGED):
            seconds = float(current_app.config.get("SETTINGS_KEPT_SECONDS", 5))
            current_app.extensions[_KEPT] = (time.monotonic() + seconds, config, values)
    if has_request_context():
        setattr(g, _CACHE, values)
    return values


def _forget() -> None:
    if has_app_context():
        current_app.extensions.pop(_KEPT, None)
    if has_request_context():
        g.pop(_CACHE, None)


def value(session: Session, key: str) -> str:
    return current(session)[key]


def days(session: Session, key: str) -> int:
    return int(current(session)[key])


def young_words(session: Session, key: str, language: str | None = None) -> str:
    """The words a young person's page shows for a setting: those an admin gave in the
    page's language, else the English ones. Config's default English words (where no admin
    has changed them) are translated by the catalogue, where they are marked there (N_)."""
    page = current_language()
    language = language or page
    values = current(session)
    words = values.get(in_language(key, language), "")
    if words:
        return words
    english = values[key]
    if language == DEFAULT or not has_app_context() or english != current_app.config.get(key):
        return english
    if language == page:
        return gettext(english)
    with force_locale(language):
        return gettext(english)


def help_contacts(session: Session) -> list[dict]:
    """Who a young person can call or text: config's list, with the council's own lines
    as the settings say."""
    values = current(session)
    contacts = []
    for contact in current_app.config["HELP_CONTACTS"] if has_app_context() else []:
        prefix = contact.get("setting")
        if prefix:
            contact = {
                **contact,
                "name": young_words(session, f"{prefix}_NAME"),
                "call": values[f"{prefix}_PHONE"],
                "note": young_words(session, f"{prefix}_HOURS"),
            }
            if f"{prefix}_TEXT" in values:
                contact["text"] = values[f"{prefix}_TEXT"] or None
        contacts.append(contact)
    return contacts


def change_settings(
    session: Session, submitted: Mapping[str, str], *, by, now: datetime
) -> tuple[dict[str, str], dict[str, str]]:
    """Check every submitted value and keep the changed ones, or keep none.

    Returns (changes, errors): the keys changed with their new values, and a message for
    each value that cannot be kept (then nothing is changed)."""
    before = current(session)
    checked, errors = {}, {}
    for key, raw in submitted.items():
        field = BY_KEY.get(key)
        if field is None:
            continue
        try:
            checked[key] = field.check(str(field.label), raw or "")
        except SettingError as error:
            errors[key] = str(error)
    if errors:
        return {}, errors
    changes = {k: v for k, v in checked.items() if v != before[k]}
    for key, new in changes.items():
        setting = session.get(Setting, key)
        if setting is None:
            session.add(Setting(key=key, value=new, updated_at=now, updated_by_id=by.id))
        else:
            setting.value, setting.updated_at, setting.updated_by_id = new, now, by.id
        record(
            session,
            actor=by,
            action="setting-changed",
            target=f"setting {key}",
            detail={"before": before[key], "after": new},
            at=now,
        )
    session.flush()
    # Until this transaction ends, what it reads is not yet everybody's: keep none of it.
    if changes:
        session.info[_CHANGED] = True
    _forget()
    return changes, {}
