"""A live server on loopback and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from datetime import date

import pytest
from werkzeug.serving import make_server

from feedback import create_app, db

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

    def invite(self, reference: str = "CS-BROWSER", questionnaire: str = "checkin") -> str:
        """A fresh case (or the existing one) and a live invitation link for it."""
        from feedback.cases.services import CaseDetails, find_case, open_case
        from feedback.invitations.services import issue_invitation
        from feedback.staff import services as staff
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
                    password="a long password!",
                    team_codes=["north"],
                )
            )
            case = find_case(session, reference) or open_case(
                session,
                CaseDetails(reference, "JB", date(2010, 2, 2), team.id, ("missing",)),
                worker,
                utcnow(),
            )
            issued = issue_invitation(
                session,
                case,
                secret=self.app.config["SECRET_KEY"],
                questionnaire_code=questionnaire,
                questionnaire_version=1,
                created_by_id=worker.id,
                now=utcnow(),
                days=14,
            )
            session.commit()
            return f"{self.url}/r/{issued.token}"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from sqlalchemy import create_engine

    import feedback.models  # noqa: F401
    from feedback.db import Base
    from outcomes.store import OutcomesBase

    path = tmp_path_factory.mktemp("live") / "live.sqlite"
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
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    # "Leave this site" must not reach out of this machine in a test.
    app.config["EXIT_URL"] = f"{base}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(base, app)
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system` (scripts/system-deps.sh)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A new browser context the size of a small phone; closing it is closing the browser."""
    contexts = []

    def open_phone(javascript: bool = True):
        context = browser.new_context(
            viewport={"width": 375, "height": 667},
            java_script_enabled=javascript,
            is_mobile=True,
            has_touch=False,
        )
        contexts.append(context)
        return context

    yield open_phone
    for context in contexts:
        context.close()
