"""`flask cases`: close a case (printing its exit interview link) and reopen it."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app

from feedback import db
from feedback.cases import services
from feedback.cases.models import CLOSURE_REASONS
from feedback.clock import now
from feedback.invitations import services as invitations
from feedback.invitations.links import link_lines

cases_group = click.Group("cases", help="Cases: closing and reopening.")


def _case(reference: str):
    case = services.find_case(db.session(), reference)
    if case is None:
        raise click.ClickException(f"There is no case with the reference {reference!r}.")
    return case


@cases_group.command("close")
@click.argument("reference")
@click.option(
    "--reason",
    required=True,
    type=click.Choice(list(CLOSURE_REASONS)),
    help="Why the case is closing.",
)
@click.option(
    "--date",
    "closed_on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The closure date, YYYY-MM-DD; today if not given.",
)
@click.option("--no-exit", is_flag=True, help="Do not make an exit interview link.")
@click.option(
    "--family-contact",
    "family_contacts",
    multiple=True,
    metavar="NAME;RELATIONSHIP;PHONE-OR-EMAIL",
    help="A parent or carer to keep with the case and invite to the family exit "
    "interview; repeat for several.",
)
@click.option(
    "--family", is_flag=True, help="Invite every parent or carer already kept with the case too."
)
def close(
    reference: str,
    reason: str,
    closed_on,
    no_exit: bool,
    family_contacts: tuple[str, ...],
    family: bool,
) -> None:
    """Close the case REFERENCE and print the exit interview links and codes it made."""
    moment = now()
    case = _case(reference)
    day: date = closed_on.date() if closed_on else moment.date()
    try:
        invited = list(case.family_contacts) if family else []
        for text in family_contacts:
            invited.append(
                services.add_family_contact(
                    db.session(), case, services.parse_contact_option(text), by=None, now=moment
                )
            )
        services.close_case(db.session(), case, reason=reason, closed_on=day, by=None, now=moment)
    except services.CaseError as error:
        db.session().rollback()
        raise click.ClickException(f"{error}.") from error
    links = invitations.invite_to_exit(
        db.session(),
        case,
        young_person=not no_exit,
        contacts=invited,
        config=current_app.config,
        created_by_id=None,
        now=moment,
    )
    db.session().commit()
    lines = [f"Closed case {case.reference} on {day:%d %B %Y}: {CLOSURE_REASONS[reason]}."]
    if links.young_person is not None:
        lines += link_lines(links.young_person, "Exit interview link")
    for contact, each in links.family:
        lines += link_lines(
            each, f"Family exit interview for {contact.name} ({contact.relationship})"
        )
    for line in lines:
        click.echo(line)


@cases_group.command("reopen")
@click.argument("reference")
def reopen(reference: str) -> None:
    """Reopen the closed case REFERENCE on a re-referral."""
    case = _case(reference)
    try:
        referral = services.reopen_case(db.session(), case, by=None, now=now())
    except services.CaseError as error:
        db.session().rollback()
        raise click.ClickException(f"{error}.") from error
    db.session().commit()
    click.echo(f"Reopened case {case.reference}: referral {referral.number}.")
