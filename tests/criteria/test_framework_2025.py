"""Framework 2025.1 read against the plan: what it vetoes, what it cites, what it covers; 2024.1 kept as it was."""

from __future__ import annotations

import re

from criteria import (
    DEFAULT_FRAMEWORK,
    FRAMEWORKS_DIR,
    PREVIOUS_FRAMEWORKS,
    QuantitativeItem,
    framework_hash,
    load_framework,
)

FW = load_framework(DEFAULT_FRAMEWORK)
OLD = load_framework(FRAMEWORKS_DIR / "changning-2024.yaml")
ONE_CLAUSE = re.compile(r"^(?:[一二三四五六七八九十]+(?:\([一二三四五六七八九十]+\)(?:\d+)?)?)$")


def vetoes(tier_id: str) -> dict[str, str]:
    return {v.item: v.min_level for v in FW.tier(tier_id).vetoes}


def test_the_new_version_is_the_default_and_the_old_one_is_unchanged():
    assert (FW.version, OLD.version) == ("2025.1", "2024.1")
    assert PREVIOUS_FRAMEWORKS == (FRAMEWORKS_DIR / "changning-2024.yaml",)
    # the 2024.1 content hash as stored by every database that has it (an `action` field added to the
    # models since must not change it)
    assert framework_hash(OLD) == "ffa3a55b066c7b656a70ee2df40396fd890922625762880c3c351449a3c28b75"
    assert [i.id for i in FW.items()] == [i.id for i in OLD.items()]  # ratings stay valid across versions


def test_the_standard_tier_vetoes_what_the_plan_makes_mandatory_for_every_school():
    assert vetoes("standard") == {
        "A4.1.1": "A",  # 三(二)3: activity course in every stage
        "A4.1.2": "A",  # 三(二)3: vocational, 36 hours
        "A1.2.1": "C",  # 四(一): both groups set up
        "A1.3.2": "C",  # crisis plan and procedure
        "A2.3.1": "C",  # 三(五)11: at least one full-time teacher
        "A2.1.1": "C",  # a counselling room
        "A5.1.1": "A",  # 三(三)6: every student due, every year
        "A3.2.1": "A",  # 二: at most 15 students per mentor
    }
    leadership = FW.item("A1.2.1")
    assert "缺一即为未达到" in leadership.levels[-1].descriptor.zh  # C needs both groups: one alone is D
    screening = FW.item("A5.1.1")
    assert isinstance(screening, QuantitativeItem)
    assert screening.rule.thresholds[0].bound == 1.0 and set(screening.applies_to) == set(FW.item("A1.1.1").applies_to)
    mentors = FW.item("A3.2.1")
    assert isinstance(mentors, QuantitativeItem) and mentors.rule.thresholds[0].bound == 15


def test_the_model_tier_needs_a_real_distinctive_programme():
    assert vetoes("model")["A7.2.1"] == "B"


def test_every_clause_is_cited_by_itself():
    for item in FW.items():
        parts = item.clause.split("、")
        assert all(ONE_CLAUSE.match(p) for p in parts), (item.id, item.clause)
    assert not [i.id for i in FW.items() if "-" in i.clause or "–" in i.clause]


def test_the_items_cover_what_the_plan_names():
    def text(item_id: str) -> str:
        item = FW.item(item_id)
        parts = [item.title.zh, *(e.title.zh for e in item.evidence), *(lv.descriptor.zh for lv in item.levels)]
        return " ".join(parts)

    warning = FW.item("A5.2.1")
    assert {"三(四)7", "三(四)10"} <= set(warning.clause.split("、"))
    assert all(word in text("A5.2.1") for word in ("物防", "技防", "视频监控", "网上网下", "自伤"))
    partners = FW.item("A6.2.1")
    assert "三(七)18" in partners.clause.split("、")
    assert all(word in text("A6.2.1") for word in ("欺凌防治", "强制报告联络员"))


def test_every_item_says_what_to_do_and_the_notes_say_whose_each_veto_is():
    assert [i.id for i in FW.items() if i.action is None or not i.action.en] == []
    notes = " ".join(n.zh for n in FW.notes)
    assert "属于实施方案要求的" in notes and "属于区设定值的" in notes
    assert "导师配比" in notes and "原则上" in notes  # the mentor ratio decided, and why
    assert "特殊教育学校" in notes and "等" in notes  # special schools screened, and why
    assert "A7.2.1" in notes
