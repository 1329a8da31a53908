"""The Alembic history builds exactly the schema the models describe."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

import feedback.models  # noqa: F401
from feedback.cli import alembic_config, upgrade_database
from feedback.db import Base
from outcomes.store import OutcomesBase
from tests.conftest import BACKENDS, POSTGRES_URL


def _empty_database(backend: str, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    server = create_engine(
        POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
    )
    with server.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS youthvoice_migrations"))
        connection.execute(text("CREATE DATABASE youthvoice_migrations"))
    server.dispose()
    return POSTGRES_URL.rsplit("/", 1)[0] + "/youthvoice_migrations"


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_match_models(backend, tmp_path):
    url = _empty_database(backend, tmp_path)
    upgrade_database(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        diff = compare_metadata(context, [Base.metadata, OutcomesBase.metadata])
    engine.dispose()
    assert diff == []


def test_migrations_go_down_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'cycle.sqlite'}"
    upgrade_database(url)
    command.downgrade(alembic_config(url), "base")
    upgrade_database(url)


def test_upgrading_a_store_from_before_the_summaries_builds_them(tmp_path):
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from outcomes.store import Person, ScoreCell

    url = f"sqlite:///{tmp_path / 'older.sqlite'}"
    upgrade_database(url, "0002")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO outcomes_occasion (id, pseudonym, response_ref, framework_code,"
                " framework_version, questionnaire_code, questionnaire_kind, occasion_type,"
                " measured_at, team, age_band, gender) VALUES (1, 'p1', 'r1',"
                " 'complex-safeguarding', 1, 'checkin', 'checkin', 'baseline',"
                " '2026-03-02 10:00:00', 'north', '14-15', NULL)"
            )
        )
        connection.execute(text("INSERT INTO outcomes_domain_score VALUES (1, 'safety', 50)"))
    upgrade_database(url)
    with Session(engine) as session:
        assert session.scalars(select(Person.pseudonym)).all() == ["p1"]
        # Month and quarter, each for every kind and for check-ins.
        assert session.scalar(select(func.count()).select_from(ScoreCell)) == 4
    engine.dispose()
