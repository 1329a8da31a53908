"""Easy read on young people's and parents' pages: whether this journey asked for it,
and the questionnaire in the words and pictures its pages show.

The choice is made at the start (the welcome page's "Easy read" and "Standard" links) or
by the practitioner when inviting, and kept in the session for the journey
(`feedback.i18n`). Only what a page shows changes: answers are saved and scored against
the questionnaire itself, whose ids, options and scale points the easy read shares
(`outcomes.easy_read`).
"""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

from feedback.checkin import journey
from feedback.checkin.pictures import picture
from feedback.i18n import DEFAULT, remember_easy_read, wants_easy_read
from outcomes.easy_read import all_easy_read, easy_read_of, has_easy_read
from outcomes.questionnaires import Questionnaire

# The welcome page's links: ?read=easy or ?read=standard.
CHOICES = {"easy": True, "standard": False}


def _language() -> str:
    return str(get_locale() or DEFAULT)


def choose(asked: str | None) -> None:
    """Keep the reader's choice from a welcome page link; anything else changes nothing."""
    if asked in CHOICES:
        remember_easy_read(CHOICES[asked])


def offered(questionnaire: Questionnaire) -> bool:
    """Whether `questionnaire` has an easy read in this page's language."""
    return has_easy_read(questionnaire, _language())


def in_use(questionnaire: Questionnaire) -> bool:
    return wants_easy_read() and offered(questionnaire)


def shown(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire as this journey's pages show it: in easy read where it was
    chosen and there is one in this language, else in the page's language (or English
    where it is not offered in it)."""
    if wants_easy_read():
        easy = easy_read_of(questionnaire, _language())
        if easy is not None:
            return easy
    return journey.in_page_language(questionnaire)


def init_app(app: Flask) -> None:
    # Read and checked against their questionnaires now, so that a bad file stops the
    # app starting rather than a young person's page.
    all_easy_read()
    app.add_template_global(picture, "easy_picture")
