"""The demo district on first start: framework, schools with facts, two cycles, accounts, assignments, ratings.

The demo has last school year's cycle, closed and kept as history (its statuses come from the
district's ratings: most finalized), and this school year's open cycle (`current_plan`): most schools
finalized again, so the bureau's first view shows real results; a few drafts with the facts filled in
and part of the self ratings, a few submitted, a few under inspection with some inspector ratings.
Both cycles use the bundled framework and the same inspector assignments.

Everything is loaded in one transaction, only into an empty database (two servers starting at once
load it once). Passwords are random and returned to be shown once (the accounts must change them),
or one fixed password from the environment (XINYU_DEMO_PASSWORD) for automated browser tests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from criteria import Framework, QuantitativeItem, Stage
from settings import Settings
from store import audit
from store.context import Context
from store.cycles import new_cycle, open_assessments
from store.engine import is_sqlite
from store.facts_check import check_facts_file
from store.frameworks import activate_version, store_framework
from store.imports import bulk_ratings, import_assignments, store_facts, text_frame
from store.models import AssessmentRow, CycleRow, PasswordHistoryRow, RatingRow, SchoolRow, UserRow
from store.passwords import generate_password
from store.records import SYSTEM, CycleStatus, DemoAccount, DemoLoad, Role, Status, User
from store.schools import upsert_schools

DEMO_PASSWORD_ENV = "XINYU_DEMO_PASSWORD"
CYCLE_TITLE = "学年学校心理健康教育工作评估"
PG_DEMO_LOCK = 735_104_2025
SELF_DEADLINE_DAYS = 21
INSPECTION_DEADLINE_DAYS = 56
DRAFT_SELF_SHARES = (0.3, 0.5, 0.7, 0.9)
"""In the current cycle, the share of its self ratings a draft has entered so far (in turn, by school)."""
INSPECTED_SHARE = 0.5
"""In the current cycle, an inspection begun this year has each inspector's first half of the items."""


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


def school_year_of(day: date) -> int:
    """The first calendar year of the school year `day` is in (a school year starts in September)."""
    return day.year if day.month >= 9 else day.year - 1


def demo_cycle_names(day: date) -> tuple[str, str]:
    """The names of the demo's past and current cycles for a load on `day`."""
    year = school_year_of(day)
    return f"{year - 1}{CYCLE_TITLE}", f"{year}{CYCLE_TITLE}"


@dataclass(frozen=True)
class CurrentPlan:
    """One school's assessment in the current cycle: its status and which of the district's ratings it has."""

    status: Status
    self_share: float = 1.0
    inspector_share: float = 0.0
    consensus: bool = False


def current_plan(past: Mapping[str, Status]) -> dict[str, CurrentPlan]:
    """Each school's assessment in the current cycle, from where it was in the past cycle (codes in order).

    A draft, submitted or unfinished inspection carries on as it was. Of the schools finalized last
    year, most are finalized again (with every rating: standard, model and veto failures alike), so the
    bureau's first view has results in every chart; every eighth (from the first) is a draft with part
    of its self ratings (30, 50, 70, 90 % in turn), every twelfth (from the fourth) has submitted and
    every twelfth (from the seventh) is under inspection with half of each inspector's items.
    """
    plan: dict[str, CurrentPlan] = {}
    finalized = 0
    for code, status in past.items():
        if status == Status.DRAFT:
            plan[code] = CurrentPlan(Status.DRAFT)
        elif status == Status.SUBMITTED:
            plan[code] = CurrentPlan(Status.SUBMITTED)
        elif status != Status.FINALIZED:
            plan[code] = CurrentPlan(Status.UNDER_INSPECTION, inspector_share=1.0, consensus=True)
        else:
            turn, finalized = finalized, finalized + 1
            if turn % 8 == 0:
                share = DRAFT_SELF_SHARES[(turn // 8) % len(DRAFT_SELF_SHARES)]
                plan[code] = CurrentPlan(Status.DRAFT, self_share=share)
            elif turn % 12 == 3:
                plan[code] = CurrentPlan(Status.SUBMITTED)
            elif turn % 12 == 6:
                plan[code] = CurrentPlan(Status.UNDER_INSPECTION, inspector_share=INSPECTED_SHARE)
            else:
                plan[code] = CurrentPlan(Status.FINALIZED, inspector_share=1.0, consensus=True)
    return plan


def current_ratings(ratings: pd.DataFrame, plan: Mapping[str, CurrentPlan]) -> pd.DataFrame:
    """The district's ratings (text frame) that the current cycle's assessments have, by `plan`."""
    codes = ratings["school_code"].astype(str).str.strip()
    role = ratings["role"].astype(str).str.strip()
    groups = [codes, ratings["rater"].astype(str).str.strip().str.lower(), role]
    position = ratings.groupby(groups).cumcount().to_numpy()
    size = ratings.groupby(groups)["item_id"].transform("size").to_numpy()
    shares = {
        "self": codes.map({c: p.self_share for c, p in plan.items()}),
        "inspector": codes.map({c: p.inspector_share for c, p in plan.items()}),
        "consensus": codes.map({c: float(p.consensus) for c, p in plan.items()}),
    }
    share = np.select(
        [(role == r).to_numpy() for r in shares],
        [s.to_numpy(dtype="float64", na_value=0.0) for s in shares.values()],
        0.0,
    )
    keep = position < np.floor(size * share + 1e-9)
    return ratings[keep].reset_index(drop=True)


def load_district(
    ctx: Context,
    framework: Framework,
    framework_text: str,
    district: DistrictFrames,
    fixed_password: str | None = None,
    previous: Sequence[tuple[Framework, str]] = (),
) -> DemoLoad | None:
    """Load the district into an empty database; None (and nothing written) when it is not empty.

    `framework_text` is the YAML that `framework` was read from (kept with the stored version).
    `previous` are earlier versions (framework, YAML) stored first and kept inactive, as a district
    that has used them would have them; both demo cycles are scored with `framework`.
    """
    facts_text = text_frame(district.facts, "facts.csv")[0]
    inputs, facts = check_facts_file(facts_text, "facts.csv")
    accounts = plan_accounts(district, fixed_password)
    hashes = _hashes(ctx, [a.password for a, _ in accounts], fixed_password)
    ratings = text_frame(district.ratings, "ratings.csv")[0]
    assignments = text_frame(district.assignments, "assignments.csv")[0]

    def write(session: Session) -> DemoLoad | None:
        if not is_sqlite(ctx.engine):
            session.execute(select(func.pg_advisory_xact_lock(PG_DEMO_LOCK)))
        if session.scalar(select(func.count()).select_from(UserRow)) or session.scalar(
            select(func.count()).select_from(SchoolRow)
        ):
            return None
        now, me = ctx.clock(), SYSTEM
        for old, old_text in previous:
            store_framework(session, me, old, old_text, now)
        version = store_framework(session, me, framework, framework_text, now)
        activate_version(session, me, version, now)
        schools, _, _ = upsert_schools(session, me, inputs, now)
        _add_accounts(session, accounts, hashes, schools, now, must_change=fixed_password is None)
        year = school_year_of(now.date())
        past_name, current_name = demo_cycle_names(now.date())

        def cycle(name: str, first_year: int, cycle_ratings: pd.DataFrame) -> CycleRow:
            row = new_cycle(session, me, now, name, f"{first_year}-{first_year + 1}", version.id)
            open_assessments(session, me, now, row.id, [s.id for s in schools.values()])
            store_facts(session, me, now, row.id, facts, schools, "facts.csv")
            import_assignments(session, me, now, row.id, assignments, "assignments.csv")
            bulk_ratings(session, me, now, row.id, framework, cycle_ratings, "ratings.csv")
            return row

        past = cycle(past_name, year - 1, ratings)
        past_statuses = _statuses_from_ratings(session, framework, past.id)
        _set_statuses(session, now, past.id, past_statuses)
        _close(session, me, now, past, date(year - 1, 12, 15), date(year, 3, 31))
        codes = {s.id: code for code, s in schools.items()}
        past_by_code = {codes[sid]: status for sid, status in sorted(past_statuses.items(), key=lambda p: codes[p[0]])}
        plan = current_plan(past_by_code)
        current = cycle(current_name, year, current_ratings(ratings, plan))
        current.self_deadline = now.date() + timedelta(days=SELF_DEADLINE_DAYS)
        current.inspection_deadline = now.date() + timedelta(days=INSPECTION_DEADLINE_DAYS)
        _set_statuses(session, now, current.id, {s.id: plan[code].status for code, s in schools.items()})
        return DemoLoad(
            cycle_id=current.id,
            schools=len(schools),
            accounts=tuple(a for a, _ in accounts),
            past_cycle_id=past.id,
        )

    return ctx.tx.write(write)


def _close(session: Session, me: User, now: datetime, cycle: CycleRow, self_deadline: date, inspection: date) -> None:
    """Close a cycle that is history, with the deadlines it had (audited)."""
    cycle.status, cycle.self_deadline, cycle.inspection_deadline = CycleStatus.CLOSED.value, self_deadline, inspection
    after = {"status": cycle.status, "self_deadline": self_deadline, "inspection_deadline": inspection}
    audit.record(
        session, me, now, "cycle.update", "cycle", cycle.id, before={"status": "open"}, after=after, cycle_id=cycle.id
    )


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
    rows = []
    for (account, code), hashed in zip(accounts, hashes, strict=True):
        rows.append(
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
                password_changed_at=now,
                failures_since_login=0,
            )
        )
    session.add_all(rows)
    session.flush()
    session.add_all(PasswordHistoryRow(user_id=r.id, password_hash=r.password_hash, created_at=now) for r in rows)


def _statuses_from_ratings(session: Session, framework: Framework, cycle_id: int) -> dict[int, Status]:
    """Each assessment's status as its ratings show it, by school id.

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
        select(AssessmentRow.id, AssessmentRow.school_id, SchoolRow.stages)
        .join(SchoolRow)
        .where(AssessmentRow.cycle_id == cycle_id)
    )
    return {
        school_id: _status(_applicable(framework, stages.split(";")), self_rated[aid], list(inspected[aid].values()))
        for aid, school_id, stages in rows
    }


def _set_statuses(session: Session, now: datetime, cycle_id: int, statuses: Mapping[int, Status]) -> None:
    """Move the cycle's draft assessments to their school's status (audited), with the stages submitted."""
    query = select(AssessmentRow, SchoolRow.stages).join(SchoolRow).where(AssessmentRow.cycle_id == cycle_id)
    for a, stages in session.execute(query.execution_options(populate_existing=True)).all():
        status = statuses[a.school_id]
        if status == Status.DRAFT:
            continue
        a.status, a.submitted_at, a.school_stages = status.value, now, stages
        if status == Status.FINALIZED:
            a.finalized_at = now
        a.updated_at, a.updated_by = now, SYSTEM.username
        audit.status_change(session, SYSTEM, now, a, Status.DRAFT.value, note=None)
    session.flush()


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


def demo_account_lines(loaded: DemoLoad, lang: str = "zh") -> list[str]:
    """What the terminal shows once after a demo load: where the passwords are, then one line per account.

    Printed where the app or `xinyu demo` was started, never in a browser.
    """
    from i18n.catalog import t

    if demo_password():
        return [t("store.cli.fixed_password", lang)]
    lines = [t("store.cli.passwords_once", lang), t("accounts.cli.demo_where", lang)]
    lines += [f"{a.username}\t{a.role.value}\t{a.display_name}\t{a.password}" for a in loaded.accounts]
    return lines
