"""Commands: tell duty managers of overdue requests (from cron)."""

from __future__ import annotations

import click
from flask import Flask

from feedback import db
from feedback.clock import now

talk_group = click.Group("talk", help="Requests to speak to a manager.")


@talk_group.command("overdue")
def overdue() -> None:
    """Tell the duty manager of each request not contacted in time. Run it from cron."""
    from feedback.talk import services

    told = services.notify_overdue(db.session(), now())
    db.session().commit()
    click.echo(f"{len(told)} overdue request(s); the duty managers have been told.")


def init_app(app: Flask) -> None:
    app.cli.add_command(talk_group)
