from storekit import World

from store.records import SYSTEM, Status


def test_world_builds(world: World) -> None:
    a = world.sv.assessments.get(SYSTEM, world.assessment_a)
    assert a.status == Status.DRAFT
    world.submit_a()
    assert world.sv.assessments.get(SYSTEM, world.assessment_a).status == Status.SUBMITTED
