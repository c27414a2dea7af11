"""The figures the bureau enters per cycle (family-guidance stations, community counselling coverage).

Stored per cycle and target, read back by whoever reads the district's frames, written by the bureau
only, checked like `scoring.targets.check_entered`, every change in the audit log. Both backends.
"""

from __future__ import annotations

import pytest
from storekit import World, snapshot

from i18n.problems import InputError
from store.errors import NotFound, PermissionDenied
from store.records import SYSTEM

FIGURES = {"family_guidance_stations": 60.0, "community_counselling": 90.0}


def test_figures_are_stored_per_cycle_and_read_back(world: World) -> None:
    sv, bureau = world.sv, world.actor("bureau")
    assert sv.cycles.entered_figures(bureau, world.cycle_id) == {}
    assert sv.cycles.set_entered_figures(bureau, world.cycle_id, FIGURES) == FIGURES
    assert sv.cycles.entered_figures(bureau, world.cycle_id) == FIGURES
    assert sv.cycles.entered_figures(SYSTEM, world.cycle_id) == FIGURES
    changed = sv.cycles.set_entered_figures(bureau, world.cycle_id, {"community_counselling": 95})
    assert changed == {"family_guidance_stations": 60.0, "community_counselling": 95.0}
    assert sv.cycles.set_entered_figures(bureau, world.cycle_id, {"family_guidance_stations": None}) == {
        "community_counselling": 95.0
    }
    other = sv.cycles.create(SYSTEM, "2026学年", "2026-2027", world.version_id, school_ids=[])
    assert sv.cycles.entered_figures(bureau, other.id) == {}
    with pytest.raises(NotFound):
        sv.cycles.entered_figures(bureau, 9999)


@pytest.mark.parametrize("role", ["school_a", "inspector", "lead", "admin"])
def test_schools_inspectors_and_admins_may_neither_read_nor_write(world: World, role: str) -> None:
    world.sv.cycles.set_entered_figures(world.actor("bureau"), world.cycle_id, FIGURES)
    before = snapshot(world.sv.engine)
    actor = world.actor(role)
    with pytest.raises(PermissionDenied):
        world.sv.cycles.entered_figures(actor, world.cycle_id)
    with pytest.raises(PermissionDenied):
        world.sv.cycles.set_entered_figures(actor, world.cycle_id, {"community_counselling": 10.0})
    assert snapshot(world.sv.engine) == before


@pytest.mark.parametrize(
    "figures",
    [
        {"family_guidance_stations": 50.0, "community_counselling": 101.0},
        {"family_guidance_stations": -1.0},
        {"family_guidance_stations": float("nan")},
        {"family_guidance_stations": "60"},
        {"school_psychologists": 50.0},
    ],
)
def test_bad_figures_are_refused_and_nothing_is_written(world: World, figures: dict[str, object]) -> None:
    world.sv.cycles.set_entered_figures(world.actor("bureau"), world.cycle_id, {"community_counselling": 80.0})
    before = snapshot(world.sv.engine)
    with pytest.raises(InputError):
        world.sv.cycles.set_entered_figures(world.actor("bureau"), world.cycle_id, figures)  # type: ignore[arg-type]
    assert snapshot(world.sv.engine) == before


def test_every_change_is_audited_with_before_and_after_and_unchanged_values_are_not(world: World) -> None:
    sv, bureau = world.sv, world.actor("bureau")

    def entries() -> list[tuple[str, object, object]]:
        found = sv.audit.entries(SYSTEM, cycle_id=world.cycle_id, action_prefix="entered_figure.", limit=50)
        return sorted(((e.entity_id, e.before, e.after) for e in found if e.actor == "bureau"), key=repr)

    sv.cycles.set_entered_figures(bureau, world.cycle_id, FIGURES)
    assert entries() == [
        ("community_counselling", None, {"value": 90.0}),
        ("family_guidance_stations", None, {"value": 60.0}),
    ]
    sv.cycles.set_entered_figures(
        bureau, world.cycle_id, {"family_guidance_stations": 60.0, "community_counselling": 85}
    )
    assert entries() == [
        ("community_counselling", None, {"value": 90.0}),
        ("community_counselling", {"value": 90.0}, {"value": 85.0}),
        ("family_guidance_stations", None, {"value": 60.0}),
    ]
    (last,) = sv.audit.entries(SYSTEM, entity="entered_figure", entity_id="community_counselling", limit=1)
    assert (last.action, last.cycle_id, last.actor) == ("entered_figure.set", world.cycle_id, "bureau")
