"""A site with demo data on a server of its own, for the tests that walk every page: the
demo's teams, cases and a few months of check-ins, and beside them one of everything a
page can show (a check-in with a worrying answer and its alert, a request to speak to a
manager, a closed case with a family member invited to the exit interview, a "you said,
we did" note, a month for the report with enough young people to show figures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from tests.browser.conftest import LiveServer
from tests.conftest import start_of_month, utcnow

WORRYING = "my stepdad hits me"
PRACTITIONER = "walk.practitioner@example.org"
MANAGER = "walk.manager@example.org"
ADMIN = "walk.admin@example.org"
# A manager who has not set up sign-in codes yet: signing in asks them to.
NEW_MANAGER = "walk.new.manager@example.org"


@dataclass
class Site:
    server: LiveServer
    values: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def link(
        self, questionnaire: str = "checkin", *, family: bool = False, language: str = "en"
    ) -> str:
        """A live link to a new case's check-in, or (family) to the family exit interview
        of a closed case, in `language` as the practitioner chose it."""
        from feedback.cases.services import (
            CaseDetails,
            ContactDetails,
            add_family_contact,
            close_case,
            open_case,
        )
        from feedback.invitations.services import issue_invitation
        from feedback.staff.models import User

        def make(session):
            worker = session.scalar(select(User).where(User.email == PRACTITIONER))
            number = len(self.values.setdefault("links", [])) + 1
            case = open_case(
                session,
                CaseDetails(
                    f"WALK-{number:04d}", "JB", date(2010, 2, 2), worker.teams[0].id, ("missing",)
                ),
                worker,
                utcnow(),
            )
            contact = None
            if family:
                contact = add_family_contact(
                    session,
                    case,
                    ContactDetails("Ann Parent", "Mum", phone="07911 123456"),
                    by=worker,
                    now=utcnow(),
                )
                close_case(
                    session,
                    case,
                    reason="planned",
                    closed_on=utcnow().date(),
                    by=None,
                    now=utcnow(),
                )
            issued = issue_invitation(
                session,
                case,
                secret=self.server.app.config["SECRET_KEY"],
                questionnaire_code=questionnaire,
                questionnaire_version=1,
                created_by_id=worker.id,
                now=utcnow(),
                days=14,
                contact=contact,
                language=language,
            )
            session.commit()
            self.values["links"].append(issued.token)
            return f"{self.url}/r/{issued.token}"

        return self.server.query(make)


def build_site(server: LiveServer) -> Site:
    site = Site(server)
    app = server.app
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo", "seed", "--young-people", "8"])
        assert result.exit_code == 0, result.output
    for role, email in (
        ("practitioner", PRACTITIONER),
        ("manager", MANAGER),
        ("admin", ADMIN),
    ):
        server.staff(role, email, teams=() if role == "admin" else ("north", "central"))
    server.staff("manager", NEW_MANAGER, enrol=False)
    server.query(lambda session: _everything_a_page_shows(site, session))
    return site


def _everything_a_page_shows(site: Site, session) -> None:
    from feedback.alerts.models import Alert
    from feedback.cases.services import (
        CaseDetails,
        ContactDetails,
        add_family_contact,
        close_case,
        open_case,
    )
    from feedback.invitations.services import issue_invitation
    from feedback.responses.services import save_answer, start_or_resume, submit_response
    from feedback.staff.links import issue_link
    from feedback.staff.models import User
    from feedback.talk.services import make_request, publish_note
    from outcomes.questionnaires import get_questionnaire
    from tests.browser.journeys import ANSWERS
    from tests.feedback.dashboard import seed

    app = site.server.app
    now = utcnow()
    worker = session.scalar(select(User).where(User.email == PRACTITIONER))
    manager = session.scalar(select(User).where(User.email == MANAGER))
    newcomer = session.scalar(select(User).where(User.email == NEW_MANAGER))
    # A case of the practitioner's own (they see alerts on their own cases).
    case = open_case(
        session,
        CaseDetails("WALK-OPEN", "JB", date(2010, 5, 14), worker.teams[0].id, ("missing",)),
        worker,
        now - timedelta(days=60),
    )
    add_family_contact(
        session,
        case,
        ContactDetails("Ray Parent", "Dad", email="ray@example.org"),
        by=worker,
        now=now - timedelta(days=60),
    )

    def invite(for_case, code="checkin", contact=None):
        return issue_invitation(
            session,
            for_case,
            secret=app.config["SECRET_KEY"],
            questionnaire_code=code,
            questionnaire_version=1,
            created_by_id=worker.id,
            now=now,
            days=14,
            contact=contact,
        ).invitation

    # A check-in sent with a worrying answer: its answers on the case, and an alert.
    questionnaire = get_questionnaire("checkin")
    response = start_or_resume(session, invite(case), now)
    answers = {question_id: value for question_id, _kind, value in ANSWERS}
    answers["anything-else"] = WORRYING
    for question in questionnaire.questions:
        save_answer(session, response, question, answers[question.id], now)
    submit_response(session, response, pseudonym_key=app.config["PSEUDONYM_KEY"].encode(), now=now)
    session.flush()
    alert = session.scalar(select(Alert).where(Alert.case_id == case.id))
    assert alert is not None, "the worrying answer raised no alert"

    # A request to speak to a manager, about the same young person.
    talk = make_request(
        session,
        invite(case),
        {
            "about": "could-be-better",
            "contact": "phone",
            "phone": "07911 123456",
            "good_time": "evening",
            "message": "Meetings are always in school time",
        },
        now,
    ).request
    publish_note(
        session,
        manager,
        team_id=case.team_id,
        you_said="Meetings are always in school time",
        we_did="We now meet after school unless you ask otherwise",
        today=now.date(),
        now=now,
    )

    # A closed case whose parent was invited to the exit interview.
    closed = open_case(
        session,
        CaseDetails("WALK-CLOSED", "KT", date(2009, 4, 4), worker.teams[0].id, ("missing",)),
        worker,
        now - timedelta(days=200),
    )
    contact = add_family_contact(
        session,
        closed,
        ContactDetails("Dee Parent", "Mum", phone="07911 123457"),
        by=worker,
        now=now - timedelta(days=200),
    )
    close_case(session, closed, reason="planned", closed_on=now.date(), by=None, now=now)
    invite(closed, "exit-family", contact)

    # A month for the report with figures to show, themes and a quote.
    month = start_of_month(start_of_month(now) - timedelta(days=1))
    seed(
        session,
        [f"walk-{n}" for n in range(15)],
        when=month + timedelta(days=9),
        themes=(("listened-to", "positive"),),
        quote="My worker listens to me",
    )
    first = start_of_month(month - timedelta(days=150))

    site.values.update(
        case_id=case.id,
        closed_case_id=closed.id,
        alert_id=alert.id,
        request_id=talk.id,
        user_id=worker.id,
        report_month=month.strftime("%Y-%m"),
        first_month=first.strftime("%Y-%m"),
        team_id=case.team_id,
        # A link to set a password, as a new member of staff gets by email.
        token=issue_link(session, newcomer, "invite", by=None, now=now, hours=24),
    )
    session.commit()
