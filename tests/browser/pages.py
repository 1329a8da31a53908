"""The staff pages every role sees, for the tests that read them all (axe in the browser,
the staff words through the test client)."""

from __future__ import annotations

from tests.browser.site import ADMIN, MANAGER, PRACTITIONER

# Staff pages as each role sees them: (endpoint, arguments). An argument "@name" is the
# site's value of that name (a case, an alert...); others go as they are, and those the
# route does not take go in the query string.
ANYONE = [
    ("staff.index", {}),
    ("staff.sign_in", {}),
    ("staff.set_password", {"token": "@token"}),
]
PRACTITIONER_PAGES = [
    ("cases.list_cases", {}),
    ("cases.new_case", {}),
    ("cases.show", {"case_id": "@case_id"}),
    ("cases.show", {"case_id": "@closed_case_id"}),
    ("cases.close", {"case_id": "@case_id"}),
    ("cases.add_contact", {"case_id": "@case_id"}),
    ("outcomes.record_facts", {"case_id": "@case_id"}),
    ("alerts.list_alerts", {}),
    ("alerts.show", {"alert_id": "@alert_id"}),
    ("requests.list_requests", {}),
    ("staff.your_codes", {}),
    ("staff.your_sessions", {}),
]
MANAGER_PAGES = [
    ("staff.home", {}),
    ("dashboard.index", {}),
    ("dashboard.index", {"date_from": "@first_month", "date_to": "@report_month"}),
    ("dashboard.monthly_report", {"month": "@report_month"}),
    ("dashboard.monthly_report", {}),
    ("alerts.list_alerts", {}),
    ("alerts.show", {"alert_id": "@alert_id"}),
    ("requests.list_requests", {}),
    ("requests.show", {"request_id": "@request_id"}),
    ("requests.notes", {}),
    ("staff.your_codes", {}),
    ("staff.your_sessions", {}),
]
ADMIN_PAGES = [
    ("staff.home", {}),
    ("cases.list_cases", {}),
    ("cases.show", {"case_id": "@case_id"}),
    ("dashboard.index", {}),
    ("dashboard.monthly_report", {"month": "@report_month"}),
    ("alerts.list_alerts", {}),
    ("requests.list_requests", {}),
    ("requests.show", {"request_id": "@request_id"}),
    ("staff.staff_list", {}),
    ("staff.edit_member", {"user_id": "@user_id"}),
    ("staff.change_access", {"user_id": "@user_id"}),
    ("admin.reset_password", {"user_id": "@user_id"}),
    ("admin.reset_codes", {"user_id": "@user_id"}),
    ("admin.invite_member", {}),
    ("admin.teams_list", {}),
    ("admin.new_team", {}),
    ("admin.edit_team", {"team_id": "@team_id"}),
    ("admin.retire_team", {"team_id": "@team_id"}),
    ("admin.rota", {"team_id": "@team_id"}),
    ("admin.settings_page", {}),
    ("outcomes.framework_admin", {}),
    ("privacy.audit_log", {}),
]
STAFF_PAGES = {"practitioner": PRACTITIONER_PAGES, "manager": MANAGER_PAGES, "admin": ADMIN_PAGES}
EMAILS = {"practitioner": PRACTITIONER, "manager": MANAGER, "admin": ADMIN}
# Forms also checked with their errors showing, sent without an answer.
SENT_EMPTY = {
    "cases.new_case",
    "cases.close",
    "cases.add_contact",
    "outcomes.record_facts",
    "admin.invite_member",
    "admin.new_team",
}
