"""Catalog: the Word documents in the official layout, their PDF, the visit record, the print setup of workbooks."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ headings (numbered when laid out)
    "documents.section.result": {"zh": "评估结论", "en": "Result"},
    "documents.section.failed": {"zh": "未达到的条件", "en": "Conditions not met"},
    "documents.section.domains": {"zh": "各领域得分", "en": "Scores by domain"},
    "documents.section.chart": {"zh": "各领域得分率：自评与督导", "en": "Domain percentages: self versus inspection"},
    "documents.section.items": {"zh": "逐项评价", "en": "Item by item"},
    "documents.section.self_items": {"zh": "逐项自评", "en": "Self-assessment item by item"},
    "documents.section.strengths": {"zh": "主要优势", "en": "Strengths"},
    "documents.section.problems": {"zh": "存在问题", "en": "Problems"},
    "documents.section.recommendations": {"zh": "改进建议", "en": "Recommendations"},
    "documents.section.plan": {"zh": "整改事项", "en": "Actions"},
    # ------------------------------------------------------------------ cover and closing
    "documents.body.inspection": {"zh": "{school}心理健康教育督导评估报告", "en": "Inspection report: {school}"},
    "documents.body.self": {"zh": "{school}心理健康教育自评报告", "en": "Self-assessment report: {school}"},
    "documents.body.feedback": {"zh": "{school}督导现场反馈", "en": "On-site feedback: {school}"},
    "documents.body.plan": {"zh": "{school}心理健康教育督导整改计划", "en": "Action plan: {school}"},
    "documents.field.team": {"zh": "督导组成员", "en": "Inspection team"},
    "documents.field.visit": {"zh": "现场督导时间", "en": "Visit"},
    "documents.field.cycle": {"zh": "评估周期", "en": "Cycle"},
    "documents.field.stages": {"zh": "学段", "en": "Stages"},
    "documents.field.framework": {"zh": "评估指标", "en": "Criteria"},
    "documents.not_visited": {"zh": "未录入", "en": "not entered"},
    "documents.date_range": {"zh": "{start}至{end}", "en": "{start} to {end}"},
    "documents.lead_mark": {"zh": "（组长）", "en": " (lead)"},
    "documents.sign.lead": {"zh": "督导组组长（签名）：", "en": "Lead inspector (signature): "},
    "documents.sign.members": {"zh": "督导组成员（签名）：", "en": "Inspectors (signature): "},
    "documents.sign.principal": {"zh": "校长（签名）：", "en": "Principal (signature): "},
    "documents.sign.seal": {"zh": "（盖章）", "en": "(seal)"},
    "documents.plan.intro": {
        "zh": "根据督导评估结果，学校对下列事项进行整改，并于完成时限前将整改情况报{office}。",
        "en": "Following the inspection, the school acts on the items below and reports to {office} by the deadline.",
    },
    "documents.plan.none": {"zh": "无需整改的事项。", "en": "Nothing to act on."},
    "documents.plan.col.no": {"zh": "序号", "en": "No."},
    "documents.plan.col.item": {"zh": "整改事项", "en": "Item"},
    "documents.plan.col.clause": {"zh": "方案条款", "en": "Clause"},
    "documents.plan.col.level": {"zh": "现状→目标", "en": "Now → target"},
    "documents.plan.col.owner": {"zh": "责任部门", "en": "Owner"},
    "documents.plan.col.due": {"zh": "完成时限", "en": "Deadline"},
    # ------------------------------------------------------------------ uninspected school
    "documents.not_inspected": {
        "zh": "{school}尚未督导（没有任何督导评级），不能出具督导评估报告、现场反馈、整改计划或督导资料包；可先出具学校自评报告。",
        "en": "{school} has not been inspected (no inspection rating): no inspection report, feedback, action "
        "plan or pack can be issued; the self-assessment report can.",
    },
    "documents.skipped_file": {"zh": "未督导学校", "en": "schools not inspected"},
    "documents.skipped": {
        "zh": "{n} 所学校尚未督导，未出具督导文书（见压缩包内“未督导学校.txt”）",
        "en": "{n} schools not inspected yet got no inspection document (see the list in the zip)",
    },
    # ------------------------------------------------------------------ PDF
    "documents.pdf.unavailable": {
        "zh": "本机未安装 LibreOffice（soffice），无法生成 PDF；请下载 Word 版，或安装 LibreOffice 后重试。",
        "en": "LibreOffice (soffice) is not installed here, so no PDF can be made; download the Word file, "
        "or install LibreOffice and try again.",
    },
    "documents.pdf.failed": {
        "zh": "LibreOffice 未能把文档转换为 PDF（{reason}）；请下载 Word 版。",
        "en": "LibreOffice could not convert the document to PDF ({reason}); download the Word file.",
    },
    "documents.pdf.timeout": {
        "zh": "LibreOffice 转换 PDF 超过 {seconds} 秒仍未完成，已停止；请下载 Word 版。",
        "en": "LibreOffice took more than {seconds} seconds to make the PDF and was stopped; download the Word file.",
    },
    "documents.cli.pdf_kind": {
        "zh": "“{found}”是压缩包，不能转为 PDF；PDF 适用于督导报告、自评报告、现场反馈和整改计划",
        "en": "“{found}” is a zip and has no PDF; PDF is for the inspection, self, feedback and plan documents",
    },
    "documents.cli.bad_report_date": {
        "zh": "报告日期“{found}”不是有效日期（应为 YYYY-MM-DD）",
        "en": "report date “{found}” is not a date (YYYY-MM-DD)",
    },
    "documents.app.plan": {"zh": "整改计划（Word）", "en": "Action plan (Word)"},
    "documents.app.file.plan": {"zh": "整改计划", "en": "action-plan"},
    "documents.app.pdf.self": {"zh": "自评报告（PDF）", "en": "Self-assessment report (PDF)"},
    "documents.app.pdf.feedback": {"zh": "现场反馈（PDF，暂定）", "en": "On-site feedback (PDF, provisional)"},
    "documents.app.pdf.inspection_docx": {"zh": "督导报告（PDF）", "en": "Inspection report (PDF)"},
    "documents.app.pdf.plan_docx": {"zh": "整改计划（PDF）", "en": "Action plan (PDF)"},
    # ------------------------------------------------------------------ visit record (dates and team)
    "documents.visit.title": {"zh": "现场督导时间与督导组", "en": "Visit dates and team"},
    "documents.visit.first_day": {"zh": "督导开始日期", "en": "First day"},
    "documents.visit.last_day": {"zh": "督导结束日期", "en": "Last day"},
    "documents.visit.team": {
        "zh": "督导组成员（每行一人，组长在前；留空则按分工显示）",
        "en": "Inspection team (one a line, lead first; empty: the assigned inspectors)",
    },
    "documents.visit.report_date": {
        "zh": "报告日期（留空则为督导确定日期）",
        "en": "Date of the report (empty: the day it was finalized)",
    },
    "documents.visit.save": {"zh": "保存督导时间与督导组", "en": "Save visit and team"},
    "documents.visit.saved": {"zh": "已保存。", "en": "Saved."},
    "documents.visit.bad_order": {
        "zh": "督导结束日期早于开始日期",
        "en": "the last day is before the first day",
    },
    "documents.visit.too_long": {
        "zh": "督导组成员“{found}”超过 {max} 个字",
        "en": "team member “{found}” is longer than {max} characters",
    },
    "documents.visit.too_many": {
        "zh": "督导组成员超过 {max} 人",
        "en": "more than {max} team members",
    },
    "store.action.set_visit": {"zh": "录入现场督导时间与督导组", "en": "enter the visit dates and team"},
    # ------------------------------------------------------------------ offline template
    "template.col.evidence": {"zh": "佐证材料（需准备或上传）", "en": "Evidence to bring or attach"},
    "template.evidence.required": {"zh": "（必备）", "en": " (required)"},
    "template.evidence.optional": {"zh": "（可选）", "en": " (optional)"},
    "template.evidence.verify": {"zh": "核查方式：{ways}", "en": "Checked by: {ways}"},
    "template.verify.documents": {"zh": "查阅资料", "en": "documents"},
    "template.verify.interview": {"zh": "访谈", "en": "interviews"},
    "template.verify.observation": {"zh": "现场查看", "en": "observation"},
    "template.verify.facts": {"zh": "核对基础数据", "en": "school facts"},
    "template.rule.int.at_least": {"zh": "不少于 {min} 的整数", "en": "a whole number of at least {min}"},
    "template.rule.float.at_least": {"zh": "不少于 {min} 的数字", "en": "a number of at least {min}"},
    # ------------------------------------------------------------------ workbook print setup
    "documents.xlsx.footer": {"zh": "第 &P 页，共 &N 页", "en": "Page &P of &N"},
}
