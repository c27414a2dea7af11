"""Server-side sign-in sessions: a row per signed-in browser, named by a signed HttpOnly cookie.

The flow (see README "Sessions"): a sign-in opens a session row with a one-time hand-off code
(valid one minute); the browser exchanges the code at the app's own route for the cookie, whose
value is a random token (only its SHA-256 is stored) and an HMAC of it under a key every app server
shares (a setting, else one kept in the database). A reload, a second tab or a restarted server
reads the cookie and resumes the row. The idle timeout, a sign-out, a password change and a
disabled account end it: nothing of a session lives in one server process.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.context import Area, Context
from store.convert import user_record
from store.errors import IntegrityViolation
from store.models import AppSecretRow, UserRow, WebSessionRow
from store.records import User

COOKIE = "xinyu_session"
HANDOFF_SECONDS = 60
TOUCH_SECONDS = 30
SECRET_NAME = "session_cookie_key"


def digest(value: str) -> str:
    """The SHA-256 (hex) a token or code is stored as."""
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class OpenedSession:
    """A new session: its row id (kept by the app for this browser tab) and the one-time hand-off code."""

    id: int
    handoff: str


@dataclass(frozen=True, slots=True)
class Resumed:
    """A session named by a cookie, still valid: its id and the account as stored now."""

    id: int
    user: User


class WebSessions(Area):
    """Open, hand over, resume, check and end sign-in sessions."""

    def __init__(self, ctx: Context, secret: str | None = None) -> None:
        super().__init__(ctx)
        self._configured = secret.encode() if secret else None
        self._key: bytes | None = None
        self._lock = threading.Lock()

    # -- the signing key ------------------------------------------------------------------------

    def _signing_key(self) -> bytes:
        if self._configured is not None:
            return self._configured
        with self._lock:
            if self._key is None:
                self._key = self._stored_key()
            return self._key

    def _stored_key(self) -> bytes:
        def read(session: Session) -> str | None:
            row = session.get(AppSecretRow, SECRET_NAME)
            return row.value if row else None

        def make(session: Session) -> str:
            row = session.get(AppSecretRow, SECRET_NAME)
            if row is None:
                row = AppSecretRow(name=SECRET_NAME, value=secrets.token_urlsafe(48))
                session.add(row)
            return row.value

        value = self.ctx.read(read)
        if value is None:
            try:
                value = self.ctx.tx.write(make)
            except IntegrityViolation:  # another server made it at the same moment
                value = self.ctx.read(read)
        assert value is not None
        return value.encode()

    def sign(self, token: str) -> str:
        """The cookie value of a token: the token and its HMAC."""
        mac = hmac.new(self._signing_key(), token.encode(), hashlib.sha256).digest()
        return f"{token}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"

    def unsign(self, value: str) -> str | None:
        """The token of a cookie value whose signature holds, else None."""
        if not isinstance(value, str) or len(value) > 200:
            return None
        token, _, mac = value.partition(".")
        if not token or not mac:
            return None
        return token if hmac.compare_digest(self.sign(token), value) else None

    # -- the life of a session ------------------------------------------------------------------

    def open(self, user: User) -> OpenedSession:
        """A session for an account that has just signed in (`accounts.sign_in`), with its hand-off code."""
        code, now = secrets.token_urlsafe(32), self.ctx.clock()

        def add(session: Session) -> OpenedSession:
            row = session.get(UserRow, user.id)
            if row is None or not row.active or row.session_version != user.session_version:
                raise _refused()
            web = WebSessionRow(
                token_hash=digest(secrets.token_urlsafe(32)),  # replaced by the cookie's token when claimed
                user_id=user.id,
                session_version=row.session_version,
                created_at=now,
                last_seen_at=now,
                handoff_hash=digest(code),
                handoff_until=now + timedelta(seconds=HANDOFF_SECONDS),
            )
            session.add(web)
            session.flush()
            return OpenedSession(web.id, code)

        return self.ctx.tx.write(add)

    def claim(self, code: str) -> str | None:
        """The cookie value for a hand-off code, once and within a minute of the sign-in; else None."""
        if not code or len(code) > 100:
            return None
        token, now = secrets.token_urlsafe(32), self.ctx.clock()

        def take(session: Session) -> bool:
            query = select(WebSessionRow).where(WebSessionRow.handoff_hash == digest(code)).with_for_update()
            row = session.scalars(query).first()
            if row is None or row.ended_at is not None or row.handoff_until is None or row.handoff_until < now:
                return False
            row.token_hash, row.handoff_hash, row.handoff_until, row.last_seen_at = digest(token), None, None, now
            return True

        return self.sign(token) if self.ctx.tx.write(take) else None

    def resume(self, cookie: str | None) -> Resumed | None:
        """The session a cookie names, if it is still valid (and mark it seen); None otherwise."""
        token = self.unsign(cookie or "")
        if token is None:
            return None
        now = self.ctx.clock()

        def find(session: Session) -> Resumed | None:
            query = select(WebSessionRow).where(WebSessionRow.token_hash == digest(token))
            row = session.scalars(query).first()
            if row is None:
                return None
            user = self._valid(session, row, now)
            if user is None:
                return None
            row.last_seen_at = now
            return Resumed(row.id, user)

        return self.ctx.tx.write(find)

    def check(self, session_id: int, user: User) -> User | None:
        """On every run of a signed-in page: the account as stored now, or None when the session has ended.

        Marks the session seen (at most every TOUCH_SECONDS, so that a busy page does not write each run).
        """
        now = self.ctx.clock()

        def read(session: Session) -> tuple[User | None, bool]:
            row = session.get(WebSessionRow, session_id)
            if row is None or row.user_id != user.id:
                return None, False
            fresh = self._valid(session, row, now)
            stale = fresh is not None and now - row.last_seen_at > timedelta(seconds=TOUCH_SECONDS)
            return fresh, stale

        fresh, stale = self.ctx.read(read)
        if fresh is None:
            self.end(session_id)
            return None
        if stale:
            self.ctx.tx.write(
                lambda s: s.execute(
                    update(WebSessionRow).where(WebSessionRow.id == session_id).values(last_seen_at=now)
                )
            )
        return fresh

    def follow(self, session_id: int, user: User) -> None:
        """After the user changed their own password here: this session goes on with the new record."""

        def move(session: Session) -> None:
            row = session.get(WebSessionRow, session_id, with_for_update=True)
            if row is not None and row.user_id == user.id and row.ended_at is None:
                row.session_version = user.session_version

        self.ctx.tx.write(move)

    def end(self, session_id: int) -> None:
        """Sign-out (or a session found ended): the row can never be resumed again."""
        now = self.ctx.clock()
        self.ctx.tx.write(
            lambda s: s.execute(
                update(WebSessionRow)
                .where(WebSessionRow.id == session_id, WebSessionRow.ended_at.is_(None))
                .values(ended_at=now, handoff_hash=None, handoff_until=None)
            )
        )

    def end_cookie(self, cookie: str | None) -> None:
        """End the session a cookie names (the sign-out route, which also clears the cookie)."""
        token = self.unsign(cookie or "")
        if token is None:
            return
        now = self.ctx.clock()
        self.ctx.tx.write(
            lambda s: s.execute(
                update(WebSessionRow)
                .where(WebSessionRow.token_hash == digest(token), WebSessionRow.ended_at.is_(None))
                .values(ended_at=now)
            )
        )

    def _valid(self, session: Session, row: WebSessionRow, now: datetime) -> User | None:
        """The account of a session that is open, not idle too long, and of the account's current version."""
        idle = timedelta(minutes=self.ctx.limits.session_idle_minutes)
        if row.ended_at is not None or now - row.last_seen_at > idle:
            return None
        account = session.get(UserRow, row.user_id)
        if account is None or not account.active or account.session_version != row.session_version:
            return None
        return user_record(account)


def _refused() -> Exception:
    from store.errors import PermissionDenied

    return PermissionDenied("store.action.any", key="store.session_invalid")
