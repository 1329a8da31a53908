"""Every form a visitor can reach, driven with random input: no 500, nothing lost.

The test does not list the forms: it walks the app as each kind of visitor would (a
young person holding a link, a practitioner, a manager, an admin), following the links
on every page it reaches, and collects every form it finds. hypothesis then fills each
form with random Unicode, empty, huge, missing and numeric-edge values (and, as often,
one of the form's own choices), and posts it. A form added to any page is covered
without an edit here.

"Nothing lost": a young person's answer saved before the fuzzing, and a case and its
family contact made before it, are still there, unchanged, after every form has been
tried.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from feedback.alerts.models import Alert
from feedback.cases.models import Case, FamilyContact
from outcomes.questionnaires import get_questionnaire
from tests.conftest import utcnow
from tests.feedback.staff import Browser

pytestmark = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)

# Requests that would end the visitor's session or their link, or that leave the app.
NOT_FOLLOWED = re.compile(r"/(sign-out|leave|stop|static)(/|$)|^/r/|\.(csv|xlsx|pdf)$|/export")
PAGES_PER_VISITOR = 60


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name: its own choices


class _Page(HTMLParser):
    def __init__(self, url: str):
        super().__init__()
        self.url, self.links, self.forms = url, [], []
        self._form: Form | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = Form(urlsplit(urljoin(self.url, a.get("action") or self.url)).path)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = a.get("name")
            if not name or a.get("type") in ("submit", "image", "reset"):
                return
            choices = self._form.fields.setdefault(name, [])
            if a.get("type") in ("radio", "checkbox") and a.get("value") is not None:
                choices.append(a["value"])
            self._select = name if tag == "select" else None
        elif self._form is not None and tag == "option" and getattr(self, "_select", None):
            self._form.fields[self._select].append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def crawl(browser: Browser, *starts: str) -> list[Form]:
    """Every POST form on every page reachable from `starts` by links within the app."""
    seen, queue, forms = set(), list(starts), {}
    while queue and len(seen) < PAGES_PER_VISITOR:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen or NOT_FOLLOWED.search(path):
            continue
        seen.add(path)
        response = browser.get(url)
        assert response.status_code < 500, f"GET {url}: {response.status_code}"
        if response.status_code in (301, 302, 303):
            queue.append(urljoin("http://localhost/", response.location))
            continue
        if response.mimetype != "text/html":
            continue
        page = _Page(f"http://localhost{path}")
        page.feed(response.get_data(as_text=True))
        for form in page.forms:
            if not NOT_FOLLOWED.search(form.action):
                forms.setdefault((form.action, tuple(sorted(form.fields))), form)
        queue += [link for link in page.links if urlsplit(link).netloc in ("", "localhost")]
    return list(forms.values())


# What a person (or an attacker) can type: anything at all, nothing, far too much, and the
# numbers that break a careless int() or date().
EDGES = (
    "",
    " ",
    "²",
    "٣",
    "-1",
    "0",
    "1e309",
    "NaN",
    "9" * 24,
    "2010-02-30",
    "99999999999999999999-01-01",
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
HUGE = st.integers(1_000, 20_000).map(lambda n: "ẞ" * n)
MISSING = object()


def value_for(choices: list[str]):
    options = [st.sampled_from(EDGES), TEXT, HUGE, st.just(MISSING)]
    if choices:
        options += [st.sampled_from(choices)] * 3
    return st.one_of(options)


def fuzz(browser: Browser, form: Form, examples: int) -> None:
    names = sorted(form.fields)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.tuples(*(value_for(form.fields[name]) for name in names)))
    def post(values):
        data = {n: v for n, v in zip(names, values, strict=True) if v is not MISSING}
        response = browser.post(form.action, data)
        assert response.status_code < 500, (form.action, data, response.status_code)

    post()


@pytest.fixture
def world(app, session, make_user, make_case, make_invitation):
    staff = {
        "practitioner": make_user("practitioner", teams=("north",)),
        "manager": make_user("manager", teams=("north",)),
        "admin": make_user("admin", teams=()),
    }
    case = make_case(practitioner=staff["practitioner"])
    session.add(
        FamilyContact(
            case_id=case.id,
            name="Sam Parent",
            relationship="Mum",
            phone="+447700900982",
            language="en",
            created_at=utcnow(),
        )
    )
    now = utcnow()
    session.add(
        Alert(
            case_id=case.id,
            team_id=case.team_id,
            level="worrying",
            state="new",
            categories="threats",
            texts_json="[]",
            raised_at=now,
            updated_at=now,
        )
    )
    session.commit()
    return staff, case


def _witness(session, case_id):
    session.expire_all()
    case = session.get(Case, case_id)
    contacts = session.scalars(select(FamilyContact).where(FamilyContact.case_id == case_id))
    return (case.reference, case.team_id), [(c.name, c.phone) for c in contacts]


@pytest.mark.parametrize("role", ["practitioner", "manager", "admin"])
def test_every_staff_form_takes_any_input(app, session, world, role):
    staff, case = world
    before = _witness(session, case.id)
    browser = Browser(app)
    assert browser.sign_in(staff[role]).status_code == 302
    forms = crawl(browser, "/staff")
    assert forms, "the walk found no form"
    for form in forms:
        fuzz(browser, form, examples=12)
    if role != "practitioner":  # the practitioner's own forms may close or change the case
        assert _witness(session, case.id) == before


def test_every_young_person_form_takes_any_input(app, session, world, make_case, make_invitation):
    from feedback.responses.models import Answer

    staff, case = world
    # Another young person's answers, saved before anyone fuzzes anything.
    other = Browser(app)
    other.get(f"/r/{make_invitation(case=make_case(practitioner=staff['practitioner'])).token}")
    for question, value in (("feel-safe", "safe"), ("trusted-adult", "yes")):
        saved = other.post(f"/check-in/questions/{question}", {"answer": value})
        assert saved.status_code == 302
    before = _answers(session, Answer)

    browser = Browser(app)
    browser.get(f"/r/{make_invitation(case=case).token}")
    # Their own first answer: the fuzzing may change it (it posts real choices too), but
    # never lose it.
    assert browser.post("/check-in/questions/feel-safe", {"answer": "safe"}).status_code == 302
    # A young person reaches each question by answering the one before: start at each.
    pages = [f"/check-in/questions/{q.id}" for q in get_questionnaire("checkin").questions]
    forms = crawl(browser, "/check-in", *pages, "/check-in/check", "/check-in/pin", "/start")
    assert len(forms) > len(pages), [f.action for f in forms]
    for form in forms:
        fuzz(browser, form, examples=20)

    after = _answers(session, Answer)
    assert before.items() <= after.items(), "another young person's saved answer was lost"
    mine = {q for (response, q) in after if (response, q) not in before}
    assert "feel-safe" in mine, "the young person's own first answer was lost"


def _answers(session, model) -> dict:
    session.expire_all()
    return {(a.response_id, a.question_id): a.value_json for a in session.scalars(select(model))}
