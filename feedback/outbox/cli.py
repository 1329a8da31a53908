"""`flask outbox send`: hand waiting messages to the configured sender."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app

from feedback import db
from feedback.clock import now
from feedback.outbox.senders import SenderSettingError, make_sender

outbox_group = click.Group(
    "outbox", help="Messages waiting to go: to staff, young people, families."
)


@outbox_group.command("send")
@click.option("--once", is_flag=True, help="Send what is due now and stop (for cron).")
@click.option(
    "--every",
    type=click.IntRange(min=1),
    default=None,
    help="Seconds between looks at the outbox (default OUTBOX_POLL_SECONDS).",
)
def outbox_send(once: bool, every: int | None) -> None:
    """Send waiting messages with OUTBOX_SENDER, trying again with growing waits; keep
    looking for new ones until stopped, or with --once, stop when none is due."""
    from feedback.outbox import services

    config = current_app.config
    try:
        sender = make_sender(config, echo=click.echo)
    except SenderSettingError as error:
        raise click.ClickException(str(error)) from error
    policy = services.Policy.from_config(config)
    wait = every or int(config.get("OUTBOX_POLL_SECONDS", 10))
    session = db.session()
    try:
        while True:
            done = services.deliver(session, sender, clock=now, policy=policy)
            if once or done.sent or done.retrying or done.dead or done.cancelled:
                click.echo(done.summary())
            if once:
                return
            time.sleep(wait)
    except KeyboardInterrupt:
        # A message claimed when stopped is sent by the next run once its lease is over.
        click.echo("Stopped.")


def init_app(app: Flask) -> None:
    app.cli.add_command(outbox_group)
