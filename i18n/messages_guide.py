"""Catalog entries of the pages that guide (issue 10): Streamlit's words in Chinese, the school's walk.

Forms that say why, evidence beside the item, headlines over part of the district.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ Streamlit's own words
    "guide.native.upload": {"zh": "选择文件", "en": "Upload"},
    "guide.native.more": {"zh": "更多", "en": "More"},
    "guide.native.year": {"zh": "年", "en": "yyyy"},
    "guide.native.month": {"zh": "月", "en": "mm"},
    "guide.native.day": {"zh": "日", "en": "dd"},
    "guide.choose_many": {"zh": "请选择（可多选）", "en": "Choose one or more"},
    "guide.type_number": {"zh": "请输入数字", "en": "Type a number"},
}
MESSAGES.update(
    {
        # ------------------------------------------------------------------ the school's walk
        "guide.saved": {"zh": "已保存", "en": "Saved"},
        "guide.walk.previous": {"zh": "上一领域", "en": "Previous domain"},
        "guide.walk.next": {"zh": "下一领域：{domain}", "en": "Next domain: {domain}"},
        "guide.walk.last": {"zh": "已是最后一个领域", "en": "This is the last domain"},
        "guide.walk.only_findings": {
            "zh": "只看有督导意见的项目（{n} 项，跨全部领域）",
            "en": "Only the items with findings ({n}, every domain)",
        },
        "guide.walk.linked": {"zh": "从提交页跳转到此项目", "en": "The item you came for"},
        "guide.walk.team": {"zh": "督导组（组长认定）", "en": "The inspection team (lead's consensus)"},
        "guide.walk.an_inspector": {"zh": "（未署名）", "en": "(unnamed)"},
        "guide.walk.finding": {"zh": "{rater}的意见：{finding}", "en": "Finding of {rater}: {finding}"},
        # ------------------------------------------------------------------ submit
        "guide.submit.button": {"zh": "提交自评…", "en": "Submit the self-assessment…"},
        "guide.submit.confirm": {
            "zh": "提交后自评变为只读，只有督导组退回后才能再修改。确定提交“{school}”的自评吗？",
            "en": "After submission the self-assessment is read-only until the inspectors return it. Submit {school}'s self-assessment?",
        },
        # ------------------------------------------------------------------ reports for a finalized school
        "guide.reports.final": {
            "zh": "督导评估已定稿，可下载督导报告和现场反馈。",
            "en": "The inspection is finalized: download the inspection report and the feedback.",
        },
        "guide.reports.feedback": {"zh": "现场反馈（Word）", "en": "On-site feedback (Word)"},
    }
)
MESSAGES.update(
    {
        # -------------------------------------------------------------- evidence beside the item
        "guide.evidence.view": {"zh": "在页面中查看“{file}”", "en": "Show {file} here"},
    }
)
MESSAGES.update(
    {
        # -------------------------------------------------------------- headlines over part of the district
        "guide.headline.partial": {
            "zh": "{rate}%（{passed} / {counted} 所达到达标校）。**{counted} / {total} 所{done}，尚不能判断**是否达到规划目标 ≥ {goal}%：全部学校有结果后再下结论。",
            "en": "{rate}% ({passed} of {counted} schools reach the standard tier). **{counted} of {total} schools {done}: too early to judge** the plan goal ≥ {goal}%; wait until every school has a result.",
        },
        "guide.headline.done.official": {"zh": "已定稿", "en": "finalized"},
        "guide.headline.done.inspection": {"zh": "已有督导评分", "en": "inspected so far"},
        "guide.headline.done.self": {"zh": "已有自评", "en": "self-assessed so far"},
        "guide.headline.not_yet": {
            "zh": "{counted} / {total} 所已定稿，尚不能判断",
            "en": "{counted} of {total} finalized: too early to judge",
        },
    }
)
MESSAGES.update(
    {
        # -------------------------------------------------------------- forms that say why
        "guide.form.percent": {
            "zh": "应为 0 到 100 之间的百分数，实际为 {found}",
            "en": "must be a percentage from 0 to 100, found {found}",
        },
        "guide.form.not_saved": {
            "zh": "未保存：{n} 项填写有误，请按输入框下方的提示修改。",
            "en": "Not saved: {n} value(s) to correct, see the message under each field.",
        },
    }
)
