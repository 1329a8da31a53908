"""Every word of a case's journey, the case facts page and the framework page is marked
for the staff catalogue; names from the definitions files and the case are data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from feedback.outcomes_views import services
from outcomes.framework import all_frameworks
from outcomes.questionnaires import all_questionnaires
from tests.conftest import utcnow
from tests.feedback.outcomes_views import ANSWERS, answer, send
from tests.feedback.pseudo_staff import (  # noqa: F401  # the fixtures
    catalogue,
    data_phrases,
    english_words,
    main_of,
    page_text,
    pseudo,
    pseudo_staff,
)


def journey_of(html: str) -> str:
    start = html.index('<section class="app-journey"')
    return html[start : html.index("</section>", start)]


@pytest.mark.usefixtures("pseudo_staff")
def test_every_word_of_a_journey_and_its_facts_is_marked(
    app, client, auth, session, make_case, make_invitation
):
    case = make_case()
    now = utcnow()
    services.record_case_facts(
        session, case, services.FactValues(1, "partly", "home", "out"), None, now - timedelta(2)
    )
    (goal, _other) = services.set_goals(session, case.id, ["Go to college", "Box"], now)
    session.commit()
    send(app, session, make_invitation(case).invitation, ANSWERS, now - timedelta(days=30))
    invitation = make_invitation(case).invitation
    draft = answer(session, invitation, ANSWERS, now)
    services.rate_goals(session, draft, {goal.id: 7}, now)
    session.commit()
    send(app, session, invitation, ANSWERS, now)
    auth.sign_in(case.practitioner)
    data = (*data_phrases(app, session), case.label, case.reference, "Go to college", "Box")

    journey = journey_of(client.get(f"/cases/{case.id}").get_data(as_text=True))
    assert pseudo("Rated %(rating)s out of 10 at the latest check-in") % {"rating": 7} in journey
    assert english_words(page_text(journey), data) == set()
    facts = main_of(client.get(f"/cases/{case.id}/facts").get_data(as_text=True))
    assert english_words(page_text(facts), data) == set()
    refused = client.post(f"/cases/{case.id}/facts", data={"missing_episodes": "many"})
    assert refused.status_code == 400
    shared = ("There is a problem", "Error:")  # the layout's and the form widgets'
    assert english_words(page_text(main_of(refused.get_data(as_text=True))), data + shared) == (
        set()
    )


@pytest.mark.usefixtures("pseudo_staff")
def test_every_word_of_the_framework_page_is_marked(app, client, auth, session, make_user):
    auth.sign_in(make_user("admin", teams=()))
    html = main_of(client.get("/admin/outcomes-framework").get_data(as_text=True))
    data = [*data_phrases(app, session), "flask outcomes rescore"]
    for framework in all_frameworks().values():
        data += [framework.code, str(framework.source)]
        data += [i.full_code for i in framework.indicators]
        data += [i.scale.code for i in framework.indicators]
    for questionnaire in all_questionnaires().values():
        data += [questionnaire.code, *(q.id for q in questionnaire.questions)]
        data += [q.text for q in questionnaire.questions]
    assert pseudo("Nothing yet") in html or pseudo("(read by their worker)") in html
    assert english_words(page_text(html), tuple(data)) == set()
