"""Response headers every page gets, and the stricter ones young people's pages get."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, g, request

YOUNG_PERSON_FLAG = "young_person_page"


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def mark_young_person_page() -> None:
    """Called by young people's views: no caching, nothing left behind in the browser."""
    g.young_person_page = True


# Where a page sends a person back to (`?next=`): the language page, staff sign-in.
MAX_NEXT = 2000


def safe_next(target: object) -> str | None:
    """`target` if it is a path on this site (never another site, a scheme or a
    protocol-relative `//host`), else None."""
    if not isinstance(target, str) or not target or len(target) > MAX_NEXT:
        return None
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(c) < 32 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _headers(response):
        nonce = csp_nonce()
        if response.status_code // 100 != 3 or response.get_data():
            # Only our own origin: a young person's phone asks nothing of any other site.
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; "
                f"script-src 'self' 'nonce-{nonce}'; "
                f"style-src 'self' 'nonce-{nonce}'; "
                "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
            )
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        else:
            # A redirect is never drawn: what protects a drawn page (its policy, framing,
            # sniffing, the phone's camera) has nothing to act on, and it goes without,
            # as without a type for its empty body: 190 bytes less on each redirect a
            # phone follows, after every answer saved. What the phone does with the
            # next address (the referrer, caching, https only) stays on it.
            response.headers.pop("Content-Type", None)
        response.headers["Referrer-Policy"] = "no-referrer"
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if g.get("young_person_page") or request.blueprint == "young":
            # Kept by nothing: not the phone, not a cache on the way. (`Pragma` means
            # nothing in a response, and `Vary` only tells caches how to key what they
            # keep: both would be bytes on every page and redirect a phone fetches.
            # The session's `Vary: Cookie`, added after this, stays.)
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Vary", None)
        elif request.endpoint != "static":
            # Staff pages carry case data: keep them out of shared caches too.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
