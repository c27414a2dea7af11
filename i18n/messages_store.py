"""Catalog entries of the store layer, Chinese first, English second."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # errors of the service layer
    "store.error": {"zh": "操作未能完成", "en": "the operation could not be completed"},
    "store.denied": {"zh": "您没有权限{action}。", "en": "You are not allowed to {action}."},
    "store.session_invalid": {
        "zh": "您的账户已停用或已变更（例如密码已重设），请重新登录。",
        "en": "Your account has been disabled or changed (e.g. its password was reset); please sign in again.",
    },
    "store.password_change_required": {
        "zh": "请先修改初始密码，修改后才能进行其他操作。",
        "en": "Please change your initial password first; nothing else can be done until then.",
    },
    "store.not_found": {"zh": "找不到：{what}", "en": "not found: {what}"},
    "store.invalid_state": {
        "zh": "当前状态下不能进行此操作。",
        "en": "This cannot be done in the current state.",
    },
    "store.read_only": {
        "zh": "该评估已定稿，只能查看，不能修改；此次修改尝试已记录。",
        "en": "This assessment is finalized and read-only; the attempt to change it has been logged.",
    },
    "store.conflict": {
        "zh": "“{what}”已被 {who} 于 {when} 修改。为免覆盖对方的修改，本次保存未执行，请刷新后重新填写。",
        "en": "'{what}' was changed by {who} at {when}. Your save was not applied so as not to overwrite "
        "that change; please reload and enter it again.",
    },
    "store.login_failed": {
        "zh": "用户名或密码错误。连续失败 {failures} 次后，账户将被锁定 {minutes} 分钟。",
        "en": "Wrong user name or password. After {failures} failed attempts an account is locked for "
        "{minutes} minutes.",
    },
    "store.integrity": {
        "zh": "保存未执行：内容与已存数据冲突（例如重复，或所引用的记录已被删除）。请刷新后核对再试。",
        "en": "Nothing was saved: the change contradicts stored data (e.g. a duplicate, or a reference to "
        "something that was removed). Please reload, check and try again.",
    },
    "store.busy": {
        "zh": "系统繁忙，本次操作未执行，请稍后再试。",
        "en": "The system is busy; nothing was changed. Please try again in a moment.",
    },
    "store.cycle_closed": {
        "zh": "评估周期“{cycle}”已结束，不能再修改。",
        "en": "The cycle '{cycle}' is closed; no more changes can be made.",
    },
    "store.not_editable": {
        "zh": "评估当前状态为“{status}”，学校只能在草稿或退回修改时编辑。",
        "en": "The assessment is '{status}'; a school can edit it only as a draft or when returned.",
    },
    "store.bad_step": {
        "zh": "评估当前状态为“{status}”，不能改为“{to}”。",
        "en": "The assessment is '{status}' and cannot move to '{to}'.",
    },
    # what was asked, in a denial
    "store.action.any": {"zh": "进行此操作", "en": "do this"},
    "store.action.view_assessment": {"zh": "查看该学校的评估", "en": "see this school's assessment"},
    "store.action.view_school": {"zh": "查看该学校", "en": "see this school"},
    "store.action.edit_self": {"zh": "修改该学校的自评", "en": "change this school's self-assessment"},
    "store.action.rate": {"zh": "以督学身份评定该学校", "en": "rate this school as an inspector"},
    "store.action.lead": {
        "zh": "作为督导组长认定、退回或定稿",
        "en": "settle, return or finalize as the lead inspector",
    },
    "store.action.manage_cycles": {"zh": "管理评估周期", "en": "manage cycles"},
    "store.action.view_figures": {"zh": "查看教育局填报的目标数据", "en": "see the figures the bureau enters"},
    "store.action.enter_figures": {"zh": "填报目标数据", "en": "enter the target figures"},
    "store.action.manage_schools": {"zh": "管理学校名册", "en": "manage the school register"},
    "store.action.manage_frameworks": {"zh": "管理评估指标体系", "en": "manage criteria frameworks"},
    "store.action.manage_assignments": {"zh": "安排督学", "en": "assign inspectors"},
    "store.action.manage_accounts": {"zh": "管理账户", "en": "manage accounts"},
    "store.action.list_users": {"zh": "查看账户列表", "en": "list accounts"},
    "store.action.disable_self": {"zh": "停用自己的账户", "en": "disable your own account"},
    "store.action.view_audit": {"zh": "查看操作日志", "en": "read the audit log"},
    "store.action.import_data": {"zh": "批量导入数据", "en": "import data in bulk"},
    "store.action.export_data": {"zh": "导出全区数据", "en": "export the district's data"},
    # statuses
    "store.status.draft": {"zh": "草稿", "en": "draft"},
    "store.status.submitted": {"zh": "已提交", "en": "submitted"},
    "store.status.under_inspection": {"zh": "督导中", "en": "under inspection"},
    "store.status.finalized": {"zh": "已定稿", "en": "finalized"},
    "store.status.returned": {"zh": "已退回修改", "en": "returned for revision"},
    # bad input
    "store.bad_text": {
        "zh": "应为 1 到 {max} 个字符，实际为“{found}”",
        "en": "expected 1 to {max} characters, found '{found}'",
    },
    "store.bad_ownership": {
        "zh": "办学性质应为 公办/民办（public/private），实际为“{found}”",
        "en": "ownership must be public or private (公办/民办), found '{found}'",
    },
    "store.bad_username": {
        "zh": "用户名应为 1 到 64 个字母、数字、汉字或 . _ - @，实际为“{found}”",
        "en": "a user name has 1 to 64 letters, digits or . _ - @, found '{found}'",
    },
    "store.username_taken": {"zh": "用户名 {found} 已被使用", "en": "the user name {found} is taken"},
    "store.school_link": {
        "zh": "学校账户必须关联一所学校，其他角色不能关联学校",
        "en": "a school account needs its school; other roles have none",
    },
    "store.password_short": {
        "zh": "密码至少需要 {min} 个字符",
        "en": "a password needs at least {min} characters",
    },
    "store.password_long": {
        "zh": "密码不能超过 {max} 个字符",
        "en": "a password has at most {max} characters",
    },
    "store.old_password_wrong": {"zh": "原密码不正确", "en": "the current password is wrong"},
    "store.fact_not_finite": {
        "zh": "应为有限的数值，实际为“{found}”",
        "en": "expected a finite number, found '{found}'",
    },
    "store.unassigned_rater": {
        "zh": "{found} 不是本周期安排到学校 {school} 的督学账户",
        "en": "{found} is not an inspector account assigned to school {school} in this cycle",
    },
    "store.unknown_fact": {"zh": "没有名为 {found} 的基本数据项", "en": "there is no fact named {found}"},
    "store.unrated_item": {
        "zh": "项目 {item}（{title}）尚未自评，提交前请完成",
        "en": "item {item} ({title}) has no self rating yet; rate it before submitting",
    },
    "store.uninspected_item": {
        "zh": "项目 {item}（{title}）尚无督学评定或组长认定，不能定稿",
        "en": "item {item} ({title}) has no inspector rating or consensus yet; it cannot be finalized",
    },
    "store.note_required": {
        "zh": "退回修改时请写明需要修改的内容",
        "en": "say what needs revising when returning an assessment",
    },
    "store.text_too_long": {"zh": "文字不能超过 {max} 个字符", "en": "at most {max} characters"},
    "store.cycle_exists": {
        "zh": "已有名为“{found}”的评估周期",
        "en": "a cycle named '{found}' exists already",
    },
    "store.unknown_framework": {
        "zh": "没有编号为 {found} 的指标体系版本",
        "en": "there is no framework version {found}",
    },
    "store.not_inspector": {
        "zh": "{found} 不是有效的督学账户",
        "en": "{found} is not an active inspector account",
    },
    "store.duplicate_assignment": {
        "zh": "重复的督学安排，或同一学校有多名组长：{found}",
        "en": "duplicate assignment, or a second lead for the school: {found}",
    },
    "store.import_finalized": {
        "zh": "学校 {found} 的评估已定稿，不能再导入修改",
        "en": "the assessment of school {found} is finalized and cannot be changed by an import",
    },
    "store.evidence_too_big": {
        "zh": "文件过大：最大 {max}，实际 {found}",
        "en": "the file is too large: at most {max}, found {found}",
    },
    "store.evidence_bad_type": {
        "zh": "文件类型不受支持（按文件内容判断，而非扩展名），可上传：{expected}",
        "en": "file type not accepted (judged by its content, not its name); accepted: {expected}",
    },
}

MESSAGES |= {
    # command line
    "store.cli.revision": {
        "zh": "数据库已是最新结构（版本 {revision}）：{url}",
        "en": "database at revision {revision}: {url}",
    },
    "store.cli.demo_loaded": {
        "zh": "已载入示范区数据：{schools} 所学校，当前评估周期编号 {cycle}，上一周期编号 {past}。",
        "en": "Demo district loaded: {schools} schools, current cycle id {cycle}, past cycle id {past}.",
    },
    "store.cli.demo_skipped": {
        "zh": "数据库中已有数据，未载入示范区数据。",
        "en": "The database is not empty; the demo district was not loaded.",
    },
    "store.cli.passwords_once": {
        "zh": "以下密码只显示这一次，请妥善转交，并在首次登录后立即修改：",
        "en": "These passwords are shown only once; hand them over safely and change them at first sign-in:",
    },
    "store.cli.fixed_password": {
        "zh": "所有示范账户使用环境变量 XINYU_DEMO_PASSWORD 设定的同一密码，仅供自动化测试使用。",
        "en": "Every demo account uses the one password of XINYU_DEMO_PASSWORD: for automated tests only.",
    },
    "store.cli.user_added": {
        "zh": "已创建账户 {username}（{role}）。",
        "en": "Account {username} ({role}) created.",
    },
    "store.cli.password_set": {
        "zh": "已为 {username} 设置新密码。",
        "en": "New password set for {username}.",
    },
    "store.cli.new_password": {
        "zh": "{username} 的初始密码（只显示一次，首次登录须修改）：{password}",
        "en": "Initial password of {username} (shown once; to be changed at first sign-in): {password}",
    },
    "store.cli.user_disabled": {"zh": "已停用账户 {username}。", "en": "Account {username} disabled."},
    "store.cli.user_enabled": {"zh": "已启用账户 {username}。", "en": "Account {username} enabled."},
    "store.cli.users_header": {
        "zh": "用户名\t角色\t姓名/单位\t学校\t状态",
        "en": "user\trole\tname\tschool\tstatus",
    },
    "store.cli.active": {"zh": "启用", "en": "active"},
    "store.cli.inactive": {"zh": "停用", "en": "disabled"},
    "store.cli.imported": {
        "zh": "已导入 {rows} 行：新增 {created}，更新 {updated}。",
        "en": "Imported {rows} rows: {created} added, {updated} updated.",
    },
    "store.cli.exported": {"zh": "已导出：{facts}、{ratings}", "en": "Exported: {facts}, {ratings}"},
    "store.cli.no_password": {"zh": "标准输入中没有密码", "en": "no password on standard input"},
}
