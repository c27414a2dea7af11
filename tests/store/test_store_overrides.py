"""On-site overrides of computed items: set by the lead with a reason, scored, audited, refused otherwise."""

from __future__ import annotations

import pytest
from storekit import World, count

from i18n.problems import InputError
from scoring import score_district
from store.errors import PermissionDenied, ReadOnlyError
from store.records import SYSTEM

REASON = "现场核查：本学期插班 8 人，导师已落实，名单待更新"


def scored(world: World, actor=SYSTEM):
    sv = world.sv
    framework = sv.frameworks.for_cycle(actor, world.cycle_id)
    facts = sv.frames.facts_frame(actor, world.cycle_id)
    ratings = sv.frames.ratings_frame(actor, world.cycle_id)
    return score_district(framework, facts, ratings, overrides=sv.overrides.frame(actor, world.cycle_id))


def level(result, view: str, code: str, item_id: str) -> str:
    pos = result.compiled.item_position[item_id]
    return result.compiled.level_ids[pos][int(result.view(view).levels[result.row(code), pos])]


def test_the_lead_overrides_a_computed_item_and_the_official_result_uses_it(world: World) -> None:
    world.submit_a()
    world.inspect_a()
    before = scored(world)
    assert level(before, "inspection", "A001", "i4") == "B"  # 500 students / 30 mentors = 16.7
    version = world.version_a()
    saved = world.sv.overrides.set(world.users["lead"], world.assessment_a, "i4", "A", f"  {REASON} ")
    assert (saved.level, saved.reason, saved.set_by, saved.set_by_name) == ("A", REASON, "lead", "组长")
    assert world.version_a() > version  # a change to the result is a change to the assessment
    after = scored(world)
    assert level(after, "inspection", "A001", "i4") == "A"
    assert level(after, "self", "A001", "i4") == "B"  # the school's own view keeps the facts' level
    n = after.row("A001")
    assert after.inspection.earned[n] == pytest.approx(before.inspection.earned[n] + 0.5)
    override = after.override("A001", "i4")
    assert override is not None and (override.level, override.computed, override.reason) == ("A", "B", REASON)
    assert override.by == "组长"  # the display name, never the account
    entries = world.sv.audit.entries(SYSTEM, entity="item_override")
    assert [(e.action, e.before, e.after["level"], e.after["reason"]) for e in entries] == [
        ("override.set", None, "A", REASON)
    ]
    # changing it keeps one row and records before and after
    world.sv.overrides.set(world.users["lead"], world.assessment_a, "i4", "D", "现场核查：导师名单不实")
    assert count(world.sv.engine, "item_overrides") == 1
    changed = world.sv.audit.entries(SYSTEM, entity="item_override", action_prefix="override.set")
    assert {(e.before or {}).get("level") for e in changed} == {None, "A"}
    assert level(scored(world), "inspection", "A001", "i4") == "D"


def test_withdrawing_returns_to_the_facts_level(world: World) -> None:
    world.submit_a()
    world.inspect_a()
    lead = world.users["lead"]
    world.sv.overrides.set(lead, world.assessment_a, "i4", "A", REASON)
    assert world.sv.overrides.clear(lead, world.assessment_a, "i4") is True
    assert world.sv.overrides.clear(lead, world.assessment_a, "i4") is False
    assert level(scored(world), "inspection", "A001", "i4") == "B"
    assert next(e.action for e in world.sv.audit.entries(SYSTEM, entity="item_override")) == "override.clear"
    assert count(world.sv.engine, "item_overrides") == 0


@pytest.mark.parametrize(
    ("item_id", "level_id", "reason", "message"),
    [
        ("i4", "A", "   ", "现场改定须写明理由"),
        ("i1", "A", REASON, "不是按基本数据计算的项目"),
        ("i4", "C", REASON, "没有等级“C”"),
        ("i9", "A", REASON, "框架中没有评价项目 i9"),
    ],
)
def test_bad_overrides_are_refused_with_a_message_and_write_nothing(world, item_id, level_id, reason, message):
    world.submit_a()
    with pytest.raises(InputError) as caught:
        world.sv.overrides.set(world.users["lead"], world.assessment_a, item_id, level_id, reason)
    assert message in caught.value.render("zh")
    assert count(world.sv.engine, "item_overrides") == 0
    assert world.sv.audit.entries(SYSTEM, entity="item_override") == []


@pytest.mark.parametrize("who", ["inspector", "school_a", "other_inspector", "bureau"])
def test_only_the_lead_of_the_school_may_override(world: World, who: str) -> None:
    world.submit_a()
    with pytest.raises(PermissionDenied):
        world.sv.overrides.set(world.users[who], world.assessment_a, "i4", "A", REASON)
    assert count(world.sv.engine, "item_overrides") == 0


def test_a_finalized_inspection_is_read_only(world: World) -> None:
    world.submit_a()
    world.inspect_a()
    lead = world.users["lead"]
    world.sv.overrides.set(lead, world.assessment_a, "i4", "A", REASON)
    world.sv.assessments.finalize(lead, world.assessment_a, world.version_a())
    with pytest.raises(ReadOnlyError):
        world.sv.overrides.set(lead, world.assessment_a, "i4", "D", REASON)
    with pytest.raises(ReadOnlyError):
        world.sv.overrides.clear(lead, world.assessment_a, "i4")
    # the school reads its override once finalized; another school sees none of it
    mine = world.sv.overrides.list_overrides(world.users["school_a"], world.assessment_a)
    assert [(o.item_id, o.level) for o in mine] == [("i4", "A")]
    assert world.sv.overrides.frame(world.users["school_b"], world.cycle_id).empty
    with pytest.raises(PermissionDenied):
        world.sv.overrides.list_overrides(world.users["school_b"], world.assessment_a)
