"""School pages: facts, the walk (saved as entered, drafts kept), evidence, submit, read-only after submit."""

from __future__ import annotations

import pytest
from appkit import current_cycle, goto, messages, signed_in, texts

from store.records import SYSTEM, Assessment, RaterRole, Status
from store.services import Services

MISSING = ["A4.3.3", "A5.1.2", "A5.2.1", "A5.2.2", "A5.2.3", "A6.1.2", "A6.2.1", "A7.1.1", "A7.2.1"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def cn004(sv: Services) -> Assessment:
    cycle = current_cycle(sv)
    return sv.assessments.find(SYSTEM, cycle.id, sv.schools.by_code(SYSTEM, "CN004").id)


def self_ratings(sv: Services, aid: int) -> dict[str, tuple[str, str]]:
    return {r.item_id: (r.level, r.account) for r in sv.ratings.list_ratings(SYSTEM, aid) if r.role == RaterRole.SELF}


def computed_level(at, item_id: str) -> str:
    frame = at.dataframe[-1].value
    row = frame[frame.iloc[:, 0].str.startswith(item_id)]
    return str(row.iloc[0, 3])


def test_home_shows_cycle_status_progress_forecast_reasons_and_path(data_dir, sv):
    cycle = current_cycle(sv)
    at = signed_in("cn004")
    shown = texts(at)
    deadline = cycle.self_deadline.isoformat() if cycle.self_deadline else "未设定"
    assert [m.value for m in at.metric][:3] == [cycle.school_year, deadline, "草稿"]
    progress = at.dataframe[0].value
    assert list(progress.iloc[:, 2]) == ["6 / 6", "4 / 4", "5 / 5", "5 / 6", "0 / 4", "0 / 2", "0 / 2"]
    assert list(progress.iloc[:, 3]) == ["0 / 7", "0 / 6", "0 / 6", "0 / 8", "0 / 5", "0 / 3", "0 / 2"]
    assert "达标校：总分 70.9 低于 75.0" in shown  # 70.3 under framework 2024.1
    assert "**评估结论**：:red-background[总分 70.9 分，低于达标线 75 分（" in shown
    assert "提升以下项目即可达到达标校" in shown and "A7.1.1" in shown


def test_invalid_facts_are_refused_with_every_problem_and_nothing_is_written(data_dir, sv):
    before = cn004(sv)
    at = goto(signed_in("cn004"), "school_facts.py")
    at.number_input(key=f"facts.{before.id}.students").set_value(0)
    at.number_input(key=f"facts.{before.id}.psych_fulltime").set_value(100)
    at.button(key=f"facts.save.{before.id}").click().run()
    errors = "\n".join(messages(at, "error"))
    assert "在校学生数: 应为 1 到" in errors
    assert "专职心理教师数不能多于教职工数" in errors
    assert not at.exception
    after = cn004(sv)
    assert (after.facts, after.version) == (before.facts, before.version)
    assert at.number_input(key=f"facts.{before.id}.students").value == 0  # what was typed stays


def test_valid_facts_are_saved_and_computed_items_follow_at_once(data_dir, sv):
    a = cn004(sv)
    at = goto(signed_in("cn004"), "school_facts.py")
    assert computed_level(at, "A2.3.1") == "B"
    at.number_input(key=f"facts.{a.id}.psych_fulltime").set_value(0)
    at.button(key=f"facts.save.{a.id}").click().run()
    assert messages(at, "success") == ["基本数据已保存。"]
    assert cn004(sv).facts["psych_fulltime"] == 0
    assert computed_level(at, "A2.3.1") != "B"


def test_levels_and_accounts_are_saved_as_they_are_entered(data_dir, sv):
    a = cn004(sv)
    at = goto(signed_in("cn004"), "school_walk.py")
    at.selectbox(key=f"walk.domain.{a.id}").set_value("A5").run()
    at.radio(key=f"self.level.{a.id}.A5.1.2").set_value("B").run()
    assert self_ratings(sv, a.id)["A5.1.2"] == ("B", "")
    at.text_area(key=f"self.account.{a.id}.A5.1.2").input("测评数据专人专柜管理。").run()
    assert self_ratings(sv, a.id)["A5.1.2"] == ("B", "测评数据专人专柜管理。")
    assert not messages(at, "error")


def test_text_typed_before_a_level_is_kept_across_a_page_switch_then_saved_with_the_level(data_dir, sv):
    a = cn004(sv)
    at = goto(signed_in("cn004"), "school_walk.py")
    at.selectbox(key=f"walk.domain.{a.id}").set_value("A5").run()
    at.text_area(key=f"self.account.{a.id}.A5.2.1").input("每学期家访一次。").run()
    assert "请先选择等级" in messages(at, "info")[0]
    assert "A5.2.1" not in self_ratings(sv, a.id)
    at = goto(at, "school_facts.py")
    at = goto(at, "school_walk.py")
    assert at.selectbox(key=f"walk.domain.{a.id}").value == "A5"  # the domain is remembered too
    assert at.text_area(key=f"self.account.{a.id}.A5.2.1").value == "每学期家访一次。"
    at.radio(key=f"self.level.{a.id}.A5.2.1").set_value("A").run()
    assert self_ratings(sv, a.id)["A5.2.1"] == ("A", "每学期家访一次。")


def test_a_change_made_meanwhile_by_someone_else_is_not_overwritten(data_dir, sv):
    a = cn004(sv)
    at = goto(signed_in("cn004"), "school_walk.py")
    school = sv.accounts.by_username(SYSTEM, "cn004")
    from store.records import RatingEdit

    stored = next(r for r in sv.ratings.list_ratings(SYSTEM, a.id) if r.item_id == "A1.1.1")
    sv.ratings.save(
        school, a.id, RaterRole.SELF, [RatingEdit("A1.1.1", "C", "另一台设备", expected_version=stored.version)]
    )
    at.radio(key=f"self.level.{a.id}.A1.1.1").set_value("B").run()
    assert "已被 cn004 于" in messages(at, "error")[0]
    assert self_ratings(sv, a.id)["A1.1.1"] == ("C", "另一台设备")


def test_evidence_is_uploaded_listed_and_removed(data_dir, sv):
    a = cn004(sv)
    at = goto(signed_in("cn004"), "school_walk.py")
    at.file_uploader(key=f"upload.{a.id}.A1.1.1.0").upload("工作计划.pdf", PDF, "application/pdf").run()
    assert messages(at, "success") == ["已上传“工作计划.pdf”（项目 A1.1.1）。"]
    links = sv.evidence.list_links(SYSTEM, a.id)
    assert [(link.item_id, link.filename) for link in links] == [("A1.1.1", "工作计划.pdf")]
    assert at.download_button(key=f"evidence.{a.id}.A1.1.1.dl.{links[0].id}")
    at.button(key=f"evidence.{a.id}.A1.1.1.rm.{links[0].id}").click().run()
    assert sv.evidence.list_links(SYSTEM, a.id) == []


def test_a_wrong_type_of_evidence_is_refused_and_nothing_is_stored(data_dir, sv):
    a = cn004(sv)
    at = goto(signed_in("cn004"), "school_walk.py")
    at.file_uploader(key=f"upload.{a.id}.A1.1.1.0").upload("计划.pdf", b"just text, not a PDF", "application/pdf").run()
    assert "文件类型不受支持" in messages(at, "error")[0]
    assert sv.evidence.list_links(SYSTEM, a.id) == []
    assert not list((data_dir / "evidence").rglob("*"))


def test_an_oversized_evidence_file_is_refused(data_dir, sv, monkeypatch):
    from settings import get_settings

    monkeypatch.setenv("XINYU_EVIDENCE_MAX_MB", "0.001")
    get_settings.cache_clear()
    a = cn004(sv)
    at = goto(signed_in("cn004"), "school_walk.py")
    at.file_uploader(key=f"upload.{a.id}.A1.1.1.0").upload("大文件.pdf", PDF + b"0" * 4096, "application/pdf").run()
    assert "文件过大" in messages(at, "error")[0]
    assert sv.evidence.list_links(SYSTEM, a.id) == []


def test_submit_is_blocked_with_the_list_of_what_is_missing(data_dir, sv):
    at = goto(signed_in("cn004"), "school_submit.py")
    blocked = messages(at, "error")[0]
    assert "还有 9 项未完成" in blocked
    links = [e.proto for e in at.get("page_link")]  # each blocker links to its item in the walk
    for item in MISSING:
        link = next(p for p in links if item in p.label)
        assert link.page.endswith("walk") and f"item={item}" in link.query_string, link
    assert at.button(key="submit.send").disabled
    assert cn004(sv).status == Status.DRAFT


@pytest.fixture
def complete_cn004(data_dir, sv):
    """CN004 with every item rated through the walk."""
    a = cn004(sv)
    at = goto(signed_in("cn004"), "school_walk.py")
    for item_id in MISSING:
        at.selectbox(key=f"walk.domain.{a.id}").set_value(item_id[:2]).run()
        at.radio(key=f"self.level.{a.id}.{item_id}").set_value("B").run()
    assert not messages(at, "error")
    return at


def test_submit_then_everything_is_read_only(complete_cn004, sv):
    at = goto(complete_cn004, "school_submit.py")
    assert "可以提交" in messages(at, "success")[0]
    at.button(key="submit.send").click().run()
    assert cn004(sv).status == Status.DRAFT  # submitting asks first
    assert "确定提交" in messages(at, "warning")[0]
    at.button(key="submit.cancel").click().run()
    assert "确定提交" not in texts(at) and cn004(sv).status == Status.DRAFT
    at.button(key="submit.send").click().run()
    at.button(key="submit.confirm").click().run()
    assert cn004(sv).status == Status.SUBMITTED
    assert "自评已提交，现为只读" in texts(at)
    a = cn004(sv)
    at = goto(at, "school_walk.py")
    assert at.radio(key=f"self.level.{a.id}.A7.1.1").disabled  # the last domain walked
    assert not at.file_uploader
    at = goto(at, "school_facts.py")
    assert at.number_input(key=f"facts.{a.id}.students").disabled
    assert at.button(key=f"facts.save.{a.id}").disabled
