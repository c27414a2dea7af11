"""Bureau dashboard: status counts, the pass rate against 95%, tiers, heatmap, ranking with filters, weakest items.

Figures on screen are checked against the store's own data scored by the core (the core's rules are
pinned by hand in tests/bureau); the heatmap's size rule is checked on frames of 2,000 and 6,000 schools.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import numpy as np
import pandas as pd
from appkit import current_cycle, messages, signed_in, texts

from scoring import score_district
from store.records import SYSTEM, CycleStatus, Status
from ui.bureau import charts
from ui.bureau.district import by_street


def past_cycle(sv):
    return next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)


def official(sv, cycle):
    """(finalized codes, result) of a cycle, from the store's frames scored by the core."""
    result = score_district(
        sv.frameworks.for_cycle(SYSTEM, cycle.id),
        sv.frames.facts_frame(SYSTEM, cycle.id),
        sv.frames.ratings_frame(SYSTEM, cycle.id),
    )
    finalized = [
        a.school_code for a in sv.assessments.list_assessments(SYSTEM, cycle.id) if a.status == Status.FINALIZED
    ]
    return finalized, result


def charts_of(at, mark: str) -> list[dict]:
    """The Vega-Lite specs of the page's charts whose (first) layer has one mark type."""
    specs = [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]
    first = [(s, s["layer"][0] if "layer" in s else s) for s in specs]
    return [layer for s, layer in first if layer.get("mark", {}).get("type") == mark]


def test_the_dashboard_counts_the_schools_at_each_step(data_dir, sv):
    cycle = current_cycle(sv)
    sv.cycles.update(SYSTEM, cycle.id, self_deadline=date.today() - timedelta(days=1))
    assessments = sv.assessments.list_assessments(SYSTEM, cycle.id)
    counts = Counter(a.status for a in assessments)
    at = signed_in("bureau")
    assert {m.label: m.value for m in at.metric} == {
        "草稿": str(counts[Status.DRAFT]),
        "已提交": str(counts[Status.SUBMITTED]),
        "督导中": str(counts[Status.UNDER_INSPECTION]),
        "已定稿": str(counts[Status.FINALIZED]),
        "已退回修改": str(counts[Status.RETURNED]),
    }
    late = counts[Status.DRAFT] + counts[Status.RETURNED]  # past the self-assessment deadline
    assert f"已逾期 {late} 所" in texts(at)
    assert len(at.dataframe[0].value) == len(assessments)


def test_the_dashboard_states_the_pass_rate_against_the_plan(data_dir, sv):
    at = signed_in("bureau")
    at.selectbox(key="app.cycle_widget").set_value(past_cycle(sv).id).run()
    finalized, result = official(sv, past_cycle(sv))
    rows = result.schools.get_indexer(finalized)
    counted = rows[result.inspection.present[rows]]
    passed = int((result.inspection.tier_index[counted] >= 0).sum())
    rate = 100 * passed / len(counted)
    # 34 of 40 finalized: the rate says it is over part of the district and judges nothing yet
    assert (
        f"{rate:.1f}%（{passed} / {len(counted)} 所达到达标校）。**{len(counted)} / 40 所已定稿，尚不能判断**"
        in texts(at)
    )
    assert "未达成" not in texts(at) and "已达成" not in texts(at)
    at.multiselect(key="bureau.f.stage.zh").set_value(
        ["vocational"]
    ).run()  # a selection every school of which is final
    vocational = set(result.facts.index[result.facts["stage_vocational"]])
    assert vocational <= set(finalized)
    rows = result.schools.get_indexer(sorted(vocational))
    passed = int((result.inspection.tier_index[rows] >= 0).sum())
    rate = 100 * passed / len(rows)
    verdict = "已达成" if rate >= 95 else "未达成"
    assert f"{rate:.1f}%（{passed} / {len(rows)} 所达到达标校），规划目标 ≥ 95%：**{verdict}**" in texts(at)
    at.multiselect(key="bureau.f.stage.zh").set_value([]).run()
    first = at.dataframe[0].value  # every school with its status and official result
    assert len(first) == 40 and set(first["学校代码"]) == set(result.schools)
    assert first["正式得分"].notna().sum() == len(counted)
    assert not at.exception and not messages(at, "error")


def test_the_filters_narrow_the_ranking_tiers_and_heatmap(data_dir, sv):
    at = signed_in("bureau")
    cycle = past_cycle(sv)
    at.selectbox(key="app.cycle_widget").set_value(cycle.id).run()
    finalized, result = official(sv, cycle)
    at.multiselect(key="bureau.f.owner.zh").set_value(["private"]).run()
    private = set(result.facts.index[result.facts["ownership"] == "private"]) & set(finalized)
    ranking = next(d.value for d in at.dataframe if "名次" in d.value.columns)
    assert set(ranking["学校代码"]) == private
    assert list(ranking["得分"]) == sorted(ranking["得分"], reverse=True)
    assert any(c["encoding"]["x"].get("title") == "等第" for c in charts_of(at, "bar"))  # the tier chart
    heat = charts_of(at, "rect")[0]
    assert heat["encoding"]["x"]["title"] == "一级指标" and heat["transform"][0]["fold"][0] == "A1 组织管理"
    at.multiselect(key="bureau.f.owner.zh").set_value([]).run()
    at.multiselect(key="bureau.f.stage.zh").set_value(["vocational"]).run()
    vocational = set(result.facts.index[result.facts["stage_vocational"]]) & set(finalized)
    ranking = next(d.value for d in at.dataframe if "名次" in d.value.columns)
    assert set(ranking["学校代码"]) == vocational


def test_the_weakest_items_drill_down_to_the_schools(data_dir, sv):
    at = signed_in("bureau")
    at.selectbox(key="app.cycle_widget").set_value(past_cycle(sv).id).run()
    weakest = next(d.value for d in at.dataframe if "平均得分率（%）" in d.value.columns)
    assert list(weakest["平均得分率（%）"]) == sorted(weakest["平均得分率（%）"])
    item = weakest["项目"].iloc[1]
    at.selectbox(key="bureau.drill.zh").set_value(item).run()
    schools = at.dataframe[-1].value
    assert list(schools.columns) == ["学校代码", "学校", "等级"] and len(schools) > 0
    assert not at.exception


def test_the_demo_s_current_cycle_shows_real_results_over_part_of_the_district(data_dir, sv):
    at = signed_in("bureau")  # the bureau's first view: the current cycle, most schools finalized
    done = [a for a in sv.assessments.list_assessments(SYSTEM, current_cycle(sv).id) if a.status == Status.FINALIZED]
    assert 20 <= len(done) < 40
    assert f"{len(done)} / 40 所已定稿，尚不能判断" in texts(at)
    assert not messages(at, "info") or "还没有" not in " ".join(messages(at, "info"))
    assert len(charts_of(at, "rect")) == 1  # the heatmap has schools to draw
    at.radio(key="bureau.view.zh").set_value("inspection").run()
    cycle = current_cycle(sv)
    _, result = official(sv, cycle)
    ranking = next(d.value for d in at.dataframe if "名次" in d.value.columns)
    assert len(ranking) == int(result.inspection.present.sum())
    at.radio(key="bureau.view.zh").set_value("self").run()
    ranking = next(d.value for d in at.dataframe if "名次" in d.value.columns)
    assert len(ranking) == int(result.self_view.present.sum())
    assert not at.exception


def test_every_table_of_the_dashboard_can_be_downloaded(data_dir, sv):
    at = signed_in("bureau")
    at.selectbox(key="app.cycle_widget").set_value(past_cycle(sv).id).run()
    assert len(at.download_button) >= len(at.dataframe) + 1  # the tables, plus the charts' data
    assert all(b.proto.deferred_file_id for b in at.download_button)  # built only when pressed


def heat_frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    domains = [f"A{d} 指标" for d in range(1, 8)]
    frame = pd.DataFrame({"label": [f"S{i:05d}" for i in range(n)], "street": [f"街道{i % 10}" for i in range(n)]})
    frame["score"] = rng.uniform(40, 100, n)
    for d in domains:
        frame[d] = rng.uniform(0, 100, n)
    return frame


def test_a_2000_school_heatmap_is_one_row_per_school_and_6000_schools_are_shown_by_street():
    domains = [f"A{d} 指标" for d in range(1, 8)]
    titles = {"school": "学校", "domain": "一级指标", "pct": "得分率（%）", "score": "总分"}
    big = heat_frame(2000)
    assert charts.heatmap_rows(big)
    spec = charts.heatmap(big, domains, titles).to_dict()  # plain Altair: its 5,000-row limit is not reached
    assert len(next(iter(spec["datasets"].values()))) == 2000  # 14,000 cells, folded by Vega-Lite
    assert spec["encoding"]["y"]["axis"]["labels"] is False
    huge = heat_frame(6000)
    assert not charts.heatmap_rows(huge)
    streets = by_street(huge)
    assert len(streets) == 10 and streets["label"].iloc[0] == "街道0 (600)"
    assert charts.heatmap(streets, domains, titles).to_dict()
