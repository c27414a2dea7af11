"""Catalog entries of jobs, storage and the worker (issue 13), Chinese first, English second."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "jobs.action.start": {"zh": "启动后台任务", "en": "start background work"},
    # kinds and states, as the exports page lists them
    "jobs.kind.reports_zip": {"zh": "全部学校的报告（zip）", "en": "Every school's reports (zip)"},
    "jobs.kind.workbook": {"zh": "全区汇总工作簿", "en": "District workbook"},
    "jobs.kind.rescore": {"zh": "按其他版本重新计分", "en": "Re-scored under another version"},
    "jobs.kind.import_ratings": {"zh": "批量导入评分", "en": "Bulk ratings import"},
    "jobs.state.queued": {"zh": "排队中", "en": "Waiting"},
    "jobs.state.running": {"zh": "进行中", "en": "Running"},
    "jobs.state.done": {"zh": "已完成", "en": "Done"},
    "jobs.state.failed": {"zh": "未完成", "en": "Failed"},
    "jobs.title": {"zh": "后台任务", "en": "Background work"},
    "jobs.help": {
        "zh": "任务在后台生成，关闭或刷新页面不影响；完成后可随时在此下载（任一台服务器均可）。",
        "en": "Work runs in the background: closing or reloading the page does not stop it. Once done, "
        "download it here at any time (from any server).",
    },
    "jobs.none": {"zh": "暂无后台任务。", "en": "No background work yet."},
    "jobs.started": {
        "zh": "已开始生成，可关闭本页，稍后回来下载。",
        "en": "Started: you may close this page and come back for it.",
    },
    "jobs.already": {
        "zh": "同样的任务已在进行或已完成（数据未变），未重复启动。",
        "en": "The same work is already running or done (the data has not changed); it was not started twice.",
    },
    "jobs.progress": {"zh": "{kind}：{done} / {total}", "en": "{kind}: {done} of {total}"},
    "jobs.line": {
        "zh": "{kind} · {state} · {who} · {when}",
        "en": "{kind} · {state} · {who} · {when}",
    },
    "jobs.download": {"zh": "下载（{size} MB）", "en": "Download ({size} MB)"},
    "jobs.failed": {"zh": "未能完成，原因：", "en": "Could not be finished, because:"},
    "jobs.start_workbook": {"zh": "在后台生成工作簿", "en": "Build the workbook in the background"},
    "jobs.start_rescore": {
        "zh": "在后台生成重新计分比较表（CSV）",
        "en": "Build the re-scoring table in the background (CSV)",
    },
    "jobs.started_elsewhere": {
        "zh": "已在后台开始，完成后在“报告导出”页下载。",
        "en": "Started in the background: download it from the Exports page once done.",
    },
    "jobs.import.title": {"zh": "批量导入评分", "en": "Bulk ratings import"},
    "jobs.import.help": {
        "zh": "上传评分明细 CSV（与“下载评分明细”的格式相同），在后台导入本周期：先全部检查，有任何问题则不导入，并逐行列出。",
        "en": "Upload a ratings CSV (the format of 'Download ratings'); it is imported into this cycle in the "
        "background: checked in full first, and on any problem nothing is imported and every bad row is listed.",
    },
    "jobs.import.file": {"zh": "评分明细 CSV", "en": "Ratings CSV"},
    "jobs.import.start": {"zh": "在后台导入", "en": "Import in the background"},
    "jobs.import.summary": {
        "zh": "导入完成：共 {rows} 行，新增 {created} 条，修改 {updated} 条。",
        "en": "Imported: {rows} rows, {created} added, {updated} changed.",
    },
    # why a job failed
    "jobs.error.unexpected": {
        "zh": "后台任务出现意外错误，请稍后重试；如仍失败，请联系系统管理员。",
        "en": "The work failed unexpectedly; please try again later, and tell the administrator if it fails again.",
    },
    "jobs.error.input": {"zh": "文件有误。", "en": "The file has problems."},
    "jobs.error.abandoned": {
        "zh": "处理该任务的后台进程已中断 {n} 次，任务已停止，请重新启动。",
        "en": "The process running this work stopped {n} times; the work was given up: please start it again.",
    },
    "jobs.error.no_schools": {"zh": "没有符合条件的学校。", "en": "No school matches."},
    # the storage command
    "storage.copy.done": {
        "zh": "已复制 {n} 个文件到 {target}，每个文件的 SHA-256 均已核对（{skipped} 个已存在）。",
        "en": "Copied {n} files to {target}; every file's SHA-256 checked ({skipped} were there already).",
    },
    "storage.copy.bad_hash": {
        "zh": "{key}：内容的 SHA-256 与文件名不符（找到 {found}），未复制。",
        "en": "{key}: the content's SHA-256 does not match its name (found {found}); not copied.",
    },
    "storage.copy.bad_copy": {
        "zh": "{key}：复制后读回的内容与原文件不符。",
        "en": "{key}: the copy read back does not match the original.",
    },
    "storage.copy.missing": {
        "zh": "数据库登记的证明材料 {sha} 在源目录中找不到。",
        "en": "The evidence file {sha} registered in the database is not in the source folder.",
    },
    "storage.copy.no_source": {"zh": "源目录不存在：{path}", "en": "No such source folder: {path}"},
    "storage.copy.same": {
        "zh": "目标存储与源目录相同，请先设置 XINYU_STORAGE_URL。",
        "en": "The target storage is the source folder itself: set XINYU_STORAGE_URL first.",
    },
    "storage.bad_url": {"zh": "存储地址有误：{found}", "en": "Bad storage URL: {found}"},
}
