"""Smaller parts of the service API the pages rely on, and the catalog entries of the store."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from storekit import FRAMEWORK, World

from i18n.catalog import MESSAGES
from store.errors import ConflictError, InvalidState, NotFound, PermissionDenied, ReadOnlyError
from store.frames import fetch_columns
from store.models import RatingRow
from store.records import SYSTEM, CycleStatus, RaterRole, RatingEdit, Status

STORE = Path(__file__).resolve().parents[2] / "store"


def test_capabilities_follow_role_and_status(world: World) -> None:
    sv, a = world.sv, world.assessment_a

    def caps(who: str) -> tuple[bool, bool, bool]:
        c = sv.assessments.capabilities(world.users[who], a)
        return c.edit_self, c.rate, c.lead

    assert caps("school_a") == (True, False, False)
    assert caps("inspector") == (False, True, False)
    assert caps("lead") == (False, True, True)
    assert caps("bureau") == (False, False, False)
    world.submit_a()
    assert caps("school_a") == (False, False, False)
    world.inspect_a()
    sv.assessments.finalize(world.users["lead"], a, world.version_a())
    assert caps("lead") == (False, False, False) and caps("inspector") == (False, False, False)


def test_lead_steps(world: World) -> None:
    sv, lead = world.sv, world.users["lead"]
    world.submit_a()
    started = sv.assessments.start_inspection(lead, world.assessment_a, world.version_a())
    assert started.status == Status.UNDER_INSPECTION and started.updated_by == "lead"
    with pytest.raises(InvalidState):
        sv.assessments.start_inspection(lead, world.assessment_a, world.version_a())
    with pytest.raises(ConflictError):
        sv.assessments.return_for_revision(lead, world.assessment_a, started.version - 1, "x")


def test_a_new_lead_replaces_the_previous_one(world: World) -> None:
    sv = world.sv
    sv.cycles.assign(world.users["bureau"], world.cycle_id, world.school_a, world.users["inspector"].id, lead=True)
    leads = {a.inspector: a.lead for a in sv.cycles.assignments(SYSTEM, world.cycle_id) if a.school_code == "A001"}
    assert leads == {"inspector": True, "lead": False}
    assert sv.assessments.capabilities(world.users["inspector"], world.assessment_a).lead
    assert not sv.assessments.capabilities(world.users["lead"], world.assessment_a).lead
    (mine,) = [a for a in sv.cycles.assignments(world.users["lead"], world.cycle_id)]
    sv.cycles.unassign(world.users["bureau"], mine.id)
    with pytest.raises(PermissionDenied):
        sv.assessments.get(world.users["lead"], world.assessment_a)


def test_cycles_and_frameworks(world: World) -> None:
    sv, bureau = world.sv, world.users["bureau"]
    assert sv.cycles.by_name(world.users["school_a"], " 2025学年 ").id == world.cycle_id
    with pytest.raises(NotFound):
        sv.cycles.by_name(bureau, "无此周期")
    framework = sv.frameworks.for_cycle(world.users["inspector"], world.cycle_id)
    assert [i.id for i in framework.items()] == ["i1", "i2", "i3", "i4"]
    assert sv.frameworks.source(bureau, world.version_id) == FRAMEWORK.read_text(encoding="utf-8")
    again = sv.frameworks.add(bureau, FRAMEWORK.read_text(encoding="utf-8"))
    assert again.id == world.version_id  # the same content is stored once
    new = sv.cycles.create(bureau, "2026学年", "2026-2027", world.version_id, school_ids=[world.school_b])
    assert [a.school_code for a in sv.assessments.list_assessments(bureau, new.id)] == ["B001"]
    assert sv.cycles.add_schools(bureau, new.id, [world.school_a, world.school_b]) == 1
    closed = sv.cycles.update(bureau, new.id, status=CycleStatus.CLOSED)
    assert closed.status == CycleStatus.CLOSED


def test_me_and_by_username(world: World) -> None:
    me = world.users["school_a"]
    assert world.sv.accounts.me(me) == me
    assert world.sv.accounts.by_username(me, "SCHOOL_A").id == me.id
    with pytest.raises(PermissionDenied):
        world.sv.accounts.by_username(me, "lead")
    assert world.sv.schools.by_code(me, "A001").id == world.school_a


def test_read_only_is_a_kind_of_permission_denied() -> None:
    refused = ReadOnlyError("assessment", "1", "save_facts", 1, 1)
    assert isinstance(refused, PermissionDenied)
    assert "定稿" in refused.render("zh") and "finalized" in refused.render("en")


def test_every_store_message_has_chinese_and_english() -> None:
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in (*STORE.glob("*.py"), STORE.parent / "cli" / "store_cmds.py")
    )
    keys = set(re.findall(r'"(store\.[a-z_.]+[a-z_])"', source)) | {f"store.status.{s.value}" for s in Status}
    missing = sorted(k for k in keys if not (MESSAGES.get(k, {}).get("zh") and MESSAGES.get(k, {}).get("en")))
    assert missing == []
    ours = [k for k in MESSAGES if k.startswith("store.")]
    assert all(MESSAGES[k]["zh"] and MESSAGES[k]["en"] for k in ours)


def _lead_changes(world: World) -> list[tuple[object, object]]:
    entries = world.sv.audit.entries(SYSTEM, school_id=world.school_a, action_prefix="assignment.set", limit=10)
    return [(e.before, e.after) for e in reversed(entries)]


def test_replacing_a_lead_audits_the_demotion_with_before_and_after(world: World) -> None:
    sv, bureau = world.sv, world.users["bureau"]
    start = len(_lead_changes(world))
    sv.cycles.assign(bureau, world.cycle_id, world.school_a, world.users["inspector"].id, lead=True)
    assert _lead_changes(world)[start:] == [
        ({"inspector": "lead", "lead": True}, {"inspector": "lead", "lead": False}),
        ({"inspector": "inspector", "lead": False}, {"inspector": "inspector", "lead": True}),
    ]
    sv.cycles.assign(bureau, world.cycle_id, world.school_a, world.users["inspector"].id, lead=True)
    assert len(_lead_changes(world)) == start + 2  # the lead again: nothing changed, nothing logged


def test_an_assignments_import_audits_the_lead_it_replaces(world: World) -> None:
    sv = world.sv
    start = len(_lead_changes(world))
    rows = pd.DataFrame([{"school_code": "A001", "inspector": "other", "lead": "1"}])
    result = sv.imports.assignments(world.users["bureau"], world.cycle_id, rows)
    assert (result.created, result.updated) == (1, 0)
    assert _lead_changes(world)[start:] == [
        ({"inspector": "lead", "lead": True}, {"inspector": "lead", "lead": False}),
        (None, {"inspector": "other", "lead": True}),
    ]
    leads = [a.inspector for a in sv.cycles.assignments(SYSTEM, world.cycle_id) if a.school_code == "A001" and a.lead]
    assert leads == ["other"]


def test_fetch_columns_sends_its_parameters_bound(world: World) -> None:
    """The fast column reader runs its query with bound parameters, never with values written into the SQL."""
    sv = world.sv
    sv.ratings.save(world.users["school_a"], world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "A", "o'brien; --")])
    sent: list[tuple[str, Any]] = []

    def capture(conn: object, cursor: object, statement: str, parameters: Any, context: object, many: bool) -> None:
        sent.append((statement, parameters))

    event.listen(sv.engine, "before_cursor_execute", capture)
    try:
        query = select(RatingRow.item_id, RatingRow.account).where(
            RatingRow.account == "o'brien; --", RatingRow.assessment_id.in_([world.assessment_a, 999])
        )
        with Session(sv.engine) as session:
            columns = fetch_columns(session, query, 2)
    finally:
        event.remove(sv.engine, "before_cursor_execute", capture)
    assert [list(c) for c in columns] == [["i1"], ["o'brien; --"]]
    ((statement, parameters),) = [s for s in sent if "ratings" in s[0]]
    assert "brien" not in statement and "999" not in statement
    values = list(parameters.values()) if isinstance(parameters, dict) else list(parameters)
    assert "o'brien; --" in values and world.assessment_a in values


def test_the_current_cycle_is_the_most_recent_open_one(world: World) -> None:
    sv, bureau, school = world.sv, world.users["bureau"], world.users["school_a"]
    assert sv.cycles.current(school) == sv.cycles.get(school, world.cycle_id)
    newer = sv.cycles.create(bureau, "2026学年", "2026-2027", world.version_id)
    assert sv.cycles.current(school) == newer
    sv.cycles.update(bureau, newer.id, status=CycleStatus.CLOSED)
    assert sv.cycles.current(school).id == world.cycle_id
    sv.cycles.update(bureau, world.cycle_id, status=CycleStatus.CLOSED)
    assert sv.cycles.current(school) is None
