"""Exit results for managers: the monthly report's sections on closures and exit
interviews, and the dashboard for an exit interview's kind, under disclosure control."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest
from sqlalchemy import select

from feedback.cases.models import CaseReferral
from feedback.cases.services import ContactDetails, add_family_contact, close_case, reopen_case
from feedback.invitations.services import invite_to_exit
from outcomes.store import Context, record_occasion
from tests.feedback.dashboard import cell

MARCH = datetime(2026, 3, 10)
_refs = itertools.count()


@pytest.fixture
def manager(make_user):
    return make_user("manager", teams=("north",))


def closed_in_march(app, session, make_case, reason, *, answered=True, family=False):
    case = make_case()
    case.opened_at = case.referral.opened_at = datetime(2026, 2, 1)
    contacts = []
    if family:
        contacts = [
            add_family_contact(
                session,
                case,
                ContactDetails("Ann", "Mum", email="ann@example.org"),
                by=None,
                now=MARCH,
            )
        ]
    close_case(session, case, reason=reason, closed_on=MARCH.date(), by=None, now=MARCH)
    links = invite_to_exit(
        session,
        case,
        young_person=True,
        contacts=contacts,
        config=app.config,
        created_by_id=None,
        now=MARCH,
    )
    if answered:
        links.young_person.invitation.used_at = MARCH
    session.commit()
    return case


def exit_scores(session, n, kind="exit-young-person", domain="experience", score=80):
    for person in range(n):
        record_occasion(
            session,
            Context(
                pseudonym=f"{kind}-{person}",
                response_ref=f"exit-response-{next(_refs)}",
                team="north",
                age_band="14-15",
                strands=("criminal-exploitation",),
                gender="girl",
            ),
            framework_code="complex-safeguarding",
            framework_version=2,
            questionnaire_code=kind,
            questionnaire_kind=kind,
            occasion_type="exit",
            measured_at=MARCH,
            indicator_scores={},
            domain_scores={domain: score},
        )
    session.commit()


def test_the_report_counts_closures_by_reason_and_exit_interviews_under_control(
    app, client, auth, session, make_case, manager
):
    for _ in range(12):
        closed_in_march(app, session, make_case, "planned")
    for _ in range(3):
        closed_in_march(app, session, make_case, "moved", answered=False, family=True)
    exit_scores(session, 10)
    exit_scores(session, 3, "exit-family", "family-experience")
    auth.sign_in(manager)
    html = client.get("/dashboard/report?month=2026-03").get_data(as_text=True)

    keys = {title: f"section-{i}" for i, title in enumerate((s.__doc__ or "" for s in ()), 1)}
    assert "Cases closed, by reason" in html and "Exit interviews" in html
    closures = next(
        f"section-{i}"
        for i in range(1, 10)
        if f'id="table-section-{i}"' in html
        and "Cases closed, by reason"
        in html[html.index(f'id="table-section-{i}"') - 600 : html.index(f'id="table-section-{i}"')]
    )
    del keys
    assert cell(html, closures, "Moved away") == ["c"]  # 3 cases
    assert cell(html, closures, "Stopped engaging") == ["c"]  # none
    assert cell(html, closures, "Cases closed") == ["15"]
    exits = f"section-{int(closures.split('-')[1]) + 1}"
    assert cell(html, exits, "Young people offered an exit interview") == ["15"]
    # 12 of 15 answered: the 3 who did not are too few to be given away by subtraction.
    assert cell(html, exits, "Young people who completed it") == ["c"]
    assert cell(html, exits, "Parents and carers offered an exit interview") == ["c"]
    assert cell(html, exits, "Re-referrals (closed cases opened again)") == ["c"]
    young = cell(html, exits, "Young people: experience of the service (mean score of 100)")
    assert young != ["c"] and 70 <= int(young[0]) <= 90
    # Three parents: never mixed with the young people's scores, and too few to show.
    assert cell(
        html, exits, "Parents and carers: experience of the service (mean score of 100)"
    ) == ["c"]


def test_a_section_counts_re_referrals_and_the_completed_when_few_did_not_answer(
    app, session, make_case
):
    from feedback.invitations.report import closures_section, exit_interviews_section

    cases = [closed_in_march(app, session, make_case, "planned") for _ in range(10)]
    for case in cases:
        reopen_case(session, case, by=None, now=datetime(2026, 3, 20))
    session.commit()
    title, rows, total = closures_section(session, date(2026, 3, 1), date(2026, 4, 1), None)
    assert (title, dict(rows)["Planned ending"], total) == (
        "Cases closed, by reason",
        10,
        "Cases closed",
    )
    title, rows = exit_interviews_section(session, date(2026, 3, 1), date(2026, 4, 1), None)
    found = dict(rows)
    assert found["Young people offered an exit interview"] == 10
    assert found["Young people who completed it"] == 10
    assert found["Re-referrals (closed cases opened again)"] == 10
    assert found["Young people: experience of the service (mean score of 100)"] == "c"
    assert len(session.scalars(select(CaseReferral)).all()) == 20
    # Another team's manager sees none of it.
    assert (
        dict(closures_section(session, date(2026, 3, 1), date(2026, 4, 1), ("south",))[1])[
            "Planned ending"
        ]
        == 0
    )


@pytest.mark.parametrize(("people", "shown"), [(10, True), (9, False)])
def test_the_dashboard_shows_an_exit_kind_on_the_framework_that_measures_it(
    client, auth, session, manager, people, shown
):
    exit_scores(session, people)
    auth.sign_in(manager)
    html = client.get(
        "/dashboard?date_from=2026-03&date_to=2026-03&kind=exit-young-person"
    ).get_data(as_text=True)
    if shown:
        (mean,) = cell(html, "scores", "Experience of the service")
        assert 75 <= int(mean) <= 85  # 80, moved by at most 25 / 10 people and rounded
    else:
        assert 'id="table-scores"' not in html or cell(
            html, "scores", "Experience of the service"
        ) == ["c"]
