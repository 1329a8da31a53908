"""The young person's pages stay within their budgets on the wire (bench/page_weight.py):
the first page, with every file it loads, within 14 KB; each later page within 4 KB; in
every shipped language, where the same words take more bytes (Urdu and Arabic letters
are two bytes each, and their pages are mirrored). The walk runs no JavaScript, so
finishing it shows the check-in needs none.

Needs the built assets (`npm run build`; `make test` builds them first)."""

from __future__ import annotations

import pytest

from tests.bench.benches import load

page_weight = load("page_weight")
journey = load("journey")


@pytest.fixture(scope="module")
def walked():
    return page_weight.measure()


@pytest.fixture(scope="module")
def walked_in_easy_read():
    return page_weight.measure(easy_read=True)


def _within_budgets(visits, done):
    assert done, "the check-in did not reach 'Answers sent' without JavaScript"
    first, *later = visits
    assert first.wire <= page_weight.FIRST_BUDGET_KB * 1024, page_weight.report(visits, True)
    heavy = [(v.label, v.wire) for v in later if v.wire > page_weight.NEXT_BUDGET_KB * 1024]
    assert heavy == []
    # Every question was a page of its own, then check, done and help.
    assert [v.label for v in later][-3:] == ["/check-in/check", "/check-in/done", "help"]


def test_the_first_page_fits_in_14_kb_and_each_later_page_in_4_kb(walked):
    _within_budgets(*walked)


def test_in_easy_read_with_its_pictures_too(walked_in_easy_read):
    visits, done = walked_in_easy_read
    _within_budgets(visits, done)
    assert visits[1].label == "welcome in easy read"
    questions = [
        page_weight.decode(r)
        for v in visits[2:12]
        for r in v.responses
        if r.status == 200 and r.header("Content-Type").startswith("text/html")
    ]
    assert len(questions) == 10
    assert all('class="app-picture app-picture--subject"' in page for page in questions)


OTHER_LANGUAGES = ["ur", "ar", "pl", "ro"]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_in_every_other_language_too(language):
    """In easy read, whose later pages are the heaviest; the first page (the welcome
    page, before easy read is chosen) is the standard one."""
    visits, done = page_weight.measure(easy_read=True, language=language)
    _within_budgets(visits, done)
    first = visits[0].responses
    welcome = page_weight.decode(first[1])
    assert f'lang="{language}"' in welcome, "the walk was not in its language"
    # One stylesheet, mirrored where the language is written right to left.
    stylesheets = [journey.path_of(r.url) for r in first if r.url.endswith(".css")]
    wanted = "young-person-rtl" if language in ("ur", "ar") else "young-person"
    assert [path.split("/")[-1].split(".")[0] for path in stylesheets] == [wanted]


def test_text_is_compressed_and_files_are_cached_for_a_year(walked):
    visits, _done = walked
    first = visits[0].responses
    # (A redirect has no body, and so no type.)
    pages = [r for r in first if r.body and r.header("Content-Type").startswith("text/html")]
    files = [r for r in first if "/static/" in r.url]
    assert {r.header("Content-Encoding") for r in pages} == {"br"}
    assert {journey.path_of(r.url).rsplit(".", 1)[-1] for r in files} >= {"css", "js", "svg"}
    for response in files:
        assert response.header("Content-Encoding") == "br", response.url
        assert response.header("Cache-Control") == "max-age=31536000, immutable"
    # Later pages load nothing the cache holds: only "Read this to me", which the first
    # question page loads, once.
    later = [journey.path_of(r.url) for visit in visits[1:] for r in visit.responses]
    assert [path.split(".")[0] for path in later if "/static/" in path] == ["/static/js/read-aloud"]


def test_the_summary_line():
    visit = page_weight.Visit("first", [page_weight.Fetched("u", 200, [], b"", 14 * 1024)])
    later = page_weight.Visit("next", [page_weight.Fetched("u", 200, [], b"", 2048)])
    assert page_weight.summary([visit, later], True) == (
        "page_weight first_kb=14.0 next_kb=2.0 js_required=no"
    )
    assert page_weight.summary([visit], False).endswith("js_required=yes")


def test_a_page_is_read_as_a_browser_without_javascript_reads_it():
    html = """<html><head><title> Question 1 of 9 – X </title>
      <link rel="stylesheet" href="/static/css/a.1234567890.css">
      <link rel="icon" href="/static/i.svg"><script type="module" src="/static/j.js"></script>
      </head><body><a href="/help">Help</a>
      <form method="post" action="/check-in/pin/enter">
        <input type="hidden" name="csrf_token" value="t"><input type="password" name="pin">
      </form>
      <form method="post"><input type="hidden" name="csrf_token" value="t">
        <input type="radio" name="answer" value="awful">
        <input type="radio" name="answer" value="ok">
        <input type="radio" name="answer" value="rather-not-say">
        <input type="checkbox" name="many" value="rather-not-say">
        <input type="checkbox" name="many" value="a">
        <textarea name="words"></textarea><button>Save</button></form></body></html>"""
    page = journey.read_page("http://h/check-in/questions/q", html)
    assert page.title == "Question 1 of 9 – X"
    assert page.stylesheets == ["http://h/static/css/a.1234567890.css"]
    assert page.scripts == ["http://h/static/j.js"] and page.images == ["http://h/static/i.svg"]
    assert page.links == {"Help": "http://h/help"}
    action, data = journey.answers_for(page)
    assert action == "http://h/check-in/questions/q"
    assert data == {
        "csrf_token": "t",
        "answer": "awful",
        "many": ["a"],
        "words": journey.TEXT_ANSWER,
    }
    css = 'a{background:url("../i/x.svg")}b{background:url(data:image/png;base64,AA)}'
    assert journey.css_references("http://h/static/css/a.css", css) == ["http://h/static/i/x.svg"]
