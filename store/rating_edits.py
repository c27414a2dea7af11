"""Applying rating edits to one assessment: checked by the scoring CLI's ratings reader, version by version.

An edit for an item the framework does not have, a level the item does not have, N/A where the item
does not allow it, or a rating of an item computed from facts is refused with every problem at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from criteria import Framework
from i18n.problems import InputError, Problem
from scoring.inputs import read_ratings
from store import audit
from store.locking import Target, check_rating_version
from store.models import RatingRow
from store.records import RaterRole, RatingEdit, User

MAX_TEXT = 4000


def slot_of(role: RaterRole, rater: str) -> str:
    """The uniqueness slot: one self and one consensus rating per item, one per inspector."""
    return rater if role == RaterRole.INSPECTOR else ""


def rating_key(assessment_id: int, item_id: str, role: str, slot: str) -> str:
    """The audit entity id of a rating (stable across delete and re-create)."""
    return f"{assessment_id}:{item_id}:{role}:{slot}"


def check_edits(
    framework: Framework, school_code: str, role: RaterRole, rater: str, edits: Sequence[RatingEdit]
) -> None:
    """InputError naming every bad edit (by item), or nothing."""
    problems = _text_problems(edits) + _duplicate_problems(edits)
    rated = [e for e in edits if e.level is not None]
    frame = pd.DataFrame(
        {
            "school_code": [school_code] * len(rated),
            "item_id": [e.item_id for e in rated],
            "rater": [rater or "-"] * len(rated),
            "role": [role.value] * len(rated),
            "level": [e.level or "" for e in rated],
        }
    )
    try:
        read_ratings(frame, framework, [school_code], file="ratings")
    except InputError as error:
        problems += [_by_item(p, rated) for p in error.problems if p.key != "input.duplicate_rating"]
    if problems:
        raise InputError(problems)


def apply_edits(
    session: Session,
    me: User,
    now: datetime,
    target: Target,
    role: RaterRole,
    edits: Sequence[RatingEdit],
    *,
    check_versions: bool = True,
) -> tuple[list[RatingRow], int]:
    """Insert, change or delete the ratings of `me` in `role`: (ratings kept, changes made).

    Conflicts raise before anything is kept; an edit that changes nothing writes nothing.
    """
    slot = slot_of(role, me.username)
    a = target.assessment
    query = select(RatingRow).where(
        RatingRow.assessment_id == a.id, RatingRow.role == role.value, RatingRow.slot == slot
    )
    existing = {r.item_id: r for r in session.scalars(query)}
    changed: list[RatingRow] = []
    changes = 0
    for edit in edits:
        row = existing.get(edit.item_id)
        key = rating_key(a.id, edit.item_id, role.value, slot)
        if check_versions:
            check_rating_version(session, target, edit.item_id, row, key, edit.expected_version)
        before = _values(row) if row is not None else None
        after = _edit_values(edit) if edit.level is not None else None
        if before == after:
            continue
        if row is not None and after is None:
            session.delete(row)
        elif row is None:
            row = RatingRow(
                assessment_id=a.id,
                item_id=edit.item_id,
                role=role.value,
                slot=slot,
                rater=me.username,
                rater_user_id=me.id or None,
                updated_at=now,
                updated_by=me.username,
                **after or {},
            )
            session.add(row)
        else:
            for name, value in (after or {}).items():
                setattr(row, name, value)
            row.updated_at, row.updated_by, row.rater = now, me.username, me.username
        if row is not None and after is not None:
            changed.append(row)
        changes += 1
        audit.record(
            session,
            me,
            now,
            f"rating.{role.value}",
            "rating",
            key,
            before=before,
            after=after,
            school_id=a.school_id,
            cycle_id=a.cycle_id,
        )
    session.flush()
    return changed, changes


def _values(row: RatingRow) -> dict[str, object]:
    return {
        "level": row.level,
        "account": row.account,
        "evidence_verified": row.evidence_verified,
        "finding": row.finding,
    }


def _edit_values(edit: RatingEdit) -> dict[str, object]:
    return {
        "level": edit.level,
        "account": edit.account,
        "evidence_verified": edit.evidence_verified,
        "finding": edit.finding,
    }


def _text_problems(edits: Sequence[RatingEdit]) -> list[Problem]:
    return [
        Problem("store.text_too_long", {"max": MAX_TEXT}, path=f"{e.item_id}.{name}")
        for e in edits
        for name in ("account", "finding")
        if len(getattr(e, name)) > MAX_TEXT
    ]


def _duplicate_problems(edits: Sequence[RatingEdit]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for e in edits:
        if e.item_id in seen:
            problems.append(Problem("input.duplicate_rating", {"found": e.item_id}, path=e.item_id))
        seen.add(e.item_id)
    return problems


def _by_item(problem: Problem, rated: Sequence[RatingEdit]) -> Problem:
    """The reader's problem located by item instead of by line of the one-off frame."""
    item_id = rated[problem.row - 2].item_id if problem.row is not None else None
    return dataclasses.replace(problem, file=None, row=None, path=item_id)
