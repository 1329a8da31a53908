"""Alembic environment: the app's tables and the analytical store's, in one history.

The store may live in a database of its own. Then the history runs once on each database,
and each migration builds only the part of the schema that database holds
(`feedback.db.migrating`); each database keeps its own version table.
"""

from alembic import context
from sqlalchemy import engine_from_config, pool

import feedback.models  # noqa: F401 - registers every table on Base.metadata
from feedback.db import Base
from outcomes.store import OutcomesBase

config = context.config
_METADATA = {"app": Base.metadata, "store": OutcomesBase.metadata}
target_metadata = [_METADATA[part] for part in config.attributes.get("parts", _METADATA)]


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        # Batch mode lets later migrations alter SQLite tables by copying them.
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
