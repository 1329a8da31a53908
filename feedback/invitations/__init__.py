"""Invitations: the links and codes young people answer by."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from feedback.cases.services import case_closed, case_reopened, family_contact_removed
    from feedback.invitations import report
    from feedback.invitations.services import withdraw_links_for_contact, withdraw_links_of

    # A closed case's check-in links stop working, and a reopened case's exit link.
    case_closed.connect(withdraw_links_of)
    case_reopened.connect(withdraw_links_of)
    # A removed parent or carer's link stops working.
    family_contact_removed.connect(withdraw_links_for_contact)
    # The monthly report's sections on endings: closures, and exit interviews.
    sections = app.config.setdefault("REPORT_SECTIONS", [])
    sections.extend([report.closures_section, report.exit_interviews_section])
