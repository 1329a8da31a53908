"""Built files by their hashed names, cached for a year; pages compressed; redirects
without a body. Needs the built assets (`npm run build`; `make test` builds them)."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

from feedback import assets, create_app
from feedback.config import ConfigError


def test_asset_url_gives_the_hashed_name_the_build_wrote(app):
    with app.test_request_context():
        url = assets.asset_url("css/young-person.css")
    assert re.fullmatch(r"/static/css/young-person\.[0-9a-f]{10}\.css", url)


def test_a_built_file_is_cached_for_a_year_and_sent_compressed(app, client):
    with app.test_request_context():
        url = assets.asset_url("js/young-person.js")
    plain = client.get(url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert plain.headers["Cache-Control"] == "max-age=31536000, immutable"
    assert "Access-Control-Allow-Origin" not in plain.headers
    assert plain.headers["Content-Type"] == "text/javascript"  # a module is UTF-8
    # Never asked again whether it changed: no dates or tags to ask with.
    assert "Last-Modified" not in plain.headers and "ETag" not in plain.headers
    squeezed = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert squeezed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(squeezed.data) == plain.data
    assert "Last-Modified" not in squeezed.headers and "ETag" not in squeezed.headers
    assert len(squeezed.data) < len(plain.data) / 2
    assert b"sourceMappingURL" not in plain.data


def test_pages_are_sent_with_brotli_or_gzip_as_the_browser_asks(client):
    # (Each page has its own nonce, so the pages are compared by their words.)
    plain = client.get("/start")
    assert "Content-Encoding" not in plain.headers
    assert b"Enter your code" in plain.data
    br = client.get("/start", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br"
    assert len(brotli.decompress(br.data)) == len(plain.data) > 2 * len(br.data)
    assert b"Enter your code" in brotli.decompress(br.data)
    gz = client.get("/start", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert b"Enter your code" in gzip.decompress(gz.data)
    # One Date, the server's: a page has no ETag, so no conditional request is weighed.
    assert "Date" not in br.headers and "ETag" not in br.headers
    # A young person's page is kept by no cache, so it tells caches nothing of how to
    # key it but the session's cookie (Flask's own); a staff page does.
    assert br.headers.get("Vary") in (None, "Cookie")
    staff = client.get("/sign-in", headers={"Accept-Encoding": "br"})
    assert staff.headers["Content-Encoding"] == "br" and "Accept-Encoding" in staff.headers["Vary"]


def test_a_redirect_carries_no_body(client, make_invitation):
    response = client.get(f"/r/{make_invitation().token}")
    assert response.status_code == 302 and response.location.endswith("/check-in")
    assert response.data == b""


def test_a_young_persons_session_cookie_is_sent_only_when_it_changes(client, make_invitation):
    client.get(f"/r/{make_invitation().token}")
    client.get("/check-in")
    page = client.get("/check-in")
    assert page.status_code == 200
    assert page.headers.getlist("Set-Cookie") == []


def test_a_live_app_refuses_to_start_without_the_built_manifest(app_config, monkeypatch):
    monkeypatch.setattr(assets, "MANIFEST", "not-built.json")
    live = {
        **app_config,
        "APP_ENV": "production",
        "SECRET_KEY": "a-live-secret-key-with-many-characters-0123456789",
        "PSEUDONYM_KEY": "another-live-pseudonym-key-with-characters-98765",
        "PASSWORD_HASHING": "rfc-9106-low-memory",
    }
    with pytest.raises(ConfigError, match="npm run build"):
        create_app(live)
