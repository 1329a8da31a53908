"""The databases: the case records and, apart or in the same database, the analytical store.

One session per request or CLI command serves both. Each table goes to its own database
(the store's tables have their own declarative base, `outcomes.store.OutcomesBase`), so
the same code runs whether `ANALYTICS_DATABASE_URL` names the app's database (the
default: one transaction covers both) or a database of its own.

With two databases one commit cannot cover both, so the store commits first: a request
whose store commit fails commits nothing, and one whose app commit fails after the store
committed leaves writes that repeat harmlessly, because the store replaces an occasion by
the pseudonymous reference of its response (`outcomes.store.record_occasion`). Sending a
response again after such a failure writes the same occasion once.

Services flush; the request (or command) commits once, at the boundary.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Session

PARTS = ("app", "store")


class Base(DeclarativeBase):
    pass


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # WAL lets the dashboard read while a young person's answer is being written.
            cursor = dbapi_connection.cursor()
            if url not in ("sqlite://", "sqlite:///:memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def analytics_url(config) -> str:
    """Where the analytical store lives: its own database, or the app's."""
    return config.get("ANALYTICS_DATABASE_URL") or config["DATABASE_URL"]


def open_session(app_engine: Engine, store_engine: Engine) -> Session:
    """A session that sends the app's tables to one engine and the store's to the other
    (the same engine, or one of its own)."""
    if store_engine is app_engine:
        return Session(bind=app_engine, expire_on_commit=False)
    # The session joins a transaction we begin on the store's connection and never
    # commits it itself ("rollback_only"), so that we can commit it before the app's.
    store = store_engine.connect()
    store.begin()
    session = Session(
        bind=app_engine,
        binds=_store_binds(store),
        join_transaction_mode="rollback_only",
        expire_on_commit=False,
    )
    session.info["store_connection"] = store
    event.listen(session, "before_commit", _commit_store_first)
    event.listen(session, "after_transaction_end", _begin_store_again)
    return session


def close_session(session: Session) -> None:
    session.close()
    store: Connection | None = session.info.pop("store_connection", None)
    if store is not None:
        store.close()  # rolls back whatever was not committed


def _store_binds(bind) -> dict:
    from outcomes.store import OutcomesBase

    # Core statements name tables, not classes, so each table is bound too.
    return {OutcomesBase: bind, **dict.fromkeys(OutcomesBase.metadata.tables.values(), bind)}


def _commit_store_first(session: Session) -> None:
    session.flush()
    store: Connection = session.info["store_connection"]
    if store.in_transaction():
        try:
            store.commit()
        except BaseException:
            # A failed commit can leave the database's transaction open beneath a
            # connection that has let go of it: dropping the connection rolls it back.
            store.invalidate()
            raise


def _begin_store_again(session: Session, transaction) -> None:
    """Once the session's transaction ends, begin the store's next one, so that the
    session always joins ours and never begins (and commits) one of its own."""
    store: Connection | None = session.info.get("store_connection")
    if transaction.parent is not None or store is None or store.closed:
        return
    if store.in_transaction():
        return
    if store.get_transaction() is not None:
        store.rollback()  # what is left of a commit that failed
    store.begin()


def same_database(url: str, other: str) -> bool:
    """Whether two URLs name one database. Two SQLite connections to one file would wait
    on each other's write lock, so a file named twice is one database."""
    if url == other:
        return True
    a, b = make_url(url), make_url(other)
    if a.get_backend_name() != "sqlite" or b.get_backend_name() != "sqlite":
        return False
    return (
        bool(a.database and b.database) and Path(a.database).resolve() == Path(b.database).resolve()
    )


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    store_url = analytics_url(app.config)
    app.extensions["db_engine"] = engine
    app.extensions["store_engine"] = (
        engine if same_database(app.config["DATABASE_URL"], store_url) else make_engine(store_url)
    )
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["db_engine"]


def store_engine() -> Engine:
    """The analytical store's engine: the app's own unless `ANALYTICS_DATABASE_URL` says."""
    return current_app.extensions["store_engine"]


def dispose(app: Flask) -> None:
    app.extensions["db_engine"].dispose()
    app.extensions["store_engine"].dispose()


def session() -> Session:
    """The session of this request or command."""
    if "db_session" not in g:
        g.db_session = open_session(
            current_app.extensions["db_engine"], current_app.extensions["store_engine"]
        )
    return g.db_session


def _close_session(exc: BaseException | None) -> None:
    s = g.pop("db_session", None)
    if s is not None:
        if exc is not None:
            s.rollback()
        close_session(s)


def migrating(part: str) -> bool:
    """In a migration: whether this run builds ``part`` ("app" or "store") of the schema.
    One run builds both where the store shares the app's database; with two databases,
    each gets a run of its own (`feedback.cli.upgrade_database`)."""
    from alembic import context

    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}")
    return part in context.config.attributes.get("parts", PARTS)
