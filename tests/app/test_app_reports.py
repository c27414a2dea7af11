"""Reports and the offline template in the app: downloads built from the store, uploads taken whole or not at all.

The pages are driven with AppTest (the uploader and the import button). AppTest in streamlit 1.67 shows
a download button but cannot press it when its data is a callable (built on click: the file is made by
the server's media manager, which AppTest mocks and drops after the run), so the bytes behind each button
are built here by the same ui helper the button calls, with the real Services of the test's database.
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from appkit import PASSWORD, current_cycle, goto, messages, signed_in, texts
from docx import Document
from openpyxl import load_workbook

from i18n import t
from reports.template_export import write_template
from reports.template_layout import META_SHEET, TemplateIdentity, level_choices
from settings import get_settings
from store.errors import StoreError
from store.records import SYSTEM, Assessment, RaterRole
from store.services import Services
from ui import reports_ui, template_ui
from ui.context import AppCtx
from ui.scope import Scope, load
from ui.text import error_lines

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def assessment(sv: Services, code: str) -> Assessment:
    cycle = current_cycle(sv)
    return sv.assessments.find(SYSTEM, cycle.id, sv.schools.by_code(SYSTEM, code).id)


def scope_as(sv: Services, username: str, code: str) -> Scope:
    """The scope a page of `username` would build for the school (real services, real user)."""
    user = sv.accounts.authenticate(username, PASSWORD)
    cycle = current_cycle(sv)
    ctx = AppCtx(sv, get_settings(), user, "zh", (cycle,), cycle)
    scope = load(ctx, sv.schools.by_code(SYSTEM, code).id)
    assert scope is not None
    return scope


def choose(item_choices: list[str], wanted: str) -> str:
    return wanted if wanted in item_choices else item_choices[0]


def fill_levels(data: bytes, scope: Scope, wanted: str, bad: dict[str, str] | None = None) -> bytes:
    """Every item that takes a level gets `wanted` (or its first level where `wanted` is not offered)."""
    fw = scope.bundle.framework
    book = load_workbook(io.BytesIO(data))
    meta = {row[0]: row[1] for row in book[META_SHEET].iter_rows(max_col=2, values_only=True)}
    sheet = book[meta["items_sheet"]]
    for row in sheet.iter_rows(min_row=2):
        item_id = row[0].value
        if not item_id:
            continue
        choices = level_choices(fw.item(str(item_id)))
        if choices:
            row[6].value = choose(choices, wanted)
        if bad and item_id in bad:
            row[6].value = bad[item_id]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ratings_of(sv: Services, aid: int, role: RaterRole, rater: str | None = None) -> dict[str, str]:
    return {
        r.item_id: r.level
        for r in sv.ratings.list_ratings(SYSTEM, aid)
        if r.role == role and (rater is None or r.rater == rater)
    }


def changes(sv: Services) -> int:
    """Audit entries of changes (sign-ins are audited too since issue 11: they change nothing)."""
    return sum(not e.action.startswith(("signin", "signout")) for e in sv.audit.entries(SYSTEM, limit=100_000))


def upload(at, key: str, button: str, name: str, data: bytes):
    at.file_uploader(key=key).upload(name, data, XLSX).run()
    at.button(key=button).click().run()
    return at


def test_the_school_downloads_fills_and_uploads_its_template_and_every_rating_is_saved(data_dir, sv):
    a = assessment(sv, "CN004")
    at = goto(signed_in("cn004"), "school_home.py")
    assert at.download_button(key=f"template.download.self.{a.id}")
    assert at.download_button(key=f"reports.school.self.{a.id}")
    scope = scope_as(sv, "cn004", "CN004")
    blank = template_ui.template_bytes(scope, "self")
    book = load_workbook(io.BytesIO(blank))
    meta = {row[0]: row[1] for row in book[META_SHEET].iter_rows(max_col=2, values_only=True)}
    assert (meta["school_code"], meta["cycle"], meta["role"]) == ("CN004", scope.cycle.name, "self")
    saved_before = ratings_of(sv, a.id, RaterRole.SELF)
    prefilled = {r[0].value: r[6].value for r in book[meta["items_sheet"]].iter_rows(min_row=2) if r[0].value}
    assert all(prefilled[item] == level for item, level in saved_before.items())  # what is saved is pre-filled

    filled = fill_levels(blank, scope, "B")
    at = upload(at, f"template.upload.self.{a.id}.0", f"template.import.self.{a.id}", "自评模板.xlsx", filled)
    assert not at.exception
    assert messages(at, "error") == []
    (success,) = messages(at, "success")
    assert success.startswith("已导入模板 自评模板.xlsx")
    now = ratings_of(sv, a.id, RaterRole.SELF)
    fw = scope.bundle.framework
    rated = [i for i in fw.items() if level_choices(i) and i.id in prefilled]
    assert now == {i.id: choose(level_choices(i), "B") for i in rated}
    assert sv.assessments.get(SYSTEM, a.id).facts == a.facts  # the facts came back unchanged


def test_a_bad_template_lists_every_problem_and_writes_nothing(data_dir, sv):
    a = assessment(sv, "CN004")
    cycle = current_cycle(sv)
    scope = scope_as(sv, "cn004", "CN004")
    before = sv.frames.ratings_frame(SYSTEM, cycle.id, a.school_id)
    audit_before = changes(sv)
    at = goto(signed_in("cn004"), "school_home.py")

    fw = scope.bundle.framework
    other = write_template(fw, TemplateIdentity.of(fw, "CN005", cycle.name), "别的学校", tuple(scope.stages), "zh")
    at = upload(at, f"template.upload.self.{a.id}.0", f"template.import.self.{a.id}", "别校.xlsx", other)
    errors = messages(at, "error")
    assert errors and "别校.xlsx" in errors[0] and "CN005" in errors[0] and "CN004" in errors[0]

    bad = fill_levels(template_ui.template_bytes(scope, "self"), scope, "A", bad={"A1.1.1": "Z", "A1.1.2": "优"})
    at = upload(at, f"template.upload.self.{a.id}.0", f"template.import.self.{a.id}", "填错.xlsx", bad)
    (error,) = messages(at, "error")
    assert "2 处问题" in error and "未保存任何内容" in error
    assert "Z" in error and "优" in error and "行" in error  # each problem located by sheet, row and column
    assert messages(at, "success") == []

    after = sv.frames.ratings_frame(SYSTEM, cycle.id, a.school_id)
    pd.testing.assert_frame_equal(before, after)
    assert changes(sv) == audit_before


def test_a_submitted_school_cannot_upload_and_the_service_refuses_in_words(data_dir, sv):
    a = assessment(sv, "CN016")
    at = goto(signed_in("cn016"), "school_home.py")
    assert "当前状态下不能再上传模板。" in texts(at)
    assert not [u for u in at.file_uploader if u.key.startswith("template.upload")]
    scope = scope_as(sv, "cn016", "CN016")
    filled = fill_levels(template_ui.template_bytes(scope, "self"), scope, "A")
    before = ratings_of(sv, a.id, RaterRole.SELF)
    with pytest.raises(StoreError) as refused:
        template_ui.import_self(scope, filled, "t.xlsx")
    assert error_lines(refused.value, "zh") == [refused.value.render("zh")]
    assert ratings_of(sv, a.id, RaterRole.SELF) == before


def test_the_lead_downloads_feedback_report_and_pack_marked_provisional(data_dir, sv):
    a = assessment(sv, "CN024")
    at = goto(signed_in("insp08"), "inspector_lead.py", school="CN024")
    assert not at.exception
    for kind in ("feedback", "inspection_docx", "inspection_xlsx", "pack"):
        assert at.download_button(key=f"reports.lead.{kind}.{a.id}")
    assert "尚未终审" in texts(at)

    scope = scope_as(sv, "insp08", "CN024")
    rctx = reports_ui.report_context(scope)
    assert not rctx.final
    assert rctx.lead is not None and [m for m in rctx.team if m.lead]
    score = float(rctx.result.view("inspection").score_100[rctx.row])
    shown = f"{score:.1f}"
    name = scope.school.name

    def docx_text(data: bytes) -> str:
        doc = Document(io.BytesIO(data))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
        parts += [p.text for s in doc.sections for p in s.header.paragraphs]
        return "\n".join(parts)

    feedback = docx_text(reports_ui.build(scope, "feedback"))
    assert name in feedback and shown in feedback and t("report.provisional", "zh") in feedback
    report = docx_text(reports_ui.build(scope, "inspection_docx"))
    assert name in report and shown in report and t("report.provisional", "zh") in report
    book = load_workbook(io.BytesIO(reports_ui.build(scope, "inspection_xlsx")))
    cells = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert any(name in c for c in cells)
    with zipfile.ZipFile(io.BytesIO(reports_ui.build(scope, "pack"))) as pack:
        assert len(pack.namelist()) == 4


def test_the_inspector_template_round_trip_saves_only_their_own_ratings(data_dir, sv):
    a = assessment(sv, "CN024")
    others_before = {
        (r.role, r.rater, r.item_id): (r.level, r.version)
        for r in sv.ratings.list_ratings(SYSTEM, a.id)
        if not (r.role == RaterRole.INSPECTOR and r.rater == "insp08")
    }
    at = goto(signed_in("insp08"), "inspector_rate.py", school="CN024")
    assert at.download_button(key=f"template.download.inspector.{a.id}")
    scope = scope_as(sv, "insp08", "CN024")
    blank = template_ui.template_bytes(scope, "inspector")
    meta = {r[0]: r[1] for r in load_workbook(io.BytesIO(blank))[META_SHEET].iter_rows(max_col=2, values_only=True)}
    assert (meta["role"], meta["rater"]) == ("inspector", "insp08")
    filled = fill_levels(blank, scope, "C")
    key, button = f"template.upload.inspector.{a.id}.0", f"template.import.inspector.{a.id}"
    at = upload(at, key, button, "督学模板.xlsx", filled)
    assert not at.exception
    assert messages(at, "error") == []
    (success,) = messages(at, "success")
    assert success.startswith("已导入模板 督学模板.xlsx")
    rows = load_workbook(io.BytesIO(filled))[meta["items_sheet"]].iter_rows(min_row=2, values_only=True)
    expected = {r[0]: r[6] for r in rows if r[0] and level_choices(scope.bundle.framework.item(r[0]))}
    assert ratings_of(sv, a.id, RaterRole.INSPECTOR, "insp08") == expected
    others_after = {
        (r.role, r.rater, r.item_id): (r.level, r.version)
        for r in sv.ratings.list_ratings(SYSTEM, a.id)
        if not (r.role == RaterRole.INSPECTOR and r.rater == "insp08")
    }
    assert others_after == others_before


def test_the_lead_enters_the_visit_and_every_document_names_the_team_by_display_name(data_dir, sv):
    import shutil
    from datetime import date

    from testkit import need

    a = assessment(sv, "CN024")
    at = goto(signed_in("insp08"), "inspector_lead.py", school="CN024")
    assert not at.exception
    at.date_input(key=f"visit.first.{a.id}").set_value(date(2025, 11, 3))
    at.date_input(key=f"visit.last.{a.id}").set_value(date(2025, 11, 4))
    at.text_area(key=f"visit.team.{a.id}").input("王立群\n李慧敏")
    at.button(key=f"visit.save.{a.id}").click().run()
    assert not at.exception
    visit = sv.visits.get(SYSTEM, a.id)
    assert visit.days == (date(2025, 11, 3), date(2025, 11, 4)) and visit.team[0].name == "王立群"
    assert at.download_button(key=f"reports.lead.plan_docx.{a.id}")

    scope = scope_as(sv, "insp08", "CN024")
    sv.visits.set(SYSTEM, a.id, first_day=date(2025, 11, 3), last_day=date(2025, 11, 4))  # the team as assigned
    rctx = reports_ui.report_context(scope)
    names = {m.name for m in rctx.team}
    usernames = {x.inspector for x in sv.cycles.assignments(SYSTEM, scope.cycle.id) if x.school_id == scope.school.id}
    assert names and not names & usernames, "every inspector by display name, never an account id"
    text = "\n".join(p.text for p in Document(io.BytesIO(reports_ui.build(scope, "inspection_docx"))).paragraphs)
    assert "2025年11月3日至2025年11月4日" in text
    assert all(name in text for name in names)
    need(shutil.which("soffice"), "LibreOffice is missing: apt-get install -y libreoffice-writer-nogui")
    assert reports_ui.build(scope, "inspection_pdf").startswith(b"%PDF")
