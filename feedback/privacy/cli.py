"""Commands: the retention purge (from cron) and erasing a case on request."""

from __future__ import annotations

import click
from flask import Flask, current_app

from feedback import db
from feedback.clock import now

retention_group = click.Group("retention", help="Keeping identifiable data no longer than needed.")


@retention_group.command("purge")
@click.option("--apply", is_flag=True, help="Remove the data. Without it, only say what would go.")
def retention_purge(apply: bool) -> None:
    """Remove identifiable data past its retention period (a dry run unless --apply).
    Anonymised measurements in the analytical store are always kept."""
    from feedback.privacy import services
    from feedback.settings.services import current

    retention = services.Retention.from_config(current(db.session(), current_app.config))
    counts = services.purge(db.session(), retention, now(), apply=apply)
    click.echo("Removed:" if apply else "Would remove (dry run; use --apply to remove):")
    for line in counts.lines():
        click.echo(f"  {line}")
    if apply:
        db.session().commit()
    else:
        db.session().rollback()


@click.command("erase-case")
@click.argument("reference")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_case(reference: str, yes: bool) -> None:
    """Erase a young person's case: identifiable data and their measurements."""
    from feedback.privacy import services

    if not yes:
        click.confirm(
            f"This removes case {reference} and everything about it, including its "
            "measurements. It cannot be undone. Carry on?",
            abort=True,
        )
    try:
        erased = services.erase_case(
            db.session(), reference, current_app.config["PSEUDONYM_KEY"].encode(), now()
        )
    except services.NoSuchCase as error:
        raise click.ClickException(f"There is no case with the reference {reference!r}.") from error
    db.session().commit()
    click.echo(
        f"Erased the case, {erased.responses} response(s), {erased.invitations} invitation(s), "
        f"{erased.alerts} alert(s) and {erased.occasions} set(s) of measurements."
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(retention_group)
    app.cli.add_command(erase_case)
