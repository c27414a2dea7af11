"""Frames of every bureau chart for a district of n schools, shaped as the pages build them.

Used by the chart spec tests (`test_chart_sizes.py`) and by the browser gallery (`chart_gallery.py`),
so that both look at the same data. Labels are Chinese, long where the district's are long.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ui.bureau import charts

SIZES = (1, 2, 7, 40, 2000)
DOMAINS = [
    "A1 组织管理",
    "A2 条件保障",
    "A3 队伍建设",
    "A4 课程与活动",
    "A5 监测预警与危机干预",
    "A6 家校社协同",
    "A7 研究与特色",
]
TARGET_LABELS = ["配备专职心理教师的学校比例", "心理健康教育活动课开设率", "心理辅导室配备率", "建立家长学校的学校比例"]
HEAT_TITLES = {"school": "学校", "domain": "一级指标", "pct": "得分率（%）", "score": "总分"}
LINE_TITLES = {"cycle": "评估周期", "value": "数值（%）", "series": "目标"}
SCHOOL_NAMES = ("长宁区周家桥小学", "上海市长宁区现代服务职业技术学校", "长宁区新泾实验学校", "上海市民办华新初级中学")


def names(n: int) -> list[str]:
    """`CN0001 长宁区…` labels of n schools."""
    return [f"CN{i + 1:04d} {SCHOOL_NAMES[i % len(SCHOOL_NAMES)]}" for i in range(n)]


def inspectors(n: int) -> int:
    """Inspectors of a district of n schools (about one per five schools, at least one)."""
    return max(1, n // 5)


def frames(n: int) -> dict[str, alt.TopLevelMixin]:
    """Every chart of the bureau's pages for n schools, by name."""
    rng = np.random.default_rng(n)
    heat = pd.DataFrame({"label": names(n), "street": [f"街道{i % 10}" for i in range(n)]})
    heat["score"] = rng.uniform(40, 100, n).round(1)
    for d in DOMAINS:
        heat[d] = rng.uniform(0, 100, n).round(1)
    tiers = pd.DataFrame({"label": ["未达标", "达标校", "示范校", "尚无结果"], "count": [n // 4, n // 2, n // 8, 0]})
    rate = 100.0 * (n // 2 + n // 8) / n
    bullet_one = pd.DataFrame(
        {"label": ["心理健康教育达标校通过率"], "value": [rate], "goal": [95.0], "met": [rate >= 95]}
    )
    targets = pd.DataFrame(
        {
            "label": TARGET_LABELS,
            "value": rng.uniform(50, 100, 4).round(1),
            "goal": [100.0, 100.0, 100.0, 100.0],
            "met": [False, False, True, False],
        }
    )
    weakest = pd.DataFrame(
        {"label": [f"A{d % 7 + 1}.{d % 3 + 1}.1 较长的项目名称第{d + 1}项" for d in range(min(10, n * 3))]}
    )
    weakest["value"] = rng.uniform(10, 90, len(weakest)).round(1)
    k = inspectors(n)
    bias = pd.DataFrame({"label": [f"督学{i + 1:03d}号" for i in range(k)], "value": rng.normal(0, 4, k).round(1)})
    bias.loc[k - 1, "value"] = -9.5  # the one flagged as systematically low: the last row must carry its name
    over = pd.DataFrame({"label": names(min(n, 15)), "value": rng.uniform(0, 20, min(n, 15)).round(1)})
    chosen = names(min(n, 6))
    grouped = pd.DataFrame(
        [{"domain": d, "school": s, "pct": float(rng.uniform(0, 100))} for d in DOMAINS for s in chosen]
    )
    agreement = pd.DataFrame({"label": DOMAINS, "value": rng.uniform(40, 100, 7)})
    one = ["2026学年学校心理健康教育工作评估"]
    two = ["2025学年学校心理健康教育工作评估", *one]
    trend_one = pd.DataFrame({"series": targets["label"], "cycle": one[0], "value": targets["value"]})
    trend_two = pd.concat(
        [trend_one, trend_one.assign(cycle=two[0], value=(trend_one["value"] - 10).clip(0, 100))], ignore_index=True
    )
    return {
        "heatmap": charts.heatmap(heat, DOMAINS, HEAT_TITLES),
        "tiers": charts.counts_bar(tiers, "等第", "学校数"),
        "pass_rate": charts.bullet(bullet_one, "数值（%）", "", "目标值"),
        "targets": charts.bullet(targets, "数值（%）", "", "目标值"),
        "weakest": charts.hbar(weakest, "平均得分率（%）", "", domain=(0, 100)),
        "agreement": charts.hbar(agreement, "完全一致率（%）", ""),
        "bias": charts.hbar(bias, "平均偏差（百分点）", ""),
        "overrating": charts.hbar(over, "自评高出（分）", ""),
        "grouped": charts.grouped_bars(grouped, HEAT_TITLES),
        "trend_one_cycle": charts.lines(trend_one, LINE_TITLES, one),
        "trend_two_cycles": charts.lines(trend_two, LINE_TITLES, two),
    }
