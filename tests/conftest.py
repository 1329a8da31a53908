"""Fixtures: an app on a fresh database, a client, a CLI runner, and factories.

Every app test runs on SQLite; where a PostgreSQL test server is running (make test
starts one and sets TEST_POSTGRES_URL), on PostgreSQL too. In CI it must be there.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import create_engine, text

from feedback import create_app, db
from feedback.db import Base
from feedback.i18n import compile_catalogues
from outcomes.store import OutcomesBase

PASSWORD = "correct horse battery staple"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")

if os.environ.get("CI") == "true" and not POSTGRES_URL:
    raise RuntimeError("CI runs the suite on PostgreSQL too: TEST_POSTGRES_URL is not set")

BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
REDIS_SERVER = shutil.which("redis-server") or (
    "/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None
)


def pytest_configure(config):
    """`pytest` run on its own (not through `make test`) still has the compiled
    translations: any .mo file missing or older than its .po is compiled first."""
    compile_catalogues()


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory for every app this process builds.

    The suite builds an app for nearly every test, and compiling the templates a page
    uses took most of its first request's time. Each entry is kept under the Jinja
    options that shape compiled code and under the template's source checksum, so an
    app set up differently, or a template that changed, is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[tuple, tuple[str, object]] = {}

    @staticmethod
    def _key(bucket: Bucket) -> tuple:
        env = bucket.environment
        autoescape = getattr(env.autoescape, "__func__", env.autoescape)
        return (
            bucket.key,
            env.block_start_string,
            env.block_end_string,
            env.variable_start_string,
            env.variable_end_string,
            env.comment_start_string,
            env.comment_end_string,
            env.line_statement_prefix,
            env.line_comment_prefix,
            env.trim_blocks,
            env.lstrip_blocks,
            env.newline_sequence,
            env.keep_trailing_newline,
            env.optimized,
            env.is_async,
            env.finalize,
            autoescape,
            tuple(sorted(env.extensions)),
            getattr(env, "newstyle_gettext", None),
        )

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._code.get(self._key(bucket), (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[self._key(bucket)] = (bucket.checksum, bucket.code)


# Every Flask app made in the test process, the suite's own and those a test makes with
# create_app, shares the compiled templates.
Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": CompiledTemplates()}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def start_of_month(moment: datetime | None = None) -> datetime:
    moment = moment or utcnow()
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@contextmanager
def once_the_month_has_ended(moment: datetime | None = None):
    """Move the clock to an hour after the month of `moment` (default: now) ends.

    The dashboard and the monthly report show a month only once it has ended, so a
    test that answers now and then reads the figures reads them from the next month.
    The clock keeps ticking, for the app and the live server's thread alike."""
    later = (start_of_month(moment) + timedelta(days=32)).replace(day=1, hour=1)
    with time_machine.travel(later.replace(tzinfo=UTC), tick=True):
        yield


def postgres_database(name: str) -> str:
    """The URL of a database on the test server, made empty. Each pytest-xdist worker
    gets databases of its own, named after it."""
    name = f"{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    server = create_engine(
        POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
    )
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def postgres_app_url() -> str:
    return postgres_database("youthvoice_app")


@pytest.fixture(scope="session")
def postgres_analytics_url() -> str:
    return postgres_database("youthvoice_analytics")


def _holds(url: str, store_url: str) -> dict[str, tuple]:
    return (
        {url: (Base.metadata, OutcomesBase.metadata)}
        if store_url == url
        else {url: (Base.metadata,), store_url: (OutcomesBase.metadata,)}
    )


def _fresh_schema(url: str, store_url: str) -> None:
    for target, metadatas in _holds(url, store_url).items():
        engine = create_engine(target)
        with engine.begin() as connection:
            OutcomesBase.metadata.drop_all(connection)
            Base.metadata.drop_all(connection)
            for metadata in metadatas:
                metadata.create_all(connection)
        engine.dispose()


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory):
    """copy(target, *metadatas): an SQLite file at `target` holding those tables, empty.
    Each set of tables is built once a test process and copied after that: a copy is
    the same file as a fresh build, for a fraction of its time."""
    folder = tmp_path_factory.mktemp("schema")
    built: dict[tuple, Path] = {}

    def copy(target, *metadatas) -> None:
        names = tuple(sorted(table for metadata in metadatas for table in metadata.tables))
        if names not in built:
            template = folder / f"schema-{len(built)}.sqlite"
            engine = create_engine(f"sqlite:///{template}")
            with engine.begin() as connection:
                for metadata in metadatas:
                    metadata.create_all(connection)
            engine.dispose()
            built[names] = template
        shutil.copyfile(built[names], target)

    return copy


@pytest.fixture(scope="session")
def postgres_schema():
    """empty(url, store_url): the tables on the test server, with no rows. Built once a
    test process; after that every table is emptied and its ids start again at 1, which
    leaves the databases as a fresh build would, in a fraction of the time. Where a
    table is missing (or emptying fails for any reason) the schema is built again."""
    built: set[tuple[str, str]] = set()

    def empty(url: str, store_url: str) -> None:
        if (url, store_url) in built:
            try:
                for target, metadatas in _holds(url, store_url).items():
                    tables = [table for metadata in metadatas for table in metadata.sorted_tables]
                    names = ", ".join(f'"{table.name}"' for table in tables)
                    engine = create_engine(target)
                    try:
                        with engine.begin() as connection:
                            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                    finally:
                        engine.dispose()
                return
            except Exception:  # noqa: BLE001 - any failure: build the schema afresh
                built.discard((url, store_url))
        _fresh_schema(url, store_url)
        built.add((url, store_url))

    return empty


@pytest.fixture(params=BACKENDS)
def databases(request, tmp_path) -> tuple[str, str]:
    """The app's database and the store's. SQLite keeps both in one file (the default
    set-up); PostgreSQL gives the store a database of its own, so the suite runs both
    set-ups. A test can ask for "sqlite-split" (two files) by indirect parametrisation."""
    import feedback.models  # noqa: F401 - every table on the metadata

    if request.param == "sqlite":
        path = tmp_path / "test.sqlite"
        request.getfixturevalue("sqlite_schema")(path, Base.metadata, OutcomesBase.metadata)
        url = store_url = f"sqlite:///{path}"
    elif request.param == "sqlite-split":
        app_path, store_path = tmp_path / "test.sqlite", tmp_path / "analytics.sqlite"
        request.getfixturevalue("sqlite_schema")(app_path, Base.metadata)
        request.getfixturevalue("sqlite_schema")(store_path, OutcomesBase.metadata)
        url, store_url = f"sqlite:///{app_path}", f"sqlite:///{store_path}"
    else:
        url = request.getfixturevalue("postgres_app_url")
        store_url = request.getfixturevalue("postgres_analytics_url")
        request.getfixturevalue("postgres_schema")(url, store_url)
    return url, store_url


@pytest.fixture
def database_url(databases) -> str:
    return databases[0]


@pytest.fixture
def analytics_database_url(databases) -> str:
    return databases[1]


@pytest.fixture
def app_config(database_url, analytics_database_url):
    return {
        "APP_ENV": "testing",
        "TESTING": True,
        "DATABASE_URL": database_url,
        "ANALYTICS_DATABASE_URL": analytics_database_url,
        "SECRET_KEY": "test-secret-key-test-secret-key-0123",
        "PSEUDONYM_KEY": "test-pseudonym-key-test-pseudonym-0123",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "BASE_URL": "http://localhost",
        "PASSWORD_HASHING": "cheapest",
    }


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    yield app
    db.dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session()


@pytest.fixture
def make_team(session):
    from feedback.staff.services import create_team, find_team

    def make(code="north", name=None):
        return find_team(session, code) or create_team(
            session, code, name or f"{code.title()} team"
        )

    return make


@pytest.fixture
def make_user(session, make_team):
    from feedback.staff.services import create_user

    counter = iter(range(1, 10_000))

    def make(role="practitioner", teams=("north",), email=None, password=PASSWORD, enrol=None):
        for code in teams:
            make_team(code)
        user = create_user(
            session,
            email=email or f"{role}{next(counter)}@example.org",
            name=f"Test {role}",
            role=role,
            password=password,
            team_codes=list(teams),
        )
        # Managers and admins must have sign-in codes: they come with them set up, and
        # the sign-in helpers type a code (enrol=False leaves them to set up at sign-in).
        if enrol if enrol is not None else role != "practitioner":
            enrol_in_codes(user)
        session.commit()
        return user

    return make


@pytest.fixture
def make_case(session, make_user):
    from feedback.cases.services import CaseDetails, open_case

    counter = iter(range(1, 10_000))

    def make(
        practitioner=None,
        reference=None,
        dob=date(2010, 6, 1),
        strands=("missing",),
        gender=None,
        team=None,
    ):
        practitioner = practitioner or make_user("practitioner")
        team = team or practitioner.teams[0]
        case = open_case(
            session,
            CaseDetails(
                reference or f"CS-{next(counter):05d}", "JB", dob, team.id, tuple(strands), gender
            ),
            practitioner,
            utcnow(),
        )
        session.commit()
        return case

    return make


@pytest.fixture
def make_invitation(app, session, make_case):
    from feedback.invitations.services import issue_invitation

    def make(
        case=None, days=14, now=None, questionnaire=("checkin", 1), language="en", easy_read=False
    ):
        case = case or make_case()
        issued = issue_invitation(
            session,
            case,
            secret=app.config["SECRET_KEY"],
            questionnaire_code=questionnaire[0],
            questionnaire_version=questionnaire[1],
            created_by_id=case.practitioner_id,
            now=now or utcnow(),
            days=days,
            language=language,
            easy_read=easy_read,
        )
        session.commit()
        return issued

    return make


def enrol_in_codes(user) -> None:
    """Sign-in codes set up, as a member of staff's first sign-in would (the caller
    commits)."""
    import pyotp

    user.mfa_secret = pyotp.random_base32()
    user.mfa_enrolled_at = utcnow()


def next_code(app, user_id: int) -> str:
    """A code the account's authenticator app would show now, for a time step the app has
    not accepted yet. The server takes the step before and after its own (clocks drift),
    so three sign-ins a 30 seconds work; a test signs in to one account more often than
    any person, and past that the last step used is forgotten."""
    import pyotp

    from feedback.staff.mfa import step_at
    from feedback.staff.models import User

    with app.app_context():
        user = db.session().get(User, user_id)
        now = step_at(utcnow())
        last = user.mfa_last_step
        steps = [s for s in (now - 1, now, now + 1) if last is None or s > last]
        if not steps:
            user.mfa_last_step = None
            db.session().commit()
            steps = [now]
        return pyotp.TOTP(user.mfa_secret).generate_otp(steps[0])


def complete_sign_in(post, app, user_id: int, response):
    """After the password: type a code where the sign-in asks for one."""
    if response.status_code == 302 and response.location.endswith("/sign-in/code"):
        return post("/sign-in/code", {"code": next_code(app, user_id)})
    return response


class Auth:
    def __init__(self, client):
        self.client = client

    def sign_in(self, user, password=PASSWORD):
        response = self.client.post("/sign-in", data={"email": user.email, "password": password})
        return complete_sign_in(
            lambda path, data: self.client.post(path, data=data),
            self.client.application,
            user.id,
            response,
        )

    def sign_out(self):
        return self.client.post("/sign-out")


@pytest.fixture
def auth(client):
    return Auth(client)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real redis-server of this test process's own (each pytest-xdist worker starts
    one, on a free port, in a folder of its own), with nothing saved to disk; stopped
    at the end of the session. Missing redis-server skips, except in CI, where it fails
    (scripts/system-deps.sh installs Debian's redis-server)."""
    import redis

    if REDIS_SERVER is None:
        message = "redis-server is not installed (scripts/system-deps.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("redis")
    for _attempt in range(5):
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - a fixed binary, our own arguments
            [
                REDIS_SERVER,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(folder),
            ],
            stdout=(folder / "server.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)
        deadline = time.monotonic() + 10
        while server.poll() is None and time.monotonic() < deadline:
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            server.kill()
            server.wait()
            continue  # the port was taken meanwhile, or it did not start: another port
        client.close()
        break
    else:
        pytest.fail(f"redis-server did not start: see {folder / 'server.log'}")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
