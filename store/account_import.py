"""Accounts in bulk (admin): an accounts CSV or workbook, an account for every school without one, resets.

An accounts file has the columns `username, display_name, role`, and optionally `school_code`
(required for school accounts), `phone`, `email`. It is checked in full first (every bad row is
listed with its line and column) and then written in one transaction: all or nothing. Every new
account gets a random password that satisfies the password policy and must be changed at the first
sign-in; the passwords are returned once (`Credential`) for the printed slips and never stored or
logged in clear.
"""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n.problems import InputError, Problem
from store import audit
from store.accounts import USERNAME, normalise_username, remember_password
from store.context import Area
from store.imports import text_frame
from store.models import SchoolRow, UserRow
from store.passwords import generate_password
from store.policy import ACCOUNT_MANAGERS, acting, require
from store.records import ACCOUNT_ROLES, Role, User

REQUIRED = ("username", "display_name", "role")
OPTIONAL = ("school_code", "phone", "email")
ROLE_WORDS = {
    "school": Role.SCHOOL,
    "学校": Role.SCHOOL,
    "inspector": Role.INSPECTOR,
    "督学": Role.INSPECTOR,
    "督导": Role.INSPECTOR,
    "bureau": Role.BUREAU,
    "教育局": Role.BUREAU,
    "admin": Role.ADMIN,
    "管理员": Role.ADMIN,
}
PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,30}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME = 100
MAX_ROWS = 20_000
MANAGE = "store.action.manage_accounts"


@dataclass(frozen=True, slots=True)
class Credential:
    """A new or reset account's initial password, for its slip; shown once and never stored."""

    username: str
    display_name: str
    role: Role
    school_name: str
    password: str


@dataclass(frozen=True, slots=True)
class _Planned:
    username: str
    display_name: str
    role: Role
    school_id: int | None
    school_name: str
    phone: str
    email: str


def read_accounts_file(data: bytes | str | Path, file: str, upload_max_bytes: int | None = None) -> pd.DataFrame:
    """An accounts CSV (with the register import's CSV reader) or xlsx (zip-guarded, normal mode) as text."""
    if isinstance(data, str | Path):
        path = Path(data)
        if path.suffix.lower() != ".xlsx":
            return text_frame(path, file)[0]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError([Problem("file.unreadable", {"found": str(error)}, file=file)]) from None
    if file.lower().endswith(".xlsx") or data[:2] == b"PK":
        return _xlsx_frame(data, file, upload_max_bytes)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(file).name or "accounts.csv")
        path.write_bytes(data)
        return text_frame(path, file)[0]


def _xlsx_frame(data: bytes, file: str, upload_max_bytes: int | None) -> pd.DataFrame:
    import openpyxl

    from reports.zip_guard import Limits, container_problems

    limits = Limits(max_bytes=upload_max_bytes) if upload_max_bytes else Limits.from_settings()
    if problems := container_problems(data, limits, file):
        raise InputError(problems)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)  # normal mode: WPS dimensions
        sheet = book.worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    except Exception as error:  # a broken workbook: a message, never a traceback
        raise InputError([Problem("file.unreadable", {"found": type(error).__name__}, file=file)]) from None
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise InputError([Problem("accounts.empty_file", file=file)])
    header = [h.strip() for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    body = [(r + [""] * len(header))[: len(header)] for r in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=str)


class BulkAccounts(Area):
    """Accounts in bulk, with their one-time passwords (admin or the local operator)."""

    def import_accounts(
        self, actor: User, source: bytes | str | Path | pd.DataFrame, *, file: str | None = None
    ) -> list[Credential]:
        """Create every account of an accounts file, all or nothing; the initial passwords returned once."""
        name = file or (Path(source).name if isinstance(source, str | Path) else "accounts.csv")
        frame = source.astype(str) if isinstance(source, pd.DataFrame) else read_accounts_file(source, name)

        def plan(session: Session) -> list[_Planned]:
            require(acting(session, actor), ACCOUNT_MANAGERS, MANAGE)
            return _check(session, frame, name)

        secrets_ = self._secrets(self.ctx.read(plan))  # hashed outside the write transaction (argon2 is slow)

        def write(session: Session) -> list[Credential]:
            me = acting(session, actor)
            require(me, ACCOUNT_MANAGERS, MANAGE)
            planned = _check(session, frame, name)  # again: someone may have taken a name meanwhile
            return self._create(session, me, planned, secrets_, "user.import", {"file": name})

        return self.ctx.write(actor, write)

    def for_schools_without_account(self, actor: User) -> list[Credential]:
        """An account for every active school of the register that has none (user name: the code in lower case)."""

        def plan(session: Session) -> list[_Planned]:
            require(acting(session, actor), ACCOUNT_MANAGERS, MANAGE)
            return _schools_plan(session)

        secrets_ = self._secrets(self.ctx.read(plan))

        def write(session: Session) -> list[Credential]:
            me = acting(session, actor)
            require(me, ACCOUNT_MANAGERS, MANAGE)
            return self._create(session, me, _schools_plan(session), secrets_, "user.create_for_schools", {})

        return self.ctx.write(actor, write)

    def schools(self, actor: User) -> list[tuple[int, str, str, bool]]:
        """Every school for the account forms (admin): id, code, name, whether it has an account; by code."""

        def read(session: Session) -> list[tuple[int, str, str, bool]]:
            me = acting(session, actor)
            require(me, ACCOUNT_MANAGERS, MANAGE)
            having = set(session.scalars(select(UserRow.school_id).where(UserRow.school_id.is_not(None))))
            rows = session.scalars(select(SchoolRow).order_by(SchoolRow.code))
            return [(r.id, r.code, r.name, r.id in having) for r in rows]

        return self.ctx.read(read)

    def reset_password(self, actor: User, user_id: int) -> Credential:
        """A new random password for one account (must be changed at the next sign-in), for a new slip."""
        policy = self.ctx.limits.password_policy
        accounts = _accounts(self)
        for _ in range(5):  # a random password is never the old one in practice; the policy checks it anyway
            password = generate_password(policy=policy)
            try:
                user = accounts.set_password(actor, user_id, password, must_change=True)
                break
            except InputError:
                continue
        else:  # pragma: no cover - five random passwords refused in a row
            raise InputError([Problem("accounts.password_reused", {"count": policy.history})])
        school = self.ctx.read(lambda s: _school_name(s, user.school_id))
        return Credential(user.username, user.display_name, user.role, school, password)

    def _secrets(self, planned: list[_Planned]) -> dict[str, tuple[str, str]]:
        """A random password and its hash per planned user name."""
        policy = self.ctx.limits.password_policy
        passwords = [generate_password(policy=policy) for _ in planned]
        hashes = self.ctx.passwords.hash_many(passwords)
        return {p.username: (pw, h) for p, pw, h in zip(planned, passwords, hashes, strict=True)}

    def _create(
        self,
        session: Session,
        me: User,
        planned: list[_Planned],
        secrets_: dict[str, tuple[str, str]],
        action: str,
        about: dict[str, str],
    ) -> list[Credential]:
        policy, now = self.ctx.limits.password_policy, self.ctx.clock()
        missing = [p for p in planned if p.username not in secrets_]  # planned anew since the hashing: rare
        secrets_ = {**secrets_, **(self._secrets(missing) if missing else {})}
        made: list[Credential] = []
        for plan in planned:
            password, hashed = secrets_[plan.username]
            row = UserRow(
                username=plan.username,
                display_name=plan.display_name or plan.username,
                role=plan.role.value,
                school_id=plan.school_id,
                password_hash=hashed,
                active=True,
                failed_logins=0,
                failures_since_login=0,
                must_change_password=True,
                created_at=now,
                password_changed_at=now,
                phone=plan.phone,
                email=plan.email,
            )
            session.add(row)
            session.flush()
            remember_password(session, row.id, hashed, now, policy.history)
            after = {
                "username": row.username,
                "role": row.role,
                "school_id": row.school_id,
                "display_name": row.display_name,
            }
            audit.record(session, me, now, "user.add", "user", row.id, after=after, school_id=row.school_id)
            made.append(Credential(row.username, row.display_name, plan.role, plan.school_name, password))
        audit.record(session, me, now, action, "user", "-", after={**about, "accounts": len(made)})
        return made


def _accounts(area: BulkAccounts):  # the Accounts area over the same context (set_password and its checks)
    from store.accounts import Accounts

    return Accounts(area.ctx)


def _schools_plan(session: Session) -> list[_Planned]:
    """An account for every active school without one (user name: its code in lower case, made unique)."""
    having = set(session.scalars(select(UserRow.school_id).where(UserRow.school_id.is_not(None))))
    taken = set(session.scalars(select(UserRow.username)))
    planned = []
    for school in session.scalars(select(SchoolRow).where(SchoolRow.active).order_by(SchoolRow.code)):
        if school.id in having:
            continue
        username = _free_name(normalise_username(school.code), taken)
        taken.add(username)
        planned.append(_Planned(username, school.name[:MAX_NAME], Role.SCHOOL, school.id, school.name, "", ""))
    return planned


def _school_name(session: Session, school_id: int | None) -> str:
    if school_id is None:
        return ""
    row = session.get(SchoolRow, school_id)
    return row.name if row else ""


def _free_name(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _line(index: int) -> int:
    return index + 2  # the header is line 1 (a workbook's first row as well)


def _check(session: Session, frame: pd.DataFrame, file: str) -> list[_Planned]:
    """Every row checked against the file and the database; InputError listing every bad cell."""
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    columns = list(frame.columns)
    problems = [
        Problem("input.missing_column", {"expected": c}, file=file, column=c) for c in REQUIRED if c not in columns
    ]
    problems += [
        Problem("input.unknown_column", {"found": c}, file=file, column=c)
        for c in columns
        if c not in REQUIRED and c not in OPTIONAL
    ]
    if problems:
        raise InputError(problems)
    if frame.empty:
        raise InputError([Problem("accounts.empty_file", file=file)])
    if len(frame) > MAX_ROWS:
        raise InputError([Problem("accounts.too_many", {"max": MAX_ROWS, "found": len(frame)}, file=file)])
    taken = set(session.scalars(select(UserRow.username)))
    schools = {r.code.strip().lower(): r for r in session.scalars(select(SchoolRow))}
    seen: dict[str, int] = {}
    planned: list[_Planned] = []
    for index, row in enumerate(frame.to_dict("records")):
        at = {"file": file, "row": _line(index)}
        cell = {c: str(row.get(c, "") or "").strip() for c in (*REQUIRED, *OPTIONAL)}
        name = normalise_username(cell["username"])
        if not USERNAME.match(name):
            problems.append(Problem("store.bad_username", {"found": cell["username"]}, column="username", **at))
        elif name in taken:
            problems.append(Problem("store.username_taken", {"found": name}, column="username", **at))
        elif name in seen:
            params = {"found": name, "line": seen[name]}
            problems.append(Problem("accounts.duplicate_username", params, column="username", **at))
        seen.setdefault(name, _line(index))
        if len(cell["display_name"]) > MAX_NAME:
            problems.append(Problem("accounts.name_long", {"max": MAX_NAME}, column="display_name", **at))
        role_text = cell["role"].lower() if cell["role"].isascii() else cell["role"]
        role = ROLE_WORDS.get(role_text)
        if role is None or role not in ACCOUNT_ROLES:
            expected = ", ".join(r.value for r in ACCOUNT_ROLES)
            problems.append(
                Problem("input.bad_role", {"expected": expected, "found": cell["role"]}, column="role", **at)
            )
        code = cell["school_code"].lower()
        school = schools.get(code) if code else None
        if code and school is None:
            problems.append(Problem("input.unknown_school", {"found": cell["school_code"]}, column="school_code", **at))
        if role == Role.SCHOOL and not code:
            problems.append(Problem("accounts.school_needed", column="school_code", **at))
        if role is not None and role != Role.SCHOOL and code:
            problems.append(Problem("accounts.school_only", column="school_code", **at))
        if cell["phone"] and not PHONE.match(cell["phone"]):
            problems.append(Problem("accounts.bad_phone", {"found": cell["phone"]}, column="phone", **at))
        if cell["email"] and (len(cell["email"]) > 254 or not EMAIL.match(cell["email"])):
            problems.append(Problem("accounts.bad_email", {"found": cell["email"]}, column="email", **at))
        if role is not None:
            school_id = school.id if school is not None and role == Role.SCHOOL else None
            school_name = school.name if school is not None else ""
            display = cell["display_name"] or (school_name if role == Role.SCHOOL else "") or name
            planned.append(_Planned(name, display, role, school_id, school_name, cell["phone"], cell["email"]))
    if problems:
        raise InputError(problems)
    return planned
