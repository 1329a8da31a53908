"""CSV and XLSX exports: the page's numbers, safe against formula injection, audited."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from feedback.audit.models import AuditEvent
from feedback.dashboard.exports import neutralise, write_csv, write_xlsx
from feedback.dashboard.services import DataTable
from tests.feedback.dashboard import seed

MARCH = "date_from=2026-03&date_to=2026-03"
EVIL = DataTable(
    key="evil",
    title='=HYPERLINK("http://x")',
    head=("Team", "People"),
    rows=(
        ("=1+2", "15"),
        ("+cmd", "c"),
        ("-2", "10"),
        ("@SUM(A1)", "20"),
        ("\tTab", "25"),
        ("\rReturn", "30"),
        ("Safe", "1,205"),
    ),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("North team", "North team"),
        ("15", "15"),
        ("c", "c"),
    ],
)
def test_neutralise(text, expected):
    assert neutralise(text) == expected


def test_csv_cells_that_look_like_formulas_are_text():
    rows = list(csv.reader(io.StringIO(write_csv([EVIL]))))
    assert rows[0] == ["Team", "People"]
    assert [r[0] for r in rows[1 : rows.index([""])]] == [
        "'=1+2",
        "'+cmd",
        "'-2",
        "'@SUM(A1)",
        "'\tTab",
        "'\rReturn",
        "Safe",
    ]


def test_xlsx_cells_that_look_like_formulas_are_strings():
    book = load_workbook(io.BytesIO(write_xlsx([EVIL], ["March 2026"])))
    sheet = book.worksheets[0]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    for text in ("=1+2", "+cmd", "-2", "@SUM(A1)", '=HYPERLINK("http://x")'):
        assert cells[text].data_type == "s", text
    values = [row[1].value for row in sheet.iter_rows(min_row=6)]
    assert values == [15, "c", 10, 20, 25, 30, 1205]


def test_team_names_starting_with_equals_export_as_text(
    client, auth, session, make_user, make_team
):
    make_team("evil", '=HYPERLINK("http://evil","Click")')
    seed(session, range(12), team="evil")
    session.commit()
    auth.sign_in(make_user("manager", teams=("evil",)))
    response = client.get(f"/dashboard/export/responses.csv?{MARCH}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[1][0].startswith("'=HYPERLINK")
    response = client.get(f"/dashboard/export/all.xlsx?{MARCH}")
    book = load_workbook(io.BytesIO(response.data))
    found = [
        c
        for row in book["Invited and answered"].iter_rows()
        for c in row
        if c.value and str(c.value).startswith("=HYPERLINK")
    ]
    assert found and all(c.data_type == "s" for c in found)


def test_exports_show_the_page_numbers_and_are_audited(client, auth, session, make_user):
    seed(session, range(5), scores={"safety": 50})
    seed(session, range(5, 20), scores={"safety": 50, "education": 30})
    seed(session, range(20, 30), gender="boy", scores={"safety": 50, "education": 30})
    session.commit()
    manager = make_user("manager", teams=("north",))
    auth.sign_in(manager)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/dashboard/export/people.csv?{MARCH}&gender=girl").get_data(
                    as_text=True
                )
            )
        )
    )
    assert rows[0] == ["Domain", "Mar 2026"]
    assert ["Safety", "20"] in rows
    assert ["Education, training and work", "15"] in rows
    assert ["Going missing", "c"] in rows
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "dashboard.export")
    ).all()
    assert len(events) == 1
    assert events[0].target == "people.csv"
    assert json.loads(events[0].detail)["filters"]["gender"] == "girl"
    assert client.get(f"/dashboard/export/nothing.csv?{MARCH}").status_code == 404
    assert client.get(f"/dashboard/export/people.pdf?{MARCH}").status_code == 404


def test_report_export(client, auth, session, make_user):
    seed(session, range(10))
    session.commit()
    auth.sign_in(make_user("manager", teams=("north",)))
    response = client.get("/dashboard/report/export.csv?month=2026-03")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Headline figures" in text
    assert "Safeguarding alerts" in text
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).one()
    assert event.target == "monthly report 2026-03.csv"
