"""Easy read through the pages: chosen on the welcome page (or by the practitioner),
kept for the journey, shown with its pictures, and answered, stored and scored exactly
as the standard words are."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

import outcomes.easy_read as easy_read_module
from feedback import create_app
from feedback.checkin.pictures import DRAWINGS, picture
from feedback.i18n import EASY_READ_KEY
from feedback.responses.models import Response
from outcomes.easy_read import PICTURES, EasyReadError, easy_read_of
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
    sent = {}
    for reading in ("standard", "easy"):
        before = set(session.scalars(select(Occasion.id)))
        client.get(f"/r/{make_invitation(case=make_case()).token}")
        client.get(f"/check-in?read={reading}")
        answer_all(client, answers)
        assert client.post("/check-in/check", data={"quote_consent": "no"}).status_code == 302
        session.expire_all()
        response = session.scalars(select(Response).order_by(Response.id)).all()[-1]
        assert response.status == "submitted"
        sent[reading] = (response.answer_map(), _stored(session, before))
    assert sent["easy"] == sent["standard"]
    assert sent["easy"][1]["measurements"]  # scored, not two empty lists


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
