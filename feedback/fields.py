"""Form fields shared by several features."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateField


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
