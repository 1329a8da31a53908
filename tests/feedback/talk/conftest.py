from __future__ import annotations

import pytest

from tests.feedback.staff import Browser

WORRYING = "My stepdad hits me when he is drunk"


@pytest.fixture
def team_staff(make_user):
    """The north team's practitioner, manager and duty manager, and an admin."""
    return {
        "practitioner": make_user("practitioner"),
        "manager": make_user("manager"),
        "admin": make_user("admin", teams=()),
    }


@pytest.fixture
def ask(app, make_invitation, make_case, team_staff):
    """A young person asks to speak to a manager through their live check-in link:
    the answers of each page, then the message, which sends."""

    def run(
        about="could-be-better",
        contact="phone",
        phone="07911 123456",
        good_time="evening",
        message="I want a different time for my visits",
        case=None,
        questionnaire=("checkin", 1),
        browser=None,
    ):
        case = case or make_case(practitioner=team_staff["practitioner"])
        browser = browser or Browser(app)
        issued = make_invitation(case=case, questionnaire=questionnaire)
        assert browser.get(f"/talk/r/{issued.token}").status_code == 302
        assert browser.post("/talk/about", {"about": about}).status_code == 302
        data = {"contact": contact}
        if contact in ("phone", "text"):
            data["phone"] = phone
        elif contact == "trusted":
            data["trusted_person"] = "My aunt"
        assert browser.post("/talk/contact", data).status_code == 302, data
        if contact != "none":
            assert browser.post("/talk/time", {"good_time": good_time}).status_code == 302
        response = browser.post("/talk/message", {"message": message})
        assert response.status_code == 302 and response.location.endswith("/talk/sent")
        return browser, case

    return run
