"""Easy read and "Read this to me" in a real browser on a 320 x 568 phone, with axe on
every page: the whole check-in in easy read with its pictures, chosen on the welcome
page, in English, in Urdu (right to left) and in Polish, with no English left on an Urdu
or Polish page; the question, hint and options read aloud in the page's language (the browser's
speech stubbed to record what it is asked to say); no button where the browser cannot
speak or runs no JavaScript, and the journey finished either way."""

from __future__ import annotations

import re

import pytest

from feedback.checkin.pictures import DRAWINGS
from outcomes.easy_read import easy_read_of
from outcomes.questionnaires import get_questionnaire
from tests.browser.checks import check_young_page, out_of_view
from tests.browser.journeys import ANSWERS, fill_answer

pytestmark = pytest.mark.browser

CHECKIN = get_questionnaire("checkin")
EASY = easy_read_of(CHECKIN, "en")
EASY_READ_LINK = "Easy read: short sentences and pictures"
READ_ALOUD = "Read this to me"

# Speech that records what it is asked to say, and says nothing.
RECORD_SPEECH = """
window.spoken = [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (u) => window.spoken.push({text: u.text, lang: u.lang});
  window.speechSynthesis.cancel = () => window.spoken.push('cancel');
}
"""
# As RECORD_SPEECH, with voices of our own (a browser's list differs from machine to
# machine), and utterances that keep whichever voice they are given.
RECORD_SPEECH_WITH_VOICES = """
window.spoken = [];
window.SpeechSynthesisUtterance = class { constructor (text) { this.text = text } };
window.speechSynthesis.getVoices = () => [
  {name: 'Welsh', lang: 'cy-GB'}, {name: 'Polish', lang: 'pl_PL'}, {name: 'English', lang: 'en-GB'}
];
window.speechSynthesis.speak = (u) => window.spoken.push(
  {text: u.text, lang: u.lang, voice: u.voice ? u.voice.name : null});
window.speechSynthesis.cancel = () => {};
"""
NO_SPEECH = "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"


def _choose_easy_read(page) -> None:
    page.get_by_role("link", name=EASY_READ_LINK).click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Standard words, no pictures").is_visible()


def _answer(page, kind: str, value) -> None:
    fill_answer(page, kind, value)
    page.get_by_role("button", name="Save and continue").click()


def _pictures(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('main svg.app-picture')].map(svg => {
          const r = svg.getBoundingClientRect();
          return {hidden: svg.getAttribute('aria-hidden'), width: r.width,
                  subject: svg.classList.contains('app-picture--subject'),
                  label: svg.closest('label') ? svg.closest('label').innerText.trim() : null};
        })"""
    )


def test_whole_check_in_in_easy_read_with_pictures(live_server, phone):
    page = phone().new_page()
    page.goto(live_server.invite("CS-EASY-BROWSER"))
    check_young_page(page)
    assert EASY is not None
    assert EASY.intro not in page.inner_text("main")
    _choose_easy_read(page)
    assert EASY.intro in page.inner_text("main")
    check_young_page(page)
    page.get_by_role("button", name="Start").click()

    for question_id, kind, value in ANSWERS:
        page.wait_for_url(f"**/check-in/questions/{question_id}")
        easy = EASY.question(question_id)
        heading = page.locator("h1")
        assert heading.inner_text().strip() == easy.text
        if easy.hint:
            assert easy.hint in page.inner_text(".govuk-hint >> nth=0")
        pictures = _pictures(page)
        # One picture of the subject, one beside each option; all hidden from screen
        # readers, since the words say everything.
        assert [p["subject"] for p in pictures] == [True] + [False] * len(easy.options)
        assert {p["hidden"] for p in pictures} == {"true"}
        assert [p["label"] for p in pictures[1:]] == [o.label for o in easy.shown_options]
        assert all(p["width"] >= 32 for p in pictures)
        # The pictures take no room: every option and the button on the first screen.
        assert out_of_view(page) == []
        check_young_page(page)
        _answer(page, kind, value)

    page.wait_for_url("**/check-in/check")
    listed = page.inner_text(".govuk-summary-list")
    assert EASY.question("feel-safe").text in listed
    assert EASY.question("feel-safe").option("safe").label in listed
    check_young_page(page)
    page.locator("input[name=quote_consent][value=no]").check()
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in page.inner_text("h1")
    check_young_page(page)

    def stored(session):
        from sqlalchemy import select

        from feedback.cases.services import find_case
        from feedback.responses.models import Response

        case = find_case(session, "CS-EASY-BROWSER")
        response = session.scalar(select(Response).where(Response.case_id == case.id))
        return response.status, response.answer_map()

    status, answers = live_server.query(stored)
    assert status == "submitted"
    assert answers == {question_id: value for question_id, _kind, value in ANSWERS}


def test_the_standard_words_can_be_chosen_again(live_server, phone):
    page = phone().new_page()
    page.goto(live_server.invite("CS-EASY-BACK"))
    _choose_easy_read(page)
    page.get_by_role("link", name="Standard words, no pictures").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/check-in/questions/feel-safe")
    assert page.locator("h1").inner_text().strip() == CHECKIN.question("feel-safe").text
    assert page.locator("main svg.app-picture").count() == 0
    check_young_page(page)


def _spoken(page) -> list:
    return page.evaluate("() => window.spoken")


def test_read_this_to_me_reads_the_question_hint_and_options_in_the_pages_language(
    live_server, phone
):
    context = phone()
    context.add_init_script(RECORD_SPEECH)
    page = context.new_page()
    page.goto(live_server.invite("CS-READ-ALOUD"))
    _choose_easy_read(page)
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/check-in/questions/feel-safe")
    button = page.get_by_role("button", name=READ_ALOUD)
    assert button.is_visible()
    check_young_page(page)
    button.click()
    easy = EASY.question("feel-safe")
    expected = [
        easy.text,
        f"{easy.hint} {easy.audience_text_for(EASY)}",
        *[o.label for o in easy.shown_options],
        "I\u2019d rather not say",
    ]
    assert _spoken(page) == ["cancel"] + [{"text": t, "lang": "en"} for t in expected]

    # A text box: its question, its hint, the error (as the page shows them, in order)
    # and the limit on its length.
    page.goto(f"{live_server.url}/check-in/questions/anything-else")
    page.locator("textarea[name=answer]").fill("x" * 2001)
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()
    page.evaluate("() => { window.spoken = [] }")
    page.get_by_role("button", name=READ_ALOUD).click()
    said = [s["text"] for s in _spoken(page) if s != "cancel"]
    assert said[0] == EASY.question("anything-else").text
    assert said[1].startswith(EASY.question("anything-else").hint)
    assert said[2].startswith("Error: Your answer must be 2,000 characters or fewer")
    assert said[3] == "You can enter up to 2000 characters"


def test_read_aloud_speaks_in_the_pages_language_with_a_voice_for_it(live_server, phone):
    context = phone()
    context.add_init_script(RECORD_SPEECH_WITH_VOICES)
    page = context.new_page()
    page.goto(live_server.invite("CS-READ-VOICE"))
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/check-in/questions/feel-safe")
    page.get_by_role("button", name=READ_ALOUD).click()
    spoken = _spoken(page)
    assert spoken[0] == {
        "text": CHECKIN.question("feel-safe").text,
        "lang": "en",
        "voice": "English",
    }
    # Whatever language the page is in: a Polish page is read in Polish, by the Polish
    # voice (the browser names it pl_PL).
    page.evaluate("() => { window.spoken = []; document.documentElement.lang = 'pl' }")
    page.get_by_role("button", name=READ_ALOUD).click()
    assert {(s["lang"], s["voice"]) for s in _spoken(page)} == {("pl", "Polish")}
    # No voice for the language: the browser's own choice for it.
    page.evaluate("() => { window.spoken = []; document.documentElement.lang = 'ro' }")
    page.get_by_role("button", name=READ_ALOUD).click()
    assert {(s["lang"], s["voice"]) for s in _spoken(page)} == {("ro", None)}


def test_no_button_where_the_browser_cannot_speak(live_server, phone):
    context = phone()
    context.add_init_script(NO_SPEECH)
    page = context.new_page()
    page.goto(live_server.invite("CS-NO-SPEECH"))
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/check-in/questions/feel-safe")
    assert page.evaluate("() => 'speechSynthesis' in window") is False
    assert page.get_by_role("button", name=READ_ALOUD).count() == 0
    assert page.get_by_text(READ_ALOUD).count() == 0
    check_young_page(page)
    _answer(page, "radio", "safe")
    page.wait_for_url("**/check-in/questions/trusted-adult")


def test_easy_read_check_in_without_javascript(live_server, phone):
    page = phone(javascript=False).new_page()
    page.goto(live_server.invite("CS-EASY-NOJS"))
    _choose_easy_read(page)
    page.get_by_role("button", name="Start").click()
    for question_id, kind, value in ANSWERS:
        page.wait_for_url(f"**/check-in/questions/{question_id}")
        assert page.locator("h1").inner_text().strip() == EASY.question(question_id).text
        assert page.get_by_role("button", name=READ_ALOUD).count() == 0
        assert page.locator("main svg.app-picture").count() == 1 + len(
            EASY.question(question_id).options
        )
        _answer(page, kind, value)
    page.wait_for_url("**/check-in/check")
    page.locator("input[name=quote_consent][value=no]").check()
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in page.inner_text("h1")


@pytest.mark.parametrize("code", ["exit-young-person", "exit-family"])
def test_exit_interviews_in_easy_read_fit_a_small_phone_and_pass_axe(live_server, phone, code):
    base = get_questionnaire(code)
    easy = easy_read_of(base, "en")
    page = phone().new_page()
    page.goto(live_server.invite(f"CS-EASY-{code}", questionnaire=code))
    _choose_easy_read(page)
    check_young_page(page)
    drawn = set()
    for question in easy.questions:
        page.goto(f"{live_server.url}/check-in/questions/{question.id}")
        assert page.locator("h1").inner_text().strip() == question.text
        assert page.locator("main svg.app-picture").count() == 1 + len(question.options)
        drawn |= {question.picture, *(o.picture for o in question.options)}
        assert out_of_view(page) == []
        check_young_page(page)
    assert drawn <= set(DRAWINGS)


def _english_of_the_standard_questionnaire(questionnaire) -> set[str]:
    """Every string the standard English check-in shows (and its easy read in English)."""
    found = {questionnaire.title, questionnaire.intro, questionnaire.told_if_it_worries}
    for question in questionnaire.questions:
        found |= {question.text, question.hint or "", question.rather_not_say}
        found.add(question.audience_text_for(questionnaire))
        found |= {o.label for o in question.shown_options}
    return found - {""}


ENGLISH = _english_of_the_standard_questionnaire(CHECKIN) | _english_of_the_standard_questionnaire(
    EASY
)


def _no_english(page) -> None:
    shown = page.inner_text("main")
    said = [words for words in ENGLISH if re.search(rf"(?<!\w){re.escape(words)}(?!\w)", shown)]
    assert said == [], f"{page.url}: English words of the check-in: {said}"


@pytest.mark.parametrize(("code", "direction"), [("ur", "rtl"), ("pl", "ltr")])
def test_a_whole_easy_read_check_in_in_urdu_and_in_polish(live_server, phone, code, direction):
    easy = easy_read_of(CHECKIN, code)
    standard = CHECKIN.in_language(code)
    reference = f"CS-EASY-{code.upper()}"
    page = phone().new_page()
    page.goto(live_server.invite(reference))
    with pytest.raises(AssertionError, match="English words of the check-in"):
        _no_english(page)  # the English welcome page: the check sees English
    page.locator(".app-topbar__language").click()
    page.wait_for_url("**/language?**")
    page.locator(f"a[hreflang={code}]").click()
    page.wait_for_url("**/check-in")
    assert standard.intro in page.inner_text("main")
    # "Easy read: short sentences and pictures", in the page's language.
    page.locator("#reading").click()
    page.wait_for_url("**/check-in?read=easy")

    def check() -> None:
        assert page.get_attribute("html", "lang") == code, page.url
        assert page.get_attribute("html", "dir") == direction, page.url
        width = page.viewport_size["width"]
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, page.url
        _no_english(page)
        check_young_page(page)

    welcome = page.inner_text("main")
    assert easy.intro in welcome and standard.intro not in welcome
    assert easy.told_if_it_worries in welcome
    check()
    page.locator("a.govuk-button--start").click()

    for question_id, kind, value in ANSWERS:
        page.wait_for_url(f"**/check-in/questions/{question_id}")
        question = easy.question(question_id)
        assert page.locator("h1").inner_text().strip() == question.text
        shown = page.inner_text("main")
        assert question.audience_text_for(easy) in shown
        labels = [p["label"] for p in _pictures(page)[1:]]
        assert labels == [o.label for o in question.shown_options]
        assert page.locator("main svg.app-picture").count() == 1 + len(question.options)
        check()
        fill_answer(page, kind, value)
        with page.expect_navigation():
            page.locator("main form button.govuk-button:not(.govuk-button--secondary)").click()

    page.wait_for_url("**/check-in/check")
    listed = page.inner_text(".govuk-summary-list")
    assert easy.question("feel-safe").text in listed
    assert easy.question("feel-safe").option("safe").label in listed
    assert easy.question("school").rather_not_say in listed
    check()
    page.locator("input[name=quote_consent][value=no]").check()
    page.locator("main form button.govuk-button:not(.govuk-button--secondary)").click()
    page.wait_for_url("**/check-in/done")
    check()

    def stored(session):
        from sqlalchemy import select

        from feedback.cases.services import find_case
        from feedback.responses.models import Response

        case = find_case(session, reference)
        response = session.scalar(select(Response).where(Response.case_id == case.id))
        return response.status, response.answer_map()

    status, answers = live_server.query(stored)
    assert status == "submitted"
    assert answers == {question_id: value for question_id, _kind, value in ANSWERS}
