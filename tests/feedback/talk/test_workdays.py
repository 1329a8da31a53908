"""Working days: weekends and the bank holidays of England and Wales do not count."""

from __future__ import annotations

from datetime import datetime

from feedback.talk.workdays import add_working_days

ASKED = datetime(2026, 12, 24, 15, 0)
DUE = datetime(2026, 12, 29, 15, 0)


def test_working_days_skip_weekends_and_bank_holidays():
    assert add_working_days(ASKED, 1) == DUE
    assert add_working_days(datetime(2026, 12, 4, 14, 0), 1) == datetime(2026, 12, 7, 14, 0)
    # Asked on a Saturday: by the end of Monday.
    assert add_working_days(datetime(2026, 12, 5, 11, 0), 1) == datetime(2026, 12, 8)
    # A day-only time counts from the end of its day.
    assert add_working_days(datetime(2026, 12, 4), 1, day_only=True) == datetime(2026, 12, 8)
    assert add_working_days(ASKED, 2) == datetime(2026, 12, 30, 15, 0)
