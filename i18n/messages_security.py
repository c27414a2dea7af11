"""Catalog entries of hostile input, audit, evidence checks, backup and restore: Chinese first, English second."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # the guard at every door
    "security.unreadable": {
        "zh": "无法读取此文件：文件已损坏或不是所需的格式，未作任何保存",
        "en": "this file could not be read: it is damaged or not of the expected kind; nothing was saved",
    },
    "security.unexpected": {
        "zh": "操作未能完成，未作任何保存；详细情况已记入日志。",
        "en": "the operation could not be completed and nothing was saved; the details are in the log.",
    },
    # framework YAML
    "security.yaml_too_large": {
        "zh": "框架文件过大：{found} MB，最大 {max} MB",
        "en": "the framework file is too large: {found} MB, at most {max} MB",
    },
    "security.yaml_aliases": {
        "zh": "YAML 别名或锚点过多（{found} 个，最多 {max} 个）：框架文件不需要这么多引用",
        "en": "too many YAML aliases or anchors ({found}, at most {max}): a framework does not need them",
    },
    "security.yaml_depth": {
        "zh": "YAML 嵌套过深（{found} 层，最多 {max} 层）",
        "en": "YAML nested too deeply ({found} levels, at most {max})",
    },
    "security.yaml_number": {
        "zh": "数字过长（{found} 位，最多 {max} 位）",
        "en": "number too long ({found} digits, at most {max})",
    },
    "security.yaml_tag": {
        "zh": "不允许的 YAML 标记：{found}",
        "en": "YAML tag not allowed: {found}",
    },
    "security.yaml_encoding": {
        "zh": "文件不是 UTF-8 编码的文本：{found}",
        "en": "the file is not UTF-8 text: {found}",
    },
    # CSV
    "security.missing_column": {
        "zh": "缺少列：{expected}",
        "en": "column missing: {expected}",
    },
    "security.empty_cell": {"zh": "不能为空", "en": "must not be empty"},
    "security.lead_value": {
        "zh": "组长一栏应为 {expected}（1 表示组长），实际为“{found}”",
        "en": "the lead column takes {expected} (1 for the lead), found '{found}'",
    },
    # evidence
    "security.macro": {
        "zh": "含宏的 Office 文件（如 docm、xlsm、pptm）不能作为佐证材料上传，请另存为不含宏的格式",
        "en": "Office files with macros (such as docm, xlsm, pptm) cannot be uploaded as evidence; "
        "save it without macros first",
    },
    # template versions
    "security.template_stale": {
        "zh": "该模板导出后，{what} 已在系统中被 {who} 于 {when} 修改；为免覆盖该修改，本次导入未执行，"
        "请重新下载模板后再填写",
        "en": "since this template was exported, {what} was changed online by {who} at {when}; the import was "
        "not applied so as not to overwrite that change: download the template again and fill it in",
    },
    # audit
    "security.audit.title": {"zh": "审计日志", "en": "Audit log"},
    "security.audit.caption": {
        "zh": "登录、退出、失败、越权尝试、导出与下载以及每一次修改都记录在此；记录不能修改或删除，"
        "至少保留 {days} 天，更早的记录归档到文件。",
        "en": "Sign-ins, sign-outs, failures, refused attempts, exports and downloads and every change are "
        "recorded here; entries cannot be changed or deleted, are kept at least {days} days, and older ones "
        "are archived to a file.",
    },
    "security.audit.actor": {"zh": "操作人", "en": "User"},
    "security.audit.action": {"zh": "事件（开头）", "en": "Event (starts with)"},
    "security.audit.text": {"zh": "包含文字", "en": "Containing"},
    "security.audit.since": {"zh": "起始日期", "en": "From"},
    "security.audit.until": {"zh": "截止日期", "en": "To"},
    "security.audit.outcome": {"zh": "结果", "en": "Outcome"},
    "security.audit.outcome.all": {"zh": "全部", "en": "all"},
    "security.audit.outcome.ok": {"zh": "成功", "en": "success"},
    "security.audit.outcome.failed": {"zh": "失败或拒绝", "en": "failed or refused"},
    "security.audit.search": {"zh": "查询", "en": "Search"},
    "security.audit.found": {"zh": "共 {n} 条（最多显示 {max} 条）", "en": "{n} entries (at most {max} shown)"},
    "security.audit.none": {"zh": "没有符合条件的记录。", "en": "No entries match."},
    "security.audit.csv": {"zh": "导出 CSV", "en": "Export CSV"},
    "security.audit.xlsx": {"zh": "导出 Excel", "en": "Export Excel"},
    "security.audit.file": {"zh": "审计日志", "en": "audit-log"},
    "security.audit.col.at": {"zh": "时间（UTC）", "en": "Time (UTC)"},
    "security.audit.col.actor": {"zh": "操作人", "en": "User"},
    "security.audit.col.action": {"zh": "事件", "en": "Event"},
    "security.audit.col.outcome": {"zh": "结果", "en": "Outcome"},
    "security.audit.col.entity": {"zh": "对象", "en": "Object"},
    "security.audit.col.entity_id": {"zh": "对象编号", "en": "Object id"},
    "security.audit.col.school": {"zh": "学校", "en": "School"},
    "security.audit.col.cycle": {"zh": "周期", "en": "Cycle"},
    "security.audit.col.before": {"zh": "修改前", "en": "Before"},
    "security.audit.col.after": {"zh": "修改后", "en": "After"},
    "security.audit.immutable": {
        "zh": "审计日志只能追加，不能修改或删除",
        "en": "the audit log can only be appended to, never changed or deleted",
    },
    "security.audit.archived": {
        "zh": "已将 {n} 条早于 {before} 的审计记录归档到 {path}",
        "en": "{n} audit entries older than {before} archived to {path}",
    },
    "security.audit.nothing_to_archive": {
        "zh": "没有早于 {before} 的审计记录需要归档",
        "en": "no audit entries older than {before} to archive",
    },
    "security.audit.retention_min": {
        "zh": "审计日志至少保留 180 天（网络安全法第二十一条），设置值为 {found} 天",
        "en": "audit entries are kept at least 180 days (Cybersecurity Law art. 21); the setting is {found} days",
    },
    "security.event.assessment.facts": {"zh": "修改基本数据", "en": "facts changed"},
    "security.event.assessment.draft": {"zh": "评估改为草稿", "en": "assessment back to draft"},
    "security.event.assessment.submitted": {"zh": "提交自评", "en": "self-assessment submitted"},
    "security.event.assessment.under_inspection": {"zh": "开始督导评分", "en": "inspection started"},
    "security.event.assessment.returned": {"zh": "退回修改", "en": "returned for revision"},
    "security.event.assessment.finalized": {"zh": "督导定稿", "en": "inspection finalized"},
    "security.event.rating.self": {"zh": "修改自评等级", "en": "self rating changed"},
    "security.event.rating.inspector": {"zh": "修改督学评分", "en": "inspector rating changed"},
    "security.event.rating.consensus": {"zh": "修改组长认定", "en": "consensus changed"},
    "security.event.assignment.set": {"zh": "分配督学", "en": "inspector assigned"},
    "security.event.assignment.remove": {"zh": "取消分配", "en": "assignment removed"},
    "security.event.evidence.link": {"zh": "上传佐证材料", "en": "evidence attached"},
    "security.event.evidence.unlink": {"zh": "移除佐证材料", "en": "evidence removed"},
    "security.event.evidence.verdict": {"zh": "佐证审核", "en": "evidence verdict"},
    "security.event.school.add": {"zh": "新增学校", "en": "school added"},
    "security.event.school.update": {"zh": "修改学校信息", "en": "school changed"},
    "security.event.cycle.add": {"zh": "新建评估周期", "en": "cycle created"},
    "security.event.cycle.update": {"zh": "修改评估周期", "en": "cycle changed"},
    "security.event.framework.add": {"zh": "新增指标框架版本", "en": "framework version added"},
    "security.event.framework.activate": {"zh": "启用指标框架版本", "en": "framework version activated"},
    "security.event.user.add": {"zh": "新增账户", "en": "account added"},
    "security.event.user.password": {"zh": "修改密码", "en": "password changed"},
    "security.event.user.disable": {"zh": "停用账户", "en": "account disabled"},
    "security.event.user.enable": {"zh": "启用账户", "en": "account enabled"},
    "security.event.assessment.open": {"zh": "开启评估", "en": "assessment opened"},
    "security.event.entered_figure.set": {"zh": "录入规划目标数据", "en": "plan figure entered"},
    "security.event.refused": {"zh": "拒绝：{action}", "en": "refused: {action}"},
    "security.event.signin": {"zh": "登录", "en": "signed in"},
    "security.event.signin.failed": {"zh": "登录失败", "en": "sign-in failed"},
    "security.event.signout": {"zh": "退出登录", "en": "signed out"},
    "security.event.signout.idle": {"zh": "闲置超时退出", "en": "signed out after inactivity"},
    "security.event.user.locked": {"zh": "账户锁定", "en": "account locked"},
    "security.event.evidence.download": {"zh": "下载佐证材料", "en": "evidence downloaded"},
    "security.event.report.download": {"zh": "下载报告", "en": "report downloaded"},
    "security.event.export.csv": {"zh": "导出数据 CSV", "en": "data exported (CSV)"},
    "security.event.export.workbook": {"zh": "导出全区工作簿", "en": "district workbook exported"},
    "security.event.export.reports": {"zh": "批量导出报告", "en": "reports exported"},
    "security.event.audit.export": {"zh": "导出审计日志", "en": "audit log exported"},
    "security.event.audit.archive": {"zh": "归档审计日志", "en": "audit log archived"},
    "security.event.backup": {"zh": "备份数据库", "en": "database backed up"},
    "security.action.view_audit": {"zh": "查看审计日志", "en": "view the audit log"},
    "security.action.archive_audit": {"zh": "归档审计日志", "en": "archive the audit log"},
    "security.action.backup": {"zh": "备份或恢复数据库", "en": "back up or restore the database"},
    # backup and restore
    "security.backup.written": {
        "zh": "已备份：{tables} 张表共 {rows} 行，佐证文件 {files} 个，写入 {path}",
        "en": "backed up: {rows} rows in {tables} tables and {files} evidence files, written to {path}",
    },
    "security.backup.restored": {
        "zh": "已恢复：{tables} 张表共 {rows} 行，佐证文件 {files} 个，校验值全部一致",
        "en": "restored: {rows} rows in {tables} tables and {files} evidence files; every hash matches",
    },
    "security.backup.not_backup": {
        "zh": "不是本系统的备份文件：{found}",
        "en": "not a backup of this toolkit: {found}",
    },
    "security.backup.hash": {
        "zh": "备份已损坏：{found} 的校验值不符，未恢复任何内容",
        "en": "the backup is damaged: the hash of {found} does not match; nothing was restored",
    },
    "security.backup.not_empty": {
        "zh": "目标数据库不是空的（{found} 中已有数据）：只能恢复到空数据库，未恢复任何内容",
        "en": "the target database is not empty ({found} holds data): a backup restores into an empty "
        "database only; nothing was restored",
    },
    "security.backup.evidence_not_empty": {
        "zh": "佐证文件夹不是空的：{found}",
        "en": "the evidence folder is not empty: {found}",
    },
    "security.backup.revision": {
        "zh": "备份的数据库版本 {found} 与本程序的版本 {expected} 不同，请用相同版本的程序恢复",
        "en": "the backup's schema revision {found} differs from this program's {expected}; restore it with "
        "the same version",
    },
}
