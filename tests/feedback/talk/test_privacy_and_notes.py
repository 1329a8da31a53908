"""A request's contact details go with retention and erasure; notes are public and safe."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from feedback.cases.services import close_case
from feedback.privacy.services import Retention, erase_case, purge
from feedback.talk import services
from feedback.talk.models import TalkRequest
from tests.conftest import utcnow
from tests.feedback.staff import Browser

ON_SQLITE = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)

RETENTION = Retention(draft_days=30, free_text_days=365, closed_case_days=365)


@ON_SQLITE
def test_erasing_a_case_deletes_its_requests(app, session, ask):
    _browser, case = ask()
    erase_case(session, case.reference, b"key", utcnow())
    session.commit()
    assert session.scalars(select(TalkRequest)).all() == []


@ON_SQLITE
def test_retention_removes_contact_details_and_words_and_keeps_the_count(app, session, ask):
    _browser, case = ask(message="Please ring me")
    talk = session.scalars(select(TalkRequest)).one()
    talk.state, talk.contacted_at, talk.resolved_at = "resolved", utcnow(), utcnow()
    talk.outcome = "Agreed new times"
    close_case(session, case, reason="planned", closed_on=date.today(), by=None, now=utcnow())
    session.commit()
    later = utcnow() + timedelta(days=400)
    counts = purge(session, RETENTION, later, apply=False)
    assert counts.talk_requests == 1
    purge(session, RETENTION, later, apply=True)
    session.commit()
    session.expire_all()
    kept = session.scalars(select(TalkRequest)).one()
    assert kept.phone is None and kept.case_id is None and kept.good_time is None
    assert kept.message == services.REMOVED and kept.outcome == services.REMOVED
    assert kept.about == "could-be-better"


def test_a_note_with_a_name_or_number_is_warned_of():
    check = services.check_note("Jordan said call 07911 123456 about Moss Lane")
    assert check.warnings and "phone" in check.warnings[0]
    assert services.check_note("Visits were at bad times").warnings == []
    assert services.check_note("Less grooming talk").refused


@ON_SQLITE
def test_a_manager_previews_publishes_and_the_public_page_shows_newest_first(
    app, session, team_staff
):
    manager = Browser(app)
    manager.sign_in(team_staff["manager"])
    preview = manager.post(
        "/you-said-we-did/manage",
        {
            "you_said": "Jordan wants evening visits",
            "we_did": "We offer them",
            "team": "service",
            "action": "preview",
        },
    )
    assert preview.status_code == 200 and "may name a person" in preview.get_data(as_text=True)
    empty = manager.post(
        "/you-said-we-did/manage", {"you_said": "", "team": "service", "action": "publish"}
    )
    assert empty.status_code == 400 and "Enter what young people" in empty.get_data(as_text=True)
    for said, day in (("Visits were at bad times", 1), ("Too many new workers", 2)):
        with time_machine.travel(datetime(2026, 11, day, 10, tzinfo=UTC), tick=False):
            manager = Browser(app)
            manager.sign_in(team_staff["manager"])
            response = manager.post(
                "/you-said-we-did/manage",
                {
                    "you_said": said,
                    "we_did": "We changed it",
                    "team": "service",
                    "action": "publish",
                },
            )
            assert response.status_code == 302
            assert response.location.endswith("/you-said-we-did/manage")
    page = Browser(app).get("/you-said-we-did").get_data(as_text=True)
    assert page.index("Too many new workers") < page.index("Visits were at bad times")
    assert "2 November 2026" in page


@ON_SQLITE
def test_a_practitioner_cannot_publish(app, team_staff):
    worker = Browser(app)
    worker.sign_in(team_staff["practitioner"])
    assert worker.get("/you-said-we-did/manage").status_code == 403
