"""The permission matrix: every role against every service action, allowed and denied.

A denied call raises PermissionDenied and writes nothing (the whole database is compared before and
after). School B's account asking for school A by id is one of the roles.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pytest
from storekit import FACTS, FRAMEWORK, PASSWORD, ROLES, SELF_A, World, snapshot

from scoring.calibration import CertificationRule
from store.errors import PermissionDenied
from store.records import SYSTEM, CycleStatus, RaterRole, RatingEdit, Role, User

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
VIEWERS_A = {"school_a", "inspector", "lead", "bureau", "system"}
MANAGERS = {"bureau", "system"}
ACCOUNT_ADMINS = {"admin", "system"}
counter = itertools.count()

Run = Callable[[World, User], object]


@dataclass(frozen=True)
class Action:
    name: str
    allowed: frozenset[str]
    run: Run
    prepare: Callable[[World], None] | None = None


def action(name: str, allowed: set[str], prepare: Callable[[World], None] | None = None) -> Callable[[Run], Action]:
    def wrap(run: Run) -> Action:
        return Action(name, frozenset(allowed), run, prepare)

    return wrap


def _ratings_csv(w: World) -> pd.DataFrame:
    return pd.DataFrame([{"school_code": "B001", "item_id": "i1", "rater": "x", "role": "self", "level": "B"}])


def _schools_csv(w: World) -> pd.DataFrame:
    code = f"C{next(counter):03d}"
    return pd.DataFrame([{"school_code": code, "school_name": "丙学校", "stages": "primary"}])


def _finalizable(w: World) -> None:
    w.submit_a()
    w.inspect_a()


# calibration and quality review: what the prepare steps made, for the actions to use
MADE: dict[str, int] = {}
INSPECTORS = {"inspector", "lead", "other_inspector"}


def _case(w: World, title: str) -> int:
    sv = w.sv
    case = sv.calibration.case_from_scratch(SYSTEM, title, w.version_id, ["primary"])
    sv.calibration.set_master(SYSTEM, case.id, {"i1": ("A", "理由"), "i2": ("Y", ""), "i3": ("B", "")})
    return case.id


def _rounds(w: World, closed: bool = False) -> None:
    """A case, and a round (the inspector invited) for each manager and one more; closed if asked."""
    MADE["case"] = _case(w, f"案例{next(counter)}")
    for who in ("bureau", "system", "default"):
        rnd = w.sv.calibration.create_round(
            SYSTEM, w.cycle_id, f"轮{next(counter)}", [MADE["case"]], [w.users["inspector"].id]
        )
        MADE[who] = rnd.id
        if closed:
            w.sv.calibration.close_round(SYSTEM, rnd.id)


def _plain_case(w: World) -> None:
    MADE["case"] = _case(w, f"案例{next(counter)}")


def _closed_rounds(w: World) -> None:
    _rounds(w, closed=True)


def _round(me: User) -> int:
    return MADE.get(me.username, MADE["default"])


def _proposed(w: World) -> None:
    """A submitted and inspected A, proposed by its lead for review by the other inspector (lead of B)."""
    _finalizable(w)
    w.sv.quality.propose(w.users["lead"], w.assessment_a, w.users["other_inspector"].id, w.version_a())


ACTIONS = [
    # reading
    action("view assessment", VIEWERS_A)(lambda w, me: w.sv.assessments.get(me, w.assessment_a)),
    action("find assessment by school id", VIEWERS_A)(lambda w, me: w.sv.assessments.find(me, w.cycle_id, w.school_a)),
    action("view school", VIEWERS_A)(lambda w, me: w.sv.schools.get(me, w.school_a)),
    action("list ratings", VIEWERS_A)(lambda w, me: w.sv.ratings.list_ratings(me, w.assessment_a)),
    action("ratings frame of A", VIEWERS_A)(lambda w, me: w.sv.frames.ratings_frame(me, w.cycle_id, w.school_a)),
    action("facts frame of A", VIEWERS_A)(lambda w, me: w.sv.frames.facts_frame(me, w.cycle_id, w.school_a)),
    action("list evidence", VIEWERS_A)(lambda w, me: w.sv.evidence.list_links(me, w.assessment_a)),
    action("capabilities", VIEWERS_A)(lambda w, me: w.sv.assessments.capabilities(me, w.assessment_a)),
    action("list users", {"admin", "bureau", "system"})(lambda w, me: w.sv.accounts.list_users(me)),
    action("read audit log", {"admin", "bureau", "system"})(lambda w, me: w.sv.audit.entries(me)),
    action("export cycle", MANAGERS)(lambda w, me: w.sv.exports.cycle_frames(me, w.cycle_id)),
    action("list assignments", set(ROLES) - {"admin"})(lambda w, me: w.sv.cycles.assignments(me, w.cycle_id)),
    # the school's self-assessment
    action("save facts", {"school_a"})(
        lambda w, me: w.sv.assessments.save_facts(me, w.assessment_a, FACTS, w.version_a())
    ),
    action("save self ratings", {"school_a"})(
        lambda w, me: w.sv.ratings.save(me, w.assessment_a, RaterRole.SELF, SELF_A)
    ),
    action("save whole self-assessment", {"school_a"})(
        lambda w, me: w.sv.assessments.save_self_assessment(me, w.assessment_a, w.version_a(), FACTS, SELF_A)
    ),
    action("upload evidence", {"school_a"})(
        lambda w, me: w.sv.evidence.upload(me, w.assessment_a, "i1", "photo.png", PNG)
    ),
    action("submit", {"school_a"}, prepare=World.fill_a)(
        lambda w, me: w.sv.assessments.submit(me, w.assessment_a, w.version_a())
    ),
    # inspection
    action("save own inspector rating", {"inspector", "lead"})(
        lambda w, me: w.sv.ratings.save(me, w.assessment_a, RaterRole.INSPECTOR, [RatingEdit("i1", "B")])
    ),
    action("set consensus", {"lead"})(
        lambda w, me: w.sv.ratings.save(me, w.assessment_a, RaterRole.CONSENSUS, [RatingEdit("i1", "B")])
    ),
    action("start inspection", {"lead"}, prepare=World.submit_a)(
        lambda w, me: w.sv.assessments.start_inspection(me, w.assessment_a, w.version_a())
    ),
    action("return for revision", {"lead"}, prepare=World.submit_a)(
        lambda w, me: w.sv.assessments.return_for_revision(me, w.assessment_a, w.version_a(), "请补充材料")
    ),
    action("finalize", {"lead"}, prepare=_finalizable)(
        lambda w, me: w.sv.assessments.finalize(me, w.assessment_a, w.version_a())
    ),
    # the bureau's management
    action("create cycle", MANAGERS)(
        lambda w, me: w.sv.cycles.create(me, f"周期{next(counter)}", "2026-2027", w.version_id)
    ),
    action("close cycle", MANAGERS)(lambda w, me: w.sv.cycles.update(me, w.cycle_id, status=CycleStatus.CLOSED)),
    action("open schools in cycle", MANAGERS)(lambda w, me: w.sv.cycles.add_schools(me, w.cycle_id, [w.school_a])),
    action("save school", MANAGERS)(lambda w, me: w.sv.schools.save(me, f"D{next(counter):03d}", "丁学校", ["senior"])),
    action("add framework", MANAGERS)(
        lambda w, me: w.sv.frameworks.add(me, FRAMEWORK.read_text(encoding="utf-8").replace('"1"', '"2"'))
    ),
    action("activate framework", MANAGERS)(lambda w, me: w.sv.frameworks.activate(me, w.version_id)),
    action("assign inspector", MANAGERS)(
        lambda w, me: w.sv.cycles.assign(me, w.cycle_id, w.school_b, w.users["inspector"].id)
    ),
    action("import schools", MANAGERS)(lambda w, me: w.sv.imports.schools(me, _schools_csv(w))),
    action("import ratings", MANAGERS)(lambda w, me: w.sv.imports.ratings(me, w.cycle_id, _ratings_csv(w))),
    # calibration
    action("build calibration case", MANAGERS)(
        lambda w, me: w.sv.calibration.case_from_scratch(me, f"案例{next(counter)}", w.version_id, ["primary"])
    ),
    action("edit a case from scratch", MANAGERS, prepare=_plain_case)(
        lambda w, me: w.sv.calibration.update_case(me, MADE["case"], items={"i1": ("B", "有记录")})
    ),
    action("list calibration cases", MANAGERS | INSPECTORS)(lambda w, me: w.sv.calibration.cases(me)),
    action("see a calibration case", MANAGERS | {"inspector"}, prepare=_rounds)(
        lambda w, me: w.sv.calibration.case(me, MADE["case"])
    ),
    action("set master levels", MANAGERS, prepare=_rounds)(
        lambda w, me: w.sv.calibration.set_master(me, MADE["case"], {"i1": ("B", "改")})
    ),
    action("import master levels", MANAGERS, prepare=_rounds)(
        lambda w, me: w.sv.calibration.import_master(
            me, pd.DataFrame([{"case": str(MADE["case"]), "item": "i1", "level": "C", "reason": "", "row": 2}])
        )
    ),
    action("create calibration round", MANAGERS, prepare=_rounds)(
        lambda w, me: w.sv.calibration.create_round(
            me, w.cycle_id, f"轮{next(counter)}", [MADE["case"]], [w.users["inspector"].id]
        )
    ),
    action("list calibration rounds", MANAGERS | INSPECTORS)(lambda w, me: w.sv.calibration.rounds(me)),
    action("rate in a calibration round", {"inspector"}, prepare=_rounds)(
        lambda w, me: w.sv.calibration.save_rating(me, _round(me), MADE["case"], "i1", "A")
    ),
    action("own calibration ratings", {"inspector"}, prepare=_rounds)(
        lambda w, me: w.sv.calibration.my_ratings(me, _round(me))
    ),
    action("every inspector's calibration ratings", MANAGERS, prepare=_rounds)(
        lambda w, me: w.sv.calibration.all_ratings(me, _round(me))
    ),
    action("close calibration round", MANAGERS, prepare=_rounds)(
        lambda w, me: w.sv.calibration.close_round(me, _round(me))
    ),
    action("calibration results of a closed round", MANAGERS | {"inspector"}, prepare=_closed_rounds)(
        lambda w, me: w.sv.calibration.results(me, _round(me))
    ),
    action("certify", MANAGERS, prepare=_closed_rounds)(lambda w, me: w.sv.calibration.certify(me, _round(me))),
    action("read certifications", MANAGERS | INSPECTORS)(lambda w, me: w.sv.calibration.certifications(me)),
    action("read calibration settings", set(ROLES))(lambda w, me: w.sv.calibration.settings(me)),
    action("set calibration settings", MANAGERS)(
        lambda w, me: w.sv.calibration.set_settings(me, CertificationRule(0.85, 0.6, 365))
    ),
    # quality review
    action("read cycle quality settings", set(ROLES))(lambda w, me: w.sv.quality.cycle_settings(me, w.cycle_id)),
    action("set cycle quality settings", MANAGERS)(
        lambda w, me: w.sv.quality.set_cycle_settings(
            me, w.cycle_id, require_review=True, refuse_uncertified_lead=False
        )
    ),
    action("list possible reviewers", {"lead", "bureau", "system"})(
        lambda w, me: w.sv.quality.reviewers(me, w.assessment_a)
    ),
    action("propose for review", {"lead"}, prepare=_finalizable)(
        lambda w, me: w.sv.quality.propose(me, w.assessment_a, w.users["bureau"].id, w.version_a())
    ),
    action("read a review", VIEWERS_A | {"other_inspector"}, prepare=_proposed)(
        lambda w, me: w.sv.quality.review_of(me, w.assessment_a)
    ),
    action("own reviews", MANAGERS | INSPECTORS)(lambda w, me: w.sv.quality.my_reviews(me)),
    action("send back as reviewer", {"other_inspector"}, prepare=_proposed)(
        lambda w, me: w.sv.quality.send_back(me, w.assessment_a, {"i1": "请核对"})
    ),
    action("confirm as reviewer", {"other_inspector"}, prepare=_proposed)(
        lambda w, me: w.sv.quality.confirm(me, w.assessment_a)
    ),
    # accounts
    action("add account", ACCOUNT_ADMINS)(
        lambda w, me: w.sv.accounts.add_user(me, f"new{next(counter)}", Role.INSPECTOR, PASSWORD)
    ),
    action("set a password", ACCOUNT_ADMINS)(
        lambda w, me: w.sv.accounts.set_password(me, w.users["other_inspector"].id, f"Fresh pass {next(counter)}")
    ),
    action("disable an account", ACCOUNT_ADMINS)(
        lambda w, me: w.sv.accounts.set_active(me, w.users["other_inspector"].id, False)
    ),
]


@pytest.mark.parametrize("act", ACTIONS, ids=lambda a: a.name)
def test_permission_matrix(world: World, act: Action) -> None:
    if act.prepare is not None:
        act.prepare(world)
    engine = world.sv.engine
    for role in ROLES:
        if role in act.allowed:
            continue
        before = snapshot(engine)
        with pytest.raises(PermissionDenied) as denied:
            act.run(world, world.actor(role))
        assert denied.value.render("zh") and denied.value.render("en"), role
        assert snapshot(engine) == before, f"{role} was denied '{act.name}' but something was written"
    for role in sorted(act.allowed):
        act.run(world, world.actor(role))


def test_every_role_is_in_the_matrix() -> None:
    assert {r for a in ACTIONS for r in a.allowed} <= set(ROLES)
    assert {r.value for r in Role} <= set(ROLES) | {"school", "inspector"}


def test_school_asking_for_another_school_by_id_is_denied(world: World) -> None:
    other = world.users["school_b"]
    for call in (
        lambda: world.sv.assessments.get(other, world.assessment_a),
        lambda: world.sv.assessments.find(other, world.cycle_id, world.school_a),
        lambda: world.sv.schools.get(other, world.school_a),
        lambda: world.sv.ratings.list_ratings(other, world.assessment_a),
        lambda: world.sv.frames.ratings_frame(other, world.cycle_id, world.school_a),
        lambda: world.sv.assessments.save_facts(other, world.assessment_a, FACTS, world.version_a()),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert [s.code for s in world.sv.schools.list_schools(other)] == ["B001"]
    assert [a.school_code for a in world.sv.assessments.list_assessments(other, world.cycle_id)] == ["B001"]


def test_inspector_sees_only_assigned_schools(world: World) -> None:
    sv = world.sv
    assert [s.code for s in sv.schools.list_schools(world.users["inspector"], world.cycle_id)] == ["A001"]
    assert [a.school_code for a in sv.assessments.list_assessments(world.users["other_inspector"], world.cycle_id)] == [
        "B001"
    ]
    frame = sv.frames.facts_frame(world.users["inspector"], world.cycle_id)
    assert list(frame.index) == ["A001"]


def test_rating_visibility(world: World) -> None:
    """A school sees inspection ratings only once finalized; a plain inspector not the other inspectors'."""
    world.submit_a()
    world.inspect_a()
    sv = world.sv
    sv.ratings.save(world.users["lead"], world.assessment_a, RaterRole.INSPECTOR, [RatingEdit("i1", "C")])

    def roles(who: str) -> list[tuple[str, str]]:
        return sorted({(r.role.value, r.rater) for r in sv.ratings.list_ratings(world.users[who], world.assessment_a)})

    assert roles("school_a") == [("self", "school_a")]
    assert ("inspector", "lead") not in roles("inspector")
    assert ("inspector", "inspector") in roles("inspector")
    assert ("inspector", "inspector") in roles("lead") and ("inspector", "lead") in roles("lead")
    sv.assessments.finalize(world.users["lead"], world.assessment_a, world.version_a())
    assert ("inspector", "lead") in roles("school_a")
    school_frame = sv.frames.ratings_frame(world.users["school_a"], world.cycle_id)
    assert set(school_frame["role"]) == {"self", "inspector"}


def test_disabled_account_is_refused_at_once(world: World) -> None:
    inspector = world.users["inspector"]
    world.sv.assessments.get(inspector, world.assessment_a)
    world.sv.accounts.set_active(SYSTEM, inspector.id, False)
    with pytest.raises(PermissionDenied) as refused:
        world.sv.assessments.get(inspector, world.assessment_a)
    assert refused.value.key == "store.session_invalid"


def test_admin_cannot_disable_itself(world: World) -> None:
    admin = world.users["admin"]
    with pytest.raises(PermissionDenied):
        world.sv.accounts.set_active(admin, admin.id, False)
