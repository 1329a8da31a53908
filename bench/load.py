"""Benchmark: many young people checking in at once, on the server set-up of production.

Starts, on 127.0.0.1 only: a `redis-server` (no disk) for the rate limits, gunicorn with
2 sync workers serving the app (APP_ENV=production, its own keys) on a throwaway SQLite
database, or with --postgres a throwaway PostgreSQL server (scripts/pg-test-server.sh).
Then, in the same run:

1. the ceiling: 200 clients asking a bare Flask endpoint served by the same gunicorn
   (bench/load_wsgi.py mounts it at /_ceiling/) for a few seconds: requests a second;
2. the load: 200 simulated young people (asyncio and aiohttp, one connection each),
   each opening a link of their own and completing a whole check-in as a browser does
   (the link, welcome, each question read and answered, check, send, "Answers sent"),
   then the next link, until 2,000 check-ins are complete or 120 s have passed.

Rate limits: every young person comes from 127.0.0.1, as behind no proxy. No limit
applies to a link's pages; the only limits on young people's pages are on typing a
code (POST /start, 30 a minute) and PINs (PIN_LIMIT), per address, and the run uses
neither. They are on, kept in the redis-server, and any 429 would count as an error.

Figures: completed check-ins; errors (any answer other than the one the page should
give, a 5xx, a dropped connection that was not caused on purpose); lost (check-ins whose
sending the client saw accepted that are not complete in the database); p95 of every
check-in request's time; ratio: check-in requests a second over the ceiling's.
Targets: errors 0, lost 0, ratio at least 0.5. The last line is the summary:

    load completed=N errors=E lost=L p95_ms=T ratio=R

Faults (each adds figures to the line before the summary):
  --kill-worker      SIGKILL one gunicorn worker mid-load (gunicorn starts another).
                     The young people whose request it held reopen their link and must
                     be taken back to where their saved answers end ("resumed").
  --db-outage S      (with --postgres) stop the database for S seconds mid-load. Young
                     people must get the kind 503 page ("refused"), never a 500, and
                     try again a second later; nothing saved may be lost.
After any run: "half" counts sent responses missing answers or their scores in the store.

Run: .venv/bin/python bench/load.py [--postgres] [--kill-worker] [--db-outage 5]
     [--users 200] [--target 2000] [--seconds 120] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import journey  # noqa: E402 - after the path is set

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CEILING_SECONDS = 8
RETRY_SECONDS = 1  # a young person shown "try again" tries again about this soon
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
START = re.compile(r'<a href="([^"]+)"[^>]*class="govuk-button govuk-button--start"')
DONE_TEXT = "Your answers have been sent"


@dataclass
class Figures:
    completed: int = 0
    errors: int = 0
    requests: int = 0
    times: list[float] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)  # links whose sending was accepted
    interrupted: int = 0  # connections dropped by the killed worker
    resumed: int = 0  # of those, taken back to where their saved answers end
    resumed_wrong: int = 0
    refused: int = 0  # kind 503 pages while the database was down
    error_samples: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 8:
            self.error_samples.append(what)


def p95(times: list[float]) -> float:
    if not times:
        return 0.0
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def summary(figures: Figures, lost: int, ceiling_rps: float) -> str:
    rps = figures.requests / figures.elapsed if figures.elapsed else 0.0
    ratio = rps / ceiling_rps if ceiling_rps else 0.0
    return (
        f"load completed={figures.completed} errors={figures.errors} lost={lost} "
        f"p95_ms={p95(figures.times) * 1000:.0f} ratio={ratio:.2f}"
    )


# Servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port} after {seconds} s")


@contextmanager
def process(args: list[str], port: int, **kwargs) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen(args, **kwargs)  # noqa: S603 - our own fixed commands
    try:
        wait_for_port(port, proc)
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(binary):
        raise SystemExit("redis-server not found: run `make system` (scripts/system-deps.sh)")
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
    args += ["no", "--dir", str(folder), "--loglevel", "warning"]
    with process(args, port, stdout=subprocess.DEVNULL):
        yield f"redis://127.0.0.1:{port}/0"


class Postgres:
    """A throwaway cluster of scripts/pg-test-server.sh with a state file of our own, so
    it is not the test suite's; `outage()` stops and restarts the same cluster."""

    def __init__(self, folder: Path) -> None:
        self.env = {**os.environ, "PG_TEST_STATE": str(folder / "pg-state")}
        self.script = ["bash", str(ROOT / "scripts" / "pg-test-server.sh")]

    def start(self) -> str:
        out = subprocess.run(  # noqa: S603
            [*self.script, "start"], env=self.env, check=True, capture_output=True, text=True
        )
        return out.stdout.strip()

    def stop(self) -> None:
        subprocess.run([*self.script, "stop"], env=self.env, check=False)  # noqa: S603

    def _state(self) -> dict[str, str]:
        text = Path(self.env["PG_TEST_STATE"]).read_text()
        return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)

    def _pg_ctl(self, *args: str) -> None:
        bindir = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: float(p.parent.name))
        command = [str(bindir / "pg_ctl"), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd="/")  # noqa: S603

    def outage(self, seconds: float) -> None:
        state = self._state()
        data = f"{state['dir']}/data"
        self._pg_ctl("stop", "-D", data, "-m", "fast", "-w")
        time.sleep(seconds)
        log = f"{state['dir']}/server.log"
        self._pg_ctl("start", "-D", data, "-l", log, "-o", f"-p {state['port']}", "-w")


def wait_for_workers(base: str, workers: int, seconds: float = 180) -> None:
    """Until every worker has booted (imported the app) and answered once."""
    import urllib.request

    seen: set[str] = set()
    deadline = time.monotonic() + seconds
    while len(seen) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(seen)} of {workers} workers answered")
        try:
            with urllib.request.urlopen(base + "/_ceiling/", timeout=30) as response:  # noqa: S310
                seen.add(response.read().decode().split()[-1])
        except OSError:
            time.sleep(0.2)


def gunicorn_workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used (user and system), or 0 once it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU used by this client and by the server's workers over a phase, per request:
    which side a phase's requests cost, on a machine whose cores others share too."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.client = time.process_time()
        self.server = self._server()

    def _server(self) -> float:
        return sum(cpu_seconds(pid) for pid in gunicorn_workers(self.master))

    def per_request(self, requests: int) -> tuple[float, float]:
        """(client, server) CPU seconds a request since the meter started."""
        if not requests:
            return 0.0, 0.0
        client = time.process_time() - self.client
        return client / requests, (self._server() - self.server) / requests


def cpu_words(cpu: tuple[float, float]) -> str:
    return f"cpu a request: client {cpu[0] * 1000:.1f} ms, server {cpu[1] * 1000:.1f} ms"


# Young people -------------------------------------------------------------------------


def answers() -> list[tuple[str, dict[str, str]]]:
    """Each check-in question and what a young person sends: the first option (the
    first of several), or a sentence."""
    from outcomes.questionnaires import get_questionnaire

    sent = []
    for question in get_questionnaire("checkin").questions:
        if question.kind.is_free_text:
            sent.append((question.id, {"answer": journey.TEXT_ANSWER}))
        else:
            sent.append((question.id, {"answer": question.options[0].id}))
    return sent


class Interrupted(Exception):
    """The connection dropped: the worker holding it was killed."""


class Person:
    def __init__(self, http, base: str, figures: Figures, faults: bool) -> None:
        self.http = http
        self.base = base
        self.figures = figures
        self.faults = faults
        self.cookies: dict[str, str] = {}

    async def request(self, method: str, path: str, data: dict | None = None):
        """One request, answered: (status, location, body). A 503 is a kind "try again"
        page, tried again a second later; anything else unexpected is an error."""
        import aiohttp

        while True:
            headers = {"Accept-Encoding": "br, gzip"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            started = time.perf_counter()
            try:
                async with self.http.request(
                    method, self.base + path, data=data, headers=headers, allow_redirects=False
                ) as response:
                    body = await response.text()
                    status = response.status
                    location = response.headers.get("Location")
                    for value in response.headers.getall("Set-Cookie", []):
                        name, _, rest = value.partition("=")
                        self.cookies[name] = rest.split(";", 1)[0]
            except aiohttp.ClientError as error:
                if self.faults:
                    print(f"  dropped: {method} {path}: {error!r}")
                    raise Interrupted(path) from error
                self.figures.error(f"{method} {path}: {error!r}")
                raise
            self.figures.requests += 1
            self.figures.times.append(time.perf_counter() - started)
            if "Traceback" in body:
                self.figures.error(f"{method} {path}: a stack trace in the page")
            if status == 503 and "try again" in body:
                self.figures.refused += 1
                await asyncio.sleep(RETRY_SECONDS)
                continue
            return status, location, body

    async def expect(self, method: str, path: str, status: int, data: dict | None = None):
        got, location, body = await self.request(method, path, data)
        if got != status:
            self.figures.error(f"{method} {path}: {got} (wanted {status}) {body[:120]!r}")
            raise RuntimeError(path)
        return location, body

    async def check_in(self, link: str, sent: list[tuple[str, dict[str, str]]]) -> None:
        """The whole check-in from the link; after a dropped connection, the link again
        and on from where the welcome page says the saved answers end."""
        saved = 0  # questions whose answer the client saw accepted
        while True:
            try:
                return await self._walk(link, sent, saved)
            except Interrupted as stopped:
                self.figures.interrupted += 1
                saved = stopped.args[1] if len(stopped.args) > 1 else saved
                resume = await self._resume_point(link, sent)
                # Saved answers end where the client last saw one accepted, or one
                # further (the answer was saved but its reply lost with the worker).
                if resume == len(sent) + 1 and saved == len(sent):
                    self.figures.resumed += 1  # sent after all: nothing more to do
                    return
                if resume in (saved, saved + 1):
                    self.figures.resumed += 1
                else:
                    self.figures.resumed_wrong += 1
                    self.figures.error(f"{link} resumed at {resume}, saved {saved}")
                    return

    async def _resume_point(self, link: str, sent) -> int:
        """Where the welcome page sends the young person on: the index of the first
        question it offers, len(sent) for "Check your answers", and len(sent) + 1 when
        the link says the answers were sent (the send was kept, its reply lost)."""
        for _ in range(20):
            try:
                status, _location, body = await self.request("GET", link)
                if status == 410 and "already" in body:
                    return len(sent) + 1
                if status != 302:
                    self.figures.error(f"GET {link}: {status} on reopening")
                    raise RuntimeError(link)
                _location, body = await self.expect("GET", "/check-in", 200)
                break
            except Interrupted:
                await asyncio.sleep(RETRY_SECONDS)
        else:
            raise RuntimeError(f"{link} could not be reopened")
        match = START.search(body)
        target = match.group(1) if match else ""
        ids = [question_id for question_id, _ in sent]
        for index, question_id in enumerate(ids):
            if target.endswith(f"/questions/{question_id}"):
                return index
        return len(ids)  # straight to "Check your answers"

    async def _walk(self, link: str, sent, saved: int) -> None:
        try:
            await self.expect("GET", link, 302)
            _location, body = await self.expect("GET", "/check-in", 200)
            for index in range(saved, len(sent)):
                question_id, data = sent[index]
                path = f"/check-in/questions/{question_id}"
                _location, body = await self.expect("GET", path, 200)
                token = CSRF.search(body).group(1)
                await self.expect("POST", path, 302, {**data, "csrf_token": token})
                saved = index + 1
            _location, body = await self.expect("GET", "/check-in/check", 200)
            token = CSRF.search(body).group(1)
            form = {"csrf_token": token, "quote_consent": "no"}
            location = await self.expect("POST", "/check-in/check", 302, form)
            if not (location[0] or "").endswith(journey.DONE_PATH):
                self.figures.error(f"{link}: sending went to {location[0]}")
                return
            self.figures.accepted.append(link)
            _location, body = await self.expect("GET", journey.DONE_PATH, 200)
            if DONE_TEXT not in body:
                self.figures.error(f"{link}: no thanks on the last page")
                return
            self.figures.completed += 1
        except Interrupted as stopped:
            raise Interrupted(stopped.args[0], saved) from stopped


async def load(
    base: str, links: list[str], users: int, target: int, seconds: float, faults: bool, fault
) -> Figures:
    import aiohttp

    figures = Figures()
    sent = answers()
    queue = list(reversed(links))
    started = time.perf_counter()
    deadline = started + seconds
    connector = aiohttp.TCPConnector(limit=users, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        if faults:
            # aiohttp, like a browser, sends a GET again by itself when its connection
            # drops, so a young person cut off mid-GET would not notice. Here every cut
            # is seen, so that each is followed by reopening the link (a private switch:
            # aiohttp has no public one).
            http._retry_connection = False

        async def young_person() -> None:
            while queue and figures.completed < target and time.perf_counter() < deadline:
                person = Person(http, base, figures, faults)
                # Counted where it happened; the young person's next link is next.
                with suppress(RuntimeError, Interrupted, aiohttp.ClientError, TimeoutError):
                    await person.check_in(queue.pop(), sent)

        tasks = [asyncio.create_task(young_person()) for _ in range(users)]
        if fault is not None:
            tasks.append(asyncio.create_task(fault(figures)))
        # At the deadline the young people still part-way through stop where they are
        # (their check-ins are not counted as complete); the fault, if any, finishes.
        _done, pending = await asyncio.wait(tasks[:users], timeout=seconds)
        figures.elapsed = time.perf_counter() - started
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return figures


async def ceiling(base: str, users: int, seconds: float) -> tuple[float, int]:
    """Requests a second the bare endpoint answered, and how many."""
    import aiohttp

    count = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def client() -> None:
            nonlocal count
            while time.perf_counter() < deadline:
                async with http.get(base + "/_ceiling/") as response:
                    await response.read()
                    if response.status == 200:
                        count += 1

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(users)))
        return count / (time.perf_counter() - started), count


# Checking the database afterwards -----------------------------------------------------


def check_database(database_url: str, accepted: list[str], references: dict[str, str]):
    """(lost, half): accepted check-ins not sent in the database; sent responses missing
    an answer or their occasion in the store."""
    from sqlalchemy import create_engine, func, select
    from sqlalchemy.orm import Session

    import feedback.models  # noqa: F401
    from feedback.cases.models import Case
    from feedback.responses.models import Answer, Response
    from outcomes.questionnaires import get_questionnaire
    from outcomes.store import Occasion

    questions = len(get_questionnaire("checkin").questions)
    engine = create_engine(database_url)
    with Session(engine) as session:
        sent_refs = set(
            session.scalars(
                select(Case.reference)
                .join(Response, Response.case_id == Case.id)
                .where(Response.status == "submitted")
            )
        )
        lost = sum(1 for link in accepted if references[link] not in sent_refs)
        short = session.scalar(
            select(func.count()).select_from(
                select(Response.id)
                .join(Answer, Answer.response_id == Response.id)
                .where(Response.status == "submitted")
                .group_by(Response.id)
                .having(func.count(Answer.id) < questions)
                .subquery()
            )
        )
        sent = session.scalar(
            select(func.count()).select_from(Response).where(Response.status == "submitted")
        )
        occasions = session.scalar(select(func.count()).select_from(Occasion))
    engine.dispose()
    return lost, short + max(0, sent - occasions)


# The run ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL, not SQLite")
    parser.add_argument("--kill-worker", action="store_true", help="SIGKILL a worker mid-load")
    parser.add_argument("--db-outage", type=float, metavar="S", help="stop PostgreSQL S s")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--target", type=int, default=2000, help="stop after this many")
    parser.add_argument("--seconds", type=float, default=120, help="stop after this long")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.db_outage and not args.postgres:
        parser.error("--db-outage needs --postgres")

    with tempfile.TemporaryDirectory(prefix="youthvoice-load.") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        postgres = None
        if args.postgres:
            postgres = Postgres(folder)
            stack.callback(postgres.stop)
            database_url = postgres.start()
        else:
            database_url = f"sqlite:///{folder / 'load.sqlite'}"
        redis_url = stack.enter_context(redis_server(folder))
        journey.create_schema(database_url)

        config = journey.app_config(database_url, RATELIMIT_STORAGE_URI=redis_url)
        links_needed = args.target + args.users * 2 + args.workers * 2
        made = time.perf_counter()
        from feedback import create_app, db

        app = create_app(config)
        links = journey.invite(app, links_needed, prefix="CS-LOAD")
        references = {link: f"CS-LOAD-{i:05d}" for i, link in enumerate(links)}
        db.dispose(app)
        print(f"{len(links)} links made in {time.perf_counter() - made:.0f} s")

        port = free_port()
        env = {
            **os.environ,
            "INSTANCE_PATH": str(folder),
            **{k: str(v) for k, v in config.items()},
        }
        command = [sys.executable, "-m", "gunicorn", "--workers", str(args.workers)]
        command += ["--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--log-level"]
        command += ["warning", "--pythonpath", str(BENCH), "load_wsgi:application"]
        server_log = (folder / "gunicorn.log").open("w")
        stack.callback(server_log.close)
        server = stack.enter_context(
            process(command, port, env=env, cwd=str(ROOT), stdout=server_log, stderr=server_log)
        )
        base = f"http://127.0.0.1:{port}"
        wait_for_workers(base, args.workers)
        print(
            f"gunicorn {args.workers} sync workers on {base}; "
            f"{'PostgreSQL' if args.postgres else 'SQLite'}; rate limits on, in {redis_url} "
            "(no limit applies to a link's pages: only POST /start and PINs are limited "
            "per address, and young people here use neither)"
        )

        # Warm: each worker's first pages read the questionnaire and templates, and its
        # first free text trains the text classifier (README: "Free text is read twice").
        warm = links[-args.workers * 2 :]
        links = links[: -args.workers * 2]
        warmed = asyncio.run(load(base, warm, len(warm), len(warm), 120, False, None))
        print(f"warm-up: {warmed.completed} check-ins, {warmed.errors} errors")

        meter = CpuMeter(server.pid)
        ceiling_rps, count = asyncio.run(ceiling(base, args.users, CEILING_SECONDS))
        ceiling_cpu = meter.per_request(count)
        print(
            f"ceiling: a bare Flask endpoint, {ceiling_rps:.0f} requests/s; "
            f"{cpu_words(ceiling_cpu)}"
        )

        fault = None
        faults = bool(args.kill_worker)
        if args.kill_worker or args.db_outage:

            async def fault(figures: Figures) -> None:
                # Mid-load: once a tenth of the target is done, or a third of the time.
                while (
                    figures.completed < args.target // 10
                    and time.perf_counter() - started < args.seconds / 3
                ):
                    await asyncio.sleep(0.2)
                if args.kill_worker:
                    victim = gunicorn_workers(server.pid)[0]
                    os.kill(victim, signal.SIGKILL)
                    print(f"killed worker {victim} after {figures.completed} check-ins")
                if args.db_outage:
                    print(f"database stopped for {args.db_outage:g} s")
                    await asyncio.to_thread(postgres.outage, args.db_outage)
                    print("database started again")

        started = time.perf_counter()
        meter = CpuMeter(server.pid)
        figures = asyncio.run(
            load(base, links, args.users, args.target, args.seconds, faults, fault)
        )
        load_cpu = meter.per_request(figures.requests)
        # What the ratio would be if the bench had the cores to itself: the same
        # comparison in CPU a request, which others' work on the machine moves less.
        cpu_ratio = sum(ceiling_cpu) / sum(load_cpu) if sum(load_cpu) else 0.0
        lost, half = check_database(database_url, figures.accepted, references)
        server_log.flush()
        log = (folder / "gunicorn.log").read_text(errors="replace")
        traces = log.count("Traceback (most recent call last)")
        unavailable = log.count("database unavailable")

    rps = figures.requests / figures.elapsed if figures.elapsed else 0.0
    print(
        f"check-in: {figures.requests} requests in {figures.elapsed:.1f} s, {rps:.0f}/s; "
        f"{figures.completed} check-ins complete, {len(figures.accepted)} accepted; "
        f"{cpu_words(load_cpu)}; ratio in cpu {cpu_ratio:.2f}"
    )
    for sample in figures.error_samples:
        print(f"  error: {sample}")
    print(
        f"faults: interrupted={figures.interrupted} resumed={figures.resumed} "
        f"resumed_wrong={figures.resumed_wrong} refused_503={figures.refused} half={half} "
        f"server_tracebacks={traces} server_db_unavailable={unavailable}"
    )
    print(summary(figures, lost, ceiling_rps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
