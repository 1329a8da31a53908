"""The addresses a young person is given, made outside a request (the command line, the
demo seed, messages): the app's BASE_URL, not the address of a request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app, url_for

if TYPE_CHECKING:
    from feedback.invitations.services import IssuedInvitation


def young_person_link(token: str) -> str:
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return url_for("young.open_link", token=token, _external=True)


def young_person_start() -> str:
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return url_for("young.start", _external=True)


def link_lines(issued: IssuedInvitation, link_label: str = "Link") -> list[str]:
    """A new link as the command line prints it: the link, the code, when it runs out."""
    return [
        f"{link_label}: {young_person_link(issued.token)}",
        f"Code: {issued.display_code}  (type it at {young_person_start()})",
        f"Expires: {issued.invitation.expires_at:%d %B %Y}",
    ]
