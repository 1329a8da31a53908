"""`flask demo seed`: teams, staff, cases, a year of history and one live invitation.

Safe to run twice: what exists is left alone, and each run prints a fresh live link.
The history (see `feedback.demo.history`) is made once, the first time.
"""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask import current_app
from sqlalchemy import func, select

import feedback
from feedback import db
from feedback.cases.models import Case
from feedback.cases.services import (
    CaseDetails,
    ContactDetails,
    add_family_contact,
    find_case,
    open_case,
)
from feedback.clock import now
from feedback.demo.history import FIRST_REFERENCE, REFERENCE_PREFIX, seed_history
from feedback.invitations.links import young_person_link, young_person_start
from feedback.invitations.models import Invitation
from feedback.invitations.services import issue_invitation
from feedback.responses.models import Response
from feedback.staff import services as staff
from feedback.staff.models import User
from outcomes.questionnaires import get_questionnaire

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo, never for real use
TEAMS = [
    ("north", "North team"),
    ("central", "Central team"),
    ("south", "South team"),
]
STAFF = [
    ("practitioner@example.org", "Sam Practitioner", "practitioner", ["north"]),
    ("practitioner.central@example.org", "Chris Practitioner", "practitioner", ["central"]),
    ("practitioner.south@example.org", "Alex Practitioner", "practitioner", ["south"]),
    ("manager@example.org", "Jo Manager", "manager", ["north", "central"]),
    ("admin@example.org", "Pat Admin", "admin", []),
]
CASES = [
    ("DEMO-0001", "J", date(2010, 5, 14), "girl", "north", ("sexual-exploitation", "missing")),
    ("DEMO-0002", "T", date(2009, 1, 3), "boy", "north", ("criminal-exploitation",)),
    ("DEMO-0003", "K", date(2011, 9, 21), None, "south", ("serious-youth-violence",)),
]
# Invented people, on numbers and addresses set aside for drama and examples.
FAMILY = {
    "DEMO-0001": ContactDetails("Dee Example", "Mum", phone="020 7946 0001"),
    "DEMO-0002": ContactDetails("Ray Example", "Dad", email="ray@example.org"),
    "DEMO-0003": ContactDetails(
        "Ann Example", "Foster carer", phone="0113 496 0002", language="pl"
    ),
}

demo_group = click.Group("demo", help="Demo data for trying the app out.")


@demo_group.command("seed")
@click.option(
    "--young-people",
    type=click.IntRange(min=0),
    default=None,
    help="Young people in the synthetic history, made the first time only "
    "(default: DEMO_HISTORY_YOUNG_PEOPLE, or 300; 0 for none).",
)
def seed(young_people: int | None) -> None:
    """Create demo teams, staff, cases and history, and print one live young person link."""
    session = db.session()
    for code, name in TEAMS:
        if staff.find_team(session, code) is None:
            staff.create_team(session, code, name)
    for email, name, role, teams in STAFF:
        if session.scalar(select(User).where(User.email == email)) is None:
            staff.create_user(
                session, email=email, name=name, role=role, password=DEMO_PASSWORD, team_codes=teams
            )
    for reference, label, dob, gender, team, strands in CASES:
        if find_case(session, reference) is None:
            team_row = staff.find_team(session, team)
            owner = next(u for u in team_row.members if u.role == "practitioner")
            case = open_case(
                session,
                CaseDetails(reference, label, dob, team_row.id, strands, gender),
                owner,
                now() - timedelta(days=60),
            )
            # Each demo case has a parent or carer, for the family exit interview.
            add_family_contact(
                session, case, FAMILY[reference], by=None, now=now() - timedelta(days=60)
            )
    if young_people is None:
        young_people = int(current_app.config.get("DEMO_HISTORY_YOUNG_PEOPLE", 300))
    if young_people and find_case(session, FIRST_REFERENCE) is None:
        seed_history(
            session,
            pseudonym_key=current_app.config["PSEUDONYM_KEY"].encode(),
            secret=current_app.config["SECRET_KEY"],
            now=now(),
            young_people=young_people,
            invitation_days=current_app.config["INVITATION_DAYS"],
            # The two invented disclosures only where there is an alerts page to show them.
            disclosures="feedback.alerts" in feedback.FEATURES,
        )

    case = find_case(session, "DEMO-0001")
    # Earlier demo links that were never used are retired, so exactly one is live.
    for old in session.scalars(
        select(Invitation).where(Invitation.case_id == case.id, Invitation.used_at.is_(None))
    ):
        old.expires_at = min(old.expires_at, now())
    q = get_questionnaire("checkin")
    issued = issue_invitation(
        session,
        case,
        secret=current_app.config["SECRET_KEY"],
        questionnaire_code=q.code,
        questionnaire_version=q.version,
        created_by_id=case.practitioner_id,
        now=now(),
        days=current_app.config["INVITATION_DAYS"],
    )
    session.commit()
    click.echo("Demo data is ready.\n")
    click.echo(f"Staff sign-in (password for all: {DEMO_PASSWORD}):")
    for email, _name, role, _teams in STAFF:
        click.echo(f"  {role:<13} {email}")
    click.echo("\nA young person's check-in:")
    click.echo(f"  Link: {young_person_link(issued.token)}")
    click.echo(f"  Code: {issued.display_code}  (type it at {young_person_start()})")
    click.echo(f"\nCases: {session.scalar(select(func.count(Case.id)))}")
    history = Case.reference.startswith(REFERENCE_PREFIX)
    people = session.scalar(select(func.count(Case.id)).where(history))
    checkins = session.scalar(
        select(func.count(Response.id))
        .join(Case, Case.id == Response.case_id)
        .where(history, Response.status == "submitted")
    )
    click.echo(f"History: {people} young people, {checkins} check-ins over the last 12 months")
