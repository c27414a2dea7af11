"""The visit of an assessment (days, team as printed, report date): who may enter it, checks, audit."""

from __future__ import annotations

from datetime import date

import pytest
from storekit import World

from i18n.problems import InputError
from store.errors import PermissionDenied
from store.records import SYSTEM, TeamEntry


def test_without_an_entry_the_team_is_the_assigned_inspectors_by_display_name(world: World) -> None:
    visit = world.sv.visits.get(world.users["lead"], world.assessment_a)
    assert visit.team == (TeamEntry("组长", lead=True), TeamEntry("督学一"))
    assert visit.days == () and visit.report_date is None


def test_the_lead_and_the_bureau_enter_it_and_everyone_who_sees_the_school_reads_it(world: World) -> None:
    lead, bureau = world.users["lead"], world.users["bureau"]
    saved = world.sv.visits.set(
        lead,
        world.assessment_a,
        first_day=date(2025, 11, 3),
        last_day=date(2025, 11, 4),
        team=["  王立群 ", "", "李慧敏", "校外专家 陈  静"],
        report_date=date(2025, 11, 20),
    )
    assert saved.team == (TeamEntry("王立群", True), TeamEntry("李慧敏"), TeamEntry("校外专家 陈 静"))
    assert saved.days == (date(2025, 11, 3), date(2025, 11, 4))
    world.sv.visits.set(bureau, world.assessment_a, first_day=date(2025, 11, 3), last_day=date(2025, 11, 3))
    seen = world.sv.visits.get(world.users["school_a"], world.assessment_a)
    assert seen.days == (date(2025, 11, 3),) and seen.entered_team == () and seen.team[0].name == "组长"


@pytest.mark.parametrize("who", ["inspector", "other_inspector", "school_a", "admin"])
def test_others_are_refused_and_nothing_is_written(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        world.sv.visits.set(world.users[who], world.assessment_a, first_day=date(2025, 1, 1), last_day=None)
    assert world.sv.visits.get(SYSTEM, world.assessment_a).days == ()
    assert world.sv.audit.entries(SYSTEM, action_prefix="visit") == []


def test_bad_input_is_refused_in_words(world: World) -> None:
    with pytest.raises(InputError) as refused:
        world.sv.visits.set(
            world.users["lead"],
            world.assessment_a,
            first_day=date(2025, 11, 4),
            last_day=date(2025, 11, 3),
            team=["甲" * 60],
        )
    assert [p.key for p in refused.value.problems] == ["documents.visit.bad_order", "documents.visit.too_long"]
    assert "早于" in refused.value.render("zh")
    assert world.sv.visits.get(SYSTEM, world.assessment_a).first_day is None


def test_every_change_is_audited_once(world: World) -> None:
    lead = world.users["lead"]
    for _ in range(2):  # the same values twice: one entry
        world.sv.visits.set(lead, world.assessment_a, first_day=date(2025, 11, 3), last_day=None, team=["王立群"])
    world.sv.visits.set(lead, world.assessment_a, first_day=date(2025, 11, 5), last_day=None, team=["王立群"])
    entries = world.sv.audit.entries(SYSTEM, action_prefix="visit")
    assert len(entries) == 2
    assert {(e.actor, e.entity, e.school_id) for e in entries} == {("lead", "visit", world.school_a)}
    latest = max(entries, key=lambda e: e.id)
    assert latest.before["first_day"] == "2025-11-03" and latest.after["first_day"] == "2025-11-05"
