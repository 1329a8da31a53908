"""An answer the detector cannot read (another language) is never passed as read: it
raises a "needs a human read" alert and the young person sees what happens next, as after
any worrying answer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from feedback.alerts.models import Alert
from feedback.safeguarding.detector import ANOTHER_LANGUAGE, scan

POLISH = "nikt mnie nie słucha i boję się wracać do domu"
URDU = "مجھے گھر جانے سے ڈر لگتا ہے"


@pytest.mark.parametrize("text", [POLISH, URDU, "nadie me escucha", "qofna ima dhageysto"])
def test_an_answer_in_another_language_is_flagged_for_a_person_to_read(text):
    found = scan(text)
    assert found.flag and found.categories == (ANOTHER_LANGUAGE,) and found.level == "worrying"


@pytest.mark.parametrize(
    "text",
    ["shes well safe ngl", "idk tbh", "the youth club is peng", "👍", "14", "i'm his stepmum"],
)
def test_english_slang_and_answers_without_words_are_read_as_english(text):
    assert not scan(text).flag


def test_a_disclosure_in_english_beside_another_language_keeps_its_level():
    found = scan(f"i want to kill myself. {URDU} {URDU}")
    assert found.categories == ("suicide-self-harm", ANOTHER_LANGUAGE)
    assert found.level == "danger-now"


def test_the_young_person_sees_what_happens_next_and_a_manager_gets_an_alert(
    client, session, make_invitation, team_staff
):
    client.get(f"/r/{make_invitation().token}")
    response = client.post("/check-in/questions/anything-else", data={"answer": POLISH})
    assert response.location.endswith("/check-in/thank-you")
    page = client.get(response.location).get_data(as_text=True)
    assert "What happens next" in page
    alert = session.scalar(select(Alert))
    assert alert.category_codes == [ANOTHER_LANGUAGE] and alert.level == "worrying"
    assert alert.texts[0]["text"] == POLISH
