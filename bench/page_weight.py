"""Benchmark: what a young person's phone downloads, page by page, through a check-in.

Makes a throwaway SQLite app (live settings: APP_ENV=production, its own keys), serves
it on 127.0.0.1 with the app's own built assets (`npm run build`), opens a real
invitation link and walks the check-in as a browser would: the welcome page, each
question (answered, then the redirect to the next), "Check your answers", "Answers
sent", and the help page. A browser that accepts Brotli and gzip; every byte counted is
a byte of a response as HTTP/1.1 sends it (status line, headers and the compressed body).

- first page: the link's redirect and the welcome page, with every stylesheet, script,
  icon, and every image and font the stylesheets name (all of them: an upper bound), on
  a cold cache;
- each later page: what moving to it costs with a warm cache (the answer's redirect and
  the page; the assets have hashed names and are cached for a year, so nothing else).

Targets: the first page at most 14 KB (what the first round trip of a new connection
carries: TCP's initial window of 10 segments), each later page at most 4 KB. This client
runs no JavaScript, so a walk that ends on "Answers sent" shows the check-in needs none.
The last line is the summary (next_kb is the heaviest later page):

    page_weight first_kb=A next_kb=B js_required=no

With `--easy-read` the walk chooses easy read on the welcome page (a later page of its
own) and every question shows its pictures, within the same budgets. With `--language`
the link is in that language (ur, ar, pl, ro; `all`: each shipped language in turn,
standard and easy read, the summary the heaviest of them all). The walk finds its way by
the page's links, not their words, so it reads any language.

Run: .venv/bin/python bench/page_weight.py [--verbose] [--easy-read] [--language CODE|all]
"""

from __future__ import annotations

import argparse
import http.client
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import journey  # noqa: E402 - after the path is set

FIRST_BUDGET_KB = 14
NEXT_BUDGET_KB = 4
ACCEPT_ENCODING = "br, gzip"
USER_AGENT = "Mozilla/5.0 (Linux; Android 10; K) page-weight-bench"
MAX_STEPS = 40
EASY_READ = "read=easy"  # the welcome page's link to easy read, in any language


@dataclass
class Fetched:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    wire: int  # status line, headers and body as sent

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Visit:
    """One page a young person reached, and every response it took to get there."""

    label: str
    responses: list[Fetched] = field(default_factory=list)

    @property
    def wire(self) -> int:
        return sum(r.wire for r in self.responses)


class Browser:
    """Cookies, a cache of what may be kept (immutable assets), and a count of bytes."""

    def __init__(self, base: str) -> None:
        self.base = base
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.cache: dict[str, Fetched] = {}

    def fetch(self, url: str, method: str = "GET", form: dict | None = None) -> Fetched:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Accept-Encoding": ACCEPT_ENCODING, "User-Agent": USER_AGENT}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, journey.path_of(url), body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()  # as sent: http.client does not undo Content-Encoding
        connection.close()
        pairs = response.getheaders()
        for key, value in pairs:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in pairs
        )
        return Fetched(url, response.status, pairs, data, len(head) + 2 + len(data))

    def navigate(self, url: str, method: str = "GET", form: dict | None = None) -> list[Fetched]:
        """A request and the redirects it leads to, as a browser follows them."""
        chain = [self.fetch(url, method, form)]
        while chain[-1].status in (301, 302, 303, 307, 308) and len(chain) < 10:
            target = chain[-1].header("Location")
            chain.append(self.fetch(journey.urljoin(chain[-1].url, target)))
        return chain

    def assets(self, page: journey.Page) -> list[Fetched]:
        """Every file the page loads that the cache does not hold yet."""
        fetched = []
        queue = [*page.stylesheets, *page.scripts, *page.images]
        while queue:
            url = queue.pop(0)
            if url in self.cache:
                continue
            response = self.fetch(url)
            fetched.append(response)
            cache_control = response.header("Cache-Control") or ""
            if response.status == 200 and "immutable" in cache_control:
                self.cache[url] = response
            elif response.status == 200:
                # Not kept: counted again on every page that names it.
                pass
            text = decode(response)
            if url.split("?")[0].endswith(".css"):
                queue.extend(journey.css_references(url, text))
            elif url.split("?")[0].endswith((".js", ".mjs")):
                queue.extend(journey.js_references(url, text))
        return fetched


def decode(response: Fetched) -> str:
    encoding = (response.header("Content-Encoding") or "").lower()
    data = response.body
    if encoding == "br":
        import brotli

        data = brotli.decompress(data)
    elif encoding == "gzip":
        import gzip

        data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


def walk(base: str, link: str, easy_read: bool = False) -> tuple[list[Visit], bool]:
    """The check-in from the link to "Answers sent", then the help page (in easy read:
    chosen on the welcome page, a later page of its own). Returns each page reached with
    what it cost, and whether the walk ended on "Answers sent"."""
    browser = Browser(base)
    visits: list[Visit] = []

    def arrive(label: str, chain: list[Fetched]) -> journey.Page:
        final = chain[-1]
        if final.status != 200:
            raise RuntimeError(f"{label}: {final.url} answered {final.status}")
        page = journey.read_page(final.url, decode(final))
        visit = Visit(label, [*chain, *browser.assets(page)])
        visits.append(visit)
        return page

    page = arrive("welcome (first page, cold cache)", browser.navigate(base + link))
    if easy_read:
        choice = _link_to(page, EASY_READ)
        if choice is None:
            raise RuntimeError(f"no link to easy read on {page.url}")
        page = arrive("welcome in easy read", browser.navigate(choice))
    start = _link_to(page, "/check-in/questions/")
    if start is None:
        raise RuntimeError(f"no Start on {page.url}")
    page = arrive(journey.path_of(start), browser.navigate(start))
    for _ in range(MAX_STEPS):
        if journey.path_of(page.url).startswith(journey.DONE_PATH):
            break
        answer = journey.answers_for(page)
        if answer is None:
            raise RuntimeError(f"nothing to answer on {page.url}")
        action, data = answer
        chain = browser.navigate(action, "POST", data)
        page = arrive(journey.path_of(chain[-1].url), chain)
    done = journey.path_of(page.url).startswith(journey.DONE_PATH)
    help_link = _link_to(page, "/help")
    if help_link:
        arrive("help", browser.navigate(help_link))
    return visits, done


def _link_to(page: journey.Page, part: str) -> str | None:
    """The page's first link whose address holds `part`."""
    return next((href for href in page.links.values() if part in href), None)


@contextmanager
def serve(app) -> Iterator[str]:
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs) -> None:
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def measure(easy_read: bool = False, language: str = "en") -> tuple[list[Visit], bool]:
    """Walk a check-in on a throwaway app (in easy read, with its pictures; through a link
    in `language`); the pages reached, and whether it finished."""
    from feedback import create_app, db

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        journey.create_schema(url)
        app = create_app(journey.app_config(url))
        try:
            (link,) = journey.invite(app, language=language)
            with serve(app) as base:
                return walk(base, link, easy_read)
        finally:
            db.dispose(app)


def kb(n: int) -> float:
    return n / 1024


def summary(visits: list[Visit], done: bool) -> str:
    first = visits[0].wire
    later = max((v.wire for v in visits[1:]), default=0)
    return (
        f"page_weight first_kb={kb(first):.1f} next_kb={kb(later):.1f} "
        f"js_required={'no' if done else 'yes'}"
    )


def report(visits: list[Visit], verbose: bool) -> list[str]:
    lines = []
    for visit in visits:
        lines.append(f"{visit.label:<44} {kb(visit.wire):6.1f} KB")
        if verbose:
            for r in visit.responses:
                encoding = r.header("Content-Encoding") or "-"
                lines.append(f"    {r.status} {encoding:<5} {r.wire:7d}  {journey.path_of(r.url)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    from feedback.i18n import LANGUAGES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="every response of every page")
    parser.add_argument(
        "--easy-read", action="store_true", help="the check-in in easy read, with its pictures"
    )
    parser.add_argument(
        "--language",
        default="en",
        choices=[*LANGUAGES, "all"],
        help="the link's language; all: each language, standard and easy read",
    )
    args = parser.parse_args(argv)
    if args.language == "all":
        walks = [(code, easy) for code in LANGUAGES for easy in (False, True)]
    else:
        walks = [(args.language, args.easy_read)]
    print(f"targets: first page <= {FIRST_BUDGET_KB} KB, each later page <= {NEXT_BUDGET_KB} KB")
    first: list[Visit] = []
    later: list[Visit] = []
    finished = True
    for language, easy in walks:
        visits, done = measure(easy, language)
        finished = finished and done
        if len(walks) > 1:
            print(f"{language}{' easy read' if easy else ''}: {summary(visits, done)}")
        first.append(visits[0])
        later.extend(visits[1:])
        if len(walks) == 1 or args.verbose:
            for line in report(visits, args.verbose):
                print(line)
    heaviest_first = max(first, key=lambda visit: visit.wire)
    print(summary([heaviest_first, *later], finished))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
