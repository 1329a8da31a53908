"""What the benchmarks share: a throwaway app on SQLite (or a given database), a young
person's invitation link, and reading a young person's page the way a browser without
JavaScript does (its form, its links, the files it loads).

A young person is walked through a check-in by `answers_for(page)`: the first option of
every question (a face, "yes", the first of several), a sentence in a text box, and "no"
to quoting their words. Nothing here runs JavaScript, so a walk that reaches "Answers
sent" shows that the check-in needs none.
"""

from __future__ import annotations

import re
import secrets
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TEXT_ANSWER = "Things are going ok. My worker listens to me."
DONE_PATH = "/check-in/done"


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)  # radios and checkboxes
    boxes: list[str] = field(default_factory=list)  # checkbox names
    texts: list[str] = field(default_factory=list)  # textareas and text inputs


@dataclass
class Page:
    """What a page asks the browser to fetch, and the forms and links it offers."""

    url: str
    title: str = ""
    stylesheets: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # img src and link rel=icon
    forms: list[Form] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # text -> href


class _Reader(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.form: Form | None = None
        self.link: str | None = None
        self.link_text = ""
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        url = lambda name: urljoin(self.page.url, a[name])  # noqa: E731
        rel = a.get("rel", "").split()
        if tag == "title":
            self.in_title = True
        elif tag == "link" and "stylesheet" in rel:
            self.page.stylesheets.append(url("href"))
        elif tag == "link" and "icon" in rel:
            self.page.images.append(url("href"))
        elif tag == "script" and a.get("src"):
            self.page.scripts.append(url("src"))
        elif tag == "img" and a.get("src") and not a["src"].startswith("data:"):
            self.page.images.append(url("src"))
        elif tag == "form":
            self.form = Form(action=urljoin(self.page.url, a.get("action") or self.page.url))
            self.page.forms.append(self.form)
        elif tag == "a" and a.get("href"):
            self.link, self.link_text = urljoin(self.page.url, a["href"]), ""
        elif self.form is not None and tag in ("input", "textarea"):
            name, kind = a.get("name"), a.get("type", "text")
            if not name:
                return
            if kind == "hidden":
                self.form.fields[name] = a.get("value", "")
            elif kind in ("radio", "checkbox"):
                self.form.choices.setdefault(name, []).append(a.get("value", "on"))
                if kind == "checkbox" and name not in self.form.boxes:
                    self.form.boxes.append(name)
            elif tag == "textarea" or kind in ("text", "password", "number"):
                self.form.texts.append(name)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag == "form":
            self.form = None
        elif tag == "a" and self.link:
            self.page.links[" ".join(self.link_text.split())] = self.link
            self.link = None

    def handle_data(self, data):
        if self.in_title:
            self.page.title += data
        if self.link:
            self.link_text += data


def read_page(url: str, html: str) -> Page:
    page = Page(url=url)
    _Reader(page).feed(html)
    page.title = " ".join(page.title.split())
    return page


CSS_URL = re.compile(r"url\(\s*[\"']?(?!data:)([^\"')]+)[\"']?\s*\)")
JS_IMPORT = re.compile(r"""(?:import|from)\s*\(?\s*["'](\.{1,2}/[^"']+)["']""")


def css_references(url: str, css: str) -> list[str]:
    """Every file a stylesheet names (fonts and images). A browser fetches only those a
    page uses, so counting them all is an upper bound."""
    return [urljoin(url, ref) for ref in CSS_URL.findall(css)]


def js_references(url: str, js: str) -> list[str]:
    return [urljoin(url, ref) for ref in JS_IMPORT.findall(js)]


def answers_for(page: Page) -> tuple[str, dict[str, str | list[str]]] | None:
    """Where to send the page's main form, and what to put in it; None: no form."""
    forms = [f for f in page.forms if "csrf_token" in f.fields]
    if not forms:
        return None
    form = forms[-1]  # the PIN form comes first on a welcome page; the question's is last
    data: dict[str, str | list[str]] = dict(form.fields)
    for name, values in form.choices.items():
        wanted = [v for v in values if v != "rather-not-say"] or values
        if name == "quote_consent":
            data[name] = "no"
        else:
            data[name] = [wanted[0]] if name in form.boxes else wanted[0]
    for name in form.texts:
        data[name] = TEXT_ANSWER
    return form.action, data


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# The app ------------------------------------------------------------------------------


def app_config(database_url: str, **more) -> dict:
    """A live configuration (APP_ENV=production: secure cookies, HSTS, real keys) on a
    throwaway database. Rate limits stay on, as they would be."""
    return {
        "APP_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "PSEUDONYM_KEY": secrets.token_urlsafe(48),
        **more,
    }


def create_schema(database_url: str) -> None:
    from sqlalchemy import create_engine

    import feedback.models  # noqa: F401 - every table on the metadata
    from feedback.db import Base
    from outcomes.store import OutcomesBase

    engine = create_engine(database_url)
    with engine.begin() as connection:
        OutcomesBase.metadata.drop_all(connection)
        Base.metadata.drop_all(connection)
        Base.metadata.create_all(connection)
        OutcomesBase.metadata.create_all(connection)
    engine.dispose()


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def invite(app, count: int = 1, prefix: str = "CS-BENCH", language: str = "en") -> list[str]:
    """`count` cases of one team, each with a live check-in link (its path, /r/TOKEN) in
    `language`."""
    from feedback import db
    from feedback.cases.services import CaseDetails, find_case, open_case
    from feedback.invitations.services import issue_invitation
    from feedback.staff import services as staff

    paths = []
    with app.app_context():
        session = db.session()
        team = staff.find_team(session, "north") or staff.create_team(session, "north", "North")
        worker = team.members[0] if team.members else None
        if worker is None:
            worker = staff.create_user(
                session,
                email="bench.worker@example.org",
                name="Bench Worker",
                role="practitioner",
                password=secrets.token_urlsafe(24),
                team_codes=["north"],
            )
        for i in range(count):
            reference = f"{prefix}-{i:05d}"
            case = find_case(session, reference) or open_case(
                session,
                CaseDetails(reference, "YP", date(2010, 2, 2), team.id, ("missing",)),
                worker,
                utcnow(),
            )
            issued = issue_invitation(
                session,
                case,
                secret=app.config["SECRET_KEY"],
                questionnaire_code="checkin",
                questionnaire_version=1,
                created_by_id=worker.id,
                now=utcnow(),
                days=14,
                language=language,
            )
            paths.append(f"/r/{issued.token}")
        session.commit()
    return paths
