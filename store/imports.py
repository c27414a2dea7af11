"""Bulk imports from CSV: schools (register or facts CSV), ratings (scoring CLI format), assignments.

Each import is checked in full first (a file with any bad row imports nothing and lists every bad row
with its line and column) and then written in one transaction, so that a crash or a kill half-way
leaves the database exactly as it was. Cells an export escaped for spreadsheets are read back as
they were (`store.csv_cells`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from criteria import Framework
from i18n.problems import InputError, Problem
from scoring.facts import FACTS
from scoring.inputs import (
    FALSE_WORDS,
    OPTIONAL_SCHOOL_COLUMNS,
    SCHOOL_COLUMNS,
    TRUE_WORDS,
    read_csv_text,
    read_ratings,
)
from store import audit
from store.bulk import driver_value, insert_rows
from store.context import Area
from store.csv_cells import unescape_frame
from store.cycles import audit_assignment, cycle_row, demote_leads, open_assessments
from store.facts_check import check_facts_file
from store.models import AssessmentRow, AssignmentRow, RatingRow, SchoolRow, UserRow
from store.policy import MANAGERS, acting, require
from store.rating_edits import MAX_TEXT, slot_of
from store.records import ImportResult, RaterRole, Role, Status, User
from store.register import check_register, column_problems, line
from store.schools import upsert_schools

Progress = Callable[[int], None]
INSERT_COLUMNS = (
    "assessment_id",
    "item_id",
    "role",
    "slot",
    "rater",
    "rater_user_id",
    "level",
    "account",
    "evidence_verified",
    "finding",
    "updated_at",
    "updated_by",
    "version_id",
)
Source = str | Path | bytes | pd.DataFrame
CHUNK = 2000
IMPORT = "store.action.import_data"
MAX_RATER = 64
REGISTER_TEXT_COLUMNS = (*SCHOOL_COLUMNS, *OPTIONAL_SCHOOL_COLUMNS)  # what an export escapes (store.csv_cells)


def text_frame(source: Source, file: str | None) -> tuple[pd.DataFrame, str]:
    """The source as text cells, and the name problems are reported under.

    A file or the bytes of an upload are decoded by the one rule of every CSV door
    (`scoring.inputs.read_csv_text`: UTF-8 with or without BOM, UTF-16, GB18030/GBK).
    """
    if isinstance(source, pd.DataFrame):
        return source.astype(str), file or "data"
    if isinstance(source, bytes):
        return read_csv_text(source, file or "data"), file or "data"
    return read_csv_text(source), file or Path(source).name


class Imports(Area):
    """Bulk imports (bureau, or the local operator)."""

    def schools(
        self, actor: User, source: Source, *, cycle_id: int | None = None, file: str | None = None
    ) -> ImportResult:
        """Add or update schools from a register CSV or a facts CSV.

        With `cycle_id`, their assessments in the cycle are opened and (from a facts CSV) their facts stored.
        Text cells lose the quote an export put before a formula-like text (`store.csv_cells`).
        """
        text, name = text_frame(source, file)
        text = unescape_frame(text, REGISTER_TEXT_COLUMNS)
        has_facts = any(column in FACTS and column != "campuses" for column in text.columns)
        inputs, facts = check_facts_file(text, name) if has_facts else (check_register(text, name), {})

        def write(session: Session) -> ImportResult:
            me = acting(session, actor)
            require(me, MANAGERS, IMPORT)
            rows, created, updated = upsert_schools(session, me, inputs, self.ctx.clock())
            if cycle_id is not None:
                cycle_row(session, cycle_id)
                open_assessments(session, me, self.ctx.clock(), cycle_id, [rows[i.code].id for i in inputs])
                store_facts(session, me, self.ctx.clock(), cycle_id, facts, rows, name)
            return ImportResult(rows=len(inputs), created=created, updated=updated)

        return self.ctx.write(actor, write)

    def ratings(
        self,
        actor: User,
        cycle_id: int,
        source: Source,
        *,
        file: str | None = None,
        progress: Progress | None = None,
        chunk_size: int = CHUNK,
    ) -> ImportResult:
        """Add or change a cycle's ratings from the scoring CLI's ratings CSV (finalized ones refused).

        Raters of inspector and consensus rows are user names (compared stripped and in lower case) of
        inspectors assigned to the school in the cycle; others are refused by line.
        """
        text, name = text_frame(source, file)
        text = unescape_frame(text)

        def write(session: Session) -> ImportResult:
            me = acting(session, actor)
            require(me, MANAGERS, IMPORT)
            cycle = cycle_row(session, cycle_id)
            framework = self.ctx.frameworks.cycle(session, cycle)
            return bulk_ratings(session, me, self.ctx.clock(), cycle_id, framework, text, name, progress, chunk_size)

        return self.ctx.write(actor, write)

    def assignments(self, actor: User, cycle_id: int, source: Source, *, file: str | None = None) -> ImportResult:
        """Assign inspectors from a CSV (school_code, inspector, lead)."""
        text, name = text_frame(source, file)

        def write(session: Session) -> ImportResult:
            me = acting(session, actor)
            require(me, MANAGERS, "store.action.manage_assignments")
            cycle_row(session, cycle_id)
            return import_assignments(session, me, self.ctx.clock(), cycle_id, text, name)

        return self.ctx.write(actor, write)


def store_facts(
    session: Session,
    me: User,
    now: datetime,
    cycle_id: int,
    facts: dict[str, dict[str, float]],
    schools: dict[str, SchoolRow],
    file: str,
) -> None:
    """Set the facts of the schools' assessments in the cycle; changing a finalized one is refused, by line."""
    if not facts:
        return
    ids = {schools[code].id: code for code in facts}
    query = select(AssessmentRow).where(AssessmentRow.cycle_id == cycle_id, AssessmentRow.school_id.in_(list(ids)))
    assessments = {ids[a.school_id]: a for a in session.scalars(query.with_for_update())}
    lines = {code: line(n) for n, code in enumerate(facts)}
    problems = [
        Problem("store.import_finalized", {"found": code}, file=file, row=lines[code], column="school_code")
        for code, a in assessments.items()
        if a.status == Status.FINALIZED and dict(a.facts or {}) != facts[code]
    ]
    if problems:
        raise InputError(problems)
    for code, values in facts.items():
        a = assessments[code]
        if dict(a.facts or {}) != values:
            before, a.facts = dict(a.facts or {}), values
            a.updated_at, a.updated_by = now, me.username
            where = {"school_id": a.school_id, "cycle_id": cycle_id}
            audit.record(session, me, now, "assessment.facts", "assessment", a.id, before=before, after=values, **where)
    session.flush()


def bulk_ratings(
    session: Session,
    me: User,
    now: datetime,
    cycle_id: int,
    framework: Framework,
    text: pd.DataFrame,
    file: str,
    progress: Progress | None = None,
    chunk_size: int = CHUNK,
) -> ImportResult:
    """Check a ratings CSV against the cycle, then insert or change its ratings in chunks.

    `progress(rows done)` is called after each chunk is written (inside the one transaction).
    """
    query = (
        select(SchoolRow.code, AssessmentRow.id, AssessmentRow.status)
        .join_from(AssessmentRow, SchoolRow, SchoolRow.id == AssessmentRow.school_id)
        .where(AssessmentRow.cycle_id == cycle_id)
        .with_for_update(of=AssessmentRow)
    )
    assessments = {code: (aid, status) for code, aid, status in session.execute(query)}
    text = normalised_raters(text)
    problems = _rater_problems(session, cycle_id, text, set(assessments), file)
    try:
        checked = read_ratings(text, framework, list(assessments), file=file)
    except InputError as error:
        raise InputError(_by_line(error.problems + problems)) from None
    if problems:
        raise InputError(problems)
    plan = _RatingPlan(session, me, now, [aid for aid, _ in assessments.values()])
    names = ("school_code", "item_id", "role", "rater", "level", "account", "finding")
    columns = [checked[c].astype(str).to_numpy() for c in names]
    changes = [
        plan.add(assessments[code][0], item, role, rater, {"level": level, "account": account, "finding": finding})
        for code, item, role, rater, level, account, finding in zip(*columns, strict=True)
    ]
    finalized = checked["school_code"].astype(str).map(lambda code: assessments[code][1] == Status.FINALIZED)
    if problems := _rating_row_problems(
        checked, np.asarray(changes, dtype=bool) & finalized.to_numpy(dtype=bool), file
    ):
        raise InputError(problems)
    plan.write(chunk_size, progress)
    plan.finish(cycle_id)
    return ImportResult(rows=len(checked), created=plan.created, updated=plan.updated)


def normalised_raters(text: pd.DataFrame) -> pd.DataFrame:
    """The ratings CSV with the raters of inspector and consensus rows written as user names (stripped, lower case).

    Those raters are accounts: 'Insp01 ' and 'insp01' are one inspector, so one rating slot.
    """
    if "rater" not in text.columns or "role" not in text.columns:
        return text
    role = text["role"].astype(str).str.strip()
    rater = text["rater"].astype(str)
    accounts = role.isin([RaterRole.INSPECTOR.value, RaterRole.CONSENSUS.value]).to_numpy()
    out = text.copy()
    out["rater"] = np.where(accounts, rater.str.strip().str.lower().to_numpy(), rater.to_numpy())
    return out


def _rater_problems(session: Session, cycle_id: int, text: pd.DataFrame, codes: set[str], file: str) -> list[Problem]:
    """Inspector and consensus rows whose rater is no inspector assigned to that school in the cycle."""
    if not {"school_code", "role", "rater"} <= set(text.columns):
        return []  # the reader reports the missing columns
    query = (
        select(SchoolRow.code, UserRow.username)
        .join_from(AssignmentRow, SchoolRow, SchoolRow.id == AssignmentRow.school_id)
        .join(UserRow, UserRow.id == AssignmentRow.inspector_id)
        .where(AssignmentRow.cycle_id == cycle_id)
    )
    assigned = {(code, name) for code, name in session.execute(query)}
    rows = zip(
        text["school_code"].astype(str).str.strip(),
        text["role"].astype(str).str.strip(),
        text["rater"].astype(str),
        strict=True,
    )
    return [
        Problem("store.unassigned_rater", {"found": rater, "school": code}, file=file, row=line(n), column="rater")
        for n, (code, role, rater) in enumerate(rows)
        if role in (RaterRole.INSPECTOR, RaterRole.CONSENSUS)
        and code in codes
        and rater
        and (code, rater) not in assigned
    ]


def _by_line(problems: list[Problem]) -> list[Problem]:
    """Problems in file order: by line, then column."""
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def _rating_row_problems(checked: pd.DataFrame, changes_finalized: np.ndarray, file: str) -> list[Problem]:
    """Rows that would change a finalized assessment, and texts too long to store."""
    checks = [
        (changes_finalized, "school_code", "store.import_finalized"),
        (checked["rater"].astype(str).str.len().to_numpy() > MAX_RATER, "rater", "store.bad_text"),
        (checked["account"].astype(str).str.len().to_numpy() > MAX_TEXT, "account", "store.text_too_long"),
        (checked["finding"].astype(str).str.len().to_numpy() > MAX_TEXT, "finding", "store.text_too_long"),
    ]
    problems = []
    for mask, column, key in checks:
        for n in np.flatnonzero(mask):
            found = str(checked[column].iloc[n])
            params = {"found": found if column == "school_code" else found[:20] + "…", "max": MAX_TEXT}
            if column == "rater":
                params["max"] = MAX_RATER
            problems.append(Problem(key, params, file=file, row=line(int(n)), column=column))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


class _RatingPlan:
    """Inserts and updates of one ratings import, written in chunks, with one audit entry per assessment."""

    def __init__(self, session: Session, me: User, now: datetime, assessment_ids: list[int]) -> None:
        self.session, self.me, self.now = session, me, now
        self.users = {u.username: u.id for u in session.execute(select(UserRow.username, UserRow.id))}
        self.existing = self._existing(assessment_ids)
        self.inserts: list[dict[str, object]] = []
        self.updates: list[dict[str, object]] = []
        self.before: dict[int, dict[str, object]] = {}
        self.after: dict[int, dict[str, object]] = {}
        self.created = self.updated = 0

    def _existing(self, assessment_ids: list[int]) -> dict[tuple[int, str, str, str], tuple[int, dict[str, object]]]:
        t = RatingRow.__table__.c
        query = select(t.id, t.assessment_id, t.item_id, t.role, t.slot, t.level, t.account, t.finding, t.version_id)
        out: dict[tuple[int, str, str, str], tuple[int, dict[str, object]]] = {}
        for rid, aid, item, role, slot, level, account, finding, version in self.session.execute(
            query.where(t.assessment_id.in_(assessment_ids))
        ):
            out[(aid, item, role, slot)] = (
                rid,
                {"level": level, "account": account, "finding": finding, "_version": version},
            )
        return out

    def add(self, assessment_id: int, item_id: str, role: str, rater: str, values: dict[str, str]) -> bool:
        """Plan one CSV rating: an insert, an update, or nothing when it is unchanged (False)."""
        slot = slot_of(RaterRole(role), rater)
        label = f"{item_id}:{role}:{slot}"
        stamp = {
            "rater": rater,
            "rater_user_id": self.users.get(rater.lower()),
            "updated_at": self.now,
            "updated_by": self.me.username,
        }
        found = self.existing.get((assessment_id, item_id, role, slot))
        if found is None:
            new = {"assessment_id": assessment_id, "item_id": item_id, "role": role, "slot": slot}
            self.inserts.append({**new, "evidence_verified": None, "version_id": 1, **values, **stamp})
            self.after.setdefault(assessment_id, {})[label] = values
            return True
        rating_id, old = found
        before = {k: old[k] for k in values}
        if before == values:
            return False
        self.updates.append({"b_id": rating_id, "version_id": int(old["_version"]) + 1, **values, **stamp})
        self.before.setdefault(assessment_id, {})[label] = before
        self.after.setdefault(assessment_id, {})[label] = values
        return True

    def write(self, chunk_size: int, progress: Progress | None) -> None:
        """Write the planned inserts, then the updates, a chunk at a time; `progress(rows written)` after each."""
        table = RatingRow.__table__
        at = driver_value(self.session, table, "updated_at", self.now)
        done = 0
        for start in range(0, len(self.inserts), chunk_size):
            chunk = self.inserts[start : start + chunk_size]
            rows = [tuple(at if c == "updated_at" else r[c] for c in INSERT_COLUMNS) for r in chunk]
            insert_rows(self.session, table, INSERT_COLUMNS, rows)
            done += len(chunk)
            if progress is not None:
                progress(done)
        statement = update(table).where(table.c.id == bindparam("b_id"))
        for start in range(0, len(self.updates), chunk_size):
            chunk = self.updates[start : start + chunk_size]
            self.session.execute(statement, chunk)
            done += len(chunk)
            if progress is not None:
                progress(done)
        self.created, self.updated = len(self.inserts), len(self.updates)

    def finish(self, cycle_id: int) -> None:
        """Bump the version of every assessment changed, and audit each."""
        touched = sorted(set(self.after))
        table = AssessmentRow.__table__
        for start in range(0, len(touched), CHUNK):
            chunk = touched[start : start + CHUNK]
            values = {
                "version_id": table.c.version_id + 1,
                "updated_at": self.now,
                "updated_by": self.me.username,
            }
            self.session.execute(update(table).where(table.c.id.in_(chunk)).values(**values))
        for aid in touched:
            audit.record(
                self.session,
                self.me,
                self.now,
                "ratings.import",
                "assessment",
                aid,
                before=self.before.get(aid),
                after=self.after[aid],
                cycle_id=cycle_id,
            )


def import_assignments(
    session: Session, me: User, now: datetime, cycle_id: int, text: pd.DataFrame, file: str
) -> ImportResult:
    """Assign inspectors from rows (school_code, inspector, lead); every bad row is listed."""
    problems = column_problems(text.columns, ("school_code", "inspector"), ("lead",), file)
    if problems:
        raise InputError(problems)
    schools = {c: i for c, i in session.execute(select(SchoolRow.code, SchoolRow.id))}
    query = select(UserRow.username, UserRow.id).where(UserRow.role == Role.INSPECTOR.value, UserRow.active)
    inspectors = {u: i for u, i in session.execute(query)}
    rows, seen, leads = [], set(), set()
    for n, record in enumerate(text.astype(str).to_dict("records")):
        code, name = record["school_code"].strip(), record["inspector"].strip().lower()
        lead_text = record.get("lead", "").strip().lower()
        lead = lead_text in TRUE_WORDS
        where = {"file": file, "row": line(n)}
        if code not in schools:
            problems.append(Problem("input.unknown_school", {"found": code}, column="school_code", **where))
        if name not in inspectors:
            problems.append(Problem("store.not_inspector", {"found": name}, column="inspector", **where))
        if lead_text and lead_text not in TRUE_WORDS | FALSE_WORDS:
            problems.append(Problem("input.bad_bool", {"found": record["lead"]}, column="lead", **where))
        if (code, name) in seen or (lead and code in leads):
            problems.append(Problem("store.duplicate_assignment", {"found": f"{code} / {name}"}, **where))
        seen.add((code, name))
        if lead:
            leads.add(code)
        rows.append((code, name, lead))
    if problems:
        raise InputError(problems)
    return _apply_assignments(session, me, now, cycle_id, [(schools[c], inspectors[n], lead) for c, n, lead in rows])


def _apply_assignments(
    session: Session, me: User, now: datetime, cycle_id: int, rows: list[tuple[int, int, bool]]
) -> ImportResult:
    """Add or change assignments at once; a school given a lead here loses its previous lead.

    Every change is audited with its values before and after, the previous leads' demotion included.
    """
    existing = {
        (a.school_id, a.inspector_id): a
        for a in session.scalars(select(AssignmentRow).where(AssignmentRow.cycle_id == cycle_id))
    }
    query = select(UserRow.id, UserRow.username).where(UserRow.role == Role.INSPECTOR.value)
    names = {user_id: username for user_id, username in session.execute(query)}
    from store.quality import check_leads  # here: store.quality builds on store.cycles

    check_leads(session, cycle_id, [inspector for _, inspector, lead in rows if lead], now.date())
    for school in dict.fromkeys(school for school, _, lead in rows if lead):
        new_lead = next(inspector for s, inspector, lead in rows if s == school and lead)
        demote_leads(session, me, now, cycle_id, school, keep=new_lead)
    changes: list[tuple[AssignmentRow, dict[str, object] | None, dict[str, object]]] = []
    for school, inspector, lead in rows:
        row = existing.get((school, inspector))
        before = {"inspector": names[inspector], "lead": row.lead} if row is not None else None
        if row is None:
            row = AssignmentRow(cycle_id=cycle_id, school_id=school, inspector_id=inspector, lead=lead)
            session.add(row)
            existing[(school, inspector)] = row
        elif row.lead != lead:
            row.lead = lead
        else:
            continue
        changes.append((row, before, {"inspector": names[inspector], "lead": lead}))
    session.flush()
    for row, before, after in changes:
        audit_assignment(session, me, now, row, before, after)
    created = sum(before is None for _, before, _ in changes)
    return ImportResult(rows=len(rows), created=created, updated=len(changes) - created)
