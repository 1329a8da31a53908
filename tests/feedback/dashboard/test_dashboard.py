"""The dashboard page: suppression on the page, access by role and team, audit, filters."""

import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from feedback.audit.models import AuditEvent
from feedback.dashboard.routes import framework
from outcomes.framework import current_framework, get_framework
from tests.feedback.dashboard import cell, seed

MARCH = "/dashboard?date_from=2026-03&date_to=2026-03"


@pytest.fixture
def manager(make_user):
    return make_user("manager", teams=("north",))


def test_practitioners_cannot_see_it(client, auth, make_user):
    auth.sign_in(make_user("practitioner"))
    for url in (
        "/dashboard",
        "/dashboard/report",
        "/dashboard/export/scores.csv",
        "/dashboard/export/all.xlsx",
        "/dashboard/report/export.csv",
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/dashboard/export/scores.csv")
    assert response.status_code == 302
    assert "/sign-in" in response.location


def test_nav_shows_the_dashboard_to_managers_only(client, auth, manager, make_user):
    auth.sign_in(manager)
    assert "Dashboard" in client.get("/staff").get_data(as_text=True)
    auth.sign_out()
    auth.sign_in(make_user("practitioner"))
    assert 'href="/dashboard"' not in client.get("/cases").get_data(as_text=True)


def mean_near(text: str, mean: float, people: int) -> bool:
    """A mean shown within its perturbation (25 points over the people) and rounding."""
    return text != "c" and abs(float(text) - mean) <= 25 / people + 0.5


def test_fewer_than_ten_shows_c_and_ten_or_more_is_rounded(client, auth, session, manager):
    seed(session, range(9), scores={"safety": 50, "education": 70})
    seed(session, range(9, 15), scores={"education": 70})
    session.commit()
    auth.sign_in(manager)
    html = client.get(MARCH).get_data(as_text=True)
    assert cell(html, "people", "Safety") == ["c"]
    assert cell(html, "scores", "Safety") == ["c"]
    # 15 young people: 13 to 17 after perturbation, rounded to 15; the mean from
    # unrounded data, moved by at most 25 / 15 points.
    assert cell(html, "people", "Education, training and work") == ["15"]
    assert mean_near(cell(html, "scores", "Education, training and work")[0], 70, 15)
    assert "What “c” means" in html
    assert 'role="img"' in html and "<title" in html and "<desc" in html


def test_a_manager_sees_only_their_own_teams(client, auth, session, manager):
    seed(session, range(10), team="north", scores={"safety": 20})
    seed(session, range(100, 130), team="south", scores={"safety": 90})
    session.commit()
    auth.sign_in(manager)
    html = client.get(MARCH).get_data(as_text=True)
    assert cell(html, "people", "Safety") == ["10"]
    assert mean_near(cell(html, "scores", "Safety")[0], 20, 10)
    # Another team's code in the URL is refused, not shown.
    response = client.get(MARCH + "&team=south")
    assert response.status_code == 400
    assert "Select a team from the list" in response.get_data(as_text=True)


def test_an_admin_sees_every_team(client, auth, session, make_user, make_team):
    make_team("south")
    seed(session, range(10), team="north", scores={"safety": 20})
    seed(session, range(100, 130), team="south", scores={"safety": 90})
    session.commit()
    auth.sign_in(make_user("admin", teams=()))
    html = client.get(MARCH).get_data(as_text=True)
    assert cell(html, "people", "Safety") == ["40"]
    html = client.get(MARCH + "&team=south").get_data(as_text=True)
    assert cell(html, "people", "Safety") == ["30"]


def test_differencing_on_the_page(client, auth, session, manager):
    # 11 girls and 4 boys in north: "girls" beside "everyone" would give the boys away.
    seed(session, range(11), gender="girl", scores={"safety": 50})
    seed(session, range(11, 15), gender="boy", scores={"safety": 50})
    session.commit()
    auth.sign_in(manager)
    html = client.get(MARCH).get_data(as_text=True)
    assert cell(html, "people", "Safety") == ["15"]
    html = client.get(MARCH + "&gender=girl").get_data(as_text=True)
    # Nothing at all can be shown for the girls, and the page says so in words.
    assert 'id="view-too-small"' in html
    assert 'id="table-people"' not in html


def test_themes_and_quotes_only_where_ten_answered(client, auth, session, manager):
    seed(session, range(9), themes=[("listened-to", "positive")], quote="She listens to me")
    session.commit()
    auth.sign_in(manager)
    html = client.get(MARCH).get_data(as_text=True)
    assert 'id="view-too-small"' in html
    assert "She listens to me" not in html
    seed(session, range(9, 15), themes=[("listened-to", "positive")])
    session.commit()
    html = client.get(MARCH).get_data(as_text=True)
    assert cell(html, "going-well", "2026-03") == ["Being listened to", "15", "100%"]
    assert "She listens to me" in html


def test_response_rates_per_team(client, auth, session, manager, make_case, make_invitation):
    when = datetime(2026, 3, 10)
    for i in range(14):
        invitation = make_invitation(case=make_case(), now=when).invitation
        if i < 12:
            invitation.used_at = invitation.created_at
    session.commit()
    auth.sign_in(manager)
    html = client.get(MARCH).get_data(as_text=True)
    # 14 invited, 12 answered: the 2 who did not would show by subtraction, so "c", and
    # no rate beside a hidden count.
    assert cell(html, "responses", "North team") == ["2026-03", "15", "c", "c"]
    for i in range(16):
        invitation = make_invitation(case=make_case(), now=when).invitation
        if i < 8:
            invitation.used_at = invitation.created_at
    session.commit()
    html = client.get(MARCH).get_data(as_text=True)
    # 30 invited, 20 answered, 10 did not: all shown, the rate from unrounded counts.
    assert cell(html, "responses", "North team") == ["2026-03", "30", "20", "67%"]


def test_a_month_that_has_not_ended_is_not_shown(client, auth, session, manager):
    month = datetime.now(UTC).strftime("%Y-%m")
    seed(session, range(20), when=datetime.now(UTC).replace(tzinfo=None))
    session.commit()
    auth.sign_in(manager)
    html = client.get(f"/dashboard?date_from={month}&date_to={month}").get_data(as_text=True)
    assert 'id="nothing-ended"' in html and 'id="not-yet"' in html
    assert "appear once it has ended" in html
    assert 'id="table-scores"' not in html


def test_views_are_audited_with_their_filters(client, auth, session, manager):
    auth.sign_in(manager)
    client.get(MARCH + "&gender=boy&period=quarter")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "dashboard.view")).one()
    detail = json.loads(event.detail)
    assert event.actor == manager.email
    assert detail["filters"]["gender"] == "boy"
    assert detail["filters"]["period"] == "quarter"
    assert detail["filters"]["teams"] == ["north"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2026-13", "The first month must be a year and month"),
        ("date_from=yesterday", "The first month must be a year and month"),
        ("date_to=2026-01&date_from=2026-03", "The last month must be the same as or after"),
        ("date_from=2020-01&date_to=2026-01", "Choose 36 months or fewer"),
        ("period=week", "Select month or quarter"),
        ("age_band=3-4", "Select an age band from the list"),
        ("gender=%00", "Select a gender from the list"),
        ("strand=<script>", "Select an exploitation strand from the list"),
        ("kind=other", "Select a questionnaire from the list"),
    ],
)
def test_bad_filter_values_give_400_with_a_message(client, auth, manager, query, message):
    auth.sign_in(manager)
    response = client.get(f"/dashboard?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "There is a problem" in html
    response = client.get(f"/dashboard/export/scores.csv?{query}")
    assert response.status_code == 400


def test_monthly_report_page(app, client, auth, session, manager):
    seed(session, range(10), when=datetime(2026, 3, 3))
    session.commit()
    auth.sign_in(manager)
    response = client.get("/dashboard/report?month=2026-03")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Closing the loop: March 2026" in html
    assert cell(html, "headline", "Young people who answered a check-in") == ["10"]
    assert "Safeguarding alerts" in html  # a section registered by the alerts feature
    assert 'class="yv-no-print"' in html
    assert client.get("/dashboard/report?month=March").status_code == 400
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.view")).one()
    assert "2026-03" in event.target
    this_month = datetime.now(UTC).strftime("%Y-%m")
    response = client.get(f"/dashboard/report?month={this_month}")
    assert response.status_code == 400
    assert "has not ended yet" in response.get_data(as_text=True)


def test_report_sections_are_a_seam(app, client, auth, session, manager):
    def speak_to_a_manager(session, start, end, teams):
        return "Speak to a manager requests", [("Asked", 3), ("Answered", 12)]

    app.config["REPORT_SECTIONS"].append(speak_to_a_manager)
    # Sections are numbered from 1 in the order the features registered them.
    key = f"section-{len(app.config['REPORT_SECTIONS'])}"
    auth.sign_in(manager)
    html = client.get("/dashboard/report?month=2026-03").get_data(as_text=True)
    assert "Speak to a manager requests" in html
    assert cell(html, key, "Asked") == ["c"]
    assert cell(html, key, "Answered") == ["10"]


def test_spread_and_distance_by_month_on_the_page(client, auth, session, manager):
    # 10 young people: a baseline in February, a better check-in in March; 5 more who
    # checked in only in March.
    seed(
        session,
        range(10),
        when=datetime(2026, 2, 5),
        scores={"safety": 10},
        occasion_type="baseline",
    )
    seed(session, range(10), when=datetime(2026, 3, 5), scores={"safety": 90})
    seed(session, range(10, 15), when=datetime(2026, 3, 6), scores={"safety": 90})
    session.commit()
    auth.sign_in(manager)
    html = client.get("/dashboard?date_from=2026-02&date_to=2026-03").get_data(as_text=True)
    rows = rows_of(html, "distribution")
    # Period, domain, the four bands, all: February's 10 all scored under 25.
    assert rows[("2026-02", "Safety")] == ["10", "c", "c", "c", "10"]
    assert rows[("2026-03", "Safety")] == ["c", "c", "c", "15", "15"]
    distance = rows_of(html, "distance")
    # February: baselines only, nothing to compare. March: the 10 improved.
    assert distance[("2026-02", "Safety")] == ["c", "c", "c", "c"]
    assert distance[("2026-03", "Safety")] == ["10", "c", "c", "10"]
    # The charts show the latest period.
    assert "Young people by their latest score in each domain, by month: 2026-03" in html


def test_grouping_by_quarter_takes_whole_quarters(client, auth, session, manager):
    seed(session, range(10), when=datetime(2026, 1, 5), scores={"safety": 40})
    session.commit()
    auth.sign_in(manager)
    html = client.get("/dashboard?date_from=2026-02&date_to=2026-05&period=quarter").get_data(
        as_text=True
    )
    assert "January 2026 to June 2026" in html
    assert cell(html, "people", "Safety") == ["10", "c"]


def rows_of(html: str, table_key: str) -> dict[tuple[str, str], list[str]]:
    """A long table's rows keyed by their first two cells (period and domain)."""
    table = html[html.index(f'id="table-{table_key}"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[(cells[0], cells[1])] = cells[2:]
    return rows


def test_the_dashboard_framework_is_its_setting_or_else_the_current_one(app):
    with app.app_context():
        assert framework() is get_framework("complex-safeguarding", 1)
        app.config["DASHBOARD_FRAMEWORK"] = None
        assert framework() is current_framework()
