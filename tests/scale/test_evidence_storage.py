"""Evidence through the service layer on both storages: checks before writing, shared files, streamed reads."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
from storekit import FAST_HASHER, build_world

from i18n.problems import InputError
from store.engine import make_engine
from store.errors import PermissionDenied
from store.migrate import upgrade
from store.services import Services
from store.storage import Storage, key_for

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(storage: Storage, tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    upgrade(engine)
    sv = Services(engine, storage=storage, evidence_max_mb=0.01, hasher=FAST_HASHER)
    yield build_world(sv)
    sv.close()


def test_evidence_is_kept_once_by_hash_and_deleted_when_no_link_uses_it(world, storage: Storage) -> None:
    sv, school = world.sv, world.users["school_a"]
    key = key_for("evidence", hashlib.sha256(PDF).hexdigest())
    first = sv.evidence.upload(school, world.assessment_a, "i1", "计划.pdf", PDF)
    second = sv.evidence.upload(school, world.assessment_a, "i2", "again.pdf", PDF)
    assert list(storage.keys()) == [key]
    link, chunks = sv.evidence.open(world.users["lead"], first.id)
    assert link.filename == "计划.pdf" and b"".join(chunks) == PDF
    sv.evidence.delete_link(school, first.id)
    assert storage.size(key) == len(PDF)  # the second link still uses it
    sv.evidence.delete_link(school, second.id)
    assert storage.size(key) is None


def test_refused_uploads_write_nothing(world, storage: Storage) -> None:
    sv = world.sv
    with pytest.raises(PermissionDenied):
        sv.evidence.upload(world.users["school_b"], world.assessment_a, "i1", "a.pdf", PDF)
    with pytest.raises(InputError):
        sv.evidence.upload(world.users["school_a"], world.assessment_a, "i1", "a.exe", b"MZ\x90\x00 program")
    with pytest.raises(InputError):
        sv.evidence.upload(world.users["school_a"], world.assessment_a, "i1", "big.pdf", PDF + b"0" * 20000)
    assert list(storage.keys()) == []


def test_an_other_schools_evidence_cannot_be_opened(world) -> None:
    sv = world.sv
    link = sv.evidence.upload(world.users["school_a"], world.assessment_a, "i1", "a.pdf", PDF)
    with pytest.raises(PermissionDenied):
        sv.evidence.open(world.users["school_b"], link.id)
