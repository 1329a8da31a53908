"""Every word a manager reads on the dashboard and in the monthly report (page, PDF, CSV
and XLSX) is marked for the staff catalogue: with a catalogue that translates every
marked string, no English word is left but data."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from tests.feedback.dashboard import seed
from tests.feedback.pseudo_staff import (  # noqa: F401  # the fixtures
    catalogue,
    data_phrases,
    english_words,
    main_of,
    page_text,
    pseudo,
    pseudo_staff,
)

MARCH = "date_from=2026-03&date_to=2026-03"


def left_in_english(text: str, data: tuple[str, ...]) -> set[str]:
    """The words of outcomes (domains, themes, periods...) are in the staff catalogue too
    (feedback/i18n_outcomes.py): only the months' names and data are left."""
    return english_words(text, data)


def test_the_pseudo_catalogue_keeps_placeholders_and_markup():
    assert pseudo('Hi %(name)s, <a href="/x">go</a> 50%%') == (
        'Ｈｉ %(name)s, <a href="/x">ｇｏ</a> 50%%'
    )


def test_the_check_finds_an_unmarked_word(app, session):
    # A domain's name is not data: it is in the staff catalogue.
    assert left_in_english("Ｓｈｏｗｎ Safety Mar 2026 Unmarked", data_phrases(app, session)) == {
        "Safety",
        "Unmarked",
    }


@pytest.mark.usefixtures("pseudo_staff")
def test_every_word_on_the_dashboard_and_its_downloads_is_marked(
    app, client, auth, session, make_user
):
    seed(
        session,
        range(12),
        when=datetime(2026, 3, 10),
        themes=[("listened-to", "positive")],
        quote="She listens",
    )
    session.commit()
    auth.sign_in(make_user("manager", teams=("north",)))
    data = (*data_phrases(app, session), "She listens")
    for query in (MARCH, "date_from=2026-01&date_to=2026-06&period=quarter"):
        html = client.get(f"/dashboard?{query}").get_data(as_text=True)
        assert 'id="headline"' in html
        assert left_in_english(page_text(main_of(html)), data) == set(), query
    bad = client.get("/dashboard?date_from=2026-13&date_to=&gender=x")
    assert bad.status_code == 400
    # The error summary's title and each message's hidden "Error:" come from the layout
    # and the form widgets every staff form shares.
    shared = ("There is a problem", "Error:")
    assert left_in_english(page_text(main_of(bad.get_data(as_text=True))), data + shared) == set()

    text = client.get(f"/dashboard/export/all.csv?{MARCH}").get_data(as_text=True)
    assert (
        left_in_english(" ".join(c for row in csv.reader(io.StringIO(text)) for c in row), data)
        == set()
    )
    book = load_workbook(io.BytesIO(client.get(f"/dashboard/export/all.xlsx?{MARCH}").data))
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert left_in_english(" ".join([*book.sheetnames, *cells]), data) == set()


@pytest.mark.usefixtures("pseudo_staff")
def test_every_word_in_the_monthly_report_is_marked(
    app, client, auth, session, make_user, monkeypatch
):
    from feedback.dashboard import pdf

    seed(session, range(12), when=datetime(2026, 3, 3), themes=[("listened-to", "positive")])
    session.commit()
    auth.sign_in(make_user("manager", teams=("north",)))
    data = data_phrases(app, session)

    def without_other_features(html: str) -> str:
        # Sections that other features add (alerts, requests to talk) carry their words.
        start = html.index('<section id="report-sections">')
        return html[:start] + html[html.index("</section>", start) :]

    html = client.get("/dashboard/report?month=2026-03").get_data(as_text=True)
    assert left_in_english(page_text(without_other_features(main_of(html))), data) == set()

    printed = []
    monkeypatch.setattr(pdf, "render", lambda markup: printed.append(markup) or b"%PDF")
    assert client.get("/dashboard/report.pdf?month=2026-03").status_code == 200
    (markup,) = printed
    footers = " ".join(re.findall(r'content: ((?:"[^"]*"|counter\(\w+\)| )+);', markup))
    assert "counter(pages)" in footers
    whole = (
        page_text(without_other_features(markup)) + " " + re.sub(r"counter\(\w+\)", " ", footers)
    )
    assert left_in_english(whole, data) == set()

    text = client.get("/dashboard/report/export.csv?month=2026-03").get_data(as_text=True)
    # A blank line between tables; the sections other features add follow the ages.
    blocks = text.split("\r\n\r\n")
    ages = next(i for i, b in enumerate(blocks) if pseudo("All ages") in b)
    ours = "\n".join(blocks[: ages + 1])
    assert left_in_english(ours, data) == set()
