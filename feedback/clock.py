"""The one clock: the time now, in UTC without a zone, as every table keeps it.

Every view, command and service that needs "now" asks here (services take `now` as an
argument from their caller, so that tests and the demo history can give any time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    return now().date()
