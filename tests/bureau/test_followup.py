"""Action plans from an inspection and their progress in the next cycle, on mini.yaml.

School P (primary, 15 per mentor): consensus i1 B, i2 N, i3 C; i4 A from the facts.
Inspection: 4 × .5 + 0 + 3 × .3 + 1 = 3.9 / 10 = 39; D1 2 / 6 = 33.3%, D2 1.9 / 4 = 47.5%.
Standard fails on the score (< 60), the veto i2 (N, Y needed), and both domains (< 50%).
Improvement path: i2 N → Y (+2, forced) leaves 5.9 and D2 at 1.9 / 4; i3 C → B (+.9) lifts D2 to
2.8 / 4 and the score to 6.8 / 10: two steps (i1 B → A instead would leave D2 below 50%).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from scoring import score_district
from scoring.followup import action_plan, findings_of, plan_frame, plan_progress

DUE = date(2026, 6, 30)
OWNERS = {"D1": "moral_director", "D2": "psych_teacher"}


def inspect(mini, make_district, make_ratings, levels, code="P", stages="primary", **facts_over):
    facts = make_district((code, stages, facts_over))
    rows = [(code, item, "lead", "consensus", lv) for item, lv in levels.items()]
    return score_district(mini, facts, make_ratings(mini, facts, rows))


@pytest.fixture
def weak(mini, make_district, make_ratings):
    return inspect(mini, make_district, make_ratings, {"i1": "B", "i2": "N", "i3": "C"})


def test_plan_from_conditions_path_and_findings(weak):
    findings = {"i1": "年度计划缺少总结", "i4": "导师配备充足"}  # i4 is at its best level: a remark only
    plan = action_plan(weak, "P", DUE, findings, owners=OWNERS)
    summary = [(a.kind, a.item_id, a.domain_id, a.current_level, a.target_level, a.owner) for a in plan]
    assert summary == [
        ("veto", "i2", "D1", "N", "Y", "moral_director"),
        ("raise", "i3", "D2", "C", "B", "psych_teacher"),
        ("finding", "i1", "D1", "B", "A", "moral_director"),
        ("domain", None, "D1", None, None, "moral_director"),
        ("domain", None, "D2", None, None, "psych_teacher"),
        ("score", None, None, None, None, "principal"),
    ]
    assert [a.target_value for a in plan[3:]] == [50.0, 50.0, 60.0]
    assert [round(a.current_value, 1) for a in plan[3:]] == [33.3, 47.5, 39.0]
    assert {a.due for a in plan} == {DUE}
    assert {a.tier_id for a in plan if a.kind != "finding"} == {"standard"}
    assert [a.clause for a in plan[:3]] == ["三(一)2", "三(二)3", "三(一)1"]


def test_one_action_per_item_with_the_finding_attached(weak):
    plan = action_plan(weak, "P", DUE, {"i2": "未纳入预算"})
    i2 = [a for a in plan if a.item_id == "i2"]
    assert len(i2) == 1
    assert (i2[0].kind, i2[0].target_level, i2[0].finding) == ("veto", "Y", "未纳入预算")


def test_plan_in_words(weak, mini):
    plan = action_plan(weak, "P", DUE, {"i2": "未纳入预算"}, owners=OWNERS)
    frame = plan_frame(plan, mini, "zh")
    assert frame.loc[0, "action"] == "i2 项目二：由 N 提升至 Y（达标校必备条件）；未纳入预算"
    assert frame.loc[0, "owner"] == "德育主任"
    assert frame["action"].iloc[-1] == "总分由 39.0 分提升至 60.0 分以上（达标校）"
    assert plan_frame(plan, mini, "en").loc[1, "action"] == "i3 项目三: raise from C to B (towards Standard school)"


def test_a_model_school_gets_actions_from_findings_only(mini, make_district, make_ratings):
    """15 mentors: 20 per mentor → i4 B; 4 + 2 + 3 + .5 = 9.5 / 10 = 95 → model, nothing above it."""
    top = inspect(mini, make_district, make_ratings, {"i1": "A", "i2": "Y", "i3": "A"}, mentors=15)
    assert top.inspection.tier_index[0] == 1
    plan = action_plan(top, "P", DUE, {"i4": "导师偏少", "i1": "计划完整"})
    assert [(a.kind, a.item_id, a.current_level, a.target_level) for a in plan] == [("finding", "i4", "B", "A")]


def test_no_plan_without_an_inspection(mini, make_district, make_ratings):
    facts = make_district(("P", "primary", {}))
    result = score_district(mini, facts, make_ratings(mini, facts, [("P", "i1", "s", "self", "A")]))
    assert action_plan(result, "P", DUE, {"i1": "x"}) == []


def test_progress_in_the_next_cycle(weak, mini, make_district, make_ratings):
    """Next cycle: i1 A, i2 Y, i3 C. i2 met; i3 not (C < B); i1 met (A);
    D1 (4 + 2) / 6 = 100% met; D2 (.9 + 1) / 4 = 47.5% not; score 7.9 / 10 = 79 met."""
    plan = action_plan(weak, "P", DUE, {"i1": "年度计划缺少总结"})
    later = inspect(mini, make_district, make_ratings, {"i1": "A", "i2": "Y", "i3": "C"})
    progress = plan_progress(plan, later)
    assert progress["met"].tolist() == [True, False, True, True, False, True]
    assert progress["now"].tolist()[:3] == ["Y", "C", "A"]
    assert progress["now"].tolist()[3:] == pytest.approx([100.0, 47.5, 79.0])


def test_progress_unknown_where_the_item_or_level_is_gone(weak, mini_v2, make_district, make_ratings):
    """Under v2: i3 was removed → unknown; i1's target A still exists and i1 is at A → met;
    D1 has no minimum any more but the action compares with its own target: (3 + 0) / 7 = 42.9% → not met."""
    plan = action_plan(weak, "P", DUE, {"i1": "年度计划缺少总结"})
    later = inspect(mini_v2, make_district, make_ratings, {"i1": "A", "i2": "Y"})
    progress = plan_progress(plan, later).set_index(["kind", "item_id", "domain_id"])
    assert progress.loc[("raise", "i3", "D2"), "met"] is None
    assert progress.loc[("finding", "i1", "D1"), "met"] is True
    assert progress.loc[("domain", "", "D1"), "met"] is False


def test_findings_from_the_ratings_frame():
    ratings = pd.DataFrame(
        {
            "school_code": ["P", "P", "P", "P", "Q"],
            "item_id": ["i1", "i1", "i2", "i2", "i1"],
            "role": ["inspector", "inspector", "inspector", "consensus", "consensus"],
            "finding": ["计划不全。", "缺少总结", "一般", "组长意见", "别校"],
        }
    )
    assert findings_of(ratings, "P") == {"i2": "组长意见", "i1": "计划不全；缺少总结"}
