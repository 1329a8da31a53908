"""Working days: Monday to Friday, less the bank holidays of England and Wales.

The service standard for a request to speak to a manager counts working days; the bank
holidays come from the `holidays` library (pinned, so a year's list never changes under
a running service).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales share their bank holidays ("ENG" has the same as "WLS").
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(moment: datetime, days: int, *, day_only: bool = False) -> datetime:
    """When something asked for at `moment` is due, `days` working days later.

    Asked on a working day, it is due at the same time `days` working days on (Friday
    at 2pm, one day: Monday at 2pm). Asked on a weekend or bank holiday, the count starts
    at the end of that day. A time kept to the day only (anonymous requests) counts from
    the end of its day, so the standard is never shorter than it would have been."""
    day = moment.date()
    if day_only or not is_working_day(day):
        start = datetime.combine(day, time()) + timedelta(days=1)
        day, at = start.date(), time()
        # From midnight at the end of the day: the first working day then counts whole.
        while not is_working_day(day):
            day += timedelta(days=1)
        days -= 1
        for _ in range(max(days, 0)):
            day = next_working_day(day)
        return datetime.combine(day + timedelta(days=1), at)
    for _ in range(days):
        day = next_working_day(day)
    return datetime.combine(day, moment.time())
