"""Fast bulk inserts for imports: SQLite's executemany and PostgreSQL's COPY, through the session's connection.

Rows go straight to the driver, so every value must already be what the column type would have sent:
this module turns datetimes into the backend's form with the column type's own bind processor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session


def driver_value(session: Session, table: Table, column: str, value: Any) -> Any:
    """`value` as the column type sends it to this backend's driver (e.g. a datetime on SQLite: text)."""
    processor = table.c[column].type.bind_processor(session.connection().dialect)
    return processor(value) if processor else value


def insert_rows(session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert `rows` into `table` in the session's transaction.

    Values are in the order of `columns` and already driver values (see `driver_value`).
    """
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    raw = conn.connection.driver_connection
    names = ", ".join(columns)
    if dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
        return
    cursor = raw.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)
    finally:
        cursor.close()
