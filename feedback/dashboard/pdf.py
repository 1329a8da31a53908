"""The monthly report as a PDF for committee papers, made on the server by WeasyPrint.

The HTML carries its own print stylesheet and inline SVG charts, so nothing is fetched:
the fetcher allows no protocol at all, and a stray link to an image or stylesheet is left
out rather than requested. WeasyPrint lays text out with Debian's Pango
(`scripts/system-deps.sh`).

Words in the page footers are CSS strings in the stylesheet (`content: ...`), where HTML
escaping means nothing: `css_string` quotes them for CSS, and `page_of_pages` gives the
translator "Page %(page)s of %(pages)s" whole, with the page counters where it puts them.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from feedback.i18n import s_

_PAGE, _PAGES = "\x00page\x00", "\x00pages\x00"
_COUNTERS = {_PAGE: "counter(page)", _PAGES: "counter(pages)"}
# A quote or backslash would end or bend the string; a line end is not allowed in one;
# "<" could close the <style> element ("</style>"): each is written as a CSS escape.
_CSS_SPECIAL = re.compile(r'["\\\n\r\f<]')


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string, for a stylesheet inside the page."""
    quoted = _CSS_SPECIAL.sub(lambda m: f"\\{ord(m.group()):x} ", str(text))
    return Markup(f'"{quoted}"')  # noqa: S704  # nosec B704  # every special character escaped


def page_of_pages() -> Markup:
    """The footer's "Page 2 of 9" as a CSS `content` value: the translated sentence, with
    the page and page-count counters where its placeholders are."""
    words = s_("Page %(page)s of %(pages)s", page=_PAGE, pages=_PAGES)
    tokens = [
        _COUNTERS.get(part) or css_string(part)
        for part in re.split(f"({_PAGE}|{_PAGES})", words)
        if part
    ]
    return Markup(" ".join(tokens))  # noqa: S704  # nosec B704  # counters and css_string only


def render(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols=()))
    return document.write_pdf()
