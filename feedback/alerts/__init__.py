"""Safeguarding alerts: the detector's hits raised for the practitioner and the duty
manager, handled step by step, escalated when nobody acknowledges them in time."""

from __future__ import annotations

import os

from flask import Flask, flash, has_request_context, request

from feedback.responses import services as responses

# Shown on the young person's next page after a flagged answer: plain words, no details.
YOUNG_PERSON_HELP = (
    "You told us something that worries us. A manager will read it today and your worker "
    "will be in touch. If you are in danger now, call 999. You can talk to Childline any "
    "time, free, on 0800 1111."
)


def _tell_the_young_person(outcome) -> None:
    if outcome.worth_telling and has_request_context() and request.blueprint == "young":
        flash(YOUNG_PERSON_HELP, "safeguarding")


def answer_hook(session, response, question, value, now) -> None:
    from feedback.alerts import services

    outcome = services.check_answer(session, response, question, value, now)
    _tell_the_young_person(outcome)


def submit_hook(session, response, questionnaire, case, context, now, result) -> None:
    from feedback.alerts import services

    outcome = services.check_response(session, response, questionnaire, now)
    result.hooks["alert"] = outcome.alert.id if outcome.alert is not None else None
    _tell_the_young_person(outcome)


def _category_label(code: str) -> str:
    from feedback.safeguarding.detector import load_phrases

    return load_phrases().labels.get(code, code)


def init_app(app: Flask) -> None:
    from feedback.alerts import cli, routes, services
    from feedback.staff.access import STAFF

    app.config.setdefault(
        "ALERT_ESCALATE_AFTER_MINUTES", int(os.environ.get("ALERT_ESCALATE_AFTER_MINUTES", "120"))
    )
    # The hook lists live on a module, and tests build many apps: add each hook once.
    if answer_hook not in responses.ANSWER_HOOKS:
        responses.ANSWER_HOOKS.append(answer_hook)
    if submit_hook not in responses.SUBMIT_HOOKS:
        responses.SUBMIT_HOOKS.append(submit_hook)
    app.register_blueprint(routes.bp)
    app.jinja_env.filters["app_alert_category"] = _category_label
    cli.init_app(app)
    app.config.setdefault("STAFF_NAV", []).append(
        ("Safeguarding alerts", "alerts.list_alerts", STAFF)
    )
    app.config.setdefault("REPORT_SECTIONS", []).append(services.report_section)
