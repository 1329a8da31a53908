from __future__ import annotations

from sqlalchemy import select

from feedback.cases.models import Case

VALID = {
    "reference": "cs-200001",
    "label": "JB",
    "date_of_birth": ["14", "5", "2010"],
    "gender": "girl",
    "strands": ["sexual-exploitation", "missing"],
}


def test_practitioner_opens_a_case(client, auth, make_user, session):
    user = make_user()
    auth.sign_in(user)
    response = client.post("/cases/new", data={**VALID, "team": user.teams[0].id})
    assert response.status_code == 302
    case = session.scalar(select(Case))
    assert case.reference == "CS-200001"
    assert case.strands == ["missing", "sexual-exploitation"]
    page = client.get(response.location).get_data(as_text=True)
    assert "14 to 15" in page or "16 to 17" in page or "11 to 13" in page


def test_bad_case_form_explains_each_problem(client, auth, make_user):
    user = make_user()
    auth.sign_in(user)
    response = client.post(
        "/cases/new", data={"team": user.teams[0].id, "date_of_birth": ["40", "1", "2010"]}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in (
        "Enter the case reference",
        "Enter initials or a first name",
        "Date of birth must be a real date",
        "Choose at least one kind of exploitation",
    ):
        assert message in text


def test_future_birth_date_and_duplicate_reference_are_refused(client, auth, make_user):
    user = make_user()
    auth.sign_in(user)
    data = {**VALID, "team": user.teams[0].id}
    future = client.post("/cases/new", data={**data, "date_of_birth": ["1", "1", "2099"]})
    assert "real date in the past" in future.get_data(as_text=True)
    client.post("/cases/new", data=data)
    again = client.post("/cases/new", data=data)
    assert "already a case with that reference" in again.get_data(as_text=True)


def test_practitioner_cannot_open_case_in_another_team(client, auth, make_user, make_team):
    user = make_user()
    other = make_team("south")
    auth.sign_in(user)
    response = client.post("/cases/new", data={**VALID, "team": other.id})
    assert response.status_code == 400


def test_cases_of_other_teams_are_hidden(client, auth, make_user, make_case):
    north_case = make_case()
    south_worker = make_user(teams=("south",))
    auth.sign_in(south_worker)
    assert client.get(f"/cases/{north_case.id}").status_code == 404
    assert north_case.reference not in client.get("/cases").get_data(as_text=True)


def test_invite_shows_link_and_code_once(client, auth, make_case, session):
    case = make_case()
    auth.sign_in(case.practitioner)
    response = client.post(f"/cases/{case.id}/invitations")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Check-in invitation ready" in page
    assert "/r/" in page
    assert client.get(response.location).get_data(as_text=True).count("/r/") == 0


def test_post_with_no_fields_at_all_is_an_error_not_a_crash(client, auth, make_user):
    auth.sign_in(make_user())
    response = client.post("/cases/new", data={})
    assert response.status_code == 400
    assert "Enter the date of birth" in response.get_data(as_text=True)


def test_case_list_links_are_links_not_escaped_text(client, auth, make_case):
    case = make_case()
    auth.sign_in(case.practitioner)
    html = client.get("/cases").get_data(as_text=True)
    assert f'<a class="govuk-link" href="/cases/{case.id}">{case.reference}</a>' in html
    assert "&lt;a" not in html
