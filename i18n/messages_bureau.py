"""Catalog entries of the bureau's core: 2025 targets, framework changes and follow-up plans."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ 2025 targets (长教〔2024〕11号 二)
    "bureau.target.psych_fulltime": {
        "zh": "配备专职心理教师的学校比例",
        "en": "Schools with a full-time psychology teacher",
    },
    "bureau.target.activity_course": {
        "zh": "心理健康教育活动课开设率",
        "en": "Schools offering the mental-health activity course",
    },
    "bureau.target.counselling_room": {"zh": "心理辅导室配备率", "en": "Schools with a counselling room"},
    "bureau.target.standard_pass_rate": {
        "zh": "心理健康教育达标校通过率",
        "en": "Standard-school pass rate",
    },
    "bureau.target.mentor_ratio_schools": {
        "zh": "每位导师指导学生数不超过15名的学校比例",
        "en": "Schools with at most 15 students per mentor",
    },
    "bureau.target.mentor_ratio_district": {
        "zh": "全区每位导师平均指导学生数",
        "en": "Students per mentor, district-wide",
    },
    "bureau.target.parent_school": {"zh": "建立家长学校的学校比例", "en": "Schools with a parent school"},
    "bureau.target.family_guidance_stations": {
        "zh": "开展心理健康教育的家庭教育指导服务站点比例",
        "en": "Family-education guidance stations doing mental-health education",
    },
    "bureau.target.community_counselling": {
        "zh": "社区心理咨询服务覆盖率",
        "en": "Community counselling coverage",
    },
    "bureau.goal.ge": {"zh": "≥ {goal}{unit}", "en": "≥ {goal}{unit}"},
    "bureau.goal.le": {"zh": "≤ {goal}{unit}", "en": "≤ {goal}{unit}"},
    "bureau.unit.pct": {"zh": "%", "en": "%"},
    "bureau.unit.per_mentor": {"zh": " 名/导师", "en": " students per mentor"},
    "bureau.source.facts": {"zh": "学校基本数据", "en": "School facts"},
    "bureau.source.results": {"zh": "督导评估结果", "en": "Inspection results"},
    "bureau.source.entered": {"zh": "教育局填报", "en": "Entered by the bureau"},
    "bureau.list_sep": {"zh": "、", "en": ", "},
    "bureau.entered.unknown": {
        "zh": "没有需要填报的目标 {found}，可填报的有：{expected}",
        "en": "no entered target {found}; known: {expected}",
    },
    "bureau.entered.range": {
        "zh": "目标 {target} 的填报值应为 0 到 100 之间的百分数，实际为 {found}",
        "en": "the figure for {target} must be a percentage from 0 to 100, found {found}",
    },
    # ------------------------------------------------------------------ framework versions compared
    "bureau.diff.head": {"zh": "{old} → {new}：", "en": "{old} → {new}: "},
    "bureau.diff.none": {"zh": "无变化", "en": "no changes"},
    "bureau.diff.count": {"zh": "{kind} {n} 处", "en": "{kind}: {n}"},
    "bureau.diff.sep": {"zh": "；", "en": "; "},
    "bureau.diff.total_points": {"zh": "总分调整", "en": "Total points changed"},
    "bureau.diff.tier_added": {"zh": "新增等第", "en": "Tier added"},
    "bureau.diff.tier_removed": {"zh": "删除等第", "en": "Tier removed"},
    "bureau.diff.tier_min_score": {"zh": "等第分数线调整", "en": "Tier pass mark changed"},
    "bureau.diff.tier_domain_min": {"zh": "等第一级指标最低得分率调整", "en": "Tier domain minimum changed"},
    "bureau.diff.veto_added": {"zh": "新增否决项", "en": "Veto added"},
    "bureau.diff.veto_removed": {"zh": "删除否决项", "en": "Veto removed"},
    "bureau.diff.veto_level": {"zh": "否决项要求等级调整", "en": "Veto level changed"},
    "bureau.diff.domain_added": {"zh": "新增一级指标", "en": "Domain added"},
    "bureau.diff.domain_removed": {"zh": "删除一级指标", "en": "Domain removed"},
    "bureau.diff.item_added": {"zh": "新增评价项目", "en": "Item added"},
    "bureau.diff.item_removed": {"zh": "删除评价项目", "en": "Item removed"},
    "bureau.diff.points": {"zh": "分值调整", "en": "Points changed"},
    "bureau.diff.moved": {"zh": "归属指标调整", "en": "Moved to another domain or indicator"},
    "bureau.diff.method": {"zh": "评分方式调整", "en": "Scoring method changed"},
    "bureau.diff.rule": {"zh": "计算规则调整", "en": "Computation rule changed"},
    "bureau.diff.level_ids": {"zh": "评分等级调整", "en": "Levels changed"},
    "bureau.diff.level_fraction": {"zh": "等级得分比例调整", "en": "Level fractions changed"},
    "bureau.diff.level_text": {"zh": "等级描述调整", "en": "Level wording changed"},
    "bureau.diff.applies_to": {"zh": "适用学段调整", "en": "Stages changed"},
    "bureau.diff.allow_na": {"zh": "“不适用”选项调整", "en": "Not-applicable option changed"},
    "bureau.diff.clause": {"zh": "对应方案条款调整", "en": "Plan clause changed"},
    "bureau.diff.title": {"zh": "名称调整", "en": "Title changed"},
    # ------------------------------------------------------------------ follow-up plans
    "bureau.kind.veto": {"zh": "否决项", "en": "Veto"},
    "bureau.kind.raise": {"zh": "提升项目", "en": "Raise"},
    "bureau.kind.finding": {"zh": "督导意见", "en": "Finding"},
    "bureau.kind.domain": {"zh": "一级指标得分率", "en": "Domain minimum"},
    "bureau.kind.score": {"zh": "总分", "en": "Total score"},
    "bureau.owner.principal": {"zh": "校长", "en": "Principal"},
    "bureau.owner.moral_director": {"zh": "德育主任", "en": "Moral-education director"},
    "bureau.owner.psych_teacher": {"zh": "心理教师", "en": "Psychology teacher"},
    "bureau.action.veto": {
        "zh": "{item}：由 {current} 提升至 {target}（{tier}必备条件）",
        "en": "{item}: raise from {current} to {target} (required for {tier})",
    },
    "bureau.action.raise": {
        "zh": "{item}：由 {current} 提升至 {target}（达到{tier}）",
        "en": "{item}: raise from {current} to {target} (towards {tier})",
    },
    "bureau.action.finding": {
        "zh": "{item}：{finding}（目标等级 {target}）",
        "en": "{item}: {finding} (target level {target})",
    },
    "bureau.action.domain": {
        "zh": "{domain} 得分率由 {current}% 提升至 {target}% 以上（{tier}）",
        "en": "{domain}: raise from {current}% to at least {target}% ({tier})",
    },
    "bureau.action.score": {
        "zh": "总分由 {current} 分提升至 {target} 分以上（{tier}）",
        "en": "Raise the score from {current} to at least {target} ({tier})",
    },
    "bureau.finding_sep": {"zh": "；", "en": "; "},
}
