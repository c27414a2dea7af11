"""Issue 11 in the store: hostile evidence, the audit of sign-ins, refusals and downloads, the append-only
log and its archiving, optimistic locks on the register and cycles, and backups that restore.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from storekit import FAST_HASHER, PASSWORD, World, build_world, count, snapshot, table_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))
from corpus import evidence_cases, ooxml

from i18n.problems import InputError
from store.audit_log import AuditQuery
from store.backup import backup, read_backup, restore
from store.errors import ConflictError, LoginFailed, PermissionDenied
from store.evidence_files import safe_name, visible_text
from store.models import AuditRow
from store.records import SYSTEM, CycleStatus
from store.services import Services

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def files_under(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    } if folder.exists() else {}  # fmt: skip


def test_hostile_evidence_is_refused_and_writes_nothing(world: World) -> None:
    sv, school = world.sv, world.users["school_a"]
    cases = evidence_cases(random.Random(11), PDF)
    assert len(cases) >= 30
    folder = sv.ctx.limits.evidence_dir
    object.__setattr__(sv.ctx.limits, "evidence_max_bytes", 1024 * 1024)
    for name, data in cases:
        before, files = snapshot(sv.engine), files_under(folder)
        with pytest.raises(InputError) as refused:
            sv.evidence.upload(school, world.assessment_a, "i1", f"{name}.bin", data)
        (problem,) = refused.value.problems
        assert problem.file == f"{name}.bin", name
        assert snapshot(sv.engine) == before and files_under(folder) == files, name


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
@pytest.mark.parametrize("macro", ["vba", "type"])
def test_macro_enabled_office_files_are_refused_and_plain_ones_taken(world: World, kind: str, macro: str) -> None:
    school = world.users["school_a"]
    with pytest.raises(InputError) as refused:
        world.sv.evidence.upload(school, world.assessment_a, "i1", f"plan.{kind[:-1]}m", ooxml(kind, macro))
    assert refused.value.problems[0].key == "security.macro"
    assert "宏" in refused.value.render("zh")
    link = world.sv.evidence.upload(school, world.assessment_a, "i1", f"plan.{kind}", ooxml(kind))
    assert link.kind == kind


def test_invisible_characters_leave_shown_names() -> None:
    assert safe_name("invoice\u202efdp.exe", "pdf") == "invoicefdp.pdf"
    assert safe_name("\u2066报告\u2069\u200b 2025\ufeff.pdf", "pdf") == "报告 2025.pdf"
    assert safe_name("a\u3164b\u115fc\ufe0fd.png", "png") == "abcd.png"
    assert visible_text("普通名称 (1).docx") == "普通名称 (1).docx"


def test_a_name_stored_before_is_shown_without_invisible_characters(world: World) -> None:
    link = world.sv.evidence.upload(world.users["school_a"], world.assessment_a, "i1", "x.pdf", PDF)
    with world.sv.engine.begin() as conn:
        conn.execute(text("UPDATE evidence_links SET filename = :n"), {"n": "old\u202egpj.pdf"})
    (shown,) = world.sv.evidence.list_links(SYSTEM, world.assessment_a)
    assert shown.id == link.id and shown.filename == "oldgpj.pdf"


def actions(sv: Services) -> list[str]:
    return [e.action for e in sv.audit.entries(SYSTEM, limit=1000)][::-1]


def test_sign_ins_failures_sign_outs_refusals_and_downloads_are_audited(world: World) -> None:
    sv = world.sv
    school = sv.accounts.authenticate("school_a", PASSWORD)
    for name in ("school_a", "nobody"):
        with pytest.raises(LoginFailed):
            sv.accounts.authenticate(name, "wrong password")
    with pytest.raises(PermissionDenied):
        sv.assessments.get(school, world.assessment_b)  # another school's assessment
    with pytest.raises(PermissionDenied):
        sv.cycles.update(school, world.cycle_id, status=CycleStatus.CLOSED)
    link = sv.evidence.upload(school, world.assessment_a, "i1", "plan.pdf", PDF)
    sv.evidence.read(world.users["lead"], link.id)
    sv.audit.sign_out(school)
    sv.audit.sign_out(school, idle=True)
    entries = {e.action: e for e in sv.audit.entries(SYSTEM, limit=1000)}
    assert [a for a in actions(sv) if a.startswith(("signin", "refused"))] == [
        "signin",
        "signin.failed",
        "signin.failed",
        "refused:view_assessment",
        "refused:manage_cycles",
    ]
    failed = sv.audit.search(SYSTEM, AuditQuery(action_prefix="signin.failed"))
    assert {(e.actor, e.after["reason"]) for e in failed} == {("school_a", "password"), ("nobody", "unknown")}
    download = entries["evidence.download"]
    assert (download.actor, download.entity_id, download.school_id) == ("lead", str(link.id), world.school_a)
    assert download.after["filename"] == "plan.pdf"
    assert {"signout", "signout.idle"} <= set(entries)
    assert {e.action for e in sv.audit.search(SYSTEM, AuditQuery(outcome="failed"))} == {
        "signin.failed", "refused:view_assessment", "refused:manage_cycles",
    }  # fmt: skip
    assert sv.audit.search(SYSTEM, AuditQuery(actor="LEAD ", text="plan.pdf"))[0].action == "evidence.download"


def test_an_export_is_audited(world: World, tmp_path: Path) -> None:
    world.sv.exports.cycle_csv(SYSTEM, world.cycle_id, tmp_path / "out")
    (entry,) = world.sv.audit.search(SYSTEM, AuditQuery(action_prefix="export."))
    assert (entry.action, entry.cycle_id) == ("export.csv", world.cycle_id)


def test_the_audit_log_cannot_be_changed_or_deleted(world: World) -> None:
    engine = world.sv.engine
    before = count(engine, "audit_log")
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    if engine.dialect.name == "postgresql":
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_log"))
    with Session(engine) as session:
        row = session.scalars(text("SELECT 1")).first() and session.get(AuditRow, 1)
        assert row is not None
        session.delete(row)
        with pytest.raises(PermissionError):
            session.flush()
        session.rollback()
        row = session.get(AuditRow, 1)
        row.actor = "x"
        with pytest.raises(PermissionError):
            session.flush()
    assert count(engine, "audit_log") == before


def test_old_entries_are_archived_to_a_file_then_removed_and_never_silently(engine, tmp_path: Path) -> None:
    now = [datetime.now(UTC) - timedelta(days=400)]
    sv = Services(engine, evidence_dir=tmp_path / "ev", hasher=FAST_HASHER, clock=lambda: now[0])
    world = build_world(sv)
    old = table_rows(engine)["audit_log"]
    now[0] = datetime.now(UTC)
    sv.schools.save(SYSTEM, "C001", "丙小学", ["primary"])  # a recent entry: kept
    with pytest.raises(InputError):
        sv.audit.archive(SYSTEM, tmp_path / "a.jsonl", retention_days=30)  # less than the law's 180 days
    with pytest.raises(PermissionDenied):
        sv.audit.archive(world.users["bureau"], tmp_path / "a.jsonl")
    result = sv.audit.archive(SYSTEM, tmp_path / "a.jsonl")
    assert result.entries == len(old) > 10
    lines = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == [r["id"] for r in old]
    assert [line["action"] for line in lines] == [r["action"] for r in old]
    assert hashlib.sha256((tmp_path / "a.jsonl").read_bytes()).hexdigest() == result.sha256
    left = [e.action for e in sv.audit.entries(SYSTEM, limit=1000)]
    assert left[0] == "audit.archive" and sorted(left) == ["audit.archive", "refused:archive_audit", "school.add"]
    assert sv.audit.archive(SYSTEM, tmp_path / "b.jsonl").entries == 0  # nothing older left
    with pytest.raises(InputError):  # an archive is never overwritten
        now[0] = datetime.now(UTC) + timedelta(days=400)
        sv.audit.archive(SYSTEM, tmp_path / "a.jsonl")
    for statement in ("DELETE FROM audit_archive_runs", "UPDATE audit_archive_runs SET open = true"):
        with pytest.raises(Exception, match="kept"), engine.begin() as conn:
            conn.execute(text(statement))


def test_register_and_cycle_edits_refuse_a_stale_copy(world: World) -> None:
    sv, bureau = world.sv, world.users["bureau"]
    school = sv.schools.get(SYSTEM, world.school_a)
    cycle = sv.cycles.get(SYSTEM, world.cycle_id)
    first = sv.schools.save(bureau, "A001", "甲小学（新名）", ["primary"], expected_version=school.version)
    assert first.version == school.version + 1
    with pytest.raises(ConflictError) as stale:
        sv.schools.save(SYSTEM, "A001", "甲小学（另一个名）", ["primary"], expected_version=school.version)
    assert stale.value.who == "bureau" and "A001" in stale.value.render("zh")
    assert sv.schools.get(SYSTEM, world.school_a).name == "甲小学（新名）"
    changed = sv.cycles.update(
        bureau, cycle.id, self_deadline=datetime(2026, 1, 1).date(), expected_version=cycle.version
    )
    assert changed.version == cycle.version + 1
    with pytest.raises(ConflictError) as stale:
        sv.cycles.update(SYSTEM, cycle.id, status=CycleStatus.CLOSED, expected_version=cycle.version)
    assert stale.value.who == "bureau"
    assert sv.cycles.get(SYSTEM, cycle.id).status == CycleStatus.OPEN
    sv.cycles.update(SYSTEM, cycle.id, status=CycleStatus.CLOSED)  # without a version: as before, no check


def test_a_backup_taken_while_others_write_restores_identically(world: World, tmp_path: Path, db, request) -> None:
    sv = world.sv
    school = world.users["school_a"]
    for n in range(3):
        sv.evidence.upload(school, world.assessment_a, "i1", f"f{n}.pdf", PDF + bytes([n]))
    stop = threading.Event()
    saves = [0]

    def writer() -> None:
        while not stop.is_set():
            a = sv.assessments.get(SYSTEM, world.assessment_a)
            sv.assessments.save_facts(school, a.id, {"students": 100 + saves[0]}, expected_version=a.version)
            saves[0] += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while saves[0] < 3:
            stop.wait(0.01)
        live = backup(sv, SYSTEM, tmp_path / "live.zip")
    finally:
        stop.set()
        thread.join()
    assert saves[0] >= 3
    _, dumps, files = read_backup(tmp_path / "live.zip")
    assert len(files) == 3 and live.rows["audit_log"] >= 10
    # the snapshot is consistent: its audit log is exactly the first entries of the live one, and the
    # assessment's version counts the saves the snapshot holds
    snap = [json.loads(line) for line in dumps["audit_log"].decode().splitlines()]
    live_log = table_rows(sv.engine)["audit_log"]
    assert [e["id"] for e in snap] == [e["id"] for e in live_log[: len(snap)]]
    # restore into a new database (SQLite file; or a new PostgreSQL schema) and compare every table and file
    target = _new_database(db, tmp_path, request)
    restored = restore(target, tmp_path / "restored-evidence", tmp_path / "live.zip")
    assert restored.rows == live.rows
    from store.backup import dump_tables

    with target.connect() as conn:
        assert dump_tables(conn) == dumps  # 0 differences, row for row
    for sha, data in files.items():
        assert (tmp_path / "restored-evidence" / sha[:2] / sha).read_bytes() == data
    # a second restore is refused: the database is not empty; a damaged backup is refused before anything
    with pytest.raises(InputError, match="not empty"):
        restore(target, tmp_path / "other-evidence", tmp_path / "live.zip")
    target.dispose()
    # after the writes: a backup equals the live database exactly
    backup(sv, SYSTEM, tmp_path / "still.zip")
    with sv.engine.connect() as conn:
        live_dump = dump_tables(conn)
    _, still, _ = read_backup(tmp_path / "still.zip")
    assert {k: v for k, v in still.items() if k != "audit_log"} == {
        k: v for k, v in live_dump.items() if k != "audit_log"
    }  # the live log has the backup's own entry on top


def _new_database(db, tmp_path: Path, request):
    from store.engine import make_engine

    if db.backend == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    schemas = request.getfixturevalue("pg_schemas")
    name = schemas.create()
    request.addfinalizer(lambda: schemas.drop(name))
    return make_engine(db.url, schema=name)


def test_a_damaged_backup_restores_nothing(world: World, tmp_path: Path) -> None:
    import zipfile

    backup(world.sv, SYSTEM, tmp_path / "b.zip")
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(tmp_path / "b.zip") as src, zipfile.ZipFile(damaged, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, data.replace(b"A001", b"A002") if info.filename == "tables/schools.jsonl" else data)
    from store.engine import make_engine

    target = make_engine(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    with pytest.raises(InputError, match="hash"):
        restore(target, tmp_path / "ev", damaged)
    assert not (tmp_path / "r.sqlite3").exists() or count(target, "schools") == 0
    with pytest.raises(InputError):
        restore(target, tmp_path / "ev", Path(__file__))
    target.dispose()
