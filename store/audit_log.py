"""Reading the audit log (bureau and admin): latest first, by school, cycle, entity or action."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.audit import entry_record
from store.context import Area
from store.models import AuditRow
from store.policy import ACCOUNT_MANAGERS, READ_ALL, acting, require
from store.records import AuditEntry, User


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
    ) -> list[AuditEntry]:
        """The latest entries matching every filter given."""

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
            return [entry_record(r) for r in session.scalars(query)]

        return self.ctx.read(read)
