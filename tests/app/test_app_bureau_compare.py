"""Bureau comparison: two to six schools side by side with differences highlighted, one school across cycles."""

from __future__ import annotations

import numpy as np
from appkit import goto, messages, signed_in

from scoring import score_district
from scoring.compare import side_by_side
from store.records import SYSTEM, CycleStatus, Status


def past_and_result(sv):
    past = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)
    fw = sv.frameworks.for_cycle(SYSTEM, past.id)
    result = score_district(fw, sv.frames.facts_frame(SYSTEM, past.id), sv.frames.ratings_frame(SYSTEM, past.id))
    return past, result


def test_schools_side_by_side_with_their_differences(data_dir, sv):
    past, result = past_and_result(sv)
    finalized = [
        a.school_code for a in sv.assessments.list_assessments(SYSTEM, past.id) if a.status == Status.FINALIZED
    ]
    at = signed_in("bureau")
    at.selectbox(key="app.cycle_widget").set_value(past.id).run()
    at = goto(at, "bureau_compare.py")
    assert "请至少选择 2 所学校" in messages(at, "info")[0]
    chosen = finalized[:3]
    at.multiselect(key="bureau.compare.schools.official").set_value(chosen).run()
    assert not at.exception and not messages(at, "error")
    expected = side_by_side(result, chosen)
    summary = at.dataframe[0].value
    assert list(summary["学校代码"]) == chosen
    assert np.allclose(summary["得分"], expected.summary["score"].round(1))
    domains = at.dataframe[1].value
    assert domains.shape == (7, 3)
    items = at.dataframe[2].value
    assert len(items) == len(expected.items)
    assert "个等级不同（已标出）" in "".join(c.value for c in at.caption)
    at.toggle(key="bureau.compare.only").set_value(True).run()
    assert len(at.dataframe[2].value) == int(expected.items["differs"].sum())
    assert len(at.download_button) >= 3


def test_at_most_six_schools_and_only_schools_with_official_results(data_dir, sv):
    past, result = past_and_result(sv)
    at = signed_in("bureau")
    at.selectbox(key="app.cycle_widget").set_value(past.id).run()
    at = goto(at, "bureau_compare.py")
    picker = at.multiselect(key="bureau.compare.schools.official")
    finalized = [
        a.school_code for a in sv.assessments.list_assessments(SYSTEM, past.id) if a.status == Status.FINALIZED
    ]
    official = [c for c in finalized if result.inspection.present[result.row(c)]]
    assert [o.split(" ")[0] for o in picker.options] == sorted(official)
    assert picker.proto.max_selections == 6


def test_one_school_across_cycles_on_the_shared_items(data_dir, sv):
    at = goto(signed_in("bureau"), "bureau_compare.py")
    at.selectbox(key="bureau.across.school").set_value("CN001").run()
    assert not at.exception and not messages(at, "error")
    scores = next(d.value for d in at.dataframe if "共同项目得分率（%）" in d.value.columns)
    cycles = [c.name for c in reversed(sv.cycles.list_cycles(SYSTEM))]
    assert list(scores["周期"]) == cycles
    assert list(scores["状态"]) == [
        {"finalized": "已定稿", "draft": "草稿", "submitted": "已提交", "under_inspection": "督导中"}[
            sv.assessments.find(SYSTEM, c.id, sv.schools.by_code(SYSTEM, "CN001").id).status.value
        ]
        for c in reversed(sv.cycles.list_cycles(SYSTEM))
    ]
    levels = next(d.value for d in at.dataframe if "评价项目" in d.value.columns and cycles[0] in d.value.columns)
    assert len(levels) == 38  # both cycles use the bundled framework: every item is shared
