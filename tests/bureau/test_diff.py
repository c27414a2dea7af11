"""The framework diff on mini.yaml and its version 2, which differ in known ways (see conftest.py)."""

from __future__ import annotations

from criteria import load_framework, parse_framework
from criteria.diff import Change, compatible_items, diff_frameworks

EXPECTED = [
    Change("tier_min_score", "standard", "60", "65"),
    Change("tier_domain_min", "standard", "50", "—"),
    Change("veto_added", "model: i5", "—", "B"),
    Change("veto_removed", "model: i1", "A", "—"),
    Change("points", "i1", "4", "3"),
    Change("level_ids", "i1", "A,B,C", "A,B,D"),
    Change("level_fraction", "i1", "B 0.5", "B 0.4"),
    Change("item_added", "i5", "—", "4"),
    Change("moved", "i2", "D1/B1", "D2/B2"),
    Change("rule", "i4", "students_per_mentor: A ≤ 15, B ≤ 20, D", "students_per_mentor: A ≤ 12, B ≤ 20, D"),
    Change("item_removed", "i3", "3", "—"),
]


def test_every_known_change_in_a_stable_order(mini, mini_v2):
    """Tiers first, then items in v2 order (i1, i5, i2, i4), then the removed i3."""
    assert list(diff_frameworks(mini, mini_v2).changes) == EXPECTED


def test_the_same_frameworks_give_the_same_list(mini, mini_v2, mini_data):
    again = diff_frameworks(parse_framework(mini_data), mini_v2)
    assert again.changes == diff_frameworks(mini, mini_v2).changes


def test_no_change_between_equal_versions(mini):
    diff = diff_frameworks(mini, mini)
    assert diff.changes == ()
    assert diff.summary("zh") == "1 → 1：无变化"
    assert diff.to_frame().empty


def test_summary_counts_in_words(mini, mini_v2):
    diff = diff_frameworks(mini, mini_v2)
    assert diff.counts()["item_added"] == 1
    assert diff.summary("zh") == (
        "1 → 2：等第分数线调整 1 处；等第一级指标最低得分率调整 1 处；新增否决项 1 处；删除否决项 1 处；"
        "新增评价项目 1 处；删除评价项目 1 处；分值调整 1 处；归属指标调整 1 处；计算规则调整 1 处；"
        "评分等级调整 1 处；等级得分比例调整 1 处"
    )
    assert diff.summary("en").startswith("1 → 2: Tier pass mark changed: 1; ")


def test_frame_names_subjects_from_either_version(mini, mini_v2):
    frame = diff_frameworks(mini, mini_v2).to_frame("en").set_index("subject")
    assert frame.loc["i5", "title"] == "Item five"  # only in v2
    assert frame.loc["i3", "title"] == "项目三"  # only in v1, no English title: Chinese
    assert frame.loc["model: i5", "change"] == "Veto added"
    assert set(frame.loc["standard", "title"]) == {"Standard school"}  # two changes of that tier


def test_wording_stages_na_clause_title_and_method(mini, mini_data):
    """Edits of i1 that do not change points: descriptor, stages, N/A, clause, title, then a method change."""
    i1 = mini_data["domains"][0]["indicators"][0]["items"][0]
    i1["levels"][0]["descriptor"] = {"zh": "全部做到"}
    i1["applies_to"] = ["primary", "junior"]
    i1["allow_na"] = True
    i1["clause"] = "三(一)2"
    i1["title"] = {"zh": "项目一（修订）"}
    kinds = [c.kind for c in diff_frameworks(mini, parse_framework(mini_data)).changes]
    assert kinds == ["level_text", "applies_to", "allow_na", "clause", "title"]
    i1["method"] = "check"
    del i1["levels"]
    mini_data["tiers"][1]["vetoes"] = [{"item": "i1", "min_level": "Y"}]
    changes = diff_frameworks(mini, parse_framework(mini_data)).of_kind("method")
    assert changes == (Change("method", "i1", "rubric", "check"),)


def test_compatible_items_keep_their_level_ids(mini, mini_v2):
    """i1's levels changed (C → D); i3 is gone; i5 is new: i2 and i4 remain comparable."""
    assert compatible_items(mini, mini_v2) == ("i2", "i4")


def test_bundled_framework_against_itself_has_no_changes():
    bundled = load_framework()
    assert diff_frameworks(bundled, bundled).changes == ()
