"""The catalog: every user-facing string, Chinese first, English second."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # where
    "where.sheet": {"zh": "工作表“{sheet}”", "en": "sheet '{sheet}'"},
    "where.row": {"zh": "第 {row} 行", "en": "row {row}"},
    "where.column": {"zh": "“{column}”列", "en": "column '{column}'"},
    # files
    "file.unreadable": {"zh": "无法读取文件：{found}", "en": "cannot read the file: {found}"},
    "file.exists": {"zh": "输出文件已存在：{found}", "en": "the output file exists already: {found}"},
    # framework
    "fw.yaml": {"zh": "不是有效的 YAML：{found}", "en": "not valid YAML: {found}"},
    "fw.repeated_key": {"zh": "键“{found}”重复出现（只能写一次）", "en": "key '{found}' appears twice in one mapping"},
    "fw.not_mapping": {
        "zh": "应为框架定义（键值结构），实际为 {found}",
        "en": "expected a framework (a mapping), found {found}",
    },
    "fw.missing": {"zh": "缺少必填字段", "en": "required field is missing"},
    "fw.unknown_field": {"zh": "不认识的字段（值为 {found}）", "en": "unknown field (value {found})"},
    "fw.not_one_of": {
        "zh": "应为 {expected} 之一，实际为 {found}",
        "en": "expected one of {expected}, found {found}",
    },
    "fw.wrong_type": {
        "zh": "格式不符（{expected}），实际为 {found}",
        "en": "wrong type ({expected}), found {found}",
    },
    "fw.positive": {"zh": "应为正数，实际为 {found}", "en": "expected a positive number, found {found}"},
    "fw.empty": {"zh": "{what} 不能为空", "en": "{what} must not be empty"},
    "fw.empty_domain": {"zh": "领域 {found} 没有任何评价项目", "en": "domain {found} has no items"},
    "fw.empty_indicator": {"zh": "指标 {found} 没有任何评价项目", "en": "indicator {found} has no items"},
    "fw.duplicate_id": {"zh": "{what} 编号 {found} 重复", "en": "duplicate {what} id {found}"},
    "fw.points_sum": {
        "zh": "各项目分值之和应等于总分 {expected}，实际为 {found}",
        "en": "item points must add up to total_points {expected}, found {found}",
    },
    "fw.too_few_levels": {
        "zh": "至少需要 2 个等级，实际为 {found} 个",
        "en": "at least 2 levels expected, found {found}",
    },
    "fw.reserved_level": {
        "zh": "等级编号 {found} 保留给“不适用”，请换一个",
        "en": "level id {found} is reserved for 'not applicable'",
    },
    "fw.fraction_range": {
        "zh": "得分比例应在 0 到 1 之间，实际为 {found}",
        "en": "fraction must be within [0, 1], found {found}",
    },
    "fw.fraction_order": {
        "zh": "等级应从高到低排列：得分比例应小于上一等级的 {previous}，实际为 {found}",
        "en": "levels go from best to worst: fraction must be below the previous level's {previous}, found {found}",
    },
    "fw.unknown_metric": {
        "zh": "未知的指标计算方法，可用的有：{expected}；实际为 {found}",
        "en": "unknown metric; known: {expected}; found {found}",
    },
    "fw.unknown_param": {
        "zh": "该指标没有此参数，可用的有：{expected}；实际为 {found}",
        "en": "the metric has no such parameter; known: {expected}; found {found}",
    },
    "fw.unknown_level": {
        "zh": "未知等级，可用的有：{expected}；实际为 {found}",
        "en": "unknown level; known: {expected}; found {found}",
    },
    "fw.unknown_item": {"zh": "框架中没有评价项目 {found}", "en": "the framework has no item {found}"},
    "fw.fallback_last": {
        "zh": "最后一个阈值是兜底等级，不应设界值，实际为 {found}",
        "en": "the last threshold is the fallback and takes no bound, found {found}",
    },
    "fw.bound_missing": {
        "zh": "除最后一个外，每个阈值都需要界值",
        "en": "every threshold but the last needs a bound",
    },
    "fw.threshold_level_order": {
        "zh": "阈值应按等级从高到低排列：{found} 不应排在 {previous} 之后",
        "en": "thresholds go from the best level down: {found} cannot follow {previous}",
    },
    "fw.threshold_order_higher": {
        "zh": "“越高越好”的界值应逐级递减：应小于 {previous}，实际为 {found}",
        "en": "for 'higher is better' bounds must decrease: expected below {previous}, found {found}",
    },
    "fw.threshold_order_lower": {
        "zh": "“越低越好”的界值应逐级递增：应大于 {previous}，实际为 {found}",
        "en": "for 'lower is better' bounds must increase: expected above {previous}, found {found}",
    },
    "fw.percent_range": {
        "zh": "应在 0 到 100 之间，实际为 {found}",
        "en": "expected 0 to 100, found {found}",
    },
    "fw.tier_order": {
        "zh": "等第应由低到高排列：最低分不应低于上一等第的 {previous}，实际为 {found}",
        "en": "tiers go from lower to higher: min_score cannot be below the previous tier's {previous}, found {found}",
    },
    # facts and ratings
    "input.missing_column": {"zh": "缺少必需的列 {expected}", "en": "required column {expected} is missing"},
    "input.unknown_column": {"zh": "不认识的列 {found}", "en": "unknown column {found}"},
    "input.empty": {"zh": "不能为空", "en": "must not be empty"},
    "input.duplicate_school": {"zh": "学校代码 {found} 重复", "en": "duplicate school code {found}"},
    "input.bad_stages": {
        "zh": "学段应为 {expected}（可用中文，多个学段用分号隔开），实际为“{found}”",
        "en": "stages must be among {expected} (separated by ;), found '{found}'",
    },
    "input.bad_int": {
        "zh": "应为 {min} 到 {max} 之间的整数，实际为“{found}”",
        "en": "expected a whole number from {min} to {max}, found '{found}'",
    },
    "input.bad_number": {
        "zh": "应为 {min} 到 {max} 之间的数字，实际为“{found}”",
        "en": "expected a number from {min} to {max}, found '{found}'",
    },
    "input.bad_bool": {
        "zh": "应为 是/否（或 1/0），实际为“{found}”",
        "en": "expected yes/no (or 1/0), found '{found}'",
    },
    "input.fact_exceeds": {
        "zh": "{small}不能多于{large}：{found}",
        "en": "{small_en} cannot exceed {large_en}: {found}",
    },
    "input.unknown_school": {"zh": "没有学校代码为 {found} 的学校", "en": "no school with code {found}"},
    "input.unknown_item": {"zh": "框架中没有评价项目 {found}", "en": "the framework has no item {found}"},
    "input.bad_role": {
        "zh": "角色应为 {expected} 之一，实际为“{found}”",
        "en": "role must be one of {expected}, found '{found}'",
    },
    "input.unknown_level": {
        "zh": "项目 {item} 没有等级“{found}”，可选：{expected}",
        "en": "item {item} has no level '{found}'; choose from {expected}",
    },
    "input.na_not_allowed": {
        "zh": "项目 {item} 不允许标为不适用（NA）",
        "en": "item {item} cannot be marked not applicable (NA)",
    },
    "input.computed_item": {
        "zh": "项目 {item} 由学校基本数据自动计算，不需评级（实际填了“{found}”）",
        "en": "item {item} is computed from the school's facts and takes no rating (found '{found}')",
    },
    "input.duplicate_rating": {"zh": "重复的评级：{found}", "en": "duplicate rating: {found}"},
    # results
    "tier.none": {"zh": "未达标", "en": "no tier reached"},
    "tier.below": {"zh": "{tier}：须先达到{lower}", "en": "{tier}: the school must first reach {lower}"},
    "tier.score": {"zh": "{tier}：总分 {score} 低于 {min}", "en": "{tier}: score {score} is below {min}"},
    "tier.veto": {
        "zh": "{tier}：否决项“{item}”须达到 {level} 级，实际为 {actual}",
        "en": "{tier}: must-pass item '{item}' needs level {level}, found {actual}",
    },
    "tier.domain": {
        "zh": "{tier}：领域“{domain}”得分率 {pct}% 低于 {min}%",
        "en": "{tier}: domain '{domain}' reached {pct}%, below {min}%",
    },
    "level.unrated": {"zh": "未评", "en": "not rated"},
    "level.na": {"zh": "不适用", "en": "not applicable"},
    "result.separator": {"zh": "；", "en": "; "},
    "result.no_ratings": {"zh": "尚无评级", "en": "no ratings yet"},
    "result.facts_missing": {
        "zh": "学校 {school} 的项目 {item} 缺少计算所需的基本数据（{view}）",
        "en": "school {school}: item {item} lacks the facts it is computed from ({view})",
    },
    "result.unrated": {
        "zh": "学校 {school} 的项目 {item} 尚未评级（{view}）",
        "en": "school {school}: item {item} is not rated ({view})",
    },
    # explain
    "explain.not_applicable": {"zh": "不适用于本校学段", "en": "not for this school's stages"},
    "explain.by_consensus": {"zh": "组长确定的共识等级", "en": "lead inspector's consensus"},
    "explain.by_median": {
        "zh": "{n} 位督导评级的中位数（偶数取较低者）",
        "en": "median of {n} inspectors (lower middle for an even count)",
    },
    "explain.header": {
        "zh": "学校 {code} {name}（{stages}），框架 {framework}",
        "en": "School {code} {name} ({stages}), framework {framework}",
    },
    "explain.view.self": {"zh": "自评", "en": "Self"},
    "explain.view.inspection": {"zh": "督导", "en": "Inspection"},
    "explain.total": {
        "zh": "[{view}] 得分 {earned} / 适用分 {possible} → {score} 分，等第：{tier}；未评项目 {unrated} 个",
        "en": "[{view}] earned {earned} of {possible} applicable → {score}, tier: {tier}; {unrated} items unrated",
    },
    "explain.path": {
        "zh": "达到{tier}的最少提升（{steps} 级）：{raises}，提升后 {score} 分",
        "en": "Fewest raises to reach {tier} ({steps} steps): {raises}; score after {score}",
    },
    "explain.items": {"zh": "逐项明细：", "en": "Item by item:"},
    "explain.gap": {"zh": "自评差距", "en": "self-rating gap"},
    # command line
    "cli.valid": {
        "zh": "框架有效：{name}（{id} 版本 {version}）",
        "en": "Framework is valid: {name} ({id} version {version})",
    },
    "cli.size": {
        "zh": "{domains} 个领域，{items} 个评价项目，总分 {points}",
        "en": "{domains} domains, {items} items, {points} points",
    },
    "cli.stage_items": {
        "zh": "  学段 {stage}：适用 {items} 项，{points} 分",
        "en": "  stage {stage}: {items} items, {points} points",
    },
    "cli.tier": {
        "zh": "  {tier}：总分 ≥ {score}，各领域得分率 ≥ {domain}，否决项 {vetoes}",
        "en": "  {tier}: score ≥ {score}, every domain ≥ {domain}, must-pass {vetoes}",
    },
    "cli.written": {"zh": "已写入 {path}（{rows} 行）", "en": "wrote {path} ({rows} rows)"},
    "cli.written_file": {"zh": "已写入 {path}", "en": "wrote {path}"},
    "cli.generated": {
        "zh": "已生成 {schools} 所学校的模拟数据：{path}",
        "en": "generated a district of {schools} schools in {path}",
    },
    # framework as a workbook
    "fwx.missing_sheet": {"zh": "缺少工作表“{expected}”", "en": "sheet '{expected}' is missing"},
    "fwx.missing_columns": {"zh": "缺少列：{expected}", "en": "columns missing: {expected}"},
}
