"""What every young person's page must pass in the browser: axe, 44-pixel controls,
neutral words, and (for questions) everything within a small phone's screen."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from feedback.config import YOUNG_PERSON_UNSAID

axe = Axe()
TOUCH = 44

# Every control a person can press or type into, as the browser lays it out. Controls of
# one pixel or less are visually hidden until focused (the skip link), and measured then.
CONTROLS_JS = """
() => {
  const found = [];
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.closest('[hidden]')) continue;
    const r = el.getBoundingClientRect();
    found.push({
      html: el.outerHTML.slice(0, 120), width: r.width, height: r.height,
      top: r.top + window.scrollY, bottom: r.bottom + window.scrollY,
      tag: el.tagName.toLowerCase(), type: el.type || '',
      text: (el.innerText || el.value || '').trim(),
    });
  }
  return found;
}
"""


def controls(page) -> list[dict]:
    return page.evaluate(CONTROLS_JS)


def check_accessible(page) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def check_touch_targets(page) -> None:
    small = [
        c for c in controls(page) if c["width"] > 1 and c["height"] > 1 and c["height"] < TOUCH
    ]
    assert small == [], f"{page.url}: controls under {TOUCH}px tall: {small}"
    # The skip link appears when focused: it must be as easy to press then.
    skip = page.locator(".govuk-skip-link")
    if skip.count():
        skip.focus()
        box = skip.bounding_box()
        assert box and box["height"] >= TOUCH, f"{page.url}: skip link {box}"
        page.evaluate("() => document.activeElement.blur()")


def service_name_in(language: str | None) -> str:
    """The default service name young people see, in the page's language (config's name,
    translated through the catalogue while no admin has given one)."""
    from babel.support import Translations

    from feedback.i18n import TRANSLATIONS

    words = Translations.load(str(TRANSLATIONS), [language or "en"])
    return words.gettext("Youth support check-in")  # feedback/config.py's default


def check_neutral(page, service_name: str | None = None) -> None:
    title = page.title()
    service_name = service_name or service_name_in(page.get_attribute("html", "lang"))
    assert title.endswith(f"– {service_name}"), title
    seen = (title + " " + page.inner_text("body")).lower()
    for word in YOUNG_PERSON_UNSAID:
        assert word not in seen, (page.url, word)


def check_young_page(page, seen: list | None = None) -> None:
    """axe, 44-pixel controls and neutral words, on the page as it is now."""
    check_accessible(page)
    check_touch_targets(page)
    check_neutral(page)
    if seen is not None:
        seen.append(page.url)


def out_of_view(page) -> list[dict]:
    """The options and the main button of a question page that the first screen does not
    show in full: nothing should have to be scrolled to."""
    height = page.viewport_size["height"]
    width = page.viewport_size["width"]
    assert page.evaluate("() => window.scrollY") == 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, "sideways"
    wanted = page.evaluate(
        """() => [...document.querySelectorAll(
              'main input[name=answer], main textarea[name=answer], main form button')]
            .filter(el => !el.classList.contains('govuk-button--secondary'))
            .map(el => {
              const box = (el.labels && el.labels[0]) || el;
              const r = el.getBoundingClientRect(), l = box.getBoundingClientRect();
              return {name: el.name || el.innerText.trim(), value: el.value,
                      bottom: Math.max(r.bottom, l.bottom), right: Math.max(r.right, l.right)};
            })"""
    )
    assert wanted, page.url
    return [w for w in wanted if w["bottom"] > height or w["right"] > width]
