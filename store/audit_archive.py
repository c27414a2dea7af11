"""Archiving old audit entries: written to a file, checked, and only then removed, in a way the triggers permit.

The audit log keeps at least 180 days (Cybersecurity Law art. 21; `XINYU_AUDIT_RETENTION_DAYS`, never
less). Older entries are never silently dropped: `archive`

1. reads the entries older than the cut-off (up to the highest id at that moment),
2. writes them as JSON Lines to a new file (never over an existing one), flushed to disk, and hashes it,
3. in one transaction: adds an *open* `audit_archive_runs` row (cut-off, highest id, file, hash, count),
   deletes exactly those entries — the triggers of migration 0007 let a DELETE through only for entries
   covered by an open run — checks the count, closes the run (the only update the triggers allow on
   runs), logs `audit.archive`, and commits.

A failure before the commit leaves every entry in place (the file then holds a copy). The run rows
stay for good: who archived what, when, into which file with which hash.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from i18n.problems import InputError, Problem
from store import audit
from store.audit import jsonable
from store.audit_log import ArchiveResult
from store.context import Context
from store.errors import IntegrityViolation
from store.models import AuditArchiveRunRow, AuditRow
from store.policy import ACCOUNT_MANAGERS, acting, require
from store.records import User

MIN_RETENTION_DAYS = 180
ARCHIVE = "security.action.archive_audit"


def archive(ctx: Context, actor: User, out: Path, retention_days: int = MIN_RETENTION_DAYS) -> ArchiveResult:
    """Archive the entries older than `retention_days` (at least 180) into `out`, then remove them."""
    if retention_days < MIN_RETENTION_DAYS:
        raise InputError([Problem("security.audit.retention_min", {"found": retention_days}, path="retention_days")])
    before = ctx.clock() - timedelta(days=retention_days)

    def read(session: Session) -> list[AuditRow]:
        me = acting(session, actor)
        require(me, ACCOUNT_MANAGERS, ARCHIVE)
        return list(session.scalars(select(AuditRow).where(AuditRow.at < before).order_by(AuditRow.id)))

    rows = ctx.read(read, actor)
    if not rows:
        return ArchiveResult(0, before, None, "")
    if out.exists():
        raise InputError([Problem("file.exists", {"found": str(out)}, file=out.name)])
    sha = _write(out, rows)
    max_id = rows[-1].id

    def remove(session: Session) -> None:
        me = acting(session, actor)
        require(me, ACCOUNT_MANAGERS, ARCHIVE)
        now = ctx.clock()
        run = AuditArchiveRunRow(
            before=before,
            max_id=max_id,
            entries=len(rows),
            path=str(out),
            sha256=sha,
            open=True,
            at=now,
            by=me.username,
        )
        session.add(run)
        session.flush()
        covered = (AuditRow.at < before) & (AuditRow.id <= max_id)
        removed = session.execute(delete(AuditRow).where(covered)).rowcount
        left = session.scalar(select(func.count()).select_from(AuditRow).where(covered))
        if removed != len(rows) or left:
            raise IntegrityViolation()  # someone else archived meanwhile: roll back, nothing removed
        run.open = False
        session.flush()
        after = {"entries": len(rows), "before": before, "max_id": max_id, "path": str(out), "sha256": sha}
        audit.record(session, me, now, "audit.archive", "audit_log", run.id, after=after)

    ctx.write(actor, remove)
    return ArchiveResult(len(rows), before, out, sha)


def _write(out: Path, rows: list[AuditRow]) -> str:
    """The entries as JSON Lines in a new file, flushed to disk; its SHA-256."""
    out.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    temp = out.with_name(f".{out.name}.partial")
    with temp.open("wb") as handle:
        for row in rows:
            line = (
                json.dumps(
                    {
                        "id": row.id,
                        "at": row.at.isoformat(),
                        "actor_id": row.actor_id,
                        "actor": row.actor,
                        "action": row.action,
                        "entity": row.entity,
                        "entity_id": row.entity_id,
                        "school_id": row.school_id,
                        "cycle_id": row.cycle_id,
                        "before": jsonable(row.before),
                        "after": jsonable(row.after),
                    },
                    ensure_ascii=False,
                    sort_keys=True,
                ).encode("utf-8")
                + b"\n"
            )
            digest.update(line)
            handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temp, out)  # fails if `out` appeared meanwhile: an archive is never overwritten
    except FileExistsError:
        temp.unlink()
        raise InputError([Problem("file.exists", {"found": str(out)}, file=out.name)]) from None
    except OSError:  # a file system without hard links
        if out.exists():
            temp.unlink()
            raise InputError([Problem("file.exists", {"found": str(out)}, file=out.name)]) from None
        os.replace(temp, out)
        return digest.hexdigest()
    temp.unlink()
    return digest.hexdigest()
