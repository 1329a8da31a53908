"""A live server on loopback and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pytest
from werkzeug.serving import make_server

from feedback import create_app, db
from tests.conftest import enrol_in_codes, next_code

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# The machine reaches no outside host: keep Chromium from trying.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@dataclass
class LiveServer:
    url: str
    app: object

    def invite(
        self,
        reference: str = "CS-BROWSER",
        questionnaire: str = "checkin",
        days: int = 14,
        with_code: bool = False,
    ):
        """A fresh case (or the existing one) and a live invitation link for it (and its
        code, with_code). A new link withdraws the case's earlier one."""
        from feedback.cases.services import CaseDetails, close_case, find_case, open_case
        from feedback.invitations.services import issue_invitation
        from feedback.staff import services as staff
        from outcomes.questionnaires import get_questionnaire
        from tests.conftest import utcnow

        with self.app.app_context():
            session = db.session()
            team = staff.find_team(session, "north") or staff.create_team(session, "north", "North")
            worker = (
                team.members[0]
                if team.members
                else staff.create_user(
                    session,
                    email="browser@example.org",
                    name="Browser Worker",
                    role="practitioner",
                    password=PASSWORD,
                    team_codes=["north"],
                )
            )
            case = find_case(session, reference) or open_case(
                session,
                CaseDetails(reference, "JB", date(2010, 2, 2), team.id, ("missing",)),
                worker,
                utcnow(),
            )
            if get_questionnaire(questionnaire).is_exit and case.status == "open":
                # An exit interview's link works once the case has closed.
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
                secret=self.app.config["SECRET_KEY"],
                questionnaire_code=questionnaire,
                questionnaire_version=1,
                created_by_id=worker.id,
                now=utcnow(),
                days=days,
            )
            session.commit()
            link = f"{self.url}/r/{issued.token}"
            return (link, issued.code) if with_code else link

    def staff(self, role: str, email: str, teams=("north",), enrol=None) -> str:
        """A member of staff (made once) who signs in with PASSWORD; returns the email.
        Managers and admins come with sign-in codes set up (enrol=False: not yet)."""
        from sqlalchemy import select

        from feedback.staff import services as staff
        from feedback.staff.models import User

        with self.app.app_context():
            session = db.session()
            for code in teams:
                staff.find_team(session, code) or staff.create_team(session, code, code.title())
            if session.scalar(select(User).where(User.email == email)) is None:
                user = staff.create_user(
                    session,
                    email=email,
                    name=f"{role.title()} {email[:5]}",
                    role=role,
                    password=PASSWORD,
                    team_codes=list(teams),
                )
                if enrol if enrol is not None else role != "practitioner":
                    enrol_in_codes(user)
            session.commit()
        return email

    def sign_in(self, page, email: str) -> None:
        page.goto(f"{self.url}/sign-in")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        if page.url.endswith("/sign-in/code"):
            page.fill("#code", next_code(self.app, self.user_id(email)))
            with page.expect_navigation():
                page.get_by_role("button", name="Continue").click()

    def user_id(self, email: str) -> int:
        from sqlalchemy import select

        from feedback.staff.models import User

        return self.query(
            lambda session: session.scalar(select(User.id).where(User.email == email))
        )

    def query(self, fn):
        """Run fn(session) in the app and return what it returns."""
        with self.app.app_context():
            return fn(db.session())


PASSWORD = "a long password!"


@contextmanager
def serving(path):
    """An app on a fresh SQLite database at path, served on a free loopback port."""
    from sqlalchemy import create_engine

    import feedback.models  # noqa: F401
    from feedback.db import Base
    from outcomes.store import OutcomesBase

    url = f"sqlite:///{path}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    OutcomesBase.metadata.create_all(engine)
    engine.dispose()
    app = create_app(
        {
            "APP_ENV": "testing",
            "DATABASE_URL": url,
            "SECRET_KEY": "browser-secret-browser-secret-0123456",
            "PSEUDONYM_KEY": "browser-pseudonym-browser-pseudonym-01",
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASHING": "cheapest",
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    # "Leave this site" must not reach out of this machine in a test.
    app.config["EXIT_URL"] = f"{base}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(base, app)
    finally:
        server.shutdown()
        db.dispose(app)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("live") / "live.sqlite") as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system` (scripts/system-deps.sh)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


# The smallest phone screen young people's pages are made for (an iPhone SE of 2016, and
# many cheap Android phones), and a common one.
SMALL_PHONE = {"width": 320, "height": 568}
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def phone(browser):
    """A new browser context the size of a small phone; closing it is closing the browser."""
    contexts = []

    def open_phone(javascript: bool = True, viewport: dict = SMALL_PHONE):
        context = browser.new_context(
            viewport=viewport,
            java_script_enabled=javascript,
            is_mobile=True,
            has_touch=False,
        )
        contexts.append(context)
        return context

    yield open_phone
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """A site of its own with demo data and one of everything a page can show (see
    tests/browser/site.py), shared by the tests that walk every page."""
    from tests.browser.site import build_site

    with serving(tmp_path_factory.mktemp("demo-site") / "site.sqlite") as server:
        yield build_site(server)
