"""The walks through every page a young person or a family member sees, by their own
buttons and links, with a check run on each page. The axe test and the 200% text test
walk the same way, so a page added to the journey is checked by both."""

from __future__ import annotations

from collections.abc import Callable

from tests.browser.journeys import ANSWERS, fill_answer
from tests.browser.site import WORRYING, Site

FAMILY_ANSWERS = {
    "listened-to": "certainly-true",
    "treated-well": "certainly-true",
    "child-helped": "partly-true",
    "easy-to-reach": "not-true",
    "things-better": "dont-know",
    "would-recommend": "certainly-true",
    "really-good": "The worker always called back",
    "could-be-better": "More notice of meetings",
    "anything-else": "",
    "who-with": "on-my-own",
}

Check = Callable[[object], None]


def words_in(language: str) -> Callable[[str], str]:
    """The page's words for an English string, as a person reading `language` sees them."""
    from babel.support import Translations

    from feedback.i18n import TRANSLATIONS

    return Translations.load(str(TRANSLATIONS), [language]).gettext


def endpoint_of(app, url: str) -> str:
    """The endpoint that answered a page's address."""
    from urllib.parse import urlsplit

    adapter = app.url_map.bind("localhost")
    endpoint, _values = adapter.match(urlsplit(url).path, method="GET")
    return endpoint


class Walker:
    """Runs the check on the page as it is now, and notes which endpoint it was."""

    def __init__(self, site: Site, check: Check):
        self.site = site
        self.check = check
        self.seen: list[str] = []

    def __call__(self, page) -> None:
        page.wait_for_load_state()
        self.check(page)
        self.seen.append(endpoint_of(self.site.server.app, page.url))

    @property
    def endpoints(self) -> set[str]:
        return set(self.seen)


def _go(page, action) -> None:
    with page.expect_navigation():
        action()


def _button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def answer(page, kind: str, value, language: str = "en") -> None:
    fill_answer(page, kind, value)
    _go(page, _button(page, words_in(language)("Save and continue")).click)


def walk_check_in(site: Site, new_phone, visit: Walker, language: str = "en") -> None:
    """A young person: the start page and a wrong code, links that do not work, help, the
    statement, then a whole check-in with a PIN, a worrying answer, goals and a request to
    talk to a manager; the same link on a second phone; and the end. In `language`: chosen
    in the top bar first, and the link's own."""
    url = site.url
    _ = words_in(language)
    page = new_phone()
    page.goto(f"{url}/language/{language}")
    page.goto(f"{url}/start")
    visit(page)
    page.fill("#code", "ABCD-2345")
    _go(page, _button(page, _("Continue")).click)
    visit(page)
    for broken in ("/r/not-a-real-link", "/talk/r/not-a-real-link", "/talk"):
        page.goto(url + broken)
        visit(page)
    page.goto(f"{url}/you-said-we-did")
    visit(page)

    link = site.link(language=language)
    page.goto(link)
    visit(page)
    _go(page, page.get_by_role("link", name=_("Choose a PIN")).click)
    visit(page)
    page.fill("#pin", "2580")
    page.fill("#pin_again", "2580")
    _go(page, _button(page, _("Save my PIN")).click)
    _go(page, _button(page, _("Start")).click)
    for _question_id, kind, value in ANSWERS:
        visit(page)
        answer(page, kind, WORRYING if kind == "text" else value, language)
        if kind == "text":
            visit(page)  # what happens next, after a worrying answer
            _go(page, _button(page, _("Carry on")).click)
    visit(page)  # check your answers
    _go(page, page.get_by_role("link", name=_("Set or rate your own goals")).click)
    visit(page)
    page.goto(f"{url}/help")
    visit(page)
    page.goto(f"{url}/accessibility")
    visit(page)
    # The language page from the top bar; another language for a page, then back.
    _go(page, page.get_by_role("link", name=_("Language"), exact=True).click)
    visit(page)
    other = "pl" if language != "pl" else "ro"
    _go(page, page.locator(f"a[hreflang={other}]").click)
    visit(page)
    page.goto(f"{url}/language?lang={language}&next=/help")
    _go(page, page.locator(f"a[hreflang={language}]").click)

    # Talk to a manager, from the footer of a check-in page.
    page.goto(f"{url}/check-in/check")
    _go(page, page.get_by_role("link", name=_("Talk to a manager")).click)
    visit(page)
    page.get_by_label(_("Something that could be better"), exact=True).check()
    _go(page, _button(page, _("Continue")).click)
    visit(page)
    page.get_by_label(_("A phone call"), exact=True).check()
    page.locator("#phone").fill("07911 123456")
    _go(page, _button(page, _("Continue")).click)
    visit(page)
    page.get_by_label(_("In the evening (6pm to 8pm)"), exact=True).check()
    _go(page, _button(page, _("Continue")).click)
    visit(page)
    page.locator("#message").fill("Can we meet after school?")
    _go(page, _button(page, _("Send to a manager")).click)
    visit(page)

    # The same link on another phone: the PIN, then a calm stop.
    other = new_phone()
    other.goto(link)
    visit(other)
    other.goto(f"{url}/check-in/pin/enter")
    visit(other)
    other.goto(f"{url}/check-in/stop")
    visit(other)

    page.goto(f"{url}/check-in/check")
    page.locator("input[name=quote_consent][value=no]").check()
    _go(page, _button(page, _("Send my answers")).click)
    visit(page)


def walk_family_exit(site: Site, new_phone, visit: Walker, language: str = "en") -> None:
    """A parent or carer's exit interview, from the link in their text message."""
    from outcomes.questionnaires import get_questionnaire

    _ = words_in(language)
    page = new_phone()
    page.goto(site.link("exit-family", family=True, language=language))
    visit(page)
    _go(page, _button(page, _("Start")).click)
    for question in get_questionnaire("exit-family").questions:
        visit(page)
        value = FAMILY_ANSWERS[question.id]
        answer(page, "text" if question.kind.is_free_text else "radio", value, language)
    visit(page)
    page.locator("input[name=quote_consent][value=no]").check()
    _go(page, _button(page, _("Send my answers")).click)
    visit(page)


# The endpoints the two walks reach.
YOUNG_ENDPOINTS = {
    "young.start",
    "young.open_link",
    "young.welcome",
    "young.set_pin",
    "young.enter_pin",
    "young.question",
    "young.support",
    "young.check",
    "young.done",
    "young.stop",
    "young.help_contacts",
    "young.accessibility",
    "language.choose",
    "goals.your_goals",
    "talk.start",
    "talk.open_link",
    "talk.question",
    "talk.sent",
    "talk.you_said_we_did",
}
