"""Easy read through the pages: chosen on the welcome page (or by the practitioner),
kept for the journey, shown with its pictures, and answered, stored and scored exactly
as the standard words are."""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as ET

import pytest
from flask_babel import force_locale, gettext, refresh
from sqlalchemy import select

import outcomes.easy_read as easy_read_module
from feedback import create_app
from feedback.checkin.pictures import DRAWINGS, picture
from feedback.i18n import EASY_READ_KEY, LANGUAGES
from feedback.responses.models import Response
from outcomes.easy_read import PICTURES, EasyReadError, easy_read_of
from outcomes.questionnaires import EXIT_KINDS, get_questionnaire
from outcomes.store import Comment, DomainScore, Measurement, Occasion
from tests.feedback.checkin.answers import CHECKIN, GOOD_ANSWERS, answer_all

EASY = easy_read_of(CHECKIN, "en")
EASY_LINK = "Easy read: short sentences and pictures"
STANDARD_LINK = "Standard words, no pictures"


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_welcome_page_offers_easy_read_and_keeps_the_choice(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    welcome = _text(client.get("/check-in"))
    assert EASY_LINK in welcome and 'href="/check-in?read=easy"' in welcome
    assert CHECKIN.intro in welcome
    question = _text(client.get("/check-in/questions/feel-safe"))
    assert CHECKIN.question("feel-safe").text in question
    assert "app-picture" not in question

    welcome = _text(client.get("/check-in?read=easy"))
    assert STANDARD_LINK in welcome and 'href="/check-in?read=standard"' in welcome
    assert EASY.intro in welcome
    for question in EASY.questions:  # every page after it, without asking again
        page = _text(client.get(f"/check-in/questions/{question.id}"))
        assert f"{picture(question.picture, 'subject')}{question.text}" in page
        for option in question.options:
            assert f"{picture(option.picture)}{option.label}" in page
    answer_all(client)
    check = _text(client.get("/check-in/check"))
    assert EASY.question("feel-safe").text in check
    assert EASY.question("feel-safe").option(GOOD_ANSWERS["feel-safe"]).label in check

    client.get("/check-in?read=standard")
    page = _text(client.get("/check-in/questions/feel-safe"))
    assert CHECKIN.question("feel-safe").text in page and "app-picture" not in page


@pytest.fixture
def invite(session, make_case, make_invitation):
    """A link as a practitioner makes it: in a language, and in easy read or not."""

    def make(language: str, easy_read: bool, questionnaire: str = "checkin"):
        case = make_case()
        issued = make_invitation(
            case, questionnaire=(questionnaire, 1), language=language, easy_read=easy_read
        )
        if questionnaire in EXIT_KINDS:
            case.status = "closed"  # an exit interview's link works once the case closes
            session.commit()
        return issued

    return make


# What the welcome page promises, each as (the standard words, the same in easy read).
# Who reads the answers: where some go to the worker (a check-in), and where all go to
# the service (an exit interview: Questionnaire.reaches_worker).
READERS = {
    True: [
        (
            "Some answers go to <strong>your worker</strong>, so they can help you.",
            "<strong>Your worker</strong> will read some answers. Then they can help you.",
        ),
        (
            "Some go to <strong>the service, without your name</strong>.",
            "<strong>The service</strong> will read some answers. Your name will not be on them.",
        ),
    ],
    False: [
        (
            "Your answers go to <strong>the service, without your name</strong>.",
            "<strong>The service</strong> will read your answers. Your name will not be on them.",
        ),
    ],
}
PROMISES = [
    (
        "Every question tells you who will read it.",
        "Each question says who will read your answer.",
    ),
    (
        "Your answers are private unless you tell us something that means you or someone else "
        "is not safe.",
        "Your answers are private. But not if you tell us that you or someone else is not safe.",
    ),
    (
        "If you write something that worries us, we will need to act to keep you or someone "
        "else safe.",
        "You might write something that worries us. Then we must act to keep you or someone "
        "else safe.",
    ),
    (
        "You can choose ‘I’d rather not say’ on any question.",
        "You do not have to answer a question. You can choose ‘I’d rather not say’.",
    ),
    (
        "To leave quickly, press <strong>Leave this site</strong> at the top of every page. Your "
        "answers so far will be saved, and this phone will stop showing them.",
        "Do you need to leave fast? Press <strong>Leave this site</strong>. It is at the top of "
        "every page. We will keep your answers so far. This phone will stop showing them.",
    ),
]
COUNTED = {
    "checkin": (
        "All your answers are also counted together with other young people’s, without "
        "names, to help make things better.",
        "We also count all your answers together with answers from other young people. We do "
        "not use names. This helps make things better.",
    ),
    "exit-family": (
        "All your answers are also counted together with other families’, without names, "
        "to help make things better.",
        "We also count all your answers together with answers from other families. We do not "
        "use names. This helps make things better.",
    ),
}


def _said(app, language: str, english: str) -> str:
    with app.test_request_context(), force_locale(language):
        return gettext(english)


@pytest.mark.parametrize("code", ["checkin", "exit-family"])
@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_welcome_page_in_easy_read_makes_the_same_promises_in_easy_words(
    app, client, invite, code, language
):
    base = get_questionnaire(code)
    promises = [
        *(
            (_said(app, language, a), _said(app, language, b))
            for a, b in [*READERS[base.reaches_worker], *PROMISES]
        ),
        tuple(_said(app, language, words) for words in COUNTED[code]),
        # Who is told if an answer worries us: a parent hears of their child's worker.
        (
            base.in_language(language).told_if_it_worries,
            easy_read_of(base, language).told_if_it_worries,
        ),
    ]
    for easy_read in (False, True):
        client.get(f"/r/{invite(language, easy_read, code).token}")
        page = html_lib.unescape(_text(client.get("/check-in")))
        assert f'<html lang="{language}"' in page
        for standard, easy in promises:
            said, not_said = (easy, standard) if easy_read else (standard, easy)
            assert said in page, said
            # Some languages' standard words of who is told are easy read already.
            assert not_said not in page or standard == easy, not_said


def test_an_unknown_choice_changes_nothing(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    client.get("/check-in?read=easy")
    assert client.get("/check-in?read=tiny").status_code == 200
    assert EASY.question("home").text in _text(client.get("/check-in/questions/home"))


def test_the_practitioners_choice_made_when_the_link_opens_is_used(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    with client.session_transaction() as held:
        held[EASY_READ_KEY] = True  # as remember_easy_read(True) keeps it
    page = _text(client.get("/check-in/questions/stayed-away"))
    assert EASY.question("stayed-away").text in page


def test_no_easy_read_link_where_a_questionnaire_has_none(client, make_invitation):
    client.get(f"/r/{make_invitation(questionnaire=('service-feedback', 1)).token}")
    welcome = _text(client.get("/check-in?read=easy"))
    assert EASY_LINK not in welcome and STANDARD_LINK not in welcome


def _stored(session, before: set[int]) -> dict:
    """What the store holds of the one occasion not among `before`."""
    (occasion,) = [o for o in session.scalars(select(Occasion)) if o.id not in before]
    return {
        "occasion": {
            name: getattr(occasion, name)
            for name in (
                "framework_code",
                "framework_version",
                "questionnaire_code",
                "questionnaire_kind",
                "occasion_type",
                "measured_at",
                "team",
                "age_band",
                "gender",
            )
        },
        "measurements": sorted(
            (m.indicator, m.domain, m.score)
            for m in session.scalars(
                select(Measurement).where(Measurement.occasion_id == occasion.id)
            )
        ),
        "domains": sorted(
            (d.domain, d.score)
            for d in session.scalars(
                select(DomainScore).where(DomainScore.occasion_id == occasion.id)
            )
        ),
        "comments": sorted(
            (c.question, c.sentiment)
            for c in session.scalars(select(Comment).where(Comment.occasion_id == occasion.id))
        ),
    }


@pytest.mark.parametrize(
    "answers",
    [
        GOOD_ANSWERS,
        {
            **GOOD_ANSWERS,
            "feel-safe": "very-unsafe",
            "trusted-adult": "not-sure",
            "stayed-away": "yes",
            "future": "rather-not-say",
            "what-helped": ["nothing-yet"],
        },
    ],
)
def test_the_same_answers_in_easy_read_and_standard_store_the_same_rows(
    client, make_invitation, make_case, session, answers
):
    # In English, and in easy read in Polish and in Urdu (written right to left).
    sent = {}
    for language, reading in (("en", "standard"), ("en", "easy"), ("pl", "easy"), ("ur", "easy")):
        before = set(session.scalars(select(Occasion.id)))
        client.get(f"/r/{make_invitation(case=make_case()).token}")
        client.get(f"/language/{language}?next=/check-in")
        # The `session` fixture's app context outlives each request, and with it the
        # locale Flask-Babel keeps in `g`: forget it, as a new request would.
        refresh()
        welcome = _text(client.get(f"/check-in?read={reading}"))
        assert f'<html lang="{language}"' in welcome
        if reading == "easy":
            easy = easy_read_of(CHECKIN, language)
            page = _text(client.get("/check-in/questions/feel-safe"))
            assert easy.question("feel-safe").text in page and "app-picture" in page
        answer_all(client, answers)
        assert client.post("/check-in/check", data={"quote_consent": "no"}).status_code == 302
        session.expire_all()
        response = session.scalars(select(Response).order_by(Response.id)).all()[-1]
        assert response.status == "submitted"
        sent[(language, reading)] = (response.answer_map(), _stored(session, before))
    standard = sent.pop(("en", "standard"))
    assert standard[1]["measurements"]  # scored, not empty lists compared
    assert sent == dict.fromkeys(sent, standard)


def test_every_picture_named_is_drawn_and_hidden_from_screen_readers():
    assert set(DRAWINGS) == set(PICTURES)
    for name in PICTURES:
        for size in ("option", "subject"):
            svg = ET.fromstring(str(picture(name, size)))  # noqa: S314 - our own markup
            assert svg.get("aria-hidden") == "true" and svg.get("focusable") == "false"
            assert svg.get("viewBox") == "0 0 24 24"
            assert re.fullmatch(r"\d+", svg.get("width"))
            assert len(svg) >= 1  # something drawn
            # Decoration only: no words a screen reader or a search could find.
            assert not any(el.tag.endswith(("title", "text", "desc")) for el in svg.iter())


def test_a_bad_easy_read_file_stops_the_app_starting(app_config, tmp_path, monkeypatch):
    bad = (easy_read_module.DEFINITIONS / "checkin-v1.yaml").read_text(encoding="utf-8")
    (tmp_path / "checkin-v1.yaml").write_text(
        bad.replace("picture: safety", "picture: castle", 1), encoding="utf-8"
    )
    monkeypatch.setattr(easy_read_module, "DEFINITIONS", tmp_path)
    easy_read_module.all_easy_read.cache_clear()
    try:
        with pytest.raises(EasyReadError, match=r"easy-read/checkin-v1.yaml: questions\.feel-safe"):
            create_app(app_config)
    finally:
        easy_read_module.all_easy_read.cache_clear()
