"""Inspectors' verdicts on each evidence file: set, read, remove, refused, audited, gone with the link."""

from __future__ import annotations

import pytest
from storekit import World, count, snapshot

from store.errors import PermissionDenied, ReadOnlyError
from store.records import SYSTEM

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def uploaded(world: World) -> tuple[int, int]:
    school = world.users["school_a"]
    one = world.sv.evidence.upload(school, world.assessment_a, "i1", "plan.pdf", PDF)
    two = world.sv.evidence.upload(school, world.assessment_a, "i1", "photo.png", PNG)
    return one.id, two.id


def test_set_read_and_remove(world: World) -> None:
    one, two = uploaded(world)
    inspector, lead = world.users["inspector"], world.users["lead"]
    world.sv.evidence.set_verdict(inspector, one, True)
    world.sv.evidence.set_verdict(inspector, two, False)
    world.sv.evidence.set_verdict(lead, two, True)
    assert world.sv.evidence.verdicts(lead, world.assessment_a) == {
        one: {"inspector": True},
        two: {"inspector": False, "lead": True},
    }
    # an inspector sees their own verdicts, not the other inspector's
    assert world.sv.evidence.verdicts(inspector, world.assessment_a) == {
        one: {"inspector": True},
        two: {"inspector": False},
    }
    world.sv.evidence.set_verdict(inspector, two, True)
    world.sv.evidence.set_verdict(inspector, one, None)
    assert world.sv.evidence.verdicts(world.users["bureau"], world.assessment_a) == {
        two: {"inspector": True, "lead": True}
    }
    # a school sees inspection verdicts only once finalized (or returned), like the ratings
    assert world.sv.evidence.verdicts(world.users["school_a"], world.assessment_a) == {}
    with pytest.raises(PermissionDenied):
        world.sv.evidence.verdicts(world.users["school_b"], world.assessment_a)


def test_every_change_is_audited(world: World) -> None:
    one, _ = uploaded(world)
    inspector = world.users["inspector"]
    world.sv.evidence.set_verdict(inspector, one, True)
    world.sv.evidence.set_verdict(inspector, one, True)  # no change: no entry
    world.sv.evidence.set_verdict(inspector, one, False)
    world.sv.evidence.set_verdict(inspector, one, None)
    entries = world.sv.audit.entries(SYSTEM, action_prefix="evidence.verdict")
    changes = sorted(((e.before, e.after) for e in entries), key=repr)
    assert changes == sorted(
        [(None, {"verdict": True}), ({"verdict": True}, {"verdict": False}), ({"verdict": False}, None)], key=repr
    )
    assert {(e.actor, e.entity, e.entity_id, e.school_id) for e in entries} == {
        ("inspector", "evidence", f"{one}:inspector", world.school_a)
    }


@pytest.mark.parametrize("role", ["school_a", "bureau", "other_inspector", "admin", "system"])
def test_refused_roles_write_nothing(world: World, role: str) -> None:
    one, _ = uploaded(world)
    before = snapshot(world.sv.engine)
    with pytest.raises(PermissionDenied):
        world.sv.evidence.set_verdict(world.actor(role), one, False)
    assert snapshot(world.sv.engine) == before


def test_a_finalized_assessment_is_refused_and_logged(world: World) -> None:
    one, _ = uploaded(world)
    world.submit_a()
    world.inspect_a()
    world.sv.assessments.finalize(world.users["lead"], world.assessment_a, world.version_a())
    with pytest.raises(ReadOnlyError):
        world.sv.evidence.set_verdict(world.users["inspector"], one, True)
    assert count(world.sv.engine, "evidence_verdicts") == 0
    (refusal,) = world.sv.audit.entries(SYSTEM, action_prefix="refused:")
    assert (refusal.action, refusal.actor) == ("refused:evidence_verdict", "inspector")


def test_removing_the_link_removes_its_verdicts(world: World) -> None:
    one, two = uploaded(world)
    world.sv.evidence.set_verdict(world.users["inspector"], one, False)
    world.sv.evidence.set_verdict(world.users["inspector"], two, True)
    world.sv.evidence.delete_link(world.users["school_a"], one)
    assert count(world.sv.engine, "evidence_verdicts") == 1
    assert world.sv.evidence.verdicts(world.users["lead"], world.assessment_a) == {two: {"inspector": True}}
