"""Every endpoint, requested as every kind of visitor, against a table of what each may do.

A new endpoint fails this test until it is added to the table, and a change to who may
reach something fails it until the table says so too. The visitors: nobody signed in, a
practitioner of the case's team and one of another team, a manager of the team and one
of another team, an admin, and a young person holding a live link.
"""

from __future__ import annotations

from datetime import date

import pytest

from feedback.alerts.models import Alert
from feedback.cases.models import FamilyContact
from feedback.talk.models import TalkRequest
from tests.conftest import utcnow
from tests.feedback.staff import Browser

pytestmark = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)

VISITORS = (
    "anonymous",
    "practitioner",
    "other-practitioner",
    "manager",
    "other-manager",
    "admin",
    "young",
)

# What each visitor gets: "ok" is a page or a redirect within what they may do (any
# status below 400 but a redirect to sign in), "sign-in" a redirect to sign in, 400 the
# form back with a message (every request sends an empty form), 403 a role that may not,
# 404 someone whose team or cases it is not (so that its existence is not told either).
# Young people's pages are open to everyone: without a live link in the browser they
# say how to start, and show nothing of anyone's.
OK, SIGN_IN = "ok", "sign-in"


ADMIN_ONLY = (SIGN_IN, 403, 403, 403, 403, OK, SIGN_IN)
ADMIN_FORM = (SIGN_IN, 403, 403, 403, 403, 400, SIGN_IN)
EVERYONE_SIGNS_IN = (SIGN_IN,) * 7

TABLE: dict[tuple[str, str], tuple] = {
    # (endpoint, method): (anonymous, practitioner, other practitioner, manager,
    #                      other manager, admin, young person)
    ("admin.edit_team", "GET"): ADMIN_ONLY,
    ("admin.edit_team", "POST"): ADMIN_FORM,
    ("admin.invite_member", "GET"): ADMIN_ONLY,
    ("admin.invite_member", "POST"): ADMIN_FORM,
    ("admin.new_team", "GET"): ADMIN_ONLY,
    ("admin.new_team", "POST"): ADMIN_FORM,
    ("admin.reset_codes", "GET"): ADMIN_ONLY,
    ("admin.reset_codes", "POST"): ADMIN_FORM,
    ("admin.reset_password", "GET"): ADMIN_ONLY,
    ("admin.reset_password", "POST"): ADMIN_FORM,
    ("admin.retire_team", "GET"): ADMIN_ONLY,
    ("admin.retire_team", "POST"): ADMIN_FORM,
    ("admin.rota", "GET"): ADMIN_ONLY,
    # An empty form keeps the rota it had (none).
    ("admin.rota", "POST"): ADMIN_ONLY,
    ("admin.settings_page", "GET"): ADMIN_ONLY,
    # An empty form keeps every setting as it was.
    ("admin.settings_page", "POST"): ADMIN_ONLY,
    ("admin.teams_list", "GET"): ADMIN_ONLY,
    ("alerts.acknowledge", "POST"): (SIGN_IN, OK, 404, OK, 404, OK, SIGN_IN),
    ("alerts.close", "POST"): (SIGN_IN, 403, 404, OK, 404, OK, SIGN_IN),
    ("alerts.list_alerts", "GET"): (SIGN_IN, OK, OK, OK, OK, OK, SIGN_IN),
    ("alerts.show", "GET"): (SIGN_IN, OK, 404, OK, 404, OK, SIGN_IN),
    ("alerts.take_action", "POST"): (SIGN_IN, 400, 404, 400, 404, 400, SIGN_IN),
    ("cases.add_contact", "GET"): (SIGN_IN, OK, 404, 403, 403, 403, SIGN_IN),
    ("cases.add_contact", "POST"): (SIGN_IN, 400, 404, 403, 403, 403, SIGN_IN),
    ("cases.close", "GET"): (SIGN_IN, OK, 404, 403, 403, 403, SIGN_IN),
    ("cases.close", "POST"): (SIGN_IN, 400, 404, 403, 403, 403, SIGN_IN),
    ("cases.invite", "POST"): (SIGN_IN, OK, 404, 403, 403, 403, SIGN_IN),
    ("cases.list_cases", "GET"): (SIGN_IN, OK, OK, 403, 403, OK, SIGN_IN),
    ("cases.new_case", "GET"): (SIGN_IN, OK, OK, 403, 403, 403, SIGN_IN),
    ("cases.new_case", "POST"): (SIGN_IN, 400, 400, 403, 403, 403, SIGN_IN),
    # Reopening the open case says it is open already, and changes nothing.
    ("cases.reopen", "POST"): (SIGN_IN, OK, 404, 403, 403, 403, SIGN_IN),
    ("cases.remove_contact", "POST"): (SIGN_IN, OK, 404, 403, 403, 403, SIGN_IN),
    ("cases.show", "GET"): (SIGN_IN, OK, 404, 403, 403, OK, SIGN_IN),
    ("cases.withdraw_invitation", "POST"): (SIGN_IN, OK, 404, 403, 403, 403, SIGN_IN),
    ("dashboard.export", "GET"): (SIGN_IN, 403, 403, OK, OK, OK, SIGN_IN),
    ("dashboard.index", "GET"): (SIGN_IN, 403, 403, OK, OK, OK, SIGN_IN),
    ("dashboard.monthly_report", "GET"): (SIGN_IN, 403, 403, OK, OK, OK, SIGN_IN),
    ("dashboard.report_export", "GET"): (SIGN_IN, 403, 403, OK, OK, OK, SIGN_IN),
    ("dashboard.report_pdf", "GET"): (SIGN_IN, 403, 403, OK, OK, OK, SIGN_IN),
    # An empty form saves no commentary for last month's report and goes back to it.
    ("dashboard.save_commentary", "POST"): (SIGN_IN, 403, 403, OK, OK, OK, SIGN_IN),
    ("goals.your_goals", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    # Choosing a language: open to everyone, and changes only the browser's own session.
    ("language.choose", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("language.use", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("goals.your_goals", "POST"): (OK, OK, OK, OK, OK, OK, OK),
    ("outcomes.framework_admin", "GET"): (SIGN_IN, 403, 403, 403, 403, OK, SIGN_IN),
    ("outcomes.record_facts", "GET"): (SIGN_IN, OK, 404, 403, 403, 403, SIGN_IN),
    ("outcomes.record_facts", "POST"): (SIGN_IN, 400, 404, 403, 403, 403, SIGN_IN),
    ("privacy.audit_log", "GET"): (SIGN_IN, 403, 403, 403, 403, OK, SIGN_IN),
    # Requests to speak to a manager: the practitioner's own case's request is hidden from
    # them (404) until shared; a manager shares it (then the admin finds it shared: 400).
    ("requests.contacted", "POST"): (SIGN_IN, 403, 403, 400, 404, 400, SIGN_IN),
    ("requests.list_requests", "GET"): (SIGN_IN, OK, OK, OK, OK, OK, SIGN_IN),
    ("requests.notes", "GET"): (SIGN_IN, 403, 403, OK, OK, OK, SIGN_IN),
    ("requests.notes", "POST"): (SIGN_IN, 403, 403, 400, 400, 400, SIGN_IN),
    ("requests.resolve", "POST"): (SIGN_IN, 403, 403, 400, 404, 400, SIGN_IN),
    ("requests.share", "POST"): (SIGN_IN, 403, 403, OK, 404, 400, SIGN_IN),
    ("requests.show", "GET"): (SIGN_IN, 404, 404, OK, 404, OK, SIGN_IN),
    ("staff.change_access", "GET"): (SIGN_IN, 403, 403, 403, 403, OK, SIGN_IN),
    ("staff.change_access", "POST"): (SIGN_IN, 403, 403, 403, 403, 400, SIGN_IN),
    ("staff.edit_member", "GET"): (SIGN_IN, 403, 403, 403, 403, OK, SIGN_IN),
    ("staff.edit_member", "POST"): (SIGN_IN, 403, 403, 403, 403, 400, SIGN_IN),
    ("staff.home", "GET"): (SIGN_IN, OK, OK, OK, OK, OK, SIGN_IN),
    # Practitioners may set up sign-in codes (an empty form is refused); managers and
    # admins have them, and may make new recovery codes.
    ("staff.new_recovery_codes", "POST"): (SIGN_IN, 400, 400, OK, OK, OK, SIGN_IN),
    # A link to set a password that is not one: the same for everyone.
    ("staff.set_password", "GET"): (404,) * 7,
    ("staff.set_password", "POST"): (404,) * 7,
    # The second step of signing in, with no password typed first, starts again.
    ("staff.set_up_codes", "GET"): EVERYONE_SIGNS_IN,
    ("staff.set_up_codes", "POST"): EVERYONE_SIGNS_IN,
    ("staff.sign_in_code", "GET"): EVERYONE_SIGNS_IN,
    ("staff.sign_in_code", "POST"): EVERYONE_SIGNS_IN,
    ("staff.index", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("staff.sign_in", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("staff.sign_in", "POST"): (OK, OK, OK, OK, OK, OK, OK),
    ("staff.sign_out", "POST"): (SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN),
    ("staff.sign_out_everywhere", "POST"): (
        SIGN_IN,
        SIGN_IN,
        SIGN_IN,
        SIGN_IN,
        SIGN_IN,
        SIGN_IN,
        SIGN_IN,
    ),
    ("staff.staff_list", "GET"): (SIGN_IN, 403, 403, 403, 403, OK, SIGN_IN),
    ("staff.your_codes", "GET"): (SIGN_IN, OK, OK, OK, OK, OK, SIGN_IN),
    ("staff.your_codes", "POST"): (SIGN_IN, 400, 400, OK, OK, OK, SIGN_IN),
    ("staff.your_sessions", "GET"): (SIGN_IN, OK, OK, OK, OK, OK, SIGN_IN),
    ("static", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("talk.open_link", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("talk.question", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("talk.question", "POST"): (OK, OK, OK, OK, OK, OK, 400),
    ("talk.sent", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("talk.start", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("talk.start", "POST"): (400, 400, 400, 400, 400, 400, 400),
    ("talk.you_said_we_did", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.accessibility", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.check", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.check", "POST"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.done", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.enter_pin", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.enter_pin", "POST"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.help_contacts", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.leave", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.open_link", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.question", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.question", "POST"): (OK, OK, OK, OK, OK, OK, 400),
    ("young.set_pin", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.set_pin", "POST"): (OK, OK, OK, OK, OK, OK, 400),
    ("young.start", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.start", "POST"): (400, 400, 400, 400, 400, 400, 400),
    ("young.stop", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.support", "GET"): (OK, OK, OK, OK, OK, OK, OK),
    ("young.welcome", "GET"): (OK, OK, OK, OK, OK, OK, OK),
}


def _outcome(response) -> object:
    if response.status_code in (301, 302, 303) and "/sign-in" in response.location:
        return SIGN_IN
    if response.status_code < 400:
        return OK
    return response.status_code


@pytest.fixture
def world(app, session, make_user, make_case, make_invitation):
    """The north team's case, link and alert, and a client signed in as each visitor."""
    staff = {
        "practitioner": make_user("practitioner", teams=("north",)),
        "other-practitioner": make_user("practitioner", teams=("south",)),
        "manager": make_user("manager", teams=("north",)),
        "other-manager": make_user("manager", teams=("south",)),
        "admin": make_user("admin", teams=()),
    }
    case = make_case(practitioner=staff["practitioner"], dob=date(2010, 6, 1))
    target = make_invitation(case=case, questionnaire=("service-feedback", 1))
    now = utcnow()
    alert = Alert(
        case_id=case.id,
        team_id=case.team_id,
        level="worrying",
        state="new",
        categories="threats",
        texts_json="[]",
        raised_at=now,
        updated_at=now,
    )
    session.add(alert)
    contact = FamilyContact(
        case_id=case.id,
        name="Sam Parent",
        relationship="Mum",
        phone="+447700900982",
        language="en",
        created_at=now,
    )
    session.add(contact)
    # A request to speak to a manager about the practitioner's own case: not shared.
    talk = TalkRequest(
        team_id=case.team_id,
        case_id=case.id,
        about="could-be-better",
        contact="worker",
        state="new",
        created_at=now,
        due_at=now,
    )
    session.add(talk)
    session.commit()
    young_case = make_case(practitioner=staff["practitioner"])
    link_case = make_case(practitioner=staff["practitioner"])
    # Each request with an app context of its own: nothing of one visitor's is left in `g`.
    clients = {"anonymous": Browser(app)}
    for name, user in staff.items():
        clients[name] = Browser(app)
        assert clients[name].sign_in(user).status_code == 302
    clients["young"] = Browser(app)
    clients["young"].get(f"/r/{make_invitation(case=young_case).token}")
    values = {
        "case_id": case.id,
        "invitation_id": target.invitation.id,
        "alert_id": alert.id,
        "contact_id": contact.id,
        "token": make_invitation(case=link_case).token,
        "question_id": "feel-safe",
        "name": "all",
        "fmt": "csv",
        # A built file, by its hashed name (static/manifest.json, from npm run build).
        "filename": app.extensions["assets"].names()["css/application.css"],
        "user_id": staff["practitioner"].id,
        "request_id": talk.id,
        "step": "about",
        "team_id": case.team_id,
        "code": "pl",
    }
    return clients, values


# Requests that may end the visitor's session go last, so each keeps theirs until then.
LAST = (
    "young.open_link",
    "staff.sign_in",
    "staff.sign_out",
    "staff.sign_out_everywhere",
    "young.leave",
    "young.stop",
)


def _requests(app, values):
    adapter = app.url_map.bind("localhost")
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint in LAST, r.rule))
    for rule in rules:
        url = adapter.build(rule.endpoint, {name: values[name] for name in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def observe(app, clients, values) -> dict[tuple[str, str], tuple]:
    seen: dict[tuple[str, str], list] = {}
    for visitor in VISITORS:
        client = clients[visitor]
        for endpoint, method, url in _requests(app, values):
            response = client.open(url, method, data={})
            seen.setdefault((endpoint, method), []).append(_outcome(response))
    return {key: tuple(outcomes) for key, outcomes in seen.items()}


def test_every_endpoint_against_the_table(app, world):
    observed = observe(app, *world)
    assert not any(o >= 500 for row in observed.values() for o in row if isinstance(o, int))
    assert sorted(set(observed) - set(TABLE)) == [], "endpoints missing from the table"
    assert sorted(set(TABLE) - set(observed)) == [], "the table names endpoints that are gone"
    differences = {
        key: dict(zip(VISITORS, outcomes, strict=True))
        for key, outcomes in observed.items()
        if outcomes != TABLE[key]
    }
    assert differences == {}
