"""Commands: the duty manager, escalation (from cron), and the detector (the outbox's
command is `feedback.outbox.cli`)."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask

from feedback import db
from feedback.clock import now
from feedback.safeguarding.detector import (
    PhraseFileError,
    example_problems,
    load_phrases,
    scan_to_json,
)

alerts_group = click.Group("alerts", help="Safeguarding alerts.")


@alerts_group.command("set-duty")
@click.option("--team", "team_code", required=True, help="The team's code.")
@click.option("--email", required=True, help="The duty manager's email address.")
def set_duty(team_code: str, email: str) -> None:
    """Make a manager the team's duty manager: new alerts go to them."""
    from feedback.alerts import services

    try:
        duty = services.set_duty_manager(db.session(), team_code, email)
    except services.AlertError as error:
        raise click.ClickException(str(error)) from error
    db.session().commit()
    click.echo(f"{duty.user.email} is now the duty manager of {team_code}.")


@alerts_group.command("escalate")
def escalate() -> None:
    """Escalate alerts nobody has acknowledged in time. Run it from cron."""
    from feedback.alerts import services

    escalated = services.escalate_overdue(db.session(), now())
    db.session().commit()
    click.echo(f"Escalated {len(escalated)} alert(s).")


safeguarding_group = click.Group("safeguarding", help="The disclosure detector.")
phrases_option = click.option(
    "--phrases",
    "phrases_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="A phrase file to use instead of the default.",
)


def _book(path: str | None):
    try:
        return load_phrases(path)
    except PhraseFileError as error:
        raise click.ClickException(str(error)) from error


@safeguarding_group.command("scan")
@phrases_option
def safeguarding_scan(phrases_path: str | None) -> None:
    """Read one message a line on stdin; print one JSON object a line."""
    book = _book(phrases_path)
    stream = click.get_text_stream("stdin")
    for line in stream:
        message = line.rstrip("\r\n")
        if not message.strip():
            continue
        sys.stdout.write(json.dumps(scan_to_json(book.scan(message)), ensure_ascii=False) + "\n")
    sys.stdout.flush()


@safeguarding_group.command("check")
@phrases_option
def safeguarding_check(phrases_path: str | None) -> None:
    """Check that every example in the phrase file behaves as the file says."""
    book = _book(phrases_path)
    problems = example_problems(book)
    for problem in problems:
        click.echo(problem)
    if problems:
        raise click.ClickException(f"{len(problems)} example(s) do not behave as the file says.")
    click.echo(f"All examples of {len(book.entries)} phrases behave as the file says.")


def init_app(app: Flask) -> None:
    app.cli.add_command(alerts_group)
    app.cli.add_command(safeguarding_group)
