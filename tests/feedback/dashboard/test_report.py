"""The monthly report for a scrutiny committee: its PDF, pooled figures, committee age
bands, the manager's commentary, alerts against their standard, and its exports."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from feedback.alerts.models import Alert
from feedback.audit.models import AuditEvent
from feedback.dashboard.models import ReportCommentary
from tests.conftest import once_the_month_has_ended, start_of_month, utcnow
from tests.feedback.dashboard import cell, seed


@pytest.fixture
def manager(make_user):
    return make_user("manager", teams=("north",))


def improvers(session, people, month, *, scores=(20, 90), team="north"):
    """Young people with a baseline in December 2025 and a review in ``month`` of 2026,
    from the first score to the second."""
    before, after = scores
    seed(
        session,
        people,
        when=datetime(2025, 12, 5),
        scores={"safety": before},
        occasion_type="baseline",
        team=team,
    )
    seed(session, people, when=datetime(2026, month, 10), scores={"safety": after}, team=team)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_has_the_title_page_headline_figures_and_charts(
    app, client, auth, session, make_user
):
    seed(session, range(15), when=datetime(2026, 3, 3))
    session.commit()
    auth.sign_in(make_user("admin", teams=()))
    response = client.get("/dashboard/report.pdf?month=2026-03")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert 'filename="youth-voice-report-2026-03.pdf"' in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    first = reader.pages[0].extract_text()
    assert app.config["SERVICE_NAME"] in first
    assert "March 2026" in first
    assert "How to read this report" in first
    text = pdf_text(response.data)
    assert "Headline figures" in text
    assert "Young people who answered a check-in 15" in text
    # A chart, drawn: its axis names months and its key says what a gap is.
    assert "What changed:" in text
    assert "Mar 2026" in text
    assert "A gap in a line is a number hidden" in text
    assert "2026-03" not in text
    # Nothing of the page's chrome.
    assert "Signed in as" not in text
    assert "Sign out" not in text
    assert "Download the report" not in text
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).one()
    assert event.target == "monthly report 2026-03.pdf"


def test_the_pdf_and_the_page_say_so_when_a_month_has_not_ended(client, auth, manager):
    auth.sign_in(manager)
    this_month = f"{utcnow():%Y-%m}"
    response = client.get(f"/dashboard/report.pdf?month={this_month}")
    assert response.status_code == 400
    assert "has not ended yet" in response.get_data(as_text=True)
    response = client.get("/dashboard/report.pdf?month=March")
    assert response.status_code == 400
    assert "like 2026-03" in response.get_data(as_text=True)


def test_a_small_month_is_reported_over_12_months_and_says_so(client, auth, session, manager):
    # Two improve and two do not each month from April to September: 4 a month, 12 a
    # quarter (6 and 6), 24 over the 12 months to September (12 and 12).
    for month in range(4, 10):
        base = month * 10
        improvers(session, range(base, base + 2), month)
        improvers(session, range(base + 2, base + 4), month, scores=(50, 50))
    session.commit()
    auth.sign_in(manager)
    html = client.get("/dashboard/report?month=2026-09").get_data(as_text=True)
    row = cell(html, "improved", "Safety")
    assert row[0] == "12 months to Sep 2026"
    assert row[1].endswith("%") and 30 <= int(row[1][:-1]) <= 70
    assert "of young people improved in “Safety” (12 months to Sep 2026)" in html
    # The month's own distance travelled has nothing to show.
    assert 'id="table-distance-hidden"' in html


def test_a_pooled_figure_less_the_monthly_one_gives_nobody_away(
    client, session, auth, make_user, make_team
):
    # September: 15 improved, 20 did not (shown on the dashboard). June: 3 more improved.
    # The 12 months to September less September would be those 3.
    make_team("north")
    improvers(session, range(15), 9)
    improvers(session, range(15, 25), 9, scores=(50, 50))
    improvers(session, range(25, 35), 9, scores=(60, 10))
    improvers(session, range(100, 103), 6)
    session.commit()
    auth.sign_in(make_user("admin", teams=()))
    month = csv.reader(
        io.StringIO(
            client.get("/dashboard/export/distance.csv?date_from=2026-09&date_to=2026-09").get_data(
                as_text=True
            )
        )
    )
    september = next(row for row in month if row[:2] == ["Sep 2026", "Safety"])
    assert september[2] != "c"  # improved in September, shown
    report = client.get("/dashboard/report/export.csv?month=2026-09").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(report)))
    improved = next(row for row in rows if row[:1] == ["Safety"] and "Sep 2026" in row[1])
    # Over: September itself, where the figures can be shown; never the 12 months with
    # the three of June beside September's own figure.
    assert improved[1] == "Sep 2026"
    assert improved[3] == september[2]


def test_ages_are_in_the_committee_bands(client, auth, session, manager, make_case):
    from feedback.responses.models import Response

    sent = datetime(2026, 3, 10, 12)
    for n in range(10):
        case = make_case(reference=f"CS-{n}", dob=date(2012, 9, 1))  # 13 in March 2026
        session.add(
            Response(
                case_id=case.id,
                questionnaire_code="checkin",
                questionnaire_version=1,
                status="submitted",
                submitted_at=sent,
            )
        )
    session.commit()
    auth.sign_in(manager)
    html = client.get("/dashboard/report?month=2026-03").get_data(as_text=True)
    assert cell(html, "ages", "13-14") == ["10"]
    assert cell(html, "ages", "11-12") == ["c"]
    assert cell(html, "ages", "17+") == ["c"]


def test_alerts_are_reported_against_the_standard(app, client, auth, session, manager, make_case):
    case = make_case()
    raised = datetime(2026, 3, 5, 9)
    for n in range(12):
        late = n >= 10
        session.add(
            Alert(
                case_id=case.id,
                team_id=case.team_id,
                level="danger-now",
                state="acknowledged",
                categories="threats",
                texts_json="[]",
                raised_at=raised,
                updated_at=raised,
                acknowledged_at=raised + timedelta(minutes=40 if late else 5),
            )
        )
    session.commit()
    auth.sign_in(manager)
    html = client.get("/dashboard/report?month=2026-03").get_data(as_text=True)
    index = next(
        i
        for i, section in enumerate(app.config["REPORT_SECTIONS"], start=1)
        if section.__name__ == "acknowledgement_section"
    )
    key = f"section-{index}"
    # 10 within the standard, 2 later: the 2 hidden, and not told apart from the none
    # still waiting.
    assert cell(html, key, "Alerts raised") == ["10"]
    assert cell(html, key, "Acknowledged within the standard") == ["10"]
    assert cell(html, key, "Acknowledged later than the standard") == ["c"]
    assert cell(html, key, "Not acknowledged") == ["c"]
    assert cell(html, key, "The standard") == [
        "Acknowledged within 15 minutes for “danger now”, 2 hours for “worrying”"
    ]


def test_commentary_is_saved_with_the_month_and_teams_shown_escaped_and_audited(
    client, auth, session, manager
):
    auth.sign_in(manager)
    words = "Fewer young people answered.\r\n\r\n<script>alert(1)</script> We are calling back."
    response = client.post(
        "/dashboard/report/commentary", data={"month": "2026-03", "commentary": words}
    )
    assert response.status_code == 302
    assert "month=2026-03" in response.location
    html = client.get("/dashboard/report?month=2026-03").get_data(as_text=True)
    text = html[html.index('id="commentary-text"') :]
    assert '<p class="govuk-body">Fewer young people answered.</p>' in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; We are calling back." in text
    assert "<script>alert(1)" not in html
    saved = session.scalars(select(ReportCommentary)).one()
    assert (saved.month, saved.teams) == (date(2026, 3, 1), "north")
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report.commentary")
    ).one()
    assert "calling back" not in event.detail  # the words are the report's, not the log's
    # Another month has none; the PDF prints it.
    assert 'id="no-commentary"' in client.get("/dashboard/report?month=2026-02").get_data(
        as_text=True
    )
    assert "We are calling back." in pdf_text(
        client.get("/dashboard/report.pdf?month=2026-03").data
    )
    # Saving again replaces it; saving nothing removes it.
    client.post("/dashboard/report/commentary", data={"month": "2026-03", "commentary": "New."})
    assert session.scalars(select(ReportCommentary.text)).all() == ["New."]
    client.post("/dashboard/report/commentary", data={"month": "2026-03", "commentary": " "})
    assert session.scalars(select(ReportCommentary)).all() == []


def test_too_long_a_commentary_is_kept_on_the_page_with_a_kind_error(client, auth, manager):
    auth.sign_in(manager)
    words = "a" * 5001
    response = client.post(
        "/dashboard/report/commentary", data={"month": "2026-03", "commentary": words}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "5,000 characters or fewer" in html
    assert words in html  # nothing typed is lost


def test_a_report_for_one_team_only_of_ones_own(client, auth, session, make_user, make_team):
    make_team("north")
    make_team("south")
    auth.sign_in(make_user("manager", teams=("north",)))
    assert client.get("/dashboard/report?month=2026-03&team=north").status_code == 200
    response = client.get("/dashboard/report?month=2026-03&team=south")
    assert response.status_code == 400
    assert "Choose one of your teams" in response.get_data(as_text=True)


def test_the_report_exports_name_their_sheets_for_people(client, auth, session, manager):
    seed(session, range(10), when=datetime(2026, 3, 3))
    session.commit()
    auth.sign_in(manager)
    book = load_workbook(io.BytesIO(client.get("/dashboard/report/export.xlsx?month=2026-03").data))
    assert "Safeguarding alerts" in book.sheetnames
    assert "Headline figures" in book.sheetnames
    assert not any(name.startswith("section-") for name in book.sheetnames)
    text = client.get("/dashboard/report/export.csv?month=2026-03").get_data(as_text=True)
    assert "Filters: Mar 2026; North team; Check-in" in text
    assert "fewer than 10 young people, or hidden" in text
    assert "2026-03" not in text


def test_last_months_report_once_the_month_has_ended(client, auth, session, manager):
    # Check-ins now: the month's report is there once it has ended, not before.
    seed(session, range(10), when=utcnow())
    session.commit()
    auth.sign_in(manager)
    month, words = f"{start_of_month():%Y-%m}", f"{start_of_month():%b %Y}"
    assert client.get(f"/dashboard/report.pdf?month={month}").status_code == 400
    with once_the_month_has_ended():
        response = client.get("/dashboard/report")  # last month by default
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert cell(html, "headline", "Young people who answered a check-in")[0] == "10"
        assert words in html
        pdf = client.get(f"/dashboard/report.pdf?month={month}")
        assert pdf.status_code == 200
        assert "Young people who answered a check-in 10" in pdf_text(pdf.data)


def test_sections_of_words_are_shown_as_they_are(app, client, auth, session, manager):
    def note(session, start, end, teams):
        return "You said, we did", [
            ("You said", "The waiting room was cold"),
            ("We did", "A heater"),
        ]

    app.config["REPORT_SECTIONS"].append(note)
    key = f"section-{len(app.config['REPORT_SECTIONS'])}"
    auth.sign_in(manager)
    html = client.get("/dashboard/report?month=2026-03").get_data(as_text=True)
    assert cell(html, key, "You said") == ["The waiting room was cold"]
    assert cell(html, key, "What is counted") == ["Details"]
    book = load_workbook(io.BytesIO(client.get("/dashboard/report/export.xlsx?month=2026-03").data))
    assert "You said, we did" in book.sheetnames
