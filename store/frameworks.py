"""Criteria framework versions: stored with their YAML and content hash, activated by the bureau."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from criteria import Framework, framework_hash, parse_framework_text
from store import audit
from store.context import Area
from store.convert import framework_version_record
from store.errors import NotFound
from store.models import CycleRow, FrameworkVersionRow
from store.policy import MANAGERS, acting, require
from store.records import FrameworkVersion, User

MANAGE = "store.action.manage_frameworks"


class Frameworks(Area):
    """Framework versions."""

    def add(
        self, actor: User, text: str | bytes, source: str = "framework.yaml", activate: bool = False
    ) -> FrameworkVersion:
        """Store a framework version from YAML (bureau); the same content again returns the stored version."""
        framework = parse_framework_text(text, source)  # InputError naming every problem
        source_text = text.decode("utf-8-sig") if isinstance(text, bytes) else text

        def write(session: Session) -> FrameworkVersion:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            row = store_framework(session, me, framework, source_text, self.ctx.clock())
            if activate:
                activate_version(session, me, row, self.ctx.clock())
            return framework_version_record(row)

        return self.ctx.write(actor, write)

    def activate(self, actor: User, version_id: int) -> FrameworkVersion:
        """Make a version the active one, offered for new cycles (bureau)."""

        def write(session: Session) -> FrameworkVersion:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            row = _version(session, version_id)
            activate_version(session, me, row, self.ctx.clock())
            return framework_version_record(row)

        return self.ctx.write(actor, write)

    def list_versions(self, actor: User) -> list[FrameworkVersion]:
        """Every stored version, newest first (frameworks are public criteria: any signed-in user)."""

        def read(session: Session) -> list[FrameworkVersion]:
            acting(session, actor)
            rows = session.scalars(select(FrameworkVersionRow).order_by(FrameworkVersionRow.id.desc()))
            return [framework_version_record(r) for r in rows]

        return self.ctx.read(read)

    def get(self, actor: User, version_id: int) -> Framework:
        """The framework of a stored version."""

        def read(session: Session) -> Framework:
            acting(session, actor)
            return self.ctx.frameworks.version(session, version_id)

        return self.ctx.read(read)

    def for_cycle(self, actor: User, cycle_id: int) -> Framework:
        """The framework a cycle is scored with."""

        def read(session: Session) -> Framework:
            acting(session, actor)
            cycle = session.get(CycleRow, cycle_id)
            if cycle is None:
                raise NotFound(what=f"cycle {cycle_id}")
            return self.ctx.frameworks.cycle(session, cycle)

        return self.ctx.read(read)

    def source(self, actor: User, version_id: int) -> str:
        """The YAML text the version was stored from."""

        def read(session: Session) -> str:
            acting(session, actor)
            return _version(session, version_id).source_text

        return self.ctx.read(read)


def store_framework(
    session: Session, me: User, framework: Framework, source_text: str, now: datetime
) -> FrameworkVersionRow:
    """The stored row of this framework content, adding it when new."""
    digest = framework_hash(framework)
    row = session.scalars(select(FrameworkVersionRow).where(FrameworkVersionRow.content_hash == digest)).first()
    if row is not None:
        return row
    content = json.dumps(framework.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    row = FrameworkVersionRow(
        framework_id=framework.id,
        version=framework.version,
        name=framework.name.zh,
        source_text=source_text,
        content=content,
        content_hash=digest,
        active=False,
        created_at=now,
        created_by=me.username,
    )
    session.add(row)
    session.flush()
    after = {"framework_id": framework.id, "version": framework.version, "hash": digest}
    audit.record(session, me, now, "framework.add", "framework_version", row.id, after=after)
    return row


def activate_version(session: Session, me: User, row: FrameworkVersionRow, now: datetime) -> None:
    """Make `row` the only active version."""
    if row.active:
        return
    session.execute(update(FrameworkVersionRow).where(FrameworkVersionRow.active).values(active=False))
    row.active = True
    audit.record(session, me, now, "framework.activate", "framework_version", row.id, after={"active": True})


def _version(session: Session, version_id: int) -> FrameworkVersionRow:
    row = session.get(FrameworkVersionRow, version_id)
    if row is None:
        raise NotFound(what=f"framework version {version_id}")
    return row
