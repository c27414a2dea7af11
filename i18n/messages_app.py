"""Catalog entries of the app layer, Chinese first, English second."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "app.title": {"zh": "学校心理健康教育工作评估", "en": "School mental-health self-assessment and inspection"},
    "app.error.unexpected": {
        "zh": "出现意外错误，本次操作未完成。请刷新页面后重试；如仍不行，请联系系统管理员。",
        "en": "Something unexpected went wrong and the action was not completed. Reload the page and try "
        "again; if it persists, contact the system administrator.",
    },
    "app.yes": {"zh": "是", "en": "Yes"},
    "app.no": {"zh": "否", "en": "No"},
    "app.cancel": {"zh": "取消", "en": "Cancel"},
    "app.choose": {"zh": "请选择", "en": "Choose"},
    "app.flash.many": {
        "zh": "{first}（另有 {n} 条，见页面顶部）",
        "en": "{first} (and {n} more at the top of the page)",
    },
    "app.readonly": {
        "zh": "当前状态下只能查看，不能修改。",
        "en": "In its current state this can be viewed but not changed.",
    },
    # roles
    "app.role.school": {"zh": "学校", "en": "School"},
    "app.role.inspector": {"zh": "督学", "en": "Inspector"},
    "app.role.bureau": {"zh": "区教育局督导室", "en": "Bureau"},
    "app.role.admin": {"zh": "系统管理员", "en": "Administrator"},
    # navigation
    "app.page.login": {"zh": "登录", "en": "Sign in"},
    "app.page.school_home": {"zh": "首页", "en": "Home"},
    "app.page.facts": {"zh": "基本数据", "en": "Facts"},
    "app.page.walk": {"zh": "逐项自评", "en": "Item by item"},
    "app.page.submit": {"zh": "提交", "en": "Submit"},
    "app.page.my_schools": {"zh": "我的学校", "en": "My schools"},
    "app.page.rate": {"zh": "评分", "en": "Scoring"},
    "app.page.lead": {"zh": "组长认定", "en": "Lead inspector"},
    "app.page.district": {"zh": "全区概览", "en": "District overview"},
    "app.page.accounts": {"zh": "账户管理", "en": "Accounts"},
    "app.page.account": {"zh": "我的账户", "en": "My account"},
    "app.denied.page": {
        "zh": "您的账户不能使用“{page}”页面。请从上方菜单选择可用的页面。",
        "en": "Your account cannot use the page '{page}'. Choose one of your pages in the menu above.",
    },
    "app.denied.home": {"zh": "回到首页", "en": "Go to my home page"},
    # shell
    "app.lang.label": {"zh": "语言 Language", "en": "Language 语言"},
    "app.lang.zh": {"zh": "中文", "en": "中文"},  # each language by its own name
    "app.lang.en": {"zh": "English", "en": "English"},
    "app.logout": {"zh": "退出登录", "en": "Sign out"},
    "app.cycle.label": {"zh": "评估周期", "en": "Cycle"},
    "app.cycle.current": {"zh": "评估周期：{name}", "en": "Cycle: {name}"},
    "app.cycle.none": {"zh": "目前没有评估周期。", "en": "There is no cycle yet."},
    # log-in
    "app.login.username": {"zh": "用户名", "en": "User name"},
    "app.login.password": {"zh": "密码", "en": "Password"},
    "app.login.submit": {"zh": "登录", "en": "Sign in"},
    "app.login.help": {
        "zh": "连续输错密码 {failures} 次，账户将被锁定 {minutes} 分钟。忘记密码请联系系统管理员。",
        "en": "After {failures} wrong passwords in a row the account is locked for {minutes} minutes. "
        "If you forgot your password, ask the system administrator.",
    },
    "app.login.idle": {
        "zh": "您已超过 {minutes} 分钟没有操作，为保护数据已自动退出，请重新登录。",
        "en": "You were signed out after {minutes} minutes without activity; please sign in again.",
    },
    # columns
    "app.col.username": {"zh": "用户名", "en": "User name"},
    "app.col.name": {"zh": "姓名/单位", "en": "Name"},
    "app.col.role": {"zh": "角色", "en": "Role"},
    "app.col.password": {"zh": "密码", "en": "Password"},
    "app.col.active": {"zh": "启用", "en": "Active"},
    "app.col.code": {"zh": "学校代码", "en": "Code"},
    "app.col.school": {"zh": "学校", "en": "School"},
    "app.col.domain": {"zh": "领域", "en": "Domain"},
    "app.col.rated": {"zh": "自评进度", "en": "Rated"},
    "app.col.rated_n": {"zh": "已评/应评", "en": "Rated / to rate"},
    "app.col.evidence": {"zh": "已附佐证/需佐证", "en": "Evidence attached / asked"},
    "app.col.item": {"zh": "评价项目", "en": "Item"},
    "app.col.level": {"zh": "等级", "en": "Level"},
    "app.col.points": {"zh": "得分", "en": "Points"},
    "app.col.metric": {"zh": "计算指标", "en": "Metric"},
    "app.col.value": {"zh": "数值", "en": "Value"},
    "app.col.self": {"zh": "自评", "en": "Self"},
    "app.col.consensus": {"zh": "组长认定", "en": "Consensus"},
    # items
    "app.item.caption": {"zh": "依据：{clause} · 分值 {points}", "en": "Clause {clause} · {points} points"},
    "app.evidence.asked": {"zh": "需提供的佐证", "en": "Evidence asked for"},
    "app.evidence.optional": {"zh": "（可选）", "en": " (optional)"},
    "app.evidence.none": {"zh": "尚未上传佐证材料。", "en": "No evidence attached yet."},
    "app.evidence.download": {"zh": "下载", "en": "Download"},
    "app.evidence.remove": {"zh": "移除", "en": "Remove"},
    "app.evidence.removed": {"zh": "已移除该佐证材料。", "en": "The file was removed."},
    "app.evidence.upload": {
        "zh": "上传佐证材料（每个文件不超过 {max}）",
        "en": "Attach evidence (at most {max} a file)",
    },
    "app.evidence.limits": {
        "zh": "可上传 PDF、JPG、PNG、Word（DOCX）、Excel（XLSX）、PPT（PPTX）。文件类型按内容判断。"
        "请勿上传任何学生个人的心理健康信息。",
        "en": "PDF, JPG, PNG, Word (DOCX), Excel (XLSX) or PowerPoint (PPTX), judged by content. "
        "Never upload any individual student's mental-health information.",
    },
    "app.evidence.attached": {"zh": "已上传“{file}”（项目 {item}）。", "en": "Attached '{file}' to item {item}."},
    # home
    "app.home.cycle": {"zh": "学年", "en": "School year"},
    "app.home.deadline": {"zh": "自评截止日期", "en": "Self-assessment deadline"},
    "app.home.no_deadline": {"zh": "未设定", "en": "not set"},
    "app.home.status": {"zh": "状态", "en": "Status"},
    "app.home.returned": {
        "zh": "督导组已退回修改，意见：{note}",
        "en": "Returned for revision by the inspectors: {note}",
    },
    "app.home.progress": {"zh": "各领域进度", "en": "Progress per domain"},
    "app.home.forecast": {"zh": "自评得分预测", "en": "Self-assessment forecast"},
    "app.home.official": {"zh": "督导评估结果", "en": "Inspection result"},
    "app.home.score": {"zh": "得分（百分制）", "en": "Score (of 100)"},
    "app.home.tier": {"zh": "可达等第", "en": "Tier reached"},
    "app.home.unrated": {"zh": "未评项目", "en": "Items not rated"},
    "app.home.reasons": {"zh": "未达到的条件", "en": "Conditions not met"},
    "app.home.path": {
        "zh": "提升以下项目即可达到{tier}（提升后约 {score} 分）：",
        "en": "Raise these items to reach {tier} (score about {score} after):",
    },
    # facts
    "app.facts.intro": {
        "zh": "填写本校的基本数据（只填人数、次数等汇总数字，不填任何学生个人信息）。数据保存后，由数据计算的项目立即更新。",
        "en": "Enter the school's facts (counts only, never data about an individual student). The items "
        "computed from them update as soon as they are saved.",
    },
    "app.facts.save": {"zh": "保存基本数据", "en": "Save the facts"},
    "app.facts.saved": {"zh": "基本数据已保存。", "en": "The facts were saved."},
    "app.facts.computed": {"zh": "由基本数据计算的项目", "en": "Items computed from the facts"},
    "app.facts.computed_note": {
        "zh": "这些项目不需要自评，等级随基本数据自动确定。",
        "en": "These items take no rating: their level follows from the facts.",
    },
    # walk
    "app.walk.domain": {"zh": "评价领域", "en": "Domain"},
    "app.walk.level": {"zh": "自评等级", "en": "Self-rating"},
    "app.walk.account": {"zh": "工作情况说明", "en": "Account of the work"},
    "app.walk.account_hint": {
        "zh": "简要说明本校做法与成效（输入框失去焦点时自动保存）",
        "en": "What the school does and achieves (saved when you leave the box)",
    },
    "app.walk.draft": {
        "zh": "已输入的文字尚未保存：请先选择等级。",
        "en": "The text you typed is not saved yet: pick a level first.",
    },
    "app.walk.computed": {
        "zh": "由基本数据自动计算，当前等级：{level}。如需调整，请修改“基本数据”。",
        "en": "Computed from the facts; level now: {level}. To change it, update the Facts page.",
    },
    "app.walk.finding": {"zh": "督学 {rater} 的意见：{finding}", "en": "Finding of {rater}: {finding}"},
    "app.autosave.need_level": {
        "zh": "项目 {item}：请先选择等级，说明文字会与等级一起保存。",
        "en": "Item {item}: pick a level; the text is saved together with it.",
    },
    # submit
    "app.submit.button": {"zh": "提交自评", "en": "Submit the self-assessment"},
    "app.submit.blocked": {
        "zh": "还有 {n} 项未完成，完成后才能提交：",
        "en": "{n} things are still missing; the self-assessment can be submitted once they are done:",
    },
    "app.submit.missing_fact": {"zh": "基本数据未填：{fact}", "en": "Fact not given: {fact}"},
    "app.submit.missing_item": {"zh": "项目未自评：{item}", "en": "Item not rated: {item}"},
    "app.submit.ready": {
        "zh": "基本数据和所有项目均已完成，可以提交。提交后不能再修改，除非督导组退回。",
        "en": "Every fact and item is done. After submitting, nothing can be changed unless the inspectors return it.",
    },
    "app.submit.evidence_gaps": {
        "zh": "{n} 个项目要求佐证但尚未上传（不影响提交，督学将据此核验）",
        "en": "{n} items ask for evidence that is not attached (not blocking; the inspectors will judge)",
    },
    "app.submit.sent": {"zh": "自评已提交。", "en": "The self-assessment was submitted."},
    "app.submit.done": {
        "zh": "自评已提交，现为只读。",
        "en": "The self-assessment has been submitted and is read-only.",
    },
    "app.submit.finalized": {
        "zh": "督导评估已定稿，结果见首页。",
        "en": "The inspection is finalized; see the result on the home page.",
    },
    # inspectors
    "app.schools.none": {
        "zh": "本周期没有分配给您的学校。",
        "en": "No school is assigned to you in this cycle.",
    },
    "app.schools.summary": {
        "zh": "共 {n} 所学校，其中 {leads} 所由您担任组长。",
        "en": "{n} schools, {leads} of them led by you.",
    },
    "app.schools.lead": {"zh": "组长", "en": "lead"},
    "app.schools.progress": {"zh": "已评 {done} / {total}", "en": "Rated {done} of {total}"},
    "app.schools.open": {"zh": "评分", "en": "Score"},
    "app.rate.school": {"zh": "学校", "en": "School"},
    "app.rate.readonly": {
        "zh": "评估当前为“{status}”，只能查看。",
        "en": "The assessment is '{status}': view only.",
    },
    "app.rate.school_level": {"zh": "学校自评", "en": "School's self-rating"},
    "app.rate.my_level": {"zh": "我的评定", "en": "My level"},
    "app.rate.verdict": {"zh": "佐证材料核验", "en": "Evidence verdict"},
    "app.rate.verdict_none": {"zh": "佐证材料核验（学校未上传）", "en": "Evidence verdict (nothing attached)"},
    "app.rate.accepted": {"zh": "认可", "en": "Accepted"},
    "app.rate.insufficient": {"zh": "不足", "en": "Insufficient"},
    "app.rate.finding": {"zh": "督导意见", "en": "Finding"},
    "app.lead.none": {
        "zh": "本周期您没有担任组长的学校。",
        "en": "You lead no school in this cycle.",
    },
    "app.lead.not_lead": {
        "zh": "您不是“{school}”的督导组长。",
        "en": "You are not the lead inspector of '{school}'.",
    },
    "app.lead.levels": {"zh": "各督学评定", "en": "Every inspector's levels"},
    "app.lead.disputed": {
        "zh": "标红的 {n} 个项目督学意见不一致。",
        "en": "The {n} items marked red have disagreeing inspectors.",
    },
    "app.lead.consensus": {"zh": "组长认定等级", "en": "Consensus"},
    "app.lead.all_items": {"zh": "显示全部项目", "en": "Show every item"},
    "app.lead.no_disputes": {"zh": "没有意见不一致的项目。", "en": "No item has disagreeing inspectors."},
    "app.lead.median": {"zh": "不认定（取督学评定中位数）", "en": "None (median of the inspectors)"},
    "app.lead.return": {"zh": "退回学校修改", "en": "Return for revision"},
    "app.lead.note": {"zh": "需要学校修改的内容", "en": "What the school must revise"},
    "app.lead.return_button": {"zh": "退回修改", "en": "Return to the school"},
    "app.lead.returned": {"zh": "已退回学校修改。", "en": "Returned to the school for revision."},
    "app.lead.finalize": {"zh": "定稿", "en": "Finalize"},
    "app.lead.finalize_button": {"zh": "定稿…", "en": "Finalize…"},
    "app.lead.confirm": {
        "zh": "确认将“{school}”的督导评估定稿？定稿后任何人都不能再修改。",
        "en": "Finalize the inspection of '{school}'? Nobody can change it afterwards.",
    },
    "app.lead.confirm_button": {"zh": "确认定稿", "en": "Yes, finalize"},
    "app.lead.finalized": {"zh": "已定稿。", "en": "Finalized."},
    # accounts
    "app.account.must_change": {
        "zh": "请先修改初始密码，修改后才能使用其他页面。",
        "en": "Change the password you were given first; the other pages open after that.",
    },
    "app.account.old": {"zh": "当前密码", "en": "Current password"},
    "app.account.new": {"zh": "新密码", "en": "New password"},
    "app.account.again": {"zh": "再次输入新密码", "en": "New password again"},
    "app.account.change": {"zh": "修改密码", "en": "Change password"},
    "app.account.changed": {"zh": "密码已修改。", "en": "Your password was changed."},
    "app.account.mismatch": {"zh": "两次输入的新密码不一致", "en": "the two new passwords differ"},
    "app.accounts.add": {"zh": "新建账户", "en": "New account"},
    "app.accounts.add_button": {"zh": "创建账户", "en": "Create the account"},
    "app.accounts.added": {"zh": "已创建账户 {username}。", "en": "Account {username} created."},
    "app.accounts.change": {"zh": "修改账户", "en": "Change an account"},
    "app.accounts.new_password": {"zh": "新密码", "en": "New password"},
    "app.accounts.set_password": {"zh": "设置密码", "en": "Set password"},
    "app.accounts.disable": {"zh": "停用", "en": "Disable"},
    "app.accounts.enable": {"zh": "启用", "en": "Enable"},
    "app.accounts.pick_first": {"zh": "请先选择一个账户", "en": "pick an account first"},
    "app.accounts.password_set": {"zh": "已为 {username} 设置新密码。", "en": "New password set for {username}."},
    "app.accounts.disabled": {"zh": "已停用账户 {username}。", "en": "Account {username} disabled."},
    "app.accounts.enabled": {"zh": "已启用账户 {username}。", "en": "Account {username} enabled."},
    # reports and the offline template (app.reports.*, app.template.*)
    "app.reports.title": {"zh": "报告下载", "en": "Reports"},
    "app.reports.self": {"zh": "自评报告（Word）", "en": "Self-assessment report (Word)"},
    "app.reports.feedback": {"zh": "现场反馈（Word，暂定）", "en": "On-site feedback (Word, provisional)"},
    "app.reports.inspection_docx": {"zh": "督导报告（Word）", "en": "Inspection report (Word)"},
    "app.reports.inspection_xlsx": {"zh": "督导报告（Excel）", "en": "Inspection report (Excel)"},
    "app.reports.pack": {"zh": "督导材料包（zip）", "en": "Inspection pack (zip)"},
    "app.reports.file.self": {"zh": "自评报告", "en": "self-assessment"},
    "app.reports.file.feedback": {"zh": "现场反馈", "en": "feedback"},
    "app.reports.file.inspection": {"zh": "督导报告", "en": "inspection-report"},
    "app.reports.file.pack": {"zh": "督导材料包", "en": "inspection-pack"},
    "app.reports.not_rated": {
        "zh": "督学评分后即可下载现场反馈和督导报告。",
        "en": "The feedback and the inspection report can be downloaded once inspectors have rated.",
    },
    "app.reports.provisional": {
        "zh": "尚未终审：报告标注为“暂定”，终审后为正式报告。",
        "en": "Not finalized yet: the reports are marked provisional until the inspection is finalized.",
    },
    "app.template.title": {"zh": "离线模板", "en": "Offline template"},
    "app.template.help.self": {
        "zh": "下载已预填当前自评和基本信息的 Excel 模板，离线填写后上传；模板有任何问题都不会保存任何内容。",
        "en": "Download the Excel template pre-filled with what is saved, fill it in offline and upload it; "
        "if anything in it is wrong, nothing is saved.",
    },
    "app.template.help.inspector": {
        "zh": "下载您本人评分的 Excel 模板（附学校自评），离线填写后上传；只保存您本人的评分。",
        "en": "Download the Excel template of your own ratings (with the school's beside them), fill it in "
        "offline and upload it; only your own ratings are saved.",
    },
    "app.template.file": {"zh": "离线模板", "en": "template"},
    "app.template.download": {"zh": "下载离线模板", "en": "Download the template"},
    "app.template.upload": {"zh": "上传填好的模板（.xlsx）", "en": "Upload the filled template (.xlsx)"},
    "app.template.import": {"zh": "检查并导入", "en": "Check and import"},
    "app.template.no_file": {"zh": "请先选择要上传的模板文件。", "en": "Choose the template file to upload first."},
    "app.template.locked": {
        "zh": "当前状态下不能再上传模板。",
        "en": "A template cannot be uploaded in the current state.",
    },
    "app.template.refused": {
        "zh": "模板 {file} 有 {n} 处问题，未保存任何内容：",
        "en": "The template {file} has {n} problem(s); nothing was saved:",
    },
    "app.template.saved": {
        "zh": "已导入模板 {file}：保存了 {n} 项评分。",
        "en": "Template {file} imported: {n} ratings saved.",
    },
}
