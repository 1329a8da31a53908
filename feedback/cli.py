"""Command-line tasks. Each command commits once, at the end."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app

from feedback import db
from feedback.clock import now
from feedback.i18n import DEFAULT as DEFAULT_LANGUAGE
from feedback.i18n import LANGUAGES
from feedback.invitations.links import link_lines

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str, parts: tuple[str, ...] | None = None):
    """Alembic's settings for one database, and which parts of the schema it holds
    (`feedback.db.migrating`): both unless told."""
    from alembic.config import Config

    from feedback.db import PARTS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["parts"] = parts or PARTS
    return config


def migration_targets(url: str, store_url: str | None = None) -> list[tuple[str, tuple]]:
    """Each database and the parts of the schema it holds: one database with both, or
    the app's and the store's apart."""
    from feedback.db import same_database

    if not store_url or same_database(url, store_url):
        return [(url, ("app", "store"))]
    return [(url, ("app",)), (store_url, ("store",))]


def upgrade_database(url: str, revision: str = "head", *, store_url: str | None = None) -> None:
    """Apply the migrations to the app's database and, if it has one of its own, the
    store's; at the head, build the dashboard's summaries if the store has occasions but
    none were ever summed (a database from before the summaries)."""
    from alembic import command
    from sqlalchemy import exists, select
    from sqlalchemy.orm import Session

    from feedback.db import make_engine
    from outcomes import store

    for target, parts in migration_targets(url, store_url):
        command.upgrade(alembic_config(target, parts), revision)
    if revision != "head":
        return
    engine = make_engine(store_url or url)
    try:
        with Session(engine) as session:
            if session.scalar(
                select(exists().where(store.Occasion.id.is_not(None)))
            ) and not session.scalar(select(exists().where(store.Person.id.is_not(None)))):
                store.rebuild_summaries(session)
                session.commit()
    finally:
        engine.dispose()


db_group = click.Group("db", help="The database.")


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply the Alembic migrations."""
    from feedback.db import analytics_url

    upgrade_database(
        current_app.config["DATABASE_URL"], revision, store_url=analytics_url(current_app.config)
    )
    click.echo("Database is up to date.")


users_group = click.Group("users", help="Staff accounts.")


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", default=None, help="Defaults to the part of the email before @.")
@click.option("--role", required=True, type=click.Choice(["practitioner", "manager", "admin"]))
@click.option("--team", "teams", multiple=True, help="Team code; repeat for several teams.")
@click.password_option("--password", prompt=True, confirmation_prompt=True)
def users_create(email: str, name: str | None, role: str, teams: tuple[str, ...], password: str):
    """Create a staff account."""
    from feedback.staff import services

    try:
        user = services.create_user(
            db.session(),
            email=email,
            name=name or email.split("@")[0],
            role=role,
            password=password,
            team_codes=list(teams),
        )
    except services.StaffError as error:
        raise click.ClickException(str(error)) from error
    db.session().commit()
    click.echo(f"Created {user.role} {user.email}.")


@users_group.command("set-password")
@click.option("--email", required=True)
@click.password_option("--password", prompt=True, confirmation_prompt=True)
def users_set_password(email: str, password: str):
    """Give a staff account a new password; every browser signed in as it is signed out."""

    from feedback.staff import services

    user = services.find_user(db.session(), email)
    if user is None:
        raise click.ClickException(f"there is no staff account with the email {email}")
    try:
        services.set_password(db.session(), user, password, by=None)
    except services.StaffError as error:
        raise click.ClickException(str(error)) from error
    db.session().commit()
    click.echo(f"New password set for {user.email}; their sessions have ended.")


@users_group.command("reset-codes")
@click.option("--email", required=True)
def users_reset_codes(email: str):
    """Reset a staff account's sign-in codes (a lost phone, or the only admin's): they set
    them up again at their next sign-in, and every browser signed in as it is signed out."""
    from feedback.staff import mfa, services

    user = services.find_user(db.session(), email)
    if user is None:
        raise click.ClickException(f"there is no staff account with the email {email}")
    mfa.reset(db.session(), user, by=None, now=now())
    db.session().commit()
    click.echo(f"Sign-in codes reset for {user.email}; their sessions have ended.")


@click.command("invite")
@click.option("--case", "reference", required=True, help="The case reference.")
@click.option("--questionnaire", default="checkin", show_default=True)
@click.option(
    "--contact",
    "contact_number",
    type=click.IntRange(min=1),
    default=None,
    help="For exit-family: which parent or carer of the case, 1 for the first (the default).",
)
@click.option(
    "--language",
    type=click.Choice(list(LANGUAGES)),
    default=DEFAULT_LANGUAGE,
    show_default=True,
    help="The language of the pages.",
)
@click.option("--easy-read", is_flag=True, help="Show the easy-read version.")
def invite(
    reference: str, questionnaire: str, contact_number: int | None, language: str, easy_read: bool
) -> None:
    """Make an invitation for a case and print its link and code."""
    from feedback.cases.services import find_case
    from feedback.invitations import services as invitations
    from outcomes.questionnaires import get_questionnaire

    case = find_case(db.session(), reference)
    if case is None:
        raise click.ClickException(f"There is no case with the reference {reference!r}.")
    try:
        q = get_questionnaire(questionnaire)
    except KeyError as error:
        raise click.ClickException(str(error)) from error
    contact = None
    if q.answered_by == "family":
        contacts = case.family_contacts
        number = contact_number or 1
        if number > len(contacts):
            raise click.ClickException(
                f"Case {case.reference} has {len(contacts)} parent or carer contact(s); "
                f"there is no number {number}."
            )
        contact = contacts[number - 1]
    elif contact_number is not None:
        raise click.ClickException("--contact is only for the exit-family questionnaire.")
    try:
        issued = invitations.invite(
            db.session(),
            case,
            q,
            config=current_app.config,
            created_by_id=None,
            now=now(),
            contact=contact,
            language=language,
            easy_read=easy_read,
        )
    except invitations.InvitationError as error:
        raise click.ClickException(f"{error}.") from error
    db.session().commit()
    if contact is not None:
        click.echo(f"For: {contact.name} ({contact.relationship})")
    for line in link_lines(issued):
        click.echo(line)


def read_json_lines(stream) -> list:
    return [json.loads(line) for line in stream if line.strip()]


def echo_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def init_app(app: Flask) -> None:
    from feedback.cases.cli import cases_group
    from feedback.demo.cli import demo_group

    app.cli.add_command(db_group)
    app.cli.add_command(users_group)
    app.cli.add_command(invite)
    app.cli.add_command(cases_group)
    app.cli.add_command(demo_group)
