"""Alembic environment: runs on the connection `store.migrate` hands over, in its transaction.

Run from the alembic command line (new revisions), it connects to the configured database itself.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from store.models import Base


def run(connection: Connection) -> None:
    """Run the migrations on `connection` (batch mode and compare_type for SQLite's sake)."""
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:  # the alembic command line
    from settings import get_settings
    from store.engine import make_engine

    engine = make_engine(get_settings().sqlalchemy_url)
    with engine.connect() as conn:
        run(conn)
        conn.commit()
    engine.dispose()
