"""After an upgrade, a database that has frameworks is offered the new bundled version, and nothing else changes."""

from __future__ import annotations

from pathlib import Path

from storekit import FAST_HASHER, Db

from criteria import FRAMEWORKS_DIR
from settings import Settings
from store.bootstrap import open_store
from store.records import SYSTEM
from store.services import Services


def test_an_existing_database_is_offered_2025_1_inactive(db: Db, tmp_path: Path) -> None:
    engine = db.engine()
    sv = Services(engine, evidence_dir=tmp_path / "ev", hasher=FAST_HASHER)
    old = sv.frameworks.add(SYSTEM, (FRAMEWORKS_DIR / "changning-2024.yaml").read_text(encoding="utf-8"), activate=True)
    sv.schools.save(SYSTEM, "A001", "甲小学", ["primary"], "华阳路街道", "public", 1)
    cycle = sv.cycles.create(SYSTEM, "2024学年", "2024-2025", old.id)
    sv.close()
    settings = Settings(DATABASE_URL=db.full_url, data_dir=tmp_path / "data", load_demo=True)
    opened = open_store(settings, hasher=FAST_HASHER)
    assert opened.demo is None  # not an empty database: no demo
    versions = [(v.version, v.active) for v in opened.services.frameworks.list_versions(SYSTEM)]
    assert versions == [("2025.1", False), ("2024.1", True)]
    assert opened.services.cycles.get(SYSTEM, cycle.id).framework_version_id == old.id
    [added] = opened.services.audit.entries(SYSTEM, entity="framework_version", action_prefix="framework.add")[:1]
    assert added.after["version"] == "2025.1"
    opened.services.close()
    again = open_store(settings, hasher=FAST_HASHER)  # the next start adds nothing
    assert len(again.services.frameworks.list_versions(SYSTEM)) == 2
    again.services.close()


def test_an_empty_database_without_the_demo_stays_empty(db: Db, tmp_path: Path) -> None:
    settings = Settings(DATABASE_URL=db.full_url, data_dir=tmp_path / "data", load_demo=False)
    opened = open_store(settings, hasher=FAST_HASHER)
    assert opened.services.frameworks.list_versions(SYSTEM) == []
    opened.services.close()
