"""The evidence store: by content hash, size limit, type by content, safe names, shared files kept."""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine
from storekit import FAST_HASHER, World, build_world, count

from i18n.problems import InputError
from store.errors import InvalidState, PermissionDenied, ReadOnlyError
from store.evidence_files import safe_name, sniff
from store.records import SYSTEM
from store.services import Services

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(32)


def ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return buffer.getvalue()


def stored_files(world: World) -> list[Path]:
    root = world.sv.evidence.blobs.root
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (ooxml("word/document.xml"), "docx"),
        (ooxml("xl/workbook.xml"), "xlsx"),
        (ooxml("ppt/presentation.xml"), "pptx"),
        (b"MZ\x90\x00 a program", None),
        (b"<html><script>alert(1)</script>", None),
        (ooxml("other.xml"), None),
        (b"PK\x03\x04 not really a zip", None),
    ],
)
def test_type_is_told_by_content(data: bytes, kind: str | None) -> None:
    assert sniff(data) == kind


@pytest.mark.parametrize(
    ("name", "kind", "safe"),
    [
        ("../../etc/passwd.pdf", "pdf", "passwd.pdf"),
        ("C:\\Users\\x\\报告 2025.PDF", "pdf", "报告 2025.pdf"),
        ('a<b>:"c|?*.png', "png", "a_b___c___.png"),
        ("program.exe", "pdf", "program.pdf"),
        ("photo.jpeg", "jpeg", "photo.jpeg"),
        ("...", "png", "evidence.png"),
        ("con.docx", "docx", "_con.docx"),
        ("x\x00\x1fy.xlsx", "xlsx", "x__y.xlsx"),
        ("长" * 300 + ".pdf", "pdf", "长" * 100 + ".pdf"),
    ],
)
def test_names_are_sanitized(name: str, kind: str, safe: str) -> None:
    assert safe_name(name, kind) == safe


def test_upload_list_read(world: World) -> None:
    school = world.users["school_a"]
    link = world.sv.evidence.upload(school, world.assessment_a, "i1", "../会议记录.pdf", PDF)
    assert (link.filename, link.kind, link.size) == ("会议记录.pdf", "pdf", len(PDF))
    assert link.sha256 == hashlib.sha256(PDF).hexdigest()
    for who in ("school_a", "inspector", "lead", "bureau"):
        links = world.sv.evidence.list_links(world.users[who], world.assessment_a)
        assert [x.id for x in links] == [link.id]
        assert world.sv.evidence.read(world.users[who], link.id)[1] == PDF
    with pytest.raises(PermissionDenied):
        world.sv.evidence.read(world.users["school_b"], link.id)


def test_the_same_file_is_stored_once_and_shared_files_are_kept(world: World) -> None:
    sv, school = world.sv, world.users["school_a"]
    first = sv.evidence.upload(school, world.assessment_a, "i1", "a.pdf", PDF)
    second = sv.evidence.upload(school, world.assessment_a, "i2", "b.pdf", PDF)
    again = sv.evidence.upload(school, world.assessment_a, "i1", "a-again.pdf", PDF)
    other = sv.evidence.upload(school, world.assessment_a, "i1", "p.png", PNG)
    assert again.id == first.id
    assert len(stored_files(world)) == 2 and count(sv.engine, "evidence_files") == 2
    sv.evidence.delete_link(school, first.id)
    assert len(stored_files(world)) == 2, "the PDF is still used by the link of i2"
    assert sv.evidence.read(school, second.id)[1] == PDF
    sv.evidence.delete_link(school, second.id)
    assert stored_files(world) == [sv.evidence.blobs.path(other.sha256)]
    assert count(sv.engine, "evidence_files") == 1
    unlinks = sv.audit.entries(SYSTEM, entity="evidence", action_prefix="evidence.unlink")
    assert len(unlinks) == 2


def test_a_file_used_in_another_school_survives_unlinking(world: World) -> None:
    sv = world.sv
    a = sv.evidence.upload(world.users["school_a"], world.assessment_a, "i1", "a.png", PNG)
    sv.evidence.upload(world.users["school_b"], world.assessment_b, "i1", "b.png", PNG)
    sv.evidence.delete_link(world.users["school_a"], a.id)
    assert len(stored_files(world)) == 1


def test_wrong_type_is_refused_whatever_the_name(world: World) -> None:
    with pytest.raises(InputError) as refused:
        world.sv.evidence.upload(world.users["school_a"], world.assessment_a, "i1", "scan.pdf", b"MZ\x90\x00")
    assert refused.value.problems[0].key == "store.evidence_bad_type"
    assert "PDF" in refused.value.render("en") and "scan.pdf" in refused.value.render("zh")
    assert stored_files(world) == [] and count(world.sv.engine, "evidence_links") == 0


def test_size_limit(engine: Engine, tmp_path: Path) -> None:
    sv = Services(engine, evidence_dir=tmp_path / "ev", evidence_max_mb=0.001, hasher=FAST_HASHER)
    world = build_world(sv)
    big = PDF + b"0" * 2000
    with pytest.raises(InputError) as refused:
        sv.evidence.upload(world.users["school_a"], world.assessment_a, "i1", "big.pdf", big)
    assert refused.value.problems[0].key == "store.evidence_too_big"
    assert stored_files(world) == []
    sv.evidence.upload(world.users["school_a"], world.assessment_a, "i1", "small.pdf", PDF)


def test_default_size_limit_is_20_mb(world: World) -> None:
    assert world.sv.ctx.limits.evidence_max_bytes == 20 * 1024 * 1024


def test_unknown_item_is_refused(world: World) -> None:
    with pytest.raises(InputError):
        world.sv.evidence.upload(world.users["school_a"], world.assessment_a, "nope", "a.pdf", PDF)
    assert count(world.sv.engine, "evidence_links") == 0


def test_a_refused_upload_leaves_no_file(world: World) -> None:
    for who in ("school_b", "inspector", "bureau"):
        with pytest.raises(PermissionDenied):
            world.sv.evidence.upload(world.users[who], world.assessment_a, "i1", "a.pdf", PDF)
    assert stored_files(world) == []


def test_a_refused_upload_writes_nothing_to_disk(world: World) -> None:
    """Permission and state are checked before the file is written: not even a folder is made."""
    sv = world.sv
    for who in ("school_b", "inspector", "lead", "bureau", "admin"):
        with pytest.raises(PermissionDenied):
            sv.evidence.upload(world.users[who], world.assessment_a, "i1", "a.pdf", PDF)
    world.submit_a()  # not editable any more
    with pytest.raises(InvalidState):
        sv.evidence.upload(world.users["school_a"], world.assessment_a, "i1", "a.pdf", PDF)
    root = sv.evidence.blobs.root
    assert not root.exists() or not any(root.iterdir())


def test_a_refused_upload_does_not_need_the_evidence_folder(engine: Engine, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the evidence folder should be")
    sv = Services(engine, evidence_dir=blocked, hasher=FAST_HASHER)
    world = build_world(sv)
    with pytest.raises(PermissionDenied):  # the refusal, not an error of the disk
        sv.evidence.upload(world.users["school_b"], world.assessment_a, "i1", "a.pdf", PDF)


def test_an_upload_to_a_finalized_assessment_is_refused_and_logged(world: World) -> None:
    world.submit_a()
    world.inspect_a()
    world.sv.assessments.finalize(world.users["lead"], world.assessment_a, world.version_a())
    with pytest.raises(ReadOnlyError):
        world.sv.evidence.upload(world.users["school_a"], world.assessment_a, "i1", "a.pdf", PDF)
    (refusal,) = world.sv.audit.entries(SYSTEM, action_prefix="refused:")
    assert (refusal.action, refusal.actor) == ("refused:upload_evidence", "school_a")
    assert stored_files(world) == []


def test_uploads_and_unlinks_of_one_file_at_once_never_lose_a_used_file(world: World) -> None:
    """One thread keeps attaching a PDF to i2 and removing it; another does the same on i1 (same content).

    Whatever the interleaving, a link's file is always on disk, and an unused file is gone at the end.
    """
    sv, school = world.sv, world.users["school_a"]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def churn(item: str) -> None:
        barrier.wait()
        try:
            for _ in range(12):
                link = sv.evidence.upload(school, world.assessment_a, item, f"{item}.pdf", PDF)
                assert sv.evidence.read(school, link.id)[1] == PDF
                sv.evidence.delete_link(school, link.id)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=churn, args=(item,)) for item in ("i1", "i2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    kept = sv.evidence.upload(school, world.assessment_a, "i3", "kept.pdf", PDF)
    assert sv.evidence.read(school, kept.id)[1] == PDF
    sv.evidence.delete_link(school, kept.id)
    assert stored_files(world) == [] and count(sv.engine, "evidence_files") == 0
