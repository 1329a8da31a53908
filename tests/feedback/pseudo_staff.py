"""A staff catalogue that translates every marked word, for tests that look for words a
page shows that no staff translator could ever translate.

Every string marked for the `staff` domain (`make extract`'s keywords) is "translated"
into full-width letters (ａｂｃ), placeholders and markup kept, and served as the English
staff catalogue. On a page rendered with it, a word still in ASCII letters is either data
(a name, a month, a domain from a definitions file) or a word nobody marked.
"""

from __future__ import annotations

import calendar
import html
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.feedback.catalogues import ROOT, STAFF_KEYWORDS

# Kept as they are: placeholders, %%, tags and entities.
_KEEP = re.compile(r"%\(\w+\)[sd]|%%|<[^>]*>|&\w+;")


def pseudo(text: str) -> str:
    """ASCII letters as full-width letters, outside placeholders and markup."""

    def letters(part: str) -> str:
        return "".join(
            chr(ord(c) - ord("A") + 0xFF21)
            if "A" <= c <= "Z"
            else chr(ord(c) - ord("a") + 0xFF41)
            if "a" <= c <= "z"
            else c
            for c in part
        )

    out, at = [], 0
    for kept in _KEEP.finditer(text):
        out.append(letters(text[at : kept.start()]))
        out.append(kept.group())
        at = kept.end()
    out.append(letters(text[at:]))
    return "".join(out)


def write_pseudo_catalogue(directory: Path) -> Path:
    """The staff strings, extracted now, as `directory`/en/LC_MESSAGES/staff.mo."""
    pot = directory / "staff.pot"
    CommandLineInterface().run(
        ["pybabel", "--quiet", "extract", "--mapping-file", str(ROOT / "babel.cfg")]
        + STAFF_KEYWORDS
        + [
            "--no-location",
            "--output-file",
            str(pot),
            str(ROOT / "feedback"),
            str(ROOT / "templates"),
        ]
    )
    with pot.open("rb") as source:
        extracted = read_po(source)
    catalog = Catalog(locale="en", domain="staff")
    for message in extracted:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            catalog.add(message.id, tuple(pseudo(form) for form in message.id))
        else:
            catalog.add(message.id, pseudo(message.id))
    target = directory / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "staff.mo").open("wb") as out:
        write_mo(out, catalog)
    return directory


def use_pseudo_catalogue(monkeypatch, app, directory: Path) -> None:
    """`app`'s staff pages read the catalogue in `directory` (STAFF_TRANSLATIONS)."""
    monkeypatch.setitem(app.config, "STAFF_TRANSLATIONS", str(directory))
    monkeypatch.setitem(app.extensions, "staff_translations", {})


MONTHS = {*calendar.month_name[1:], *calendar.month_abbr[1:]}
_ATTRIBUTE = re.compile(r'\b(?:aria-label|title|alt|placeholder|content)="([^"]*)"')


def page_text(markup: str) -> str:
    """The words a page shows or reads out: its text and its labelling attributes."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    attributes = " ".join(_ATTRIBUTE.findall(markup))
    return html.unescape(re.sub(r"<[^>]+>", " ", markup) + " " + attributes)


def data_phrases(app, session) -> tuple[str, ...]:
    """Names staff pages show as data: the service's and the teams'. The words of
    `outcomes` (strands, domains, themes...) are in the staff catalogue
    (feedback/i18n_outcomes.py), so they are not data here."""
    from sqlalchemy import select

    from feedback.staff.models import Team

    phrases = [app.config["SERVICE_NAME"], app.config["COUNCIL_NAME"]]
    phrases += session.scalars(select(Team.name))
    return tuple(phrases)


def english_words(text: str, data: tuple[str, ...] = ()) -> set[str]:
    """The words in ASCII letters left in `text`, once the data phrases are taken out."""
    for phrase in sorted(data, key=len, reverse=True):
        text = text.replace(phrase, " ")
    words = set(re.findall(r"[A-Za-z]{2,}", text))
    return words - MONTHS


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """The pseudo catalogue, made once a test module (import it with `pseudo_staff`)."""
    return write_pseudo_catalogue(tmp_path_factory.mktemp("pseudo-staff"))


@pytest.fixture
def pseudo_staff(monkeypatch, app, catalogue):
    """Staff pages in this test read the pseudo catalogue."""
    use_pseudo_catalogue(monkeypatch, app, catalogue)


def main_of(html: str) -> str:
    """The page's own content, without the layout every staff page shares."""
    return html[html.index("<main") : html.index("</main>")]
