"""Responses: drafts, answers and sending, for every questionnaire."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from feedback.invitations.services import link_issued
    from feedback.responses.services import carry_over_draft

    link_issued.connect(carry_over_draft)
