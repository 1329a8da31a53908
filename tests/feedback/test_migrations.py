"""The Alembic history builds exactly the schema the models describe."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import feedback.models  # noqa: F401
from feedback.cli import alembic_config, upgrade_database
from feedback.db import Base
from outcomes.store import OutcomesBase


def test_migrations_match_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
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
