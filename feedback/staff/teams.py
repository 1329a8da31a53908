"""Teams: made, renamed and retired by admins. A retired team takes no new cases and
is left out of pickers; its cases, figures and history stay. Services flush; callers
commit; every change is audited."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedback.audit.services import record
from feedback.i18n import s_
from feedback.staff.models import Team, User
from feedback.staff.services import StaffError

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
MAX_NAME = 100


def _name(session: Session, name: str, *, other_than: Team | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise StaffError(s_("Enter the team's name"), "name")
    if len(name) > MAX_NAME:
        raise StaffError(
            s_("The team's name must be %(num)d characters or fewer", num=MAX_NAME), "name"
        )
    same = session.scalar(select(Team).where(func.lower(Team.name) == name.lower()))
    if same is not None and same is not other_than:
        raise StaffError(
            s_("There is already a team called %(name)s (retired)", name=same.name)
            if same.retired_at
            else s_("There is already a team called %(name)s", name=same.name),
            "name",
        )
    return name


def new_team(session: Session, name: str, code: str, *, by: User, now: datetime) -> Team:
    name = _name(session, name)
    code = (code or "").strip().lower()
    if not CODE.match(code):
        raise StaffError(
            s_("The team's code must be lower-case letters, digits and hyphens, like north-east"),
            "code",
        )
    if session.scalar(select(Team).where(Team.code == code)):
        raise StaffError(s_("There is already a team with the code %(code)s", code=code), "code")
    team = Team(code=code, name=name)
    session.add(team)
    session.flush()
    record(
        session,
        actor=by,
        action="team-created",
        target=f"team {code}",
        detail={"name": name},
        at=now,
    )
    return team


def rename_team(session: Session, team: Team, name: str, *, by: User, now: datetime) -> None:
    name = _name(session, name, other_than=team)
    if name == team.name:
        return
    before, team.name = team.name, name
    session.flush()
    record(
        session,
        actor=by,
        action="team-renamed",
        target=f"team {team.code}",
        detail={"before": before, "after": name},
        at=now,
    )


def set_retired(session: Session, team: Team, retired: bool, *, by: User, now: datetime) -> None:
    if (team.retired_at is not None) == retired:
        return
    team.retired_at = now if retired else None
    session.flush()
    record(
        session,
        actor=by,
        action="team-retired" if retired else "team-reinstated",
        target=f"team {team.code}",
        detail={"name": team.name},
        at=now,
    )
