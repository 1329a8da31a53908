"""The monthly report as a PDF for committee papers, made on the server by WeasyPrint.

The HTML carries its own print stylesheet and inline SVG charts, so nothing is fetched:
the fetcher allows no protocol at all, and a stray link to an image or stylesheet is left
out rather than requested. WeasyPrint lays text out with Debian's Pango
(`scripts/system-deps.sh`).
"""

from __future__ import annotations


def render(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols=()))
    return document.write_pdf()
