"""Form fields shared by several features."""

from __future__ import annotations

from datetime import datetime

from wtforms import DateField


class DayMonthYearField(DateField):
    """A date typed into three boxes (the GOV.UK date input), always as three parts.

    The widget expects exactly day, month and year; a post with fewer (or none) must be
    an error message, not a crash.
    """

    def __init__(self, *args, invalid_message: str = "Enter a real date", **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        parts = [str(v).strip() for v in list(valuelist)[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        if not any(parts):
            self.data = None
            return
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1000:
                raise ValueError
            self.data = datetime(year, month, day).date()
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None
