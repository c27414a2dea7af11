"""What every service area shares: transactions, limits, passwords, the clock and parsed frameworks."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from criteria import Framework
from criteria.loader import parse_framework
from store import audit
from store.errors import NotFound, PasswordChangeRequired, PermissionDenied, ReadOnlyError
from store.models import CycleRow, FrameworkVersionRow
from store.passwords import DEFAULT_POLICY, PasswordPolicy, Passwords
from store.records import User
from store.storage import Storage
from store.storage.local import LocalStorage
from store.tx import Transactions

T = TypeVar("T")


def utcnow() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Limits:
    """Configurable limits: evidence folder and size, login lockout."""

    evidence_dir: Path
    evidence_max_bytes: int = 20 * 1024 * 1024
    lockout_failures: int = 5
    lockout_minutes: int = 15
    password_policy: PasswordPolicy = DEFAULT_POLICY
    session_idle_minutes: int = 30


class FrameworkCache:
    """Parsed frameworks by content hash: a stored version is parsed once per process."""

    def __init__(self) -> None:
        self._by_hash: dict[str, Framework] = {}
        self._lock = threading.Lock()

    def version(self, session: Session, version_id: int) -> Framework:
        """The framework of a stored version."""
        row = session.get(FrameworkVersionRow, version_id)
        if row is None:
            raise NotFound(what=f"framework version {version_id}")
        with self._lock:
            cached = self._by_hash.get(row.content_hash)
        if cached is None:
            cached = parse_framework(json.loads(row.content), source=f"{row.framework_id} {row.version}")
            with self._lock:
                self._by_hash[row.content_hash] = cached
        return cached

    def cycle(self, session: Session, cycle: CycleRow) -> Framework:
        """The framework a cycle is scored with."""
        return self.version(session, cycle.framework_version_id)


class Context:
    """Shared by the service areas of one `Services`."""

    def __init__(
        self,
        engine: Engine,
        limits: Limits,
        passwords: Passwords,
        clock: Callable[[], datetime],
        storage: Storage | None = None,
        evidence_space: str = "",
    ) -> None:
        self.engine = engine
        self.storage: Storage = storage if storage is not None else LocalStorage(limits.evidence_dir)
        self.evidence_space = evidence_space if storage is not None else ""
        self.tx = Transactions(engine)
        self.limits = limits
        self.passwords = passwords
        self.clock = clock
        self.frameworks = FrameworkCache()

    def read(self, fn: Callable[[Session], T], actor: User | None = None) -> T:
        """`fn` in a read transaction; a permission refusal is logged (the actor is found in `fn`'s closure)."""
        try:
            return self.tx.read(fn)
        except PermissionDenied as refused:
            self._log_denied(actor or _closure_actor(fn), refused)
            raise

    def write(self, actor: User, fn: Callable[[Session], T]) -> T:
        """`fn` in a write transaction; a refused change (finalized, or not permitted) is logged, then raised."""
        try:
            return self.tx.write(fn)
        except ReadOnlyError as refused:
            self._log_refusal(actor, refused)
            raise
        except PermissionDenied as refused:
            self._log_denied(actor, refused)
            raise

    def check(self, actor: User, fn: Callable[[Session], T]) -> T:
        """`fn` in a read transaction, to check a change before work outside the database (e.g. a file).

        A refused change is logged, as by `write`.
        """
        try:
            return self.tx.read(fn)
        except ReadOnlyError as refused:
            self._log_refusal(actor, refused)
            raise
        except PermissionDenied as refused:
            self._log_denied(actor, refused)
            raise

    def note(self, actor: User, action: str, entity: str = "", entity_id: object = "", **where: Any) -> None:
        """Log an event that changes nothing (a sign-out, an export, a download) in a transaction of its own."""
        after = where.pop("after", None)

        def log(session: Session) -> None:
            audit.record_event(
                session, actor.id, actor.username, self.clock(), action, entity, entity_id, after=after, **where
            )

        self.tx.write(log)

    def _log_denied(self, actor: User | None, refused: PermissionDenied) -> None:
        """Log a permission refusal (等保: every refusal is audited); a required password change is not one."""
        if actor is None or isinstance(refused, PasswordChangeRequired):
            return
        action = refused.key if refused.key != PermissionDenied.key else refused.action
        name = action.rsplit(".", 1)[-1]  # store.action.view_assessment → view_assessment
        self.note(actor, f"refused:{name}", "permission", "")

    def _log_refusal(self, actor: User, refused: ReadOnlyError) -> None:
        """Log a refused change in a transaction of its own (the refused one wrote nothing)."""

        def log(session: Session) -> None:
            action = f"refused:{refused.action}"
            where = {"school_id": refused.school_id, "cycle_id": refused.cycle_id}
            audit.record(session, actor, self.clock(), action, refused.entity, refused.entity_id, **where)

        self.tx.write(log)


def _closure_actor(fn: Callable[..., Any]) -> User | None:
    """The `actor` a read function closes over (every service reads with a closure over its actor)."""
    names = getattr(getattr(fn, "__code__", None), "co_freevars", ())
    for name, cell in zip(names, getattr(fn, "__closure__", None) or (), strict=False):
        if name == "actor":
            value = cell.cell_contents
            return value if isinstance(value, User) else None
    return None


class Area:
    """Base of a service area (accounts, schools, cycles, ...)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
