"""Smaller parts of the service API the pages rely on, and the catalog entries of the store."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from storekit import FRAMEWORK, World

from i18n.catalog import MESSAGES
from store.errors import ConflictError, InvalidState, NotFound, PermissionDenied, ReadOnlyError
from store.records import SYSTEM, CycleStatus, Status

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
