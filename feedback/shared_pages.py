"""Pages every young person sees alike, drawn once and kept.

A question nobody has answered yet looks the same to every young person who reaches it
by the same address, in the same language and reading, from the same service: only two
values on it are their own, the form's CSRF token (tied to their session) and the
content security policy's nonce (new each request). Drawing the page through the GOV.UK
layout was a third of the server's time for such a request, so `render_shared` draws it
once with a marker in place of each of the two, keeps the text, and fills in this
request's own values each time.

What the page shows must follow from its key and nothing else. The key is the template,
the facts the caller names (the state of the response the page depends on), and what
every young person's page reads from the request: its address with its query, the
language, easy read and the service's name (a setting an admin may change). A page is
drawn afresh, and not kept, when anything else could show on it: a flash message
waiting, a member of staff signed in, a request other than GET. A page whose drawing
took the real token or nonce instead of a marker is not kept either, so one person's
token can never be served to another (tests/feedback/checkin/test_shared_pages.py).

Kept per process, at most `SHARED_PAGES_KEPT` pages (a setting; 0 turns it off), the
least recently used dropped first. Nothing a young person typed or chose is ever in a
kept page: callers pass only pages without a saved answer.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from flask import current_app, render_template, request, session
from flask_wtf.csrf import generate_csrf

from feedback.context import young_service_name
from feedback.i18n import current_language, wants_easy_read
from feedback.security import csp_nonce

# Markers no page could hold by chance, new each time the app starts.
_CSRF = f"yv-csrf-{secrets.token_hex(12)}"
_NONCE = f"yv-nonce-{secrets.token_hex(12)}"
_LOCK = threading.Lock()


class _Kept:
    def __init__(self, size: int) -> None:
        self.size = size
        self.pages: OrderedDict[Hashable, str] = OrderedDict()
        self.drawn = 0  # how many times a page was drawn, not served from here

    def get(self, key: Hashable) -> str | None:
        with _LOCK:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: str) -> None:
        with _LOCK:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


def kept() -> _Kept:
    return current_app.extensions["shared_pages"]


def _may_keep() -> bool:
    return (
        kept().size > 0
        and request.method == "GET"
        and "_flashes" not in session
        and "_user_id" not in session
    )


def render_shared(
    template: str,
    facts: Hashable,
    context: Callable[[], Mapping[str, Any]],
) -> str:
    """`template` drawn with `context()` (called only when the page is drawn), as every
    young person sees it at this address given `facts`, with this request's own token
    and nonce in it."""
    if not _may_keep():
        kept().drawn += 1
        return render_template(template, **context())
    key = (
        template,
        facts,
        request.full_path,
        current_language(),
        wants_easy_read(),
        young_service_name(),
    )
    page = kept().get(key)
    if page is None:
        kept().drawn += 1
        page = render_template(
            template, **context(), csrf_token=lambda: _CSRF, csp_nonce=lambda: _NONCE
        )
        # Drawn with this request's own token or nonce after all: never shared.
        if generate_csrf() not in page and csp_nonce() not in page:
            kept().put(key, page)
    return page.replace(_CSRF, generate_csrf()).replace(_NONCE, csp_nonce())


def init_app(app) -> None:
    app.config.setdefault("SHARED_PAGES_KEPT", 1024)
    app.extensions["shared_pages"] = _Kept(int(app.config["SHARED_PAGES_KEPT"]))
