"""The audit log (等保 level 2): reading and searching it, events that change nothing, and archiving.

Every change is logged by the service that makes it (`store.audit.record`); sign-ins and their
failures by `Accounts.authenticate`; permission refusals by `Context`; sign-outs, exports and
downloads through `note` / `sign_out` here (evidence downloads by `Evidence.read`). The log is
append-only: there is no update or delete in this code, the ORM refuses one (`AuditRow` events), and
migration 0007 adds triggers that refuse them in the database. Old entries leave only through
`archive`, which writes them to a file first (see `store.audit_archive`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import String, cast, event, or_, select
from sqlalchemy.orm import Session

from store.audit import entry_record
from store.context import Area
from store.models import AuditRow
from store.policy import ACCOUNT_MANAGERS, READ_ALL, acting, require
from store.records import AuditEntry, User

VIEW = "security.action.view_audit"
MAX_ROWS = 10_000
FAILED_PATTERNS = ("refused:%", "%.failed", "user.locked")
# Entries of events that change no data (the rest are changes, each with before and after)
NOTES = ("signin", "signout", "refused:", "export.", "report.download", "evidence.download", "audit.export", "backup")


def is_failure(action: str) -> bool:
    """Whether an entry records a failure or a refusal (failed sign-in, refused change, lockout)."""
    return action.startswith("refused:") or action.endswith(".failed") or action == "user.locked"


@dataclass(frozen=True)
class AuditQuery:
    """What the admin searches for; every field given must match."""

    actor: str = ""  # user name, as typed (case and spaces ignored), exact
    action_prefix: str = ""
    text: str = ""  # found in the object, its id, or the values before and after
    since: date | None = None
    until: date | None = None  # inclusive
    outcome: str = "all"  # all | ok | failed
    school_id: int | None = None
    cycle_id: int | None = None
    limit: int = 1000


class AuditLog(Area):
    """The audit log."""

    def entries(
        self,
        actor: User,
        *,
        school_id: int | None = None,
        cycle_id: int | None = None,
        entity: str | None = None,
        entity_id: str | None = None,
        action_prefix: str | None = None,
        limit: int = 200,
        changes_only: bool = False,
    ) -> list[AuditEntry]:
        """The latest entries matching every filter given (`changes_only`: no notes of events that change nothing)."""

        def read(session: Session) -> list[AuditEntry]:
            me = acting(session, actor)
            require(me, READ_ALL | ACCOUNT_MANAGERS, "store.action.view_audit")
            query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
            if school_id is not None:
                query = query.where(AuditRow.school_id == school_id)
            if cycle_id is not None:
                query = query.where(AuditRow.cycle_id == cycle_id)
            if entity is not None:
                query = query.where(AuditRow.entity == entity)
            if entity_id is not None:
                query = query.where(AuditRow.entity_id == str(entity_id))
            if action_prefix is not None:
                query = query.where(AuditRow.action.startswith(action_prefix, autoescape=True))
            if changes_only:
                query = query.where(*(~AuditRow.action.startswith(p, autoescape=True) for p in NOTES))
            return [entry_record(r) for r in session.scalars(query)]

        return self.ctx.read(read)

    def search(self, actor: User, query: AuditQuery) -> list[AuditEntry]:
        """Entries matching the query, latest first (admin, bureau); at most `query.limit` (≤ 10,000)."""

        def read(session: Session) -> list[AuditEntry]:
            me = acting(session, actor)
            require(me, READ_ALL | ACCOUNT_MANAGERS, "store.action.view_audit")
            stmt = select(AuditRow).order_by(AuditRow.id.desc()).limit(max(1, min(query.limit, MAX_ROWS)))
            if query.actor.strip():
                stmt = stmt.where(AuditRow.actor == query.actor.strip().lower())
            if query.action_prefix.strip():
                stmt = stmt.where(AuditRow.action.startswith(query.action_prefix.strip(), autoescape=True))
            if query.text.strip():
                needle = query.text.strip()
                stmt = stmt.where(
                    or_(
                        AuditRow.entity.contains(needle, autoescape=True),
                        AuditRow.entity_id.contains(needle, autoescape=True),
                        AuditRow.action.contains(needle, autoescape=True),
                        cast(AuditRow.before, String).contains(needle, autoescape=True),
                        cast(AuditRow.after, String).contains(needle, autoescape=True),
                    )
                )
            if query.since is not None:
                stmt = stmt.where(AuditRow.at >= datetime.combine(query.since, time(), UTC))
            if query.until is not None:
                stmt = stmt.where(AuditRow.at < datetime.combine(query.until + timedelta(days=1), time(), UTC))
            failed = or_(*(AuditRow.action.like(p) for p in FAILED_PATTERNS))
            if query.outcome == "failed":
                stmt = stmt.where(failed)
            elif query.outcome == "ok":
                stmt = stmt.where(~failed)
            if query.school_id is not None:
                stmt = stmt.where(AuditRow.school_id == query.school_id)
            if query.cycle_id is not None:
                stmt = stmt.where(AuditRow.cycle_id == query.cycle_id)
            return [entry_record(r) for r in session.scalars(stmt)]

        return self.ctx.read(read)

    def note(
        self,
        actor: User,
        action: str,
        entity: str = "",
        entity_id: object = "",
        *,
        school_id: int | None = None,
        cycle_id: int | None = None,
        after: object = None,
    ) -> None:
        """Log an event of the actor that changes nothing: an export or a download (no permission needed)."""
        self.ctx.note(actor, action, entity, entity_id, school_id=school_id, cycle_id=cycle_id, after=after)

    def sign_out(self, actor: User, idle: bool = False) -> None:
        """Log a sign-out (by the user, or by the idle timeout)."""
        self.ctx.note(actor, "signout.idle" if idle else "signout", "user", actor.id)

    def archive(self, actor: User, out: Path, retention_days: int = 180) -> ArchiveResult:
        """Write the entries older than the retention period to `out`, then remove them (admin, system)."""
        from store.audit_archive import archive

        return archive(self.ctx, actor, Path(out), retention_days)


@dataclass(frozen=True)
class ArchiveResult:
    """What an archiving did: how many entries, older than when, into which file, with which SHA-256."""

    entries: int
    before: datetime
    path: Path | None
    sha256: str


def _refuse_change(mapper: object, connection: object, target: AuditRow) -> None:
    raise PermissionError("audit_log is append-only: entries cannot be changed or deleted")


# No update or delete path through the ORM either (the database triggers of migration 0007 hold the rest).
event.listen(AuditRow, "before_update", _refuse_change)
event.listen(AuditRow, "before_delete", _refuse_change)
