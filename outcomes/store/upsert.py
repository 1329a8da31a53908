"""Writing many rows at once, on SQLite and PostgreSQL alike: upserts, and bulk inserts
straight through the driver."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Table,
    insert,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

# One row's values by column name: the parameters of an insert, an update or a delete.
RowValues = dict[str, Any]


def connection_for(session: Session, table: Table) -> Connection:
    """The session's connection to the database that holds ``table``: the store may
    have a database of its own."""
    return session.connection(bind_arguments={"clause": table})


def insert_for(dialect: str, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for `table` in the dialect's own kind, which has the ON CONFLICT methods
    the common Insert lacks: for the upserts of the store and of the app alike."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    raise NotImplementedError(f"no upsert for {dialect}")  # pragma: no cover


def upsert(
    session: Session, table: Table, rows: list[RowValues], add: tuple[str, ...] = ()
) -> None:
    """Insert rows; where a row's key is there already, add to its `add` columns (or,
    with none, leave it). Safe against a concurrent writer doing the same."""
    if not rows:
        return
    statement = insert_for(connection_for(session, table).dialect.name, table)
    keys = [c.name for c in table.primary_key.columns] if add else None
    if add:
        statement = statement.on_conflict_do_update(
            index_elements=keys,
            set_={name: table.c[name] + statement.excluded[name] for name in add},
        )
    else:
        statement = statement.on_conflict_do_nothing()
    session.execute(statement, rows)


def insert_sorted(session: Session, table: Table, rows: list[RowValues]) -> None:
    """A bulk insert straight through the driver: the rows are plain strings and numbers,
    and a rebuild can write hundreds of thousands of them. In key order, so that each
    insert lands at the end of the table's b-tree."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    rows.sort(key=lambda row: tuple(row[k] for k in keys))
    connection = connection_for(session, table)
    compiled = insert(table).compile(dialect=connection.dialect)
    if compiled.positional:
        names = compiled.positiontup
        assert names is not None  # a positional statement knows its parameters' order
        connection.exec_driver_sql(str(compiled), [tuple(row[n] for n in names) for row in rows])
    else:
        connection.exec_driver_sql(str(compiled), rows)
