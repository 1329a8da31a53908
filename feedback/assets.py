"""Static files and compression: what a young person's phone downloads, and how often.

- `asset_url("css/young-person.css")` in a template gives the file's hashed name from
  `static/manifest.json`, which `npm run build` (scripts/build-assets.mjs) writes. A
  hashed name changes whenever its content does, so browsers may keep it for a year
  without asking again (`Cache-Control: max-age=31536000, immutable`).
- WhiteNoise serves `static/`, picking the Brotli (`.br`) or gzip (`.gz`) copy the build
  wrote beside each file when the browser accepts it: compressed once, at the highest
  setting, rather than on every request.
- Flask-Compress compresses the pages themselves (Brotli, or gzip for browsers without it).

A live app refuses to start without a built manifest: pages would name files that do
not exist. In development and tests a missing manifest gives the plain names, so pages
still render before the first `npm run build`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask, current_app, url_for
from flask_compress import Compress
from whitenoise import WhiteNoise

from feedback.config import DEV_ENVIRONMENTS, ConfigError

MANIFEST = "manifest.json"
ONE_YEAR = 365 * 24 * 60 * 60
# A name with a content hash in it: ours (10 hex digits) or esbuild's (8 base32 letters).
HASHED = re.compile(r"\.(?:[0-9a-f]{10}|[0-9A-Z]{8})\.[a-z0-9]+$")

compress = Compress()


# What a file whose name changes with its content never needs: a browser keeping it
# "immutable" never asks whether it changed.
_REVALIDATION = frozenset({"Last-Modified", "ETag"})


class StaticFiles(WhiteNoise):
    # WhiteNoise's default for immutable files is ten years; a year is what RFC 9111
    # caches are asked to keep at most, and plenty for a name that never changes.
    FOREVER = ONE_YEAR

    def add_mime_headers(self, headers, path, url):
        """Scripts (ES modules, always read as UTF-8) and stylesheets (read in their
        page's UTF-8) go without a charset: bytes of every first page."""
        media_type = self.media_types.get_type(path)
        if media_type in ("text/css", "text/javascript"):
            headers["Content-Type"] = media_type
        else:
            super().add_mime_headers(headers, path, url)

    def add_cache_headers(self, headers, path, url):
        # "public" adds nothing: a response to a request without credentials may be
        # kept by any cache already.
        if self.immutable_file_test(path, url):
            headers["Cache-Control"] = f"max-age={self.FOREVER}, immutable"
        else:
            super().add_cache_headers(headers, path, url)

    def get_static_file(self, path, url, stat_cache=None):
        """A hashed file is sent without Last-Modified and ETag: about 75 bytes of each
        file a first page loads, which nothing would ever read. (WhiteNoise still answers
        a conditional request, should one come, from the file's own dates.)"""
        static = super().get_static_file(path, url, stat_cache)
        if self.immutable_file_test(path, url):
            static.alternatives = [
                (accepts, file, [(k, v) for k, v in headers if k not in _REVALIDATION])
                for accepts, file, headers in static.alternatives
            ]
        return static


class Manifest:
    """The build's map of plain names to hashed ones. In development it is read again
    when the file changes (so `npm run build` beside a running server is picked up);
    elsewhere once."""

    def __init__(self, path: Path, watch: bool) -> None:
        self.path = path
        self.watch = watch
        self._mtime: float | None = None
        self._names: dict[str, str] = {}

    def names(self) -> dict[str, str]:
        if self._mtime is not None and not self.watch:
            return self._names
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            return {}
        if mtime != self._mtime:
            self._names = json.loads(self.path.read_text(encoding="utf-8"))
            self._mtime = mtime
        return self._names


def asset_url(name: str) -> str:
    """The address of a built asset: `asset_url("js/young-person.js")`."""
    hashed = current_app.extensions["assets"].names().get(name, name)
    return url_for("static", filename=hashed)


def is_immutable(_path: str, url: str) -> bool:
    return bool(HASHED.search(url))


def init_app(app: Flask) -> None:
    static = Path(app.static_folder or "static")
    development = app.config["APP_ENV"] == "development"
    manifest = Manifest(static / MANIFEST, watch=development)
    if not manifest.names() and app.config["APP_ENV"] not in DEV_ENVIRONMENTS:
        raise ConfigError(f"{static / MANIFEST} is missing: build the assets (npm run build).")
    app.extensions["assets"] = manifest
    app.jinja_env.globals["asset_url"] = asset_url

    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Pages are made anew on each request: a quick Brotli setting costs little and
    # still beats gzip's best (static files were compressed at the highest, once).
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_MIN_SIZE", 256)
    # Pages are never cached (no-store) and carry no ETag: a conditional request has
    # nothing to compare, and evaluating one only adds a second Date header.
    app.config.setdefault("COMPRESS_EVALUATE_CONDITIONAL_REQUEST", False)
    compress.init_app(app)

    static_url = (app.static_url_path or "/static").strip("/") + "/"
    app.wsgi_app = StaticFiles(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(static) if static.is_dir() else None,
        prefix=static_url,
        # Development: files rebuilt while the server runs are found again.
        autorefresh=development,
        immutable_file_test=is_immutable,
        # Our pages load their own files from their own origin; no other site needs them.
        allow_all_origins=False,
    )

    @app.after_request
    def _no_redirect_body(response):
        # Werkzeug writes a small HTML page into every redirect for browsers that do not
        # follow Location; every browser does, and on a young person's phone each of
        # those bytes is paid for on every answer.
        if response.status_code in (301, 302, 303, 307, 308) and response.location:
            response.set_data(b"")
        return response
