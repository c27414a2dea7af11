"""Accounts: log-in with lockout, and account management by an admin (add, password, disable, list)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from i18n.problems import InputError, Problem
from store import audit
from store.context import Area
from store.convert import user_record
from store.errors import LoginFailed, NotFound, PermissionDenied
from store.models import PasswordHistoryRow, SchoolRow, UserRow
from store.passwords import password_problems
from store.policy import ACCOUNT_MANAGERS, READ_ALL, acting, require
from store.records import ACCOUNT_ROLES, Role, SignIn, User

USERNAME = re.compile(r"^[\w.@-]{1,64}$")
MANAGE = "store.action.manage_accounts"


def normalise_username(name: str) -> str:
    """User names are compared without surrounding spaces and case."""
    return name.strip().lower()


class Accounts(Area):
    """Log-in and account management."""

    def authenticate(self, username: str, password: str) -> User:
        """The account, if the password is right; one answer (`LoginFailed`) for every failure."""
        return self.sign_in(username, password).user

    def sign_in(self, username: str, password: str) -> SignIn:
        """`authenticate`, with the previous sign-in time and the failed attempts since (to show the user).

        A password older than the policy's maximum age must be changed now (as an initial one).
        """
        result = self.ctx.tx.write(lambda s: self._attempt(s, normalise_username(username), password))
        if result is None:
            limits = self.ctx.limits
            raise LoginFailed(failures=limits.lockout_failures, minutes=limits.lockout_minutes)
        return result

    def _attempt(self, session: Session, username: str, password: str) -> SignIn | None:
        row = session.scalars(select(UserRow).where(UserRow.username == username).with_for_update()).first()
        now = self.ctx.clock()
        usable = row is not None and row.active and not (row.locked_until and row.locked_until > now)
        ok = self.ctx.passwords.verify(row.password_hash if usable and row else None, password)
        if row is None or not usable:
            reason = "unknown" if row is None else ("disabled" if not row.active else "locked")
            audit.record_event(
                session,
                row.id if row else None,
                username,
                now,
                "signin.failed",
                "user",
                row.id if row else "",
                after={"reason": reason},
            )
            if row is not None:  # told to the account's owner at the next sign-in (等保 2.0)
                row.failures_since_login = (row.failures_since_login or 0) + 1
            return None
        if not ok:
            audit.record_event(
                session, row.id, row.username, now, "signin.failed", "user", row.id, after={"reason": "password"}
            )
            row.failures_since_login = (row.failures_since_login or 0) + 1
            self._count_failure(session, row)
            return None
        audit.record_event(session, row.id, row.username, now, "signin", "user", row.id)
        previous, failures = row.last_login_at, row.failures_since_login or 0
        row.failed_logins, row.locked_until, row.last_login_at, row.failures_since_login = 0, None, now, 0
        if self.ctx.passwords.needs_rehash(row.password_hash):
            row.password_hash = self.ctx.passwords.hash(password)
        expired = self._expired(row, now)
        if expired:
            row.must_change_password = True
            audit.record(session, user_record(row), now, "user.password_expired", "user", row.id)
        return SignIn(user_record(row), previous, failures, expired)

    def _expired(self, row: UserRow, now: datetime) -> bool:
        """Whether the password is older than the policy allows (an initial one must be changed anyway)."""
        days = self.ctx.limits.password_policy.max_age_days
        since = row.password_changed_at or row.created_at
        return bool(days) and not row.must_change_password and since is not None and now - since > timedelta(days=days)

    def _vet_new_password(self, actor: User, user_id: int, password: str, field: str) -> None:
        """Refuse a password the policy forbids for this account (the user name, one of the last ones).

        Permission first: only an account manager or the account itself learns what is wrong with it.
        """
        policy = self.ctx.limits.password_policy

        def read(session: Session) -> tuple[str, list[str]]:
            me = acting(session, actor, pending_password=True)
            if me.id != user_id:
                require(acting(session, actor), ACCOUNT_MANAGERS, MANAGE)
            row = session.get(UserRow, user_id)
            if row is None:
                raise NotFound(what=f"user {user_id}")
            return row.username, recent_hashes(session, user_id, policy.history)

        username, hashes = self.ctx.read(read)
        if problems := password_problems(password, field, username=username, policy=policy):
            raise InputError(problems)
        if any(self.ctx.passwords.verify(h, password) for h in hashes):
            raise InputError([Problem("accounts.password_reused", {"count": policy.history}, path=field)])

    def _count_failure(self, session: Session, row: UserRow) -> None:
        limits, now = self.ctx.limits, self.ctx.clock()
        row.failed_logins += 1
        if row.failed_logins >= limits.lockout_failures:
            row.failed_logins, row.locked_until = 0, now + timedelta(minutes=limits.lockout_minutes)
            who = user_record(row)
            audit.record(session, who, now, "user.locked", "user", row.id, after={"locked_until": row.locked_until})

    def add_user(
        self,
        actor: User,
        username: str,
        role: Role,
        password: str,
        display_name: str = "",
        school_id: int | None = None,
        must_change_password: bool = True,
    ) -> User:
        """A new account (admin); a school account needs its school, other roles none."""
        name = normalise_username(username)
        policy = self.ctx.limits.password_policy
        problems = (
            _username_problems(name)
            + password_problems(password, username=name, policy=policy)
            + _role_problems(role, school_id)
        )
        if problems:
            raise InputError(problems)
        hashed = self.ctx.passwords.hash(password)

        def add(session: Session) -> User:
            me = acting(session, actor)
            require(me, ACCOUNT_MANAGERS, MANAGE)
            _check_new_user(session, name, school_id)
            row = UserRow(
                username=name,
                display_name=display_name.strip() or name,
                role=Role(role).value,
                school_id=school_id,
                password_hash=hashed,
                active=True,
                failed_logins=0,
                must_change_password=must_change_password,
                created_at=self.ctx.clock(),
                password_changed_at=self.ctx.clock(),
                failures_since_login=0,
            )
            session.add(row)
            session.flush()
            remember_password(session, row.id, hashed, self.ctx.clock(), self.ctx.limits.password_policy.history)
            after = {
                "username": name,
                "role": row.role,
                "school_id": school_id,
                "display_name": row.display_name,
            }
            audit.record(session, me, self.ctx.clock(), "user.add", "user", row.id, after=after)
            return user_record(row)

        return self.ctx.write(actor, add)

    def set_password(self, actor: User, user_id: int, password: str, must_change: bool = True) -> User:
        """Set another account's password (admin); also lifts a lockout and ends the account's sessions."""
        self._vet_new_password(actor, user_id, password, "password")
        hashed = self.ctx.passwords.hash(password)

        def change(session: Session) -> User:
            me = acting(session, actor)
            require(me, ACCOUNT_MANAGERS, MANAGE)
            row = _locked_user(session, user_id)
            row.password_hash, row.must_change_password = hashed, must_change
            row.failed_logins, row.locked_until = 0, None
            row.password_changed_at = self.ctx.clock()
            row.session_version += 1  # every session of the account ends
            remember_password(session, row.id, hashed, self.ctx.clock(), self.ctx.limits.password_policy.history)
            audit.record(
                session,
                me,
                self.ctx.clock(),
                "user.password",
                "user",
                row.id,
                after={"must_change": must_change},
            )
            return user_record(row)

        return self.ctx.write(actor, change)

    def change_own_password(self, actor: User, old_password: str, new_password: str) -> User:
        """A user changes their own password, giving the old one (allowed while a change is required).

        The account's other sessions end; keep the returned record as this session's user.
        """
        self._vet_new_password(actor, actor.id, new_password, "new_password")
        hashed = self.ctx.passwords.hash(new_password)

        def change(session: Session) -> User:
            me = acting(session, actor, pending_password=True)
            row = _locked_user(session, me.id)
            if not self.ctx.passwords.verify(row.password_hash, old_password):
                raise InputError([Problem("store.old_password_wrong", path="old_password")])
            row.password_hash, row.must_change_password = hashed, False
            row.password_changed_at = self.ctx.clock()
            row.session_version += 1  # the account's other sessions end; this one goes on with the record returned
            remember_password(session, row.id, hashed, self.ctx.clock(), self.ctx.limits.password_policy.history)
            audit.record(session, me, self.ctx.clock(), "user.password", "user", row.id, after={"own": True})
            return user_record(row)

        return self.ctx.write(actor, change)

    def set_active(self, actor: User, user_id: int, active: bool) -> User:
        """Disable (or enable again) an account (admin); an admin cannot disable themselves."""

        def change(session: Session) -> User:
            me = acting(session, actor)
            require(me, ACCOUNT_MANAGERS, MANAGE)
            if me.id == user_id and not active:
                raise PermissionDenied("store.action.disable_self")
            row = _locked_user(session, user_id)
            before, row.active = row.active, active
            row.failed_logins, row.locked_until = 0, None
            if before and not active:
                row.session_version += 1  # enabled again later, the old sessions stay ended
            action = "user.enable" if active else "user.disable"
            audit.record(
                session,
                me,
                self.ctx.clock(),
                action,
                "user",
                row.id,
                before={"active": before},
                after={"active": active},
            )
            return user_record(row)

        return self.ctx.write(actor, change)

    def list_users(self, actor: User, role: Role | None = None) -> list[User]:
        """Accounts (admin; the bureau too, to assign inspectors), ordered by user name."""

        def read(session: Session) -> list[User]:
            me = acting(session, actor)
            require(me, ACCOUNT_MANAGERS | READ_ALL, "store.action.list_users")
            query = select(UserRow).order_by(UserRow.username)
            if role is not None:
                query = query.where(UserRow.role == Role(role).value)
            return [user_record(r) for r in session.scalars(query)]

        return self.ctx.read(read)

    def by_username(self, actor: User, username: str) -> User:
        """One account by user name (admin, bureau; anyone for their own)."""

        def read(session: Session) -> User:
            name = normalise_username(username)
            me = acting(session, actor, pending_password=name == normalise_username(actor.username))
            if name != me.username:
                require(me, ACCOUNT_MANAGERS | READ_ALL, "store.action.list_users")
            row = session.scalars(select(UserRow).where(UserRow.username == name)).first()
            if row is None:
                raise NotFound(what=name)
            return user_record(row)

        return self.ctx.read(read)

    def me(self, actor: User) -> User:
        """The acting user as stored now: what the app checks on every run.

        Refused (`PermissionDenied`, key store.session_invalid) when the account was disabled or its
        password set or changed since `actor` was read; allowed while a password change is required.
        """
        return self.ctx.read(lambda s: acting(s, actor, pending_password=True))


def recent_hashes(session: Session, user_id: int, count: int) -> list[str]:
    """The hashes of the account's last `count` passwords, newest first (the current one included)."""
    if count <= 0:
        return []
    query = (
        select(PasswordHistoryRow.password_hash)
        .where(PasswordHistoryRow.user_id == user_id)
        .order_by(PasswordHistoryRow.id.desc())
        .limit(count)
    )
    return list(session.scalars(query))


def remember_password(session: Session, user_id: int, hashed: str, now: datetime, keep: int) -> None:
    """Add a password to the account's history and drop what is older than the last `keep`."""
    session.add(PasswordHistoryRow(user_id=user_id, password_hash=hashed, created_at=now))
    session.flush()
    kept = recent_hashes_ids(session, user_id, max(keep, 1))
    session.execute(
        delete(PasswordHistoryRow).where(PasswordHistoryRow.user_id == user_id, PasswordHistoryRow.id.not_in(kept))
    )


def recent_hashes_ids(session: Session, user_id: int, count: int) -> list[int]:
    """The ids of the account's last `count` history rows."""
    query = (
        select(PasswordHistoryRow.id)
        .where(PasswordHistoryRow.user_id == user_id)
        .order_by(PasswordHistoryRow.id.desc())
        .limit(count)
    )
    return list(session.scalars(query))


def _username_problems(name: str) -> list[Problem]:
    if not USERNAME.match(name):
        return [Problem("store.bad_username", {"found": name}, path="username")]
    return []


def _role_problems(role: Role, school_id: int | None) -> list[Problem]:
    if role not in ACCOUNT_ROLES:
        expected = ", ".join(r.value for r in ACCOUNT_ROLES)
        return [Problem("input.bad_role", {"expected": expected, "found": str(role)}, path="role")]
    if (role == Role.SCHOOL) != (school_id is not None):
        return [Problem("store.school_link", path="school")]
    return []


def _check_new_user(session: Session, name: str, school_id: int | None) -> None:
    if session.scalars(select(UserRow.id).where(UserRow.username == name)).first() is not None:
        raise InputError([Problem("store.username_taken", {"found": name}, path="username")])
    if school_id is not None and session.get(SchoolRow, school_id) is None:
        raise InputError([Problem("input.unknown_school", {"found": school_id}, path="school")])


def _locked_user(session: Session, user_id: int) -> UserRow:
    row = session.get(UserRow, user_id, with_for_update=True)
    if row is None:
        raise NotFound(what=f"user {user_id}")
    return row
