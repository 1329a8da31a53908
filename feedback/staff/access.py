"""Who may see and do what: the one place it is decided.

Views name the roles that may open them (`roles_required`, or `public` for young people's
pages and sign-in; a test walks the URL map to check). Which case, alert, team or export a
member of staff may reach is asked of the functions below, by views, services and
templates alike, and a test requests every endpoint as each kind of visitor against a
table of what each may do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Literal

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, true

if TYPE_CHECKING:
    from feedback.alerts.models import Alert
    from feedback.cases.models import Case
    from feedback.staff.models import User
    from feedback.talk.models import TalkRequest

PUBLIC_ATTR = "_public"
ROLES_ATTR = "_roles"

PRACTITIONER, MANAGER, ADMIN = "practitioner", "manager", "admin"
STAFF = (PRACTITIONER, MANAGER, ADMIN)
# The dashboard, its exports and the monthly report: figures about many young people.
MANAGERS = (MANAGER, ADMIN)
# The case list and case pages: admins read them to support; managers see teams' figures
# and alerts, not case records.
CASE_READERS = (PRACTITIONER, ADMIN)
# Opening cases, inviting young people and recording facts: the work with a young person.
CASE_WORKERS = (PRACTITIONER,)

AlertReach = Literal["every-team", "own-teams", "own-cases"]


def public(view: Callable) -> Callable:
    """Marks a view that anyone may open (young people's pages, sign-in)."""
    setattr(view, PUBLIC_ATTR, True)
    return view


def roles_required(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, ROLES_ATTR, roles)
        return wrapped

    return decorator


# --- teams and cases ----------------------------------------------------------------------


def sees_every_team(user: User) -> bool:
    return user.role == ADMIN


def may_see_team(user: User, team_id: int | None) -> bool:
    return sees_every_team(user) or (team_id is not None and team_id in user.team_ids)


def team_condition(user: User, team_column) -> ColumnElement[bool]:
    """`may_see_team` as SQL, for a query over rows with a team column."""
    if sees_every_team(user):
        return true()
    return team_column.in_(user.team_ids or {-1})


def may_read_cases(user: User) -> bool:
    return user.role in CASE_READERS


def may_see_case(user: User, case: Case) -> bool:
    return may_read_cases(user) and may_see_team(user, case.team_id)


def may_open_cases(user: User) -> bool:
    return user.role in CASE_WORKERS


def may_work_on_case(user: User, case: Case) -> bool:
    """Invite, withdraw links and record facts: a practitioner of the case's team, while
    the case is open."""
    return may_open_cases(user) and may_see_case(user, case) and case.status == "open"


def may_keep_family_contacts(user: User, case: Case) -> bool:
    """Add and remove a case's parent or carer contacts: a practitioner of the case's
    team, open case or closed (a family exit interview follows the closing)."""
    return may_open_cases(user) and may_see_case(user, case)


def may_close_case(user: User, case: Case) -> bool:
    """Close a case: a practitioner of the case's team, while it is open."""
    return may_work_on_case(user, case)


def may_reopen_case(user: User, case: Case) -> bool:
    """Reopen a closed case on a re-referral: a practitioner of the case's team."""
    return may_open_cases(user) and may_see_case(user, case) and case.status == "closed"


# --- alerts -------------------------------------------------------------------------------


def alert_reach(user: User) -> AlertReach:
    """Admins see every alert; managers their teams' (anonymous ones included);
    practitioners the alerts about the young people on their own cases."""
    if user.role == ADMIN:
        return "every-team"
    if user.role == MANAGER:
        return "own-teams"
    return "own-cases"


def may_see_alert(user: User, alert: Alert) -> bool:
    reach = alert_reach(user)
    if reach == "every-team":
        return True
    if reach == "own-teams":
        return alert.team_id is not None and alert.team_id in user.team_ids
    return alert.case is not None and alert.case.practitioner_id == user.id


def may_close_alert(user: User, alert: Alert) -> bool:
    """Closing is management oversight: a practitioner may acknowledge and act, not close."""
    return user.role in MANAGERS and may_see_alert(user, alert)


# --- requests to speak to a manager --------------------------------------------------------

TalkReach = Literal["every-team", "own-teams", "shared-with-me"]


def talk_reach(user: User) -> TalkReach:
    """Admins see every request; managers their teams' (anonymous ones included); a
    practitioner only the requests a manager has shared with them, never the ones about
    their own work otherwise."""
    if user.role == ADMIN:
        return "every-team"
    if user.role == MANAGER:
        return "own-teams"
    return "shared-with-me"


def talk_condition(user: User, request_model) -> ColumnElement[bool]:
    """`may_see_talk_request` as SQL, for a query over requests."""
    reach = talk_reach(user)
    if reach == "every-team":
        return true()
    if reach == "own-teams":
        return team_condition(user, request_model.team_id)
    return request_model.shared_with_id == user.id


def may_see_talk_request(user: User, talk: TalkRequest) -> bool:
    reach = talk_reach(user)
    if reach == "every-team":
        return True
    if reach == "own-teams":
        return talk.team_id is not None and talk.team_id in user.team_ids
    return talk.shared_with_id is not None and talk.shared_with_id == user.id


def may_handle_talk_request(user: User, talk: TalkRequest) -> bool:
    """Record contact and the outcome: a manager (or admin) who may see it."""
    return user.role in MANAGERS and may_see_talk_request(user, talk)


def may_share_talk_request(user: User, talk: TalkRequest) -> bool:
    """Share it with the young person's worker: only when they asked to be reached
    through their worker, as the request page promised them."""
    return (
        may_handle_talk_request(user, talk)
        and talk.contact == "worker"
        and talk.case is not None
        and talk.shared_with_id is None
    )


def may_publish_notes(user: User) -> bool:
    """Write "you said, we did" notes: managers (for their teams) and admins."""
    return user.role in MANAGERS


# --- figures ------------------------------------------------------------------------------


def dashboard_team_codes(user: User) -> tuple[str, ...] | None:
    """The teams whose figures a user may see: every team (None) for admins, their own
    for managers, none for anyone else."""
    if sees_every_team(user):
        return None
    if user.role == MANAGER:
        return tuple(sorted(t.code for t in user.teams))
    return ()


TEMPLATE_GLOBALS = {
    "may_open_cases": may_open_cases,
    "may_work_on_case": may_work_on_case,
    "may_close_case": may_close_case,
    "may_keep_family_contacts": may_keep_family_contacts,
    "may_reopen_case": may_reopen_case,
    "alert_reach": alert_reach,
    "talk_reach": talk_reach,
    "may_handle_talk_request": may_handle_talk_request,
    "may_share_talk_request": may_share_talk_request,
}
