"""Migrations: from an empty database to the newest schema, and the upgrade of the previous version with data."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from storekit import FACTS, FAST_HASHER, FRAMEWORK, PASSWORD, Db

from criteria import framework_hash, load_framework
from store.errors import PasswordChangeRequired
from store.migrate import current_revision, head_revision, upgrade
from store.models import Base
from store.records import SYSTEM, Role
from store.services import Services


def test_an_empty_database_is_migrated_to_the_newest_schema(empty_db: Db) -> None:
    engine = empty_db.engine()
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision() == "0006"
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert differences == [], "the models and the migrations disagree"
    upgrade(engine)  # on every start: nothing to do the second time
    assert current_revision(engine) == "0006"
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
    assert current_revision(engine) == head_revision()
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


def _insert_0002_district(engine: Engine) -> None:
    """A district as revision 0002 stored it: a finalized primary school, a junior school's draft, accounts."""
    framework = load_framework(FRAMEWORK)
    content = json.dumps(framework.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    now = datetime(2025, 9, 1, 8, 0)
    rows = {
        "schools": [
            {"id": 1, "code": "A001", "name": "甲小学", "stages": "primary"},
            {"id": 2, "code": "B001", "name": "乙中学", "stages": "junior"},
        ],
        "framework_versions": [
            {
                "id": 1,
                "framework_id": framework.id,
                "version": framework.version,
                "name": "mini",
                "source_text": FRAMEWORK.read_text(encoding="utf-8"),
                "content": content,
                "content_hash": framework_hash(framework),
                "active": True,
                "created_by": "system",
            }
        ],
        "cycles": [
            {"id": 1, "name": "2025学年", "school_year": "2025-2026", "framework_version_id": 1, "status": "open"}
        ],
        "users": [
            {"id": 1, "username": "school_a", "role": "school", "school_id": 1, "must_change_password": False},
            {"id": 2, "username": "school_b", "role": "school", "school_id": 2, "must_change_password": True},
        ],
        "assessments": [
            {"id": 1, "school_id": 1, "status": "finalized", "facts": json.dumps(FACTS)},
            {"id": 2, "school_id": 2, "status": "draft", "facts": json.dumps(FACTS)},
        ],
    }
    defaults = {
        "schools": {"street": "", "ownership": "public", "campuses": 1, "active": True, "created_at": now},
        "framework_versions": {"created_at": now},
        "cycles": {"created_at": now},
        "users": {
            "display_name": "学校",
            "password_hash": FAST_HASHER.hash(PASSWORD),
            "active": True,
            "failed_logins": 0,
            "created_at": now,
            "version_id": 1,
        },
        "assessments": {"cycle_id": 1, "return_note": "", "updated_at": now, "updated_by": "system", "version_id": 1},
    }
    with engine.begin() as conn:
        for table, values in rows.items():
            for row in values:
                row = {**defaults[table], **row}
                columns = ", ".join(row)
                conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(f':{c}' for c in row)})"), row)
        conn.execute(
            text(
                "INSERT INTO ratings (assessment_id, item_id, role, slot, rater, level, account, finding, "
                "updated_at, updated_by, version_id) VALUES "
                "(1, 'i3', 'consensus', '', 'lead', 'A', '', '', :now, 'lead', 1)"
            ),
            {"now": now},
        )


def test_revision_0002_is_upgraded_with_its_data(empty_db: Db, tmp_path: Path) -> None:
    """0003 snapshots the stages of submitted-or-later assessments and gives every account a session version."""
    engine = empty_db.engine()
    upgrade(engine, "0002")
    _insert_0002_district(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision() == "0006"
    with engine.connect() as conn:
        stages = {i: stages for i, stages in conn.execute(text("SELECT id, school_stages FROM assessments"))}
        versions = set(conn.execute(text("SELECT session_version FROM users")).scalars())
    assert stages == {1: "primary", 2: None} and versions == {1}
    sv = Services(engine, evidence_dir=tmp_path / "ev", hasher=FAST_HASHER)
    school_a = sv.accounts.authenticate("school_a", PASSWORD)
    assert school_a.session_version == 1
    sv.schools.save(SYSTEM, "A001", "甲小学", ["junior"])  # the register changes after the inspection
    sv.schools.save(SYSTEM, "B001", "乙中学", ["senior"])
    frame = sv.frames.facts_frame(SYSTEM, 1)
    assert dict(frame["stages"]) == {"A001": "primary", "B001": "senior"}  # finalized: as submitted; draft: today's
    assert sv.assessments.get(school_a, 1).stages == ("primary",)
    pending = sv.accounts.authenticate("school_b", PASSWORD)
    assert sv.accounts.me(pending).must_change_password
    with pytest.raises(PasswordChangeRequired):
        sv.assessments.get(pending, 2)
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
    assert current_revision(engines[0]) == head_revision()
    for engine in engines:
        engine.dispose()
