"""The case page's journey: only what the young person shared with their worker."""

from __future__ import annotations

import re
from datetime import timedelta

from feedback.charts import Line, line_chart
from feedback.outcomes_views import services
from tests.conftest import utcnow
from tests.feedback.outcomes_views import ANSWERS, send


def journey_section(html: str, case_id: int) -> str:
    start = html.index('<section class="app-journey"')
    section = html[start : html.index("</section>", start)]
    return section.replace(f"journey-{case_id}", "journey-N").replace(
        f"/cases/{case_id}/", "/cases/N/"
    )


def test_a_case_with_no_check_ins_says_so(client, auth, make_case):
    case = make_case()
    auth.sign_in(case.practitioner)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "JB's journey" in page
    assert "No check-ins have been sent yet" in page
    assert "<svg" not in page


def test_chart_and_table_show_the_same_scores(
    app, client, auth, session, make_case, make_invitation
):
    case = make_case()
    now = utcnow()
    send(app, session, make_invitation(case).invitation, ANSWERS, now - timedelta(days=30))
    send(app, session, make_invitation(case).invitation, {**ANSWERS, "feel-safe": "very-safe"}, now)
    auth.sign_in(case.practitioner)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)

    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg
    assert f'aria-labelledby="journey-{case.id}-title journey-{case.id}-desc"' in svg
    assert f'<title id="journey-{case.id}-title">' in svg
    assert "<desc" in svg
    assert "style=" not in svg  # the CSP allows no inline style
    table = page[page.index('id="journey-table"') :]
    table = table[: table.index("</table>")]
    assert "Safety" in table
    # feel-safe in-between (50) then very-safe (100); no facts, so safety is feel-safe alone.
    safety_row = table[table.index("Safety") :]
    safety_row = safety_row[: safety_row.index("</tr>")]
    assert re.findall(r">(\d+|No score)</td>", safety_row) == ["50", "100"]
    assert 'data-series="Safety"' in svg


def test_service_answers_never_change_the_journey(
    app, client, auth, session, make_case, make_invitation, make_user
):
    worker = make_user("practitioner")
    one, two = make_case(worker), make_case(worker)
    now = utcnow()
    # Same answers for the worker; opposite answers for the service only.
    send(
        app,
        session,
        make_invitation(one).invitation,
        {**ANSWERS, "listened-to": "never", "future": "really-bad"},
        now,
    )
    send(
        app,
        session,
        make_invitation(two).invitation,
        {**ANSWERS, "listened-to": "always", "future": "really-good"},
        now,
    )
    auth.sign_in(worker)
    first = journey_section(client.get(f"/cases/{one.id}").get_data(as_text=True), one.id)
    second = journey_section(client.get(f"/cases/{two.id}").get_data(as_text=True), two.id)
    assert first == second
    assert "Listened to" not in first
    assert "Hopes and goals" not in first  # only the service-audience "future" feeds it
    journey = services.case_journey(session, one)
    assert "listened-to" not in journey.points[0].domains
    # The store does hold the service answers: they are the manager's, not the worker's.
    from sqlalchemy import select

    from outcomes.store import Measurement

    held = set(session.scalars(select(Measurement.indicator)))
    assert "listened-to.feel-listened-to" in held


def test_facts_and_goals_count_in_the_journey(app, session, make_case, make_invitation):
    case = make_case()
    now = utcnow()
    services.record_case_facts(
        session, case, services.FactValues(0, "yes", "home", "in"), None, now - timedelta(days=2)
    )
    (goal,) = services.set_goals(session, case.id, ["Go to college"], now - timedelta(days=2))
    session.commit()
    invitation = make_invitation(case).invitation
    from tests.feedback.outcomes_views import answer

    draft = answer(session, invitation, ANSWERS, now)
    services.rate_goals(session, draft, {goal.id: 7}, now)
    session.commit()
    send(app, session, invitation, ANSWERS, now)
    point = services.case_journey(session, case).points[0]
    assert point.domains["safety"] == (50 + 100) / 2
    assert point.domains["hopes-goals"] == 70


def test_distance_travelled_per_domain(app, client, auth, session, make_case, make_invitation):
    case = make_case()
    now = utcnow()
    baseline = {**ANSWERS, "feel-safe": "very-unsafe", "feelings": "good", "school": "ok"}
    latest = {**ANSWERS, "feel-safe": "very-safe", "feelings": "bad", "school": "good"}
    send(app, session, make_invitation(case).invitation, baseline, now - timedelta(days=60))
    send(app, session, make_invitation(case).invitation, ANSWERS, now - timedelta(days=30))
    send(app, session, make_invitation(case).invitation, latest, now)

    distance = {d.domain: d for d in services.case_journey(session, case).distance}
    assert (distance["safety"].baseline, distance["safety"].latest) == (0, 100)
    assert distance["safety"].status == "improved"
    assert distance["health-wellbeing"].status == "worse"
    assert distance["education"].change == 25
    assert distance["education"].status == "no-reliable-change"  # not more than 25
    # "Not sure" every time: never scored, so not listed at all.
    assert "trusted-relationships" not in distance

    auth.sign_in(case.practitioner)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    table = page[page.index('id="distance-table"') :]
    table = table[: table.index("</table>")]
    row = table[table.index("Safety") :]
    row = row[: row.index("</tr>")]
    assert "+100" in row
    assert '<strong class="govuk-tag govuk-tag--green">Improved</strong>' in row
    assert "Worse" in table
    assert "No reliable change" in table


def test_one_check_in_has_nothing_to_compare(app, session, make_case, make_invitation):
    case = make_case()
    send(app, session, make_invitation(case).invitation, ANSWERS, utcnow())
    statuses = {d.status for d in services.case_journey(session, case).distance}
    assert statuses == {"no-baseline"}


def test_admin_sees_the_journey_but_no_facts_link(client, auth, make_case, make_user):
    case = make_case()
    auth.sign_in(make_user("admin", teams=()))
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "JB's journey" in page
    assert "record-facts-link" not in page


def test_chart_escapes_names_and_leaves_gaps():
    svg = line_chart(
        chart_id="c",
        title="<b>",
        description="d & e",
        x_labels=["1 Jan", "2 Feb", "3 Mar"],
        lines=[Line("A <script>", [10, None, 90])],
    )
    assert ">c</text>" not in svg  # a missing journey score is not a suppressed cell
    assert "<script>" not in svg
    assert "&lt;b&gt;" in svg
    assert "<polyline" not in svg  # two points with a gap between: no line joins them
    assert svg.count("<circle") == 3  # two points and the legend's marker


def test_the_chart_description_counts_domains_and_check_ins(app):
    from feedback.outcomes_views.routes import _journey_description

    with app.test_request_context():
        one = _journey_description(1, ["3 Mar 2026"])
        several = _journey_description(4, ["3 Feb 2026", "3 Mar 2026"])
    assert one.startswith("Scores from 0 to 100 for 1 domain at 1 check-in on 3 Mar 2026, ")
    assert several.startswith(
        "Scores from 0 to 100 for 4 domains at 2 check-ins from 3 Feb 2026 to 3 Mar 2026, "
    )
