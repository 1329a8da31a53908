"""The Alembic history builds exactly the schema the models describe."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

import feedback.models  # noqa: F401
from feedback.cli import alembic_config, migration_targets, upgrade_database
from feedback.db import Base
from outcomes.store import OutcomesBase
from tests.conftest import BACKENDS, postgres_database

# (backend, whether the store has a database of its own)
SETUPS = [(backend, apart) for backend in BACKENDS for apart in (False, True)]


def _empty_databases(backend: str, apart: bool, tmp_path) -> tuple[str, str]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return url, (f"sqlite:///{tmp_path / 'analytics.sqlite'}" if apart else url)
    url = postgres_database("youthvoice_migrations")
    return url, (postgres_database("youthvoice_migrations_store") if apart else url)


def _diffs(url: str, store_url: str) -> dict[str, list]:
    """What each database lacks or has beyond the models of the parts it holds."""
    holds = (
        {url: [Base.metadata, OutcomesBase.metadata]}
        if url == store_url
        else {url: [Base.metadata], store_url: [OutcomesBase.metadata]}
    )
    diffs = {}
    for target, metadatas in holds.items():
        engine = create_engine(target)
        with engine.connect() as connection:
            diffs[target] = compare_metadata(MigrationContext.configure(connection), metadatas)
        engine.dispose()
    return diffs


@pytest.mark.parametrize(("backend", "apart"), SETUPS)
def test_migrations_match_models(backend, apart, tmp_path):
    url, store_url = _empty_databases(backend, apart, tmp_path)
    upgrade_database(url, store_url=store_url)
    assert all(diff == [] for diff in _diffs(url, store_url).values())


def test_a_store_of_its_own_holds_no_case_records_and_the_app_no_store(tmp_path):
    url, store_url = _empty_databases("sqlite", True, tmp_path)
    upgrade_database(url, store_url=store_url)
    for target, prefix_kept in ((url, False), (store_url, True)):
        engine = create_engine(target)
        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        engine.dispose()
        assert tables
        assert all(t.startswith("outcomes_") is prefix_kept for t in tables), tables


@pytest.mark.parametrize(("backend", "apart"), SETUPS)
def test_migrations_go_down_and_up_again(backend, apart, tmp_path):
    url, store_url = _empty_databases(backend, apart, tmp_path)
    upgrade_database(url, store_url=store_url)
    for target, parts in migration_targets(url, store_url):
        command.downgrade(alembic_config(target, parts), "base")
    upgrade_database(url, store_url=store_url)
    assert all(diff == [] for diff in _diffs(url, store_url).values())


def test_upgrading_a_store_from_before_the_summaries_builds_them(tmp_path):
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from outcomes.store import Occasion, Person, ScoreCell

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
        # Keyed afresh at random, and the day only.
        (occasion,) = session.scalars(select(Occasion)).all()
        assert occasion.id != 1 and occasion.measured_at == date(2026, 3, 2)
        assert [d.score for d in occasion.domain_scores] == [50]
        assert session.scalars(select(Person.pseudonym)).all() == ["p1"]
        # Month and quarter, each for every kind and for check-ins.
        assert session.scalar(select(func.count()).select_from(ScoreCell)) == 4
    engine.dispose()
