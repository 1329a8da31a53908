"""A manager's commentary on a month's report, kept with the month and the teams it covers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from feedback.db import Base

EVERY_TEAM = "*"


def teams_key(teams: tuple[str, ...] | None) -> str:
    """The teams a report covers as one value: "*" for every team, else their codes."""
    return EVERY_TEAM if teams is None else ",".join(sorted(teams))


class ReportCommentary(Base):
    """What the manager says about a month: plain text, one for each month and teams."""

    __tablename__ = "report_commentary"
    __table_args__ = (UniqueConstraint("month", "teams", name="uq_report_commentary_month_teams"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    teams: Mapped[str] = mapped_column(String(500))  # teams_key
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
