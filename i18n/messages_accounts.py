"""Catalog entries of accounts in bulk, the password policy, sign-in notices and sessions (zh first, en second)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # password policy
    "accounts.password_kinds": {
        "zh": "密码须包含以下 {kinds} 类字符：小写字母、大写字母、数字、其他符号",
        "en": "a password needs {kinds} of these kinds of character: lower-case, upper-case, digits, other signs",
    },
    "accounts.password_username": {
        "zh": "密码不能包含用户名",
        "en": "a password may not contain the user name",
    },
    "accounts.password_reused": {
        "zh": "不能使用最近 {count} 次用过的密码",
        "en": "a password may not be one of the last {count} used",
    },
    # accounts files
    "accounts.empty_file": {"zh": "文件中没有账户", "en": "the file holds no accounts"},
    "accounts.too_many": {
        "zh": "一次最多导入 {max} 个账户，文件中有 {found} 个",
        "en": "at most {max} accounts at once; the file has {found}",
    },
    "accounts.duplicate_username": {
        "zh": "用户名 {found} 在第 {line} 行已出现",
        "en": "user name {found} already appears on line {line}",
    },
    "accounts.name_long": {"zh": "姓名/单位不能超过 {max} 个字符", "en": "a name has at most {max} characters"},
    "accounts.school_needed": {
        "zh": "学校账户须填写学校代码",
        "en": "a school account needs its school code",
    },
    "accounts.school_only": {
        "zh": "只有学校账户可以填写学校代码",
        "en": "only a school account has a school code",
    },
    "accounts.bad_phone": {"zh": "电话号码无法识别：{found}", "en": "not a phone number: {found}"},
    "accounts.bad_email": {"zh": "电子邮箱无法识别：{found}", "en": "not an e-mail address: {found}"},
    # credential slips
    "accounts.slip.title": {"zh": "心育督导系统 · 账户通知", "en": "Xinyu inspection system · your account"},
    "accounts.slip.address": {"zh": "系统地址", "en": "Address"},
    "accounts.slip.username": {"zh": "用户名", "en": "User name"},
    "accounts.slip.password": {"zh": "初始密码", "en": "Initial password"},
    "accounts.slip.holder": {"zh": "使用单位/人", "en": "For"},
    "accounts.slip.change": {"zh": "首次登录请修改密码", "en": "Change the password at the first sign-in"},
    "accounts.slip.keep": {
        "zh": "本通知仅交账户本人，请勿转交他人；忘记密码请联系系统管理员重置。",
        "en": "For the account holder only; if the password is lost, ask the administrator to reset it.",
    },
    "accounts.slip.sheet": {"zh": "账户通知", "en": "Accounts"},
    # sign-in notices
    "accounts.signin.last": {
        "zh": "上次登录：{when}；此后登录失败 {failures} 次。",
        "en": "Last sign-in: {when}; failed attempts since: {failures}.",
    },
    "accounts.signin.first": {
        "zh": "这是该账户的首次登录；此前登录失败 {failures} 次。",
        "en": "This is the account's first sign-in; failed attempts before: {failures}.",
    },
    "accounts.signin.failures_warning": {
        "zh": "自上次登录以来有 {failures} 次失败的登录尝试。如非本人操作，请修改密码并告知系统管理员。",
        "en": "There were {failures} failed sign-in attempts since your last sign-in. If that was not you, "
        "change your password and tell the administrator.",
    },
    "accounts.signin.expired": {
        "zh": "密码已使用超过 {days} 天，请先修改密码。",
        "en": "Your password is more than {days} days old; please change it first.",
    },
    # the admin page
    "accounts.page.bulk": {"zh": "批量创建账户", "en": "Accounts in bulk"},
    "accounts.page.bulk_help": {
        "zh": "上传账户表（CSV 或 Excel）：列 username（用户名）、display_name（姓名/单位）、role（角色：学校、督学、"
        "教育局或管理员），学校账户另填 school_code（学校代码），可选 phone（电话）、email（电子邮箱）。"
        "任一行有误则不创建任何账户，并列出每个错误所在的行和列。",
        "en": "Upload an accounts table (CSV or Excel): columns username, display_name, role (school, inspector, "
        "bureau, admin), school_code for school accounts, optionally phone and email. If any row is wrong, no "
        "account is created and every problem is listed with its line and column.",
    },
    "accounts.page.file": {"zh": "账户表文件", "en": "Accounts file"},
    "accounts.page.import": {"zh": "导入并生成账户通知", "en": "Import and make the slips"},
    "accounts.page.for_schools": {
        "zh": "为尚无账户的每所学校创建账户",
        "en": "Create an account for every school without one",
    },
    "accounts.page.created": {
        "zh": "已创建 {count} 个账户。请立即下载账户通知：初始密码只在此处提供这一次。",
        "en": "{count} accounts created. Download the slips now: the initial passwords are given only this once.",
    },
    "accounts.page.none_created": {
        "zh": "每所学校都已有账户，未创建新账户。",
        "en": "Every school has an account already; none was created.",
    },
    "accounts.page.slips_docx": {"zh": "下载账户通知（Word）", "en": "Download the slips (Word)"},
    "accounts.page.slips_xlsx": {"zh": "下载账户通知（Excel）", "en": "Download the slips (Excel)"},
    "accounts.page.slips_done": {"zh": "已下载，清除密码", "en": "Downloaded: forget the passwords"},
    "accounts.page.school": {"zh": "学校（输入名称或代码查找）", "en": "School (type its name or code)"},
    "accounts.page.reset": {"zh": "重置密码并生成新通知", "en": "Reset the password and make a new slip"},
    "accounts.page.reset_done": {
        "zh": "已重置 {username} 的密码，该账户的所有登录已失效。请下载新的账户通知。",
        "en": "The password of {username} was reset and every session of the account ended. Download the new slip.",
    },
    "accounts.page.choose_school": {"zh": "请选择学校", "en": "Choose a school"},
    "accounts.page.choose_file": {"zh": "请先选择账户表文件。", "en": "Choose an accounts file first."},
    # CLI
    "accounts.cli.created": {
        "zh": "已创建 {count} 个账户；账户通知已写入 {out}（初始密码不会再显示）。",
        "en": "{count} accounts created; slips written to {out} (the initial passwords are not shown again).",
    },
    "accounts.cli.reset": {
        "zh": "已重置 {username} 的密码；账户通知已写入 {out}。",
        "en": "The password of {username} was reset; slip written to {out}.",
    },
    "accounts.cli.slips_kind": {
        "zh": "账户通知须为 .docx 或 .xlsx 文件：{found}",
        "en": "slips must be a .docx or .xlsx file: {found}",
    },
    "accounts.cli.slips_exist": {
        "zh": "文件已存在，不会覆盖：{found}",
        "en": "the file exists and is not overwritten: {found}",
    },
    "accounts.cli.demo_where": {
        "zh": "示范账户的初始密码只在启动应用的终端中显示这一次（不会显示在浏览器中）。遗失后请用 "
        "`xinyu user passwd 用户名` 重置。",
        "en": "The demo accounts' initial passwords are shown only here, in the terminal that started the app "
        "(never in a browser). If lost, reset one with `xinyu user passwd USERNAME`.",
    },
    "accounts.login.demo_hint": {
        "zh": "示范数据已就绪。示范账户的初始密码显示在启动本应用的终端窗口中（不在浏览器中显示）；"
        "遗失后，管理员可在服务器上运行 xinyu user passwd 用户名 重置。",
        "en": "The demo district is ready. The demo accounts' initial passwords were printed in the terminal "
        "that started this app (never in a browser); if lost, the administrator resets one on the server with "
        "xinyu user passwd USERNAME.",
    },
}
