"""Migrations: from an empty database to the newest schema, and the upgrade of the previous version with data."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from storekit import FAST_HASHER, Db

from store.migrate import current_revision, head_revision, upgrade
from store.models import Base
from store.records import SYSTEM, Role
from store.services import Services


def test_an_empty_database_is_migrated_to_the_newest_schema(empty_db: Db) -> None:
    engine = empty_db.engine()
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision() == "0002"
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert differences == [], "the models and the migrations disagree"
    upgrade(engine)  # on every start: nothing to do the second time
    assert current_revision(engine) == "0002"
    engine.dispose()


def test_the_previous_schema_version_is_upgraded_with_its_data(empty_db: Db, tmp_path: Path) -> None:
    engine = empty_db.engine()
    upgrade(engine, "0001")
    assert "must_change_password" not in {c["name"] for c in inspect(engine).get_columns("users")}
    now = datetime(2025, 9, 1, 8, 0)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO schools (id, code, name, stages, street, ownership, campuses, active, created_at) "
                "VALUES (1, 'A001', '甲小学', 'primary', '', 'public', 1, :t, :now)"
            ),
            {"t": True, "now": now},
        )
        conn.execute(
            text(
                "INSERT INTO users (id, username, display_name, role, school_id, password_hash, active, "
                "failed_logins, created_at, version_id) VALUES "
                "(1, 'old_school', '甲小学', 'school', 1, :hash, :t, 0, :now, 1)"
            ),
            {"hash": FAST_HASHER.hash("kept password"), "t": True, "now": now},
        )
        conn.execute(
            text(
                "INSERT INTO audit_log (id, at, actor, action, entity, entity_id) "
                "VALUES (1, :now, 'system', 'user.add', 'user', '1')"
            ),
            {"now": now},
        )
    upgrade(engine)
    assert current_revision(engine) == "0002"
    indexes = {i["name"] for i in inspect(engine).get_indexes("audit_log")}
    assert {"ix_audit_log_at", "ix_audit_log_school_id_at"} <= indexes
    sv = Services(engine, evidence_dir=tmp_path / "ev", hasher=FAST_HASHER)
    (user,) = sv.accounts.list_users(SYSTEM)
    assert (user.username, user.role, user.school_id, user.must_change_password) == (
        "old_school",
        Role.SCHOOL,
        1,
        False,
    )
    assert sv.accounts.authenticate("old_school", "kept password").id == 1
    assert sv.audit.entries(SYSTEM)[0].at == now.replace(tzinfo=UTC)
    engine.dispose()


def test_servers_starting_together_migrate_once(empty_db: Db) -> None:
    engines = [empty_db.engine() for _ in range(3)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(engines))

    def start(engine: Engine) -> None:
        barrier.wait()
        try:
            upgrade(engine)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert current_revision(engines[0]) == "0002"
    for engine in engines:
        engine.dispose()
