"""The one outbox: messages to staff (safeguarding alerts, and whatever else tells staff
something) and to young people and families (their links), written in the transaction
of what they tell of and delivered by `flask outbox send` through the configured sender.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from feedback.outbox import cli

    cli.init_app(app)
