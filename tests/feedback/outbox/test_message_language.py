"""A link's text message or email is written in the language the practitioner chose for
it: its words from the catalogue of that language, its day named in that language."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from sqlalchemy import select

from feedback.outbox.models import OutboxMessage

BODY = (
    "%(name)s: here is your link %(link)s or go to %(start)s and type the code "
    "%(code)s. It works until %(expires)s."
)
SUBJECT = "%(name)s: your link"
POLISH_BODY = (
    "%(name)s: oto Twój link %(link)s albo wejdź na %(start)s i wpisz kod %(code)s. "
    "Działa do %(expires)s."
)
POLISH_SUBJECT = "%(name)s: Twój link"


@pytest.fixture
def app_config(app_config, tmp_path):
    """The app with a Polish catalogue that holds the message's words (the shipped
    catalogues are the translators'; this test checks the message asks for them)."""
    catalog = Catalog(locale="pl")
    catalog.add(BODY, POLISH_BODY, flags=["python-format"])
    catalog.add(SUBJECT, POLISH_SUBJECT, flags=["python-format"])
    folder = tmp_path / "translations" / "pl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as mo:
        write_mo(mo, catalog)
    return {**app_config, "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "translations")}


def _send(client, auth, session, case, language: str, how="sms") -> OutboxMessage:
    auth.sign_in(case.practitioner)
    data = {"questionnaire": "checkin", "how": how, "language": language}
    data.update({"phone": "07911 123456"} if how == "sms" else {"email": "yp@example.org"})
    response = client.post(f"/cases/{case.id}/invitations", data=data)
    assert response.status_code == 302
    return session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()


def test_a_link_in_polish_is_texted_in_polish(app, client, auth, session, make_case):
    message = _send(client, auth, session, make_case(), "pl")
    name = app.config["YOUNG_PERSON_SERVICE_NAME"]
    found = re.fullmatch(
        rf"{re.escape(name)}: oto Twój link (\S+/r/\S+) albo wejdź na (\S+/start) i wpisz kod "
        r"([A-Z0-9]{4}-[A-Z0-9]{4})\. Działa do (\d{1,2}) (\w+) (\d{4})\.",
        message.body,
    )
    assert found, message.body
    # The month is named in Polish, as a date is written after "do" (the genitive).
    assert found[5] in {
        "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
        "sierpnia", "września", "października", "listopada", "grudnia",
    }  # fmt: skip
    assert message.subject == f"{name}: Twój link"


def test_a_link_in_english_is_written_as_before(app, client, auth, session, make_case):
    message = _send(client, auth, session, make_case(), "en", how="email")
    name = app.config["YOUNG_PERSON_SERVICE_NAME"]
    assert message.subject == f"{name}: your link"
    assert re.fullmatch(
        rf"{re.escape(name)}: here is your link \S+/r/\S+ or go to \S+/start and type the code "
        r"[A-Z0-9]{4}-[A-Z0-9]{4}\. It works until \d{1,2} [A-Z][a-z]+ \d{4}\.",
        message.body,
    )


def test_a_language_without_the_words_yet_names_the_day_in_it(
    app, client, auth, session, make_case
):
    # No Romanian catalogue here: the words stay English, the month is Romanian.
    message = _send(client, auth, session, make_case(), "ro")
    assert "here is your link" in message.body
    months = ("ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie")
    months += ("august", "septembrie", "octombrie", "noiembrie", "decembrie")
    assert any(f" {month} " in message.body for month in months), message.body


def test_the_page_after_sending_stays_in_english_for_the_practitioner(
    client, auth, session, make_case
):
    case = make_case()
    _send(client, auth, session, case, "pl")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert '<html lang="en"' in page


def test_the_name_an_admin_gives_in_polish_is_in_a_polish_link(
    app, client, auth, session, make_case, make_user
):
    from feedback.settings import services as settings
    from tests.conftest import utcnow

    changes, errors = settings.change_settings(
        session,
        {"YOUNG_PERSON_SERVICE_NAME:pl": "Twoja ankieta"},
        by=make_user(role="admin"),
        now=utcnow(),
    )
    assert changes and not errors
    session.commit()
    polish = _send(client, auth, session, make_case(), "pl")
    assert polish.subject == "Twoja ankieta: Twój link"
    assert polish.body.startswith("Twoja ankieta: oto Twój link ")
    english = _send(client, auth, session, make_case(), "en")
    assert english.subject == f"{app.config['YOUNG_PERSON_SERVICE_NAME']}: your link"
