"""The demo district on first start: framework, schools with facts, a cycle, accounts, assignments, ratings.

Everything is loaded in one transaction, only into an empty database (two servers starting at once
load it once). Passwords are random and returned to be shown once (the accounts must change them),
or one fixed password from the environment (XINYU_DEMO_PASSWORD) for automated browser tests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from criteria import Framework, QuantitativeItem, Stage
from settings import Settings
from store.context import Context
from store.cycles import new_cycle, open_assessments
from store.engine import is_sqlite
from store.facts_check import check_facts_file
from store.frameworks import activate_version, store_framework
from store.imports import bulk_ratings, import_assignments, store_facts, text_frame
from store.models import AssessmentRow, RatingRow, SchoolRow, UserRow
from store.passwords import generate_password
from store.records import SYSTEM, DemoAccount, DemoLoad, Role, Status
from store.schools import upsert_schools

DEMO_PASSWORD_ENV = "XINYU_DEMO_PASSWORD"
DEMO_CYCLE = "2025学年学校心理健康教育工作评估"
DEMO_SCHOOL_YEAR = "2025-2026"
PG_DEMO_LOCK = 735_104_2025


@dataclass(frozen=True)
class DistrictFrames:
    """A district in the CSV formats: facts, ratings, assignments (school_code, inspector, lead)."""

    facts: pd.DataFrame
    ratings: pd.DataFrame
    assignments: pd.DataFrame
    inspector_names: Mapping[str, str]


def bundled_district(framework: Framework) -> DistrictFrames:
    """The demo district of `sample_data` (InputError when it does not fit the framework)."""
    from sample_data.demo import DEMO_INSPECTORS, load_demo

    district = load_demo(framework)
    return DistrictFrames(district.facts, district.ratings, district.assignments, DEMO_INSPECTORS)


def demo_password() -> str | None:
    """The fixed demo password (setting XINYU_DEMO_PASSWORD), read afresh so that tests may set it late."""
    return Settings().demo_password or None


def plan_accounts(district: DistrictFrames, fixed_password: str | None) -> list[tuple[DemoAccount, str | None]]:
    """The demo accounts (admin, bureau, inspectors, schools) with passwords, and each one's school code."""
    facts = text_frame(district.facts, "facts.csv")[0]
    inspectors = dict.fromkeys(str(i).strip().lower() for i in district.assignments["inspector"])
    accounts: list[tuple[DemoAccount, str | None]] = [
        (DemoAccount("admin", Role.ADMIN, "系统管理员", ""), None),
        (DemoAccount("bureau", Role.BUREAU, "区教育局督导室", ""), None),
    ]
    accounts += [(DemoAccount(i, Role.INSPECTOR, district.inspector_names.get(i, i), ""), None) for i in inspectors]
    accounts += [
        (DemoAccount(code.strip().lower(), Role.SCHOOL, name, ""), code.strip())
        for code, name in zip(facts["school_code"], facts["school_name"], strict=True)
    ]
    return [
        (DemoAccount(a.username, a.role, a.display_name, fixed_password or generate_password()), code)
        for a, code in accounts
    ]


def load_district(
    ctx: Context,
    framework: Framework,
    framework_text: str,
    district: DistrictFrames,
    fixed_password: str | None = None,
) -> DemoLoad | None:
    """Load the district into an empty database; None (and nothing written) when it is not empty.

    `framework_text` is the YAML that `framework` was read from (kept with the stored version).
    """
    facts_text = text_frame(district.facts, "facts.csv")[0]
    inputs, facts = check_facts_file(facts_text, "facts.csv")
    accounts = plan_accounts(district, fixed_password)
    hashes = _hashes(ctx, [a.password for a, _ in accounts], fixed_password)

    def write(session: Session) -> DemoLoad | None:
        if not is_sqlite(ctx.engine):
            session.execute(select(func.pg_advisory_xact_lock(PG_DEMO_LOCK)))
        if session.scalar(select(func.count()).select_from(UserRow)) or session.scalar(
            select(func.count()).select_from(SchoolRow)
        ):
            return None
        now, me = ctx.clock(), SYSTEM
        version = store_framework(session, me, framework, framework_text, now)
        activate_version(session, me, version, now)
        schools, _, _ = upsert_schools(session, me, inputs, now)
        cycle = new_cycle(session, me, now, DEMO_CYCLE, DEMO_SCHOOL_YEAR, version.id)
        open_assessments(session, me, now, cycle.id, [s.id for s in schools.values()])
        store_facts(session, me, now, cycle.id, facts, schools, "facts.csv")
        _add_accounts(session, accounts, hashes, schools, now, must_change=fixed_password is None)
        import_assignments(
            session,
            me,
            now,
            cycle.id,
            text_frame(district.assignments, "assignments.csv")[0],
            "assignments.csv",
        )
        bulk_ratings(
            session,
            me,
            now,
            cycle.id,
            framework,
            text_frame(district.ratings, "ratings.csv")[0],
            "ratings.csv",
        )
        _set_statuses(session, framework, cycle.id, now)
        return DemoLoad(cycle_id=cycle.id, schools=len(schools), accounts=tuple(a for a, _ in accounts))

    return ctx.tx.write(write)


def _hashes(ctx: Context, passwords: list[str], fixed: str | None) -> list[str]:
    if fixed is not None:
        return [ctx.passwords.hash(fixed)] * len(passwords)  # one test password: one hash is enough
    return ctx.passwords.hash_many(passwords)


def _add_accounts(
    session: Session,
    accounts: list[tuple[DemoAccount, str | None]],
    hashes: list[str],
    schools: Mapping[str, SchoolRow],
    now: datetime,
    must_change: bool,
) -> None:
    for (account, code), hashed in zip(accounts, hashes, strict=True):
        session.add(
            UserRow(
                username=account.username,
                display_name=account.display_name,
                role=account.role.value,
                school_id=schools[code].id if code else None,
                password_hash=hashed,
                active=True,
                failed_logins=0,
                must_change_password=must_change,
                created_at=now,
            )
        )
    session.flush()


def _set_statuses(session: Session, framework: Framework, cycle_id: int, now: datetime) -> None:
    """Set each assessment's status from its ratings.

    Draft while the self-assessment is incomplete, submitted until an inspector rates, under
    inspection until every inspector rated every applicable item, then finalized.
    """
    self_rated: dict[int, set[str]] = defaultdict(set)
    inspected: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    query = select(RatingRow.assessment_id, RatingRow.role, RatingRow.slot, RatingRow.item_id).join(
        AssessmentRow, AssessmentRow.id == RatingRow.assessment_id
    )
    for aid, role, slot, item in session.execute(query.where(AssessmentRow.cycle_id == cycle_id)):
        if role == "self":
            self_rated[aid].add(item)
        elif role == "inspector":
            inspected[aid][slot].add(item)
    rows = session.execute(
        select(AssessmentRow.id, SchoolRow.stages).join(SchoolRow).where(AssessmentRow.cycle_id == cycle_id)
    )
    by_status: dict[Status, list[int]] = defaultdict(list)
    for aid, stages in rows:
        needed = _applicable(framework, stages.split(";"))
        by_status[_status(needed, self_rated[aid], list(inspected[aid].values()))].append(aid)
    for status, ids in by_status.items():
        values: dict[str, object] = {"status": status.value}
        if status != Status.DRAFT:
            values["submitted_at"] = now
        if status == Status.FINALIZED:
            values["finalized_at"] = now
        session.execute(update(AssessmentRow).where(AssessmentRow.id.in_(ids)).values(**values))


def _applicable(framework: Framework, stages: Iterable[str]) -> set[str]:
    wanted = {Stage(s) for s in stages if s}
    return {i.id for i in framework.items() if not isinstance(i, QuantitativeItem) and wanted & set(i.applies_to)}


def _status(needed: set[str], self_rated: set[str], inspectors: list[set[str]]) -> Status:
    if not needed <= self_rated:
        return Status.DRAFT
    if not inspectors:
        return Status.SUBMITTED
    if any(not needed <= done for done in inspectors):
        return Status.UNDER_INSPECTION
    return Status.FINALIZED
