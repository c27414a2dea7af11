"""Fixtures of the store tests: each database test runs on a real SQLite file and on the real PostgreSQL.

PostgreSQL is TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test); each
test session works in a fresh schema of its own, dropped at the end. When the server is unreachable
the PostgreSQL tests fail in CI (env CI set) and are skipped elsewhere.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from testkit import need

sys.path.insert(0, str(Path(__file__).parent))  # the helpers beside this file (tests run in importlib mode)
from storekit import FAST_HASHER, Db, Rows, World, build_world, restore, table_rows

from store.engine import make_engine
from store.migrate import upgrade
from store.models import Base
from store.services import Services

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class PgSchemas:
    """Creates uniquely named schemas on the test server and drops them at the end of the session."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create(self) -> str:
        name = f"xinyu_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        self.created.append(name)
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))

    def close(self) -> None:
        for name in self.created:
            self.drop(name)
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_schemas() -> Iterator[PgSchemas]:
    """The PostgreSQL test server (fail in CI, skip elsewhere, when it cannot be reached)."""
    schemas = PgSchemas(PG_URL)
    try:
        with schemas.admin.connect():
            pass
    except OperationalError as error:
        schemas.admin.dispose()
        need(False, f"PostgreSQL at {PG_URL} is unreachable: {str(error).splitlines()[0]}")
    yield schemas
    schemas.close()


@pytest.fixture(scope="session")
def pg_session_schema(pg_schemas: PgSchemas) -> str:
    """One migrated schema for this test session (tests empty its tables before use)."""
    name = pg_schemas.create()
    engine = make_engine(PG_URL, schema=name)
    upgrade(engine)
    engine.dispose()
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (migrating once per session)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Db:
    """A migrated, empty database of the test's own: a SQLite file, or a PostgreSQL schema emptied."""
    if request.param == "sqlite":
        path = tmp_path / "store.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return Db("sqlite", f"sqlite:///{path}", None)
    schema = request.getfixturevalue("pg_session_schema")
    engine = make_engine(PG_URL, schema=schema)
    with engine.begin() as conn:
        # The audit log refuses DELETE (migration 0007); emptying a test schema is a superuser's act outside the app.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()
    return Db("postgres", PG_URL, schema)


@pytest.fixture(params=BACKENDS)
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    """A database with no schema at all: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield Db("sqlite", f"sqlite:///{tmp_path / 'empty.sqlite3'}", None)
        return
    schemas: PgSchemas = request.getfixturevalue("pg_schemas")
    name = schemas.create()
    yield Db("postgres", PG_URL, name)
    schemas.drop(name)


@pytest.fixture
def engine(db: Db) -> Iterator[Engine]:
    """An engine on the test's database."""
    engine = db.engine()
    yield engine
    engine.dispose()


@pytest.fixture
def services(engine: Engine, tmp_path: Path) -> Services:
    """Services with a cheap argon2 configuration (the hashing itself is real) and an evidence folder."""
    return Services(engine, evidence_dir=tmp_path / "evidence", hasher=FAST_HASHER)


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> tuple[World, Rows]:
    """The world built once through the services, and every row of it, to restore before each test."""
    path = tmp_path_factory.mktemp("world") / "world.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    world = build_world(Services(engine, evidence_dir=path.parent / "evidence", hasher=FAST_HASHER))
    rows = table_rows(engine)
    engine.dispose()
    return world, rows


@pytest.fixture
def world(services: Services, world_template: tuple[World, Rows]) -> World:
    """Two schools in one cycle, with an account for every role (see storekit.build_world)."""
    template, rows = world_template
    restore(services.engine, rows)
    return dataclasses.replace(template, sv=services)
