"""Bureau framework versions: upload with full validation, what changed, activation, re-scoring for comparison.

Version 2026.1 below differs from the bundled 2025.1 in known ways: the standard tier's pass mark
75 → 70; A1.1.1 1.5 → 2.5 and A1.1.2 1.5 → 0.5 points; A1.2.1 level B 0.8 → 0.75; A7.2.1 removed and
A7.2.2 (same content, 3 points) added, the model tier's veto moving with it. The pure diff is pinned
in tests/bureau/test_diff.py. (The demo stores 2024.1 too, inactive: the bundled history.)
"""

from __future__ import annotations

import copy

import numpy as np
import yaml
from appkit import current_cycle, goto, messages, signed_in, texts

from criteria import DEFAULT_FRAMEWORK, framework_hash, parse_framework
from reports.framework_xlsx import framework_to_xlsx
from scoring import score_district
from store.records import SYSTEM, CycleStatus

UPLOADER = "bureau.fw.upload.0"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def v2_data() -> dict:
    data = yaml.safe_load(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
    data["version"] = "2026.1"
    data["tiers"][0]["min_score"] = 70
    for veto in data["tiers"][1]["vetoes"]:
        veto["item"] = "A7.2.2" if veto["item"] == "A7.2.1" else veto["item"]
    items = {i["id"]: i for d in data["domains"] for ind in d["indicators"] for i in ind["items"]}
    items["A1.1.1"]["points"], items["A1.1.2"]["points"] = 2.5, 0.5
    items["A1.2.1"]["levels"][1]["fraction"] = 0.75
    holder = next(
        ind for d in data["domains"] for ind in d["indicators"] if any(i["id"] == "A7.2.1" for i in ind["items"])
    )
    old = next(i for i in holder["items"] if i["id"] == "A7.2.1")
    holder["items"] = [i for i in holder["items"] if i["id"] != "A7.2.1"] + [copy.deepcopy(old) | {"id": "A7.2.2"}]
    return data


def v2_yaml() -> bytes:
    return yaml.safe_dump(v2_data(), allow_unicode=True, sort_keys=False).encode("utf-8")


def frameworks_page():
    at = goto(signed_in("bureau"), "bureau_frameworks.py")
    assert not at.exception, at.exception
    return at


def versions(sv):
    return [(v.id, v.version, v.active) for v in sv.frameworks.list_versions(SYSTEM)]


KNOWN_CHANGES = (
    "2025.1 → 2026.1：等第分数线调整 1 处；新增否决项 1 处；删除否决项 1 处；"
    "新增评价项目 1 处；删除评价项目 1 处；分值调整 2 处；等级得分比例调整 1 处"
)


def test_an_invalid_framework_is_refused_with_every_problem_and_the_active_version_stays(data_dir, sv):
    before = versions(sv)
    bad = v2_data()
    items = {i["id"]: i for d in bad["domains"] for ind in d["indicators"] for i in ind["items"]}
    items["A1.1.1"]["points"] = 9  # the points no longer add up to 100
    items["A1.2.1"]["levels"][1]["fraction"] = 1.0  # level B no lower than level A
    bad["tiers"][1]["vetoes"][0]["item"] = "A9.9.9"  # a veto on an item the framework lacks
    at = frameworks_page()
    at.file_uploader(key=UPLOADER).set_value(
        ("v2.yaml", yaml.safe_dump(bad, allow_unicode=True).encode(), "application/yaml")
    )
    at.run()
    errors = messages(at, "error")
    assert len(errors) == 1 and errors[0].startswith("v2.yaml 未通过校验，未保存（共 3 个问题）")
    assert "v2.yaml total_points: 各项目分值之和应等于总分 100，实际为 106.5" in errors[0]
    assert "v2.yaml domains[0].indicators[1].items[0].levels[1].fraction: 等级应从高到低排列" in errors[0]
    assert "v2.yaml tiers[1].vetoes[0].item: 框架中没有评价项目 A9.9.9" in errors[0]
    assert not [b for b in at.button if b.key == "bureau.fw.save"]
    assert versions(sv) == before
    at.file_uploader(key=UPLOADER).set_value(("v2.xlsx", b"PK\x03\x04 not really a workbook", XLSX))
    at.run()
    assert "v2.xlsx 未通过校验" in messages(at, "error")[0] and versions(sv) == before
    at.file_uploader(key=UPLOADER).set_value(("v3.yaml", b"schema_version: 1\nid: [unclosed\n", "application/yaml"))
    at.run()
    assert messages(at, "error")[0].startswith("v3.yaml 未通过校验") and versions(sv) == before


def test_a_new_version_shows_what_changed_and_is_stored_without_touching_the_active_one(data_dir, sv):
    at = frameworks_page()
    at.file_uploader(key=UPLOADER).set_value(("v2.yaml", v2_yaml(), "application/yaml"))
    at.run()
    assert KNOWN_CHANGES in texts(at)
    table = next(d.value for d in at.dataframe if "变化" in d.value.columns)
    objects = ["standard", "A1.1.1", "A1.1.2", "A1.2.1", "A7.2.1", "A7.2.2", "model: A7.2.1", "model: A7.2.2"]
    assert sorted(table["对象"]) == sorted(objects)
    at.button(key="bureau.fw.save").click().run()
    stored = sv.frameworks.list_versions(SYSTEM)
    assert messages(at, "success") == [f"已保存新版本 2026.1（编号 {stored[0].id}）。"]
    assert [(v.version, v.active) for v in stored] == [("2026.1", False), ("2025.1", True), ("2024.1", False)]
    assert all(c.framework_version_id == stored[1].id for c in sv.cycles.list_cycles(SYSTEM))
    at.selectbox(key="bureau.fw.pick.zh").set_value(stored[0].id)
    at.button(key="bureau.fw.activate").click().run()
    assert [v.active for v in sv.frameworks.list_versions(SYSTEM)] == [True, False, False]
    assert all(c.framework_version_id == stored[1].id for c in sv.cycles.list_cycles(SYSTEM))  # past cycles keep theirs
    at = frameworks_page()  # a new session: the diff tab's choices start from previous → newest
    assert KNOWN_CHANGES in texts(at)


def test_a_workbook_of_the_same_shape_is_accepted_and_stored_as_the_same_framework(data_dir, sv):
    v2 = parse_framework(v2_data(), "v2")
    at = frameworks_page()
    at.file_uploader(key=UPLOADER).set_value(("v2.xlsx", framework_to_xlsx(v2), XLSX))
    at.run()
    assert not messages(at, "error"), messages(at, "error")
    assert KNOWN_CHANGES in texts(at)
    at.checkbox(key="bureau.fw.activate_on_save").check()
    at.button(key="bureau.fw.save").click().run()
    stored = sv.frameworks.list_versions(SYSTEM)[0]
    assert stored.active and stored.content_hash == framework_hash(v2)


def test_rescoring_a_past_cycle_under_another_version_never_changes_its_official_result(data_dir, sv):
    past = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)
    other = sv.frameworks.add(SYSTEM, v2_yaml())

    def official():
        fw = sv.frameworks.for_cycle(SYSTEM, past.id)
        return score_district(fw, sv.frames.facts_frame(SYSTEM, past.id), sv.frames.ratings_frame(SYSTEM, past.id))

    before, audit = official(), sv.audit.entries(SYSTEM, limit=1, changes_only=True)[0].id
    at = frameworks_page()
    at.selectbox(key="bureau.fw.rescore_cycle").set_value(past.id).run()
    at.selectbox(key=f"bureau.fw.rescore_version.{past.id}.zh").set_value(other.id).run()
    assert not at.exception and not messages(at, "error")
    table = next(d.value for d in at.dataframe if "按比较版本得分" in d.value.columns)
    rows = before.schools.get_indexer(table["学校代码"])
    assert np.allclose(table["正式得分"], np.round(before.inspection.score_100[rows], 1))
    assert (table["分数变化"].abs() > 0).any()  # the other version does score differently
    assert "按另一个版本重新计算某个周期的得分，仅供比较：该周期的正式结果不变，也不会保存任何数据。" in messages(
        at, "info"
    )
    after = official()
    assert np.array_equal(after.inspection.score_100, before.inspection.score_100, equal_nan=True)
    assert np.array_equal(after.inspection.tier_index, before.inspection.tier_index)
    assert (
        sv.audit.entries(SYSTEM, limit=1, changes_only=True)[0].id == audit
    )  # nothing written (a sign-in is no change)
    assert sv.cycles.get(SYSTEM, past.id).framework_version_id == current_cycle(sv).framework_version_id != other.id


def test_the_rescoring_table_can_be_built_in_the_background(data_dir, sv):
    """Issue 13: the same comparison as a job; its CSV holds the table the page shows."""
    import time

    from store.storage import read_all

    past = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)
    other = sv.frameworks.add(SYSTEM, v2_yaml())
    at = frameworks_page()
    at.selectbox(key="bureau.fw.rescore_cycle").set_value(past.id).run()
    at.selectbox(key=f"bureau.fw.rescore_version.{past.id}.zh").set_value(other.id).run()
    at.button(key="bureau.fw.rescore_job").click().run()
    assert not at.exception
    (job,) = sv.jobs.list_jobs(SYSTEM, kind="rescore")
    for _ in range(300):
        if (job := sv.jobs.get(SYSTEM, job.id)).finished:
            break
        time.sleep(0.1)
    assert job.state == "done" and job.result_name.endswith(".csv")
    text = read_all(sv.storage, job.result_key).decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["学校代码", "学校", "正式得分"] and "按比较版本得分" in header
    assert len(text.splitlines()) == 1 + len(sv.assessments.list_assessments(SYSTEM, past.id))
