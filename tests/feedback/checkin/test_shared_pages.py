"""A question page nobody has answered yet is drawn once and kept (feedback/shared_pages):
a kept page is exactly the page drawn afresh, in every language and reading; each young
person still gets their own CSRF token and nonce; a page with an answer of theirs on it
is never kept; and what an admin changes shows on the next page (another worker's
change, once the settings a process keeps are read again)."""

from __future__ import annotations

import re

import pytest

from feedback import create_app
from feedback.i18n import LANGUAGES
from tests.conftest import utcnow
from tests.feedback.checkin.answers import CHECKIN, GOOD_ANSWERS

pytestmark = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)


@pytest.fixture
def own_app(app_config, app):
    """An app of its own beside the fixtures' (whose context every request would share,
    with its `g`): each request here has its own, as in a live server."""
    del app  # made first: its database holds the links the fixtures make
    return create_app(app_config)


def kept(app):
    return app.extensions["shared_pages"]


TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
NONCE = re.compile(r'nonce="([^"]+)"')


def _own_values_out(page: str) -> str:
    return NONCE.sub('nonce="N"', TOKEN.sub('name="csrf_token" value="T"', page))


def _young_person(app, make_invitation, *, lang="en", easy=False):
    client = app.test_client()
    assert client.get(f"/r/{make_invitation().token}").status_code == 302
    assert client.get(f"/language/{lang}").status_code == 302
    if easy:
        client.get("/check-in?read=easy")
    return client


def _page(client, question_id, query=""):
    response = client.get(f"/check-in/questions/{question_id}{query}")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("easy", [False, True], ids=["standard", "easy-read"])
def test_a_kept_page_is_the_page_drawn_afresh_in_every_language(own_app, make_invitation, easy):
    for code in LANGUAGES:
        first = _young_person(own_app, make_invitation, lang=code, easy=easy)
        second = _young_person(own_app, make_invitation, lang=code, easy=easy)
        for question in CHECKIN.questions:
            for query in ("", "?change=1") if question is CHECKIN.questions[-1] else ("",):
                drawn = kept(own_app).drawn
                fresh = _page(first, question.id, query).get_data(as_text=True)
                served = _page(second, question.id, query).get_data(as_text=True)
                assert kept(own_app).drawn == drawn + 1, (code, question.id, query)
                assert _own_values_out(served) == _own_values_out(fresh), (code, question.id)
    # What a page drawn with nothing kept shows, too.
    kept(own_app).size, kept(own_app).pages = 0, type(kept(own_app).pages)()
    third = _young_person(own_app, make_invitation, lang="ur", easy=easy)
    drawn = _page(third, CHECKIN.questions[0].id).get_data(as_text=True)
    kept(own_app).size = 1024
    fourth = _young_person(own_app, make_invitation, lang="ur", easy=easy)
    _page(fourth, CHECKIN.questions[0].id)
    served = _page(fourth, CHECKIN.questions[0].id).get_data(as_text=True)
    assert _own_values_out(served) == _own_values_out(drawn)


def test_each_young_person_gets_their_own_token_and_nonce(app_config, app, make_invitation):
    own_app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    question = CHECKIN.questions[0].id
    people = [_young_person(own_app, make_invitation) for _ in range(3)]
    pages = [_page(person, question) for person in people]
    tokens = [TOKEN.findall(page.get_data(as_text=True)) for page in pages]
    assert all(len(found) == 1 for found in tokens)
    assert len({found[0] for found in tokens}) == 3
    for page in pages:
        nonces = set(NONCE.findall(page.get_data(as_text=True)))
        assert len(nonces) == 1
        assert f"'nonce-{nonces.pop()}'" in page.headers["Content-Security-Policy"]
    assert len(kept(own_app).pages) == 1
    # Each token works for its own young person, and for nobody else.
    mine, theirs = tokens[2][0], tokens[0][0]
    path = f"/check-in/questions/{question}"
    refused = people[2].post(path, data={"answer": GOOD_ANSWERS[question], "csrf_token": theirs})
    assert refused.status_code == 400
    saved = people[2].post(path, data={"answer": GOOD_ANSWERS[question], "csrf_token": mine})
    assert saved.status_code == 302


def test_a_page_showing_an_answer_is_never_kept(own_app, make_invitation):
    client = _young_person(own_app, make_invitation)
    words = "Nobody else may ever see these words 7731"
    text_question = next(q for q in CHECKIN.questions if q.kind.is_free_text)
    choice = CHECKIN.questions[0]
    client.post(f"/check-in/questions/{text_question.id}", data={"answer": words})
    client.post(f"/check-in/questions/{choice.id}", data={"answer": GOOD_ANSWERS[choice.id]})
    assert words in _page(client, text_question.id).get_data(as_text=True)
    assert "checked" in _page(client, choice.id).get_data(as_text=True)
    assert not any(words in page for page in kept(own_app).pages.values())
    assert not any("checked" in page for page in kept(own_app).pages.values())
    # Another young person sees the question empty.
    other = _young_person(own_app, make_invitation)
    assert words not in _page(other, text_question.id).get_data(as_text=True)
    assert "checked" not in _page(other, choice.id).get_data(as_text=True)


def test_a_form_with_an_error_is_drawn_for_its_young_person(own_app, make_invitation):
    client = _young_person(own_app, make_invitation)
    question = CHECKIN.questions[0]
    shown = client.post(f"/check-in/questions/{question.id}", data={"answer": "nonsense"})
    assert shown.status_code == 400
    assert "There is a problem" in shown.get_data(as_text=True)
    assert not any("There is a problem" in page for page in kept(own_app).pages.values())


def _change_in(app, make_user, setting: dict[str, str]) -> None:
    """An admin's change, made and committed by `app`'s process."""
    from feedback import db
    from feedback.settings import services as settings

    admin = make_user(role="admin")
    with app.app_context():
        changes, errors = settings.change_settings(
            db.session(), setting, by=db.session().merge(admin), now=utcnow()
        )
        assert changes and not errors
        db.session().commit()


def _later(monkeypatch, seconds: float) -> None:
    """The process's clock, `seconds` on."""
    import time

    from feedback.settings import services as settings

    now = time.monotonic() + seconds
    monkeypatch.setattr(settings.time, "monotonic", lambda: now)


def test_the_service_name_an_admin_sets_shows_on_the_next_page(own_app, make_invitation, make_user):
    client = _young_person(own_app, make_invitation)
    question = CHECKIN.questions[0].id
    before = _page(client, question).get_data(as_text=True)
    assert "Your Say Manchester" not in before
    _change_in(own_app, make_user, {"YOUNG_PERSON_SERVICE_NAME": "Your Say Manchester"})
    assert "Your Say Manchester" in _page(client, question).get_data(as_text=True)


def test_a_change_made_by_another_worker_shows_once_its_settings_are_read_again(
    own_app, app, make_invitation, make_user, monkeypatch
):
    """Each process keeps what it read of the settings for SETTINGS_KEPT_SECONDS: a
    change another worker made shows within them, and not a moment later."""
    client = _young_person(own_app, make_invitation)
    question = CHECKIN.questions[0].id
    assert "Your Say Manchester" not in _page(client, question).get_data(as_text=True)
    _change_in(app, make_user, {"YOUNG_PERSON_SERVICE_NAME": "Your Say Manchester"})
    assert "Your Say Manchester" not in _page(client, question).get_data(as_text=True)
    _later(monkeypatch, own_app.config.get("SETTINGS_KEPT_SECONDS", 5))
    assert "Your Say Manchester" in _page(client, question).get_data(as_text=True)


def test_a_change_that_was_not_kept_is_never_shown(own_app, make_invitation, make_user):
    """A change whose transaction rolls back (an error after it, on the same request)
    leaves the kept settings as they were in the database."""
    from feedback import db
    from feedback.settings import services as settings

    client = _young_person(own_app, make_invitation)
    question = CHECKIN.questions[0].id
    admin = make_user(role="admin")
    with own_app.test_request_context():
        changes, _errors = settings.change_settings(
            db.session(),
            {"YOUNG_PERSON_SERVICE_NAME": "Your Say Manchester"},
            by=db.session().merge(admin),
            now=utcnow(),
        )
        assert changes
        # Read again in the same transaction, as the Settings page does after saving.
        assert settings.current(db.session())["YOUNG_PERSON_SERVICE_NAME"] == (
            "Your Say Manchester"
        )
        db.session().rollback()
    assert "Your Say Manchester" not in _page(client, question).get_data(as_text=True)


def test_the_name_an_admin_gives_in_a_language_shows_on_that_languages_next_page(
    own_app, make_invitation, make_user
):
    question = CHECKIN.questions[0].id
    urdu = _young_person(own_app, make_invitation, lang="ur")
    english = _young_person(own_app, make_invitation)
    assert "Youth support check-in" in _page(english, question).get_data(as_text=True)
    assert "نوجوانوں کی آواز" not in _page(urdu, question).get_data(as_text=True)
    _change_in(own_app, make_user, {"YOUNG_PERSON_SERVICE_NAME:ur": "نوجوانوں کی آواز"})
    assert "نوجوانوں کی آواز" in _page(urdu, question).get_data(as_text=True)
    # The English page kept before is still the English page.
    drawn = kept(own_app).drawn
    shown = _page(english, question).get_data(as_text=True)
    assert kept(own_app).drawn == drawn
    assert "Youth support check-in" in shown and "نوجوانوں کی آواز" not in shown
