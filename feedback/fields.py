"""Form fields shared by several features."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from feedback.i18n import DEFAULT, LANGUAGES, is_language
from feedback.staff.widgets import CheckboxInput, Select


def whole_number(text: str | None, most: int) -> int | None:
    """The whole number a person typed, from 0 to `most`, or None for anything else.

    Only the ASCII digits 0 to 9 count: Python's `str.isdigit` and `int` also take "²" and
    other scripts' digits, some of which `int` then refuses; and a number longer than
    `most` is refused before it can overflow a date or a database column."""
    text = (text or "").strip()
    if not text or len(text) > len(str(most)) or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= most else None


class DayMonthYearField(DateField):
    """A date typed into three boxes (the GOV.UK date input), always as three parts.

    The widget expects exactly day, month and year; a post with fewer (or none) must be
    an error message, not a crash.
    """

    def __init__(self, *args, invalid_message: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a real date")

    def process_formdata(self, valuelist):
        parts = [str(v).strip() for v in list(valuelist)[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        if not any(parts):
            self.data = None
            return
        day, month, year = (
            whole_number(p, most) for p, most in zip(parts, (31, 12, 9999), strict=True)
        )
        try:
            if day is None or month is None or year is None or year < 1000:
                raise ValueError
            self.data = datetime(year, month, day).date()
        except ValueError:
            self.data = None
            raise ValueError(str(self.invalid_message)) from None


class LanguageSelect(Select):
    """A GOV.UK select whose options carry their own attributes (`lang`, `dir`), so each
    language's name is read out in that language."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        attributes = {str(value): kw for value, _label, _selected, kw in field.iter_choices()}
        for item in params["items"]:
            item["attributes"] = attributes.get(str(item["value"]), {})
        return params


class LanguageField(SelectField):
    """The language a young person's or parent's pages and messages are in: each shipped
    language named in itself. Anything else is a kind error on the form, never a 500."""

    widget = LanguageSelect()

    def __init__(self, label: str, *, message: str = "Choose a language from the list", **kw):
        choices = [
            SelectChoice(
                language.code,
                language.name,
                render_kw={"lang": language.code, "dir": language.direction},
            )
            for language in LANGUAGES.values()
        ]
        super().__init__(label, choices=choices, default=DEFAULT, **kw)
        self.message = message

    def pre_validate(self, form) -> None:
        if not is_language(self.data):
            raise ValidationError(self.message)


def easy_read_field(label: str = "Use the easy-read version") -> BooleanField:
    """Whether the young person's or parent's pages are the easy-read version."""
    return BooleanField(
        label,
        description="Short sentences, one idea at a time, with a picture for each answer",
        widget=CheckboxInput(),
    )
