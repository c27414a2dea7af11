"""Bureau plan targets on the page: the five-school district of tests/bureau/test_targets.py loaded into a real
store (values, gaps, blocking schools by hand), the figures the bureau enters, the pass rate over finalized
schools on the demo, and the trend across cycles.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from appkit import PASSWORD, goto, messages, signed_in, texts

from criteria import DEFAULT_FRAMEWORK
from scoring import score_district
from settings import Settings, get_settings
from store.bootstrap import open_store
from store.records import SYSTEM, CycleStatus, Role, Status
from testkit import TARGET_SCHOOLS as SCHOOLS
from testkit import facts_rows
from ui.services import close_all


@pytest.fixture
def small_district(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A store with the five schools in one cycle and a bureau account, configured for the app."""
    folder = tmp_path / "data"
    opened = open_store(Settings(data_dir=folder, database_url=None, load_demo=False))
    sv = opened.services
    version = sv.frameworks.add(SYSTEM, DEFAULT_FRAMEWORK.read_text(encoding="utf-8"), activate=True)
    cycle = sv.cycles.create(SYSTEM, "2025学年评估", "2025-2026", version.id, school_ids=[])
    facts = pd.concat([facts_rows((code, stages), **extra) for code, stages, extra in SCHOOLS], ignore_index=True)
    sv.imports.schools(SYSTEM, facts, cycle_id=cycle.id, file="facts.csv")
    sv.accounts.add_user(SYSTEM, "bureau", Role.BUREAU, PASSWORD, must_change_password=False)
    sv.close()
    monkeypatch.setenv("XINYU_DATA_DIR", str(folder))
    monkeypatch.setenv("XINYU_LOAD_DEMO", "false")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("XINYU_LANG", raising=False)
    get_settings.cache_clear()
    yield
    close_all()
    get_settings.cache_clear()


def targets_table(at) -> pd.DataFrame:
    return at.dataframe[0].value.set_index("目标")


def test_the_targets_of_a_small_district_by_hand(small_district):
    at = goto(signed_in("bureau"), "bureau_targets.py")
    assert not at.exception, at.exception
    table = targets_table(at)
    expected = {  # value, met, gap, schools meeting, more needed, schools not meeting
        "配备专职心理教师的学校比例": (80.0, "未达成", 20.0, "4 / 5", 1, 1),
        "心理健康教育活动课开设率": (60.0, "未达成", 40.0, "3 / 5", 2, 2),  # P2 no course, V2 18 < 36 h
        "心理辅导室配备率": (80.0, "未达成", 20.0, "4 / 5", 1, 1),
        "每位导师指导学生数不超过15名的学校比例": (60.0, "未达成", 40.0, "3 / 5", 2, 2),  # P2 30, V1 20
        "建立家长学校的学校比例": (80.0, "未达成", 20.0, "4 / 5", 1, 1),
    }
    for label, (value, met, gap, meeting, short, blocking) in expected.items():
        row = table.loc[label]
        assert (row["当前值"], row["是否达成"], row["差距"], row["达到的学校"]) == (value, met, gap, meeting), label
        assert (row["还需达到的学校数"], row["未达到的学校数"]) == (short, blocking), label
    ratio = table.loc["全区每位导师平均指导学生数"]  # 1500 students / 100 mentors
    assert (ratio["当前值"], ratio["是否达成"], ratio["差距"], ratio["规划目标"]) == (
        15.0,
        "已达成",
        0.0,
        "≤ 15 名/导师",
    )
    assert table.loc["心理健康教育达标校通过率", "是否达成"] == "暂无数据"  # nothing finalized yet
    assert set(table["方案条款"]) == {"二"}
    at.selectbox(key="bureau.targets.pick.zh").set_value("activity_course").run()
    blocking = at.dataframe[1].value
    assert list(blocking["学校代码"]) == ["P2", "V2"]


def test_the_entered_figures_are_checked_saved_and_kept_across_sessions(small_district):
    at = goto(signed_in("bureau"), "bureau_targets.py")
    note = messages(at, "info")[0]
    assert "保存在数据库中" in note and "尚未保存" not in note
    assert not any("尚未保存" in m for m in messages(at, "warning"))
    table = targets_table(at)
    assert table.loc["社区心理咨询服务覆盖率", "是否达成"] == "暂无数据"
    at.number_input(key="bureau.entered.1.family_guidance_stations").set_value(60.0)
    at.number_input(key="bureau.entered.1.community_counselling").set_value(90.0)
    at.button(key="bureau.entered.send.1").click().run()
    assert "已保存填报的数字。" in messages(at, "success")
    table = targets_table(at)
    stations = table.loc["开展心理健康教育的家庭教育指导服务站点比例"]
    community = table.loc["社区心理咨询服务覆盖率"]
    assert (stations["当前值"], stations["是否达成"], stations["差距"], stations["数据来源"]) == (
        60.0,
        "已达成",
        0.0,
        "教育局填报",
    )
    assert (community["当前值"], community["是否达成"], community["差距"]) == (90.0, "未达成", 10.0)
    trend = at.dataframe[-1].value.set_index("目标")
    assert trend.loc["社区心理咨询服务覆盖率", "2025学年评估"] == 90.0  # the trend uses the stored figures
    at = goto(signed_in("bureau"), "bureau_targets.py")  # a new session: the figures are still there
    assert not at.exception, at.exception
    assert targets_table(at).loc["社区心理咨询服务覆盖率", "当前值"] == 90.0
    assert at.number_input(key="bureau.entered.1.community_counselling").value == 90.0
    assert at.number_input(key="bureau.entered.1.family_guidance_stations").value == 60.0


def test_the_pass_rate_counts_finalized_schools_and_the_trend_covers_every_cycle(data_dir, sv):
    past = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)
    at = signed_in("bureau")
    at.selectbox(key="app.cycle_widget").set_value(past.id).run()
    at = goto(at, "bureau_targets.py")
    result = score_district(
        sv.frameworks.for_cycle(SYSTEM, past.id),
        sv.frames.facts_frame(SYSTEM, past.id),
        sv.frames.ratings_frame(SYSTEM, past.id),
    )
    finalized = [
        a.school_code for a in sv.assessments.list_assessments(SYSTEM, past.id) if a.status == Status.FINALIZED
    ]
    rows = result.schools.get_indexer(finalized)
    rows = rows[result.inspection.present[rows]]
    rate = round(100 * float((result.inspection.tier_index[rows] >= 0).mean()), 1)
    row = targets_table(at).loc["心理健康教育达标校通过率"]
    assert (row["当前值"], row["是否达成"], row["达到的学校"]) == (
        rate,
        f"{len(finalized)} / 40 所已定稿，尚不能判断",  # a rate over part of the district judges nothing yet
        f"{int((result.inspection.tier_index[rows] >= 0).sum())} / {len(rows)}",
    )
    trend = at.dataframe[-1].value
    assert [c for c in trend.columns if "学年" in c] == [c.name for c in reversed(sv.cycles.list_cycles(SYSTEM))]
    assert trend.set_index("目标").loc["心理健康教育达标校通过率", past.name] == rate
    assert "各周期变化" in texts(at) and not at.exception
