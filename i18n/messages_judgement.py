"""Catalog entries of the judgement: the decision sentence, vetoes, recommendations and on-site overrides.

Chinese first (in the words inspectors use), English second.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ the decision in one sentence
    "judgement.none.inspection": {
        "zh": "尚未督导评分，暂无督导结论。",
        "en": "Not inspected yet: there is no inspection decision.",
    },
    "judgement.none.self": {"zh": "尚未自评，暂无自评结论。", "en": "No self-assessment yet: there is no result."},
    "judgement.top": {
        "zh": "总分 {score} 分，达到{tier}的全部要求，评为{tier}。",
        "en": "Score {score}; every requirement of a {tier} is met: rated {tier}.",
    },
    "judgement.pass": {
        "zh": "总分 {score} 分，达到达标线（{min} 分），无一票否决项，达标。",
        "en": "Score {score}, at or above the pass mark of {min}, no veto failed: the school passes ({tier}).",
    },
    "judgement.fail.score_ok": {
        "zh": "总分达到达标线（{score} 分，达标线 {min} 分），但{reasons}，未达标。",
        "en": "The score reaches the pass mark ({score}; pass mark {min}), but {reasons}: the school does not pass.",
    },
    "judgement.score_low": {
        "zh": "总分 {score} 分，低于达标线 {min} 分（{list}）",
        "en": "Score {score}, below the pass mark of {min} ({list})",
    },
    "judgement.fail.score_low": {"zh": "{low}，未达标。", "en": "{low}: the school does not pass."},
    "judgement.fail.score_low_and": {
        "zh": "{low}，且{reasons}，未达标。",
        "en": "{low}, and {reasons}: the school does not pass.",
    },
    "judgement.vetoed": {"zh": "因{items}一票否决", "en": "it is vetoed on {items}"},
    "judgement.veto_item": {
        "zh": "“{item}”未达要求（须达 {level}，实为 {actual}）",
        "en": "'{item}' (needs {level}, is {actual})",
    },
    "judgement.level": {"zh": "{level} 级", "en": "{level}"},
    "judgement.domains": {
        "zh": "{domains}得分率低于 {min}%",
        "en": "{domains} below {min}% of its points",
    },
    "judgement.domain_item": {"zh": "“{domain}”（{pct}%）", "en": "'{domain}' ({pct}%)"},
    "judgement.and": {"zh": "，且", "en": ", and "},
    "judgement.list_sep": {"zh": "、", "en": ", "},
    "judgement.deduction": {"zh": "{domain}扣 {points} 分", "en": "{domain} −{points}"},
    "judgement.deductions": {
        "zh": "扣分（按一级指标，折算为百分制）：{list}。",
        "en": "Points lost by domain (on the 0-100 scale): {list}.",
    },
    "judgement.more": {"zh": "{list}等", "en": "{list} and more"},
    "judgement.deductions.none": {"zh": "各一级指标均未扣分。", "en": "No domain lost points."},
    "judgement.gap": {"zh": "距{tier}：{parts}。", "en": "Still needed for {tier}: {parts}."},
    "judgement.gap_sep": {"zh": "；", "en": "; "},
    "judgement.gap.score": {
        "zh": "总分还差 {points} 分（须达 {min} 分）",
        "en": "{points} more points (the mark is {min})",
    },
    "judgement.gap.veto": {"zh": "{item}", "en": "{item}"},
    "judgement.gap.domain": {
        "zh": "“{domain}”得分率须达 {min}%（现为 {pct}%）",
        "en": "'{domain}' at {min}% or more (now {pct}%)",
    },
    "judgement.heading": {"zh": "评估结论", "en": "Decision"},
    "judgement.heading.self": {"zh": "自评结论", "en": "Self-assessment result"},
    # ------------------------------------------------------------------ recommendations
    "judgement.rec.raise": {
        "zh": "{item}（{start} → {end}，可增 {gain} 分）：{action}",
        "en": "{item} ({start} → {end}, +{gain} points): {action}",
    },
    "judgement.rec.rate": {
        "zh": "{item}（尚未评定，达到 {end} 可得 {gain} 分）：{action}",
        "en": "{item} (not rated yet; {end} gives {gain} points): {action}",
    },
    "judgement.rec.reach": {"zh": "达到“{what}”", "en": "reach '{what}'"},
    "judgement.rec.check": {"zh": "做到“{title}”", "en": "have '{title}' in place"},
    "judgement.unrated": {"zh": "未评", "en": "not rated yet"},
    "judgement.rec.app_unrated": {"zh": "尚未评定（可评到 {level}）", "en": "not rated yet (can reach {level})"},
    # ------------------------------------------------------------------ on-site override of a computed item
    "judgement.override.not_computed": {
        "zh": "“{item}”不是按基本数据计算的项目，不能现场改定",
        "en": "'{item}' is not computed from the facts and cannot be overridden",
    },
    "judgement.override.reason_required": {
        "zh": "现场改定须写明理由",
        "en": "an on-site override needs a reason",
    },
    "judgement.override.too_long": {
        "zh": "理由最多 {max} 个字（现为 {found} 个）",
        "en": "the reason has at most {max} characters (found {found})",
    },
    "judgement.override.unknown_level": {
        "zh": "“{item}”没有等级“{found}”，应为 {expected}",
        "en": "'{item}' has no level '{found}'; expected {expected}",
    },
    "judgement.override.explain": {
        "zh": "督导组现场改定为 {level}（按基本数据计算为 {computed}），理由：{reason}（{by}）",
        "en": "overridden on site to {level} by the inspection team (the facts give {computed}); reason: {reason} ({by})",
    },
    "judgement.override.mark": {
        "zh": "现场改定（按数据为 {computed}）：{reason}",
        "en": "overridden on site (the facts give {computed}): {reason}",
    },
    "judgement.override.tag": {"zh": "（现场改定）", "en": " (overridden on site)"},
    "judgement.override.none_computed": {"zh": "无", "en": "none"},
    "judgement.override.action": {"zh": "现场改定计算项目的等级", "en": "override a computed item on site"},
    "judgement.override.not_lead": {
        "zh": "只有该校督导组组长可以现场改定计算项目的等级",
        "en": "only the lead inspector of the school's team can override a computed item",
    },
    # ------------------------------------------------------------------ the lead's page
    "judgement.app.override": {"zh": "现场改定计算项目", "en": "Override a computed item on site"},
    "judgement.app.override_help": {
        "zh": "按基本数据计算的项目（如心理辅导室、导师配比）如经现场核查与数据不符，组长可改定等级，须写明理由；改定写入报告和审计日志。",
        "en": "When the site visit shows that a computed item (e.g. the counselling room, the mentor ratio) does not match "
        "its facts, the lead may set its level with a reason; the override appears in the reports and the audit log.",
    },
    "judgement.app.override_item": {"zh": "项目", "en": "Item"},
    "judgement.app.override_level": {"zh": "改定等级", "en": "Level on site"},
    "judgement.app.override_reason": {"zh": "理由（必填）", "en": "Reason (required)"},
    "judgement.app.override_save": {"zh": "保存改定", "en": "Save the override"},
    "judgement.app.override_clear": {"zh": "撤销改定", "en": "Withdraw the override"},
    "judgement.app.override_saved": {"zh": "已保存现场改定。", "en": "Override saved."},
    "judgement.app.override_cleared": {"zh": "已撤销现场改定。", "en": "Override withdrawn."},
    "judgement.app.override_current": {
        "zh": "当前：按数据 {computed}，现场改定为 {level}（{reason}）",
        "en": "Now: the facts give {computed}; overridden to {level} ({reason})",
    },
    "judgement.app.override_computed": {"zh": "当前：按数据为 {computed}", "en": "Now: the facts give {computed}"},
}
