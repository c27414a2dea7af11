"""On-site overrides: the inspection team's level of a computed item, set by the lead with a required reason.

A computed (quantitative) item takes its level from the school's facts. When the site visit shows
that the facts do not tell the whole story (e.g. a counselling room shared with another use, pupils
who joined mid-year), the lead inspector sets the item's level for the inspection result and writes
why. The official result uses the override; explain, the reports and the audit log show it as such.
Only the lead inspector of the school's team may set or withdraw one, and only until finalization.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from criteria import Framework, QuantitativeItem
from i18n.problems import InputError, Problem
from store import audit
from store.context import Area
from store.cycles import cycle_row
from store.frames import scope
from store.locking import load, touch
from store.models import AssessmentRow, ItemOverrideRow, SchoolRow
from store.policy import Duty, access, acting, check_duty, check_view
from store.records import Status, User

MAX_REASON = 2000
ACTION = "judgement.override.action"
OVERRIDE_COLUMNS = ("school_code", "item_id", "level", "reason", "by")


@dataclass(frozen=True)
class ItemOverride:
    """One override as stored."""

    assessment_id: int
    item_id: str
    level: str
    reason: str
    set_by: str  # account name
    set_by_name: str  # display name
    updated_at: datetime


def _record(row: ItemOverrideRow) -> ItemOverride:
    return ItemOverride(
        row.assessment_id, row.item_id, row.level, row.reason, row.set_by, row.set_by_name, row.updated_at
    )


def check_override(framework: Framework, item_id: str, level: str, reason: str) -> list[Problem]:
    """Every problem of an override: a computed item, one of its levels, a reason of sensible length."""
    try:
        item = framework.item(item_id)
    except KeyError:
        return [Problem("input.unknown_item", {"found": item_id}, path="item_id")]
    problems = []
    if not isinstance(item, QuantitativeItem):
        problems.append(
            Problem("judgement.override.not_computed", {"item": f"{item.id} {item.title.zh}"}, path="item_id")
        )
    elif level not in [lv.id for lv in item.levels]:
        expected = ", ".join(lv.id for lv in item.levels)
        problems.append(
            Problem(
                "judgement.override.unknown_level",
                {"item": item.id, "found": level, "expected": expected},
                path="level",
            )
        )
    text = reason.strip()
    if not text:
        problems.append(Problem("judgement.override.reason_required", {}, path="reason"))
    elif len(text) > MAX_REASON:
        problems.append(Problem("judgement.override.too_long", {"max": MAX_REASON, "found": len(text)}, path="reason"))
    return problems


class Overrides(Area):
    """On-site overrides of computed items."""

    def set(self, actor: User, assessment_id: int, item_id: str, level: str, reason: str) -> ItemOverride:
        """Set (or change) the override of a computed item (the school's lead inspector); audited."""

        def write(session: Session) -> ItemOverride:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=True)
            standing = access(session, me, target.assessment)
            check_duty(standing, Duty.LEAD, target.assessment, target.cycle, f"override:{item_id}")
            framework = self.ctx.frameworks.cycle(session, target.cycle)
            problems = check_override(framework, item_id.strip(), level.strip(), reason)
            if problems:
                raise InputError(problems)
            now = self.ctx.clock()
            row = _row(session, assessment_id, item_id.strip())
            before = _values(row) if row is not None else None
            if row is None:
                row = ItemOverrideRow(assessment_id=assessment_id, item_id=item_id.strip())
                session.add(row)
            row.level, row.reason = level.strip(), reason.strip()
            row.set_by, row.set_by_name, row.updated_at = me.username, me.display_name or me.username, now
            session.flush()
            audit.record(
                session,
                me,
                now,
                "override.set",
                "item_override",
                f"{assessment_id}:{row.item_id}",
                before=before,
                after=_values(row),
                school_id=target.assessment.school_id,
                cycle_id=target.assessment.cycle_id,
            )
            touch(session, target, me, now)
            return _record(row)

        return self.ctx.write(actor, write)

    def clear(self, actor: User, assessment_id: int, item_id: str) -> bool:
        """Withdraw an override (the school's lead inspector); False when there was none. Audited."""

        def write(session: Session) -> bool:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=True)
            standing = access(session, me, target.assessment)
            check_duty(standing, Duty.LEAD, target.assessment, target.cycle, f"override:{item_id}")
            row = _row(session, assessment_id, item_id)
            if row is None:
                return False
            now = self.ctx.clock()
            before = _values(row)
            session.delete(row)
            audit.record(
                session,
                me,
                now,
                "override.clear",
                "item_override",
                f"{assessment_id}:{item_id}",
                before=before,
                school_id=target.assessment.school_id,
                cycle_id=target.assessment.cycle_id,
            )
            touch(session, target, me, now)
            return True

        return self.ctx.write(actor, write)

    def list_overrides(self, actor: User, assessment_id: int) -> list[ItemOverride]:
        """The assessment's overrides, by item (anyone who may see the assessment)."""

        def read(session: Session) -> list[ItemOverride]:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=False)
            standing = access(session, me, target.assessment)
            check_view(standing)
            if not _shown(standing.school, target.assessment.status):
                return []
            query = select(ItemOverrideRow).where(ItemOverrideRow.assessment_id == assessment_id)
            return [_record(r) for r in sorted(session.scalars(query), key=lambda r: r.item_id)]

        return self.ctx.read(read)

    def frame(self, actor: User, cycle_id: int, school_id: int | None = None) -> pd.DataFrame:
        """The cycle's overrides the actor may see, in the shape `scoring.score_district(overrides=...)` reads."""

        def read(session: Session) -> pd.DataFrame:
            me = acting(session, actor)
            allowed = scope(session, me, cycle_id, school_id)
            cycle_row(session, cycle_id)
            query = (
                select(SchoolRow.code, ItemOverrideRow.item_id, ItemOverrideRow.level, ItemOverrideRow.reason)
                .add_columns(ItemOverrideRow.set_by_name, AssessmentRow.school_id, AssessmentRow.status)
                .join_from(ItemOverrideRow, AssessmentRow, AssessmentRow.id == ItemOverrideRow.assessment_id)
                .join_from(AssessmentRow, SchoolRow, SchoolRow.id == AssessmentRow.school_id)
                .where(AssessmentRow.cycle_id == cycle_id)
                .order_by(SchoolRow.code, ItemOverrideRow.item_id)
            )
            if allowed is not None:
                query = query.where(AssessmentRow.school_id.in_(list(allowed)))
            rows = [
                tuple(r[:5]) for r in session.execute(query) if allowed is None or _shown(allowed[r[5]].school, r[6])
            ]
            return pd.DataFrame(rows, columns=list(OVERRIDE_COLUMNS))

        return self.ctx.read(read)


def _shown(school: bool, status: str) -> bool:
    """A school sees the inspection's overrides as it sees the inspection ratings: once finalized or returned."""
    return not school or status in (Status.FINALIZED, Status.RETURNED)


def _row(session: Session, assessment_id: int, item_id: str) -> ItemOverrideRow | None:
    query = select(ItemOverrideRow).where(
        ItemOverrideRow.assessment_id == assessment_id, ItemOverrideRow.item_id == item_id
    )
    return session.scalars(query).first()


def _values(row: ItemOverrideRow) -> dict[str, str]:
    return {"item_id": row.item_id, "level": row.level, "reason": row.reason, "by": row.set_by}
