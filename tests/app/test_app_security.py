"""Issue 11 in the app: the admin's audit page (search, export), sign-in and sign-out audited, a stale
template refused as a conflict, and a file that no parser expects refused in words at the upload doors.
"""

from __future__ import annotations

import io

import pandas as pd
from appkit import PASSWORD, current_cycle, goto, messages, signed_in, texts
from openpyxl import load_workbook
from test_app_reports import XLSX, assessment, fill_levels, ratings_of, scope_as, upload

from store.audit_log import AuditQuery
from store.records import SYSTEM, RaterRole, RatingEdit
from ui import template_ui
from ui.pages import admin_audit


def test_the_admin_searches_the_audit_log_and_exports_it(data_dir, sv):
    at = signed_in("admin")
    at = goto(at, "admin_audit.py")
    assert not at.exception
    assert "审计日志" in texts(at) and "至少保留 180 天" in texts(at)
    table = at.dataframe[0].value
    assert "登录" in set(table["事件"])  # the admin's own sign-in is there
    at.text_input(key="audit.actor").input("admin")
    at.text_input(key="audit.action").input("signin")
    at.button(key="audit.search").click().run()
    table = at.dataframe[0].value
    assert set(table["操作人"]) == {"admin"} and set(table["事件"]) == {"登录"}
    frame = pd.DataFrame({"事件": ['=HYPERLINK("http://x")'], "操作人": ["admin"]})
    admin = sv.accounts.authenticate("admin", PASSWORD)
    ctx = type("Ctx", (), {"services": sv, "user": admin})()
    csv = admin_audit.exported(ctx, frame, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv  # formula text is not run by a spreadsheet
    book = load_workbook(io.BytesIO(admin_audit.exported(ctx, frame, "xlsx")))
    cell = book["audit"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    exports = sv.audit.search(SYSTEM, AuditQuery(action_prefix="audit.export"))
    assert [e.after["format"] for e in exports] == ["xlsx", "csv"]


def test_only_the_admin_has_the_audit_page():
    from store.records import Role
    from ui import nav

    for role in Role:
        keys = [p.key for p in nav.pages_for(role)] if role != Role.SYSTEM else []
        assert ("audit" in keys) == (role == Role.ADMIN), role
    assert "audit" in {p.key for p in nav.hidden_for(nav.pages_for(Role.BUREAU))}  # its URL shows a refusal


def test_sign_in_failure_and_sign_out_are_audited(data_dir, sv):
    at = signed_in("cn004")
    at.button(key="app.logout").click().run()
    from appkit import login, new_app

    login(new_app(), "cn004", "wrong password")
    actions = [e.action for e in sv.audit.search(SYSTEM, AuditQuery(actor="cn004"))][::-1]
    assert actions[-3:] == ["signin", "signout", "signin.failed"]


def test_a_template_exported_before_an_online_edit_is_refused_as_a_conflict(data_dir, sv):
    a = assessment(sv, "CN004")
    scope = scope_as(sv, "cn004", "CN004")
    old = fill_levels(template_ui.template_bytes(scope, "self"), scope, "C")
    school = sv.accounts.authenticate("cn004", PASSWORD)
    stored = {r.item_id: r.version for r in sv.ratings.list_ratings(school, a.id) if r.role == RaterRole.SELF}
    edit = RatingEdit("A1.1.1", "D", account="在线修改", expected_version=stored.get("A1.1.1"))
    sv.ratings.save(school, a.id, RaterRole.SELF, [edit])
    online = ratings_of(sv, a.id, RaterRole.SELF)
    at = goto(signed_in("cn004"), "school_home.py")
    at = upload(at, f"template.upload.self.{a.id}.0", f"template.import.self.{a.id}", "旧模板.xlsx", old)
    (error,) = messages(at, "error")
    assert "该模板导出后" in error and "cn004" in error and "重新下载模板" in error
    assert ratings_of(sv, a.id, RaterRole.SELF) == online  # the online edit stands
    fresh = fill_levels(template_ui.template_bytes(scope, "self"), scope, "C")
    at = upload(at, f"template.upload.self.{a.id}.0", f"template.import.self.{a.id}", "新模板.xlsx", fresh)
    assert messages(at, "error") == [] and messages(at, "success")


def test_an_inspector_template_exported_before_an_online_rating_is_refused(data_dir, sv):
    cycle = current_cycle(sv)
    team = [x for x in sv.cycles.assignments(SYSTEM, cycle.id) if x.school_code == "CN024"]
    name = team[0].inspector
    a = assessment(sv, "CN024")
    scope = scope_as(sv, name, "CN024")
    old = template_ui.template_bytes(scope, "inspector")
    me = sv.accounts.authenticate(name, PASSWORD)
    mine = {r.item_id: r for r in sv.ratings.list_ratings(me, a.id) if r.rater == name}
    item = next(iter(mine)) if mine else "A1.1.1"
    edit = RatingEdit(item, "D", finding="在线", expected_version=mine[item].version if item in mine else None)
    sv.ratings.save(me, a.id, RaterRole.INSPECTOR, [edit])
    before = ratings_of(sv, a.id, RaterRole.INSPECTOR, name)
    try:
        template_ui.import_inspector(scope, old, "督学模板.xlsx")
    except template_ui.StaleTemplate as error:
        assert "该模板导出后" in error.render("zh")
    else:
        raise AssertionError("a stale inspector template was taken")
    assert ratings_of(sv, a.id, RaterRole.INSPECTOR, name) == before


def test_a_damaged_workbook_at_the_template_door_is_refused_in_words(data_dir, sv):
    a = assessment(sv, "CN004")
    before = ratings_of(sv, a.id, RaterRole.SELF)
    at = goto(signed_in("cn004"), "school_home.py")
    for name, data in (("乱码.xlsx", b"PK\x03\x04" + b"\x00" * 100), ("空.xlsx", b"")):
        at = upload(at, f"template.upload.self.{a.id}.0", f"template.import.self.{a.id}", name, data)
        assert not at.exception
        errors = messages(at, "error")
        assert errors and name in errors[0], errors
    assert ratings_of(sv, a.id, RaterRole.SELF) == before
    assert XLSX
