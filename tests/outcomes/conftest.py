"""Fixtures for the domain core: the analytical store on its own, with no app (SQLite in
memory, and PostgreSQL too where the suite has a server, each test in a schema of its
own), and the framework every worked example is written against."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from outcomes.framework import get_framework
from outcomes.store import OutcomesBase
from tests.conftest import BACKENDS, POSTGRES_URL


@pytest.fixture
def v1():
    return get_framework("complex-safeguarding", 1)


@pytest.fixture(params=BACKENDS)
def store_session(request):
    """The analytical store on its own, with no app: SQLite in memory, and PostgreSQL too
    where the suite has a server. (The app's tests have `session`: the app's session.)"""
    if request.param == "sqlite":
        engine = create_engine("sqlite://")
        OutcomesBase.metadata.create_all(engine)
        with Session(engine) as s:
            yield s
        engine.dispose()
        return
    # A schema of our own, so tests sharing the server's database do not see our rows.
    schema = f"store_{uuid.uuid4().hex[:12]}"
    engine = create_engine(POSTGRES_URL)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        conn.commit()
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(schema_translate_map={None: schema})
            OutcomesBase.metadata.create_all(conn)
            # Committed, so a test that rolls back its own work keeps the tables.
            conn.commit()
            with Session(bind=conn) as s:
                yield s
            conn.rollback()
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.commit()
        engine.dispose()
