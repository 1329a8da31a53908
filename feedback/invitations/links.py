"""The addresses a young person is given, made outside a request (the command line, the
demo seed, messages): the app's BASE_URL, not the address of a request."""

from __future__ import annotations

from flask import current_app, url_for


def young_person_link(token: str) -> str:
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return url_for("young.open_link", token=token, _external=True)


def young_person_start() -> str:
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return url_for("young.start", _external=True)
