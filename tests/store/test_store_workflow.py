"""The assessment workflow, optimistic locking and the audit log."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from storekit import FACTS, SELF_A, World, count, snapshot

from i18n.problems import InputError
from scoring import score_district
from store.errors import ConflictError, InvalidState, ReadOnlyError
from store.records import SYSTEM, CycleStatus, RaterRole, RatingEdit, Status


def test_submit_needs_every_fact_and_every_applicable_item(world: World) -> None:
    sv, school = world.sv, world.users["school_a"]
    partial = {k: v for k, v in FACTS.items() if k not in ("students", "mentors")}
    sv.assessments.save_facts(school, world.assessment_a, partial, world.version_a())
    sv.ratings.save(school, world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "A")])
    with pytest.raises(InputError) as incomplete:
        sv.assessments.submit(school, world.assessment_a, world.version_a())
    found = {(p.key, p.column or p.path) for p in incomplete.value.problems}
    assert found == {
        ("input.empty", "students"),
        ("input.empty", "mentors"),
        ("store.unrated_item", "i2"),
        ("store.unrated_item", "i3"),
    }
    assert sv.assessments.get(SYSTEM, world.assessment_a).status == Status.DRAFT


def test_items_of_other_stages_need_no_rating(world: World) -> None:
    """School B is a junior school: item i3 (primary only) is not applicable to it."""
    sv, school = world.sv, world.users["school_b"]
    a = sv.assessments.save_facts(school, world.assessment_b, FACTS, 1)
    sv.ratings.save(school, world.assessment_b, RaterRole.SELF, [RatingEdit("i1", "A"), RatingEdit("i2", "NA")])
    a = sv.assessments.submit(school, world.assessment_b, sv.assessments.get(school, world.assessment_b).version)
    assert a.status == Status.SUBMITTED


def test_the_whole_way_to_finalized(world: World) -> None:
    sv, school, lead = world.sv, world.users["school_a"], world.users["lead"]
    world.submit_a()
    with pytest.raises(InvalidState):
        sv.assessments.save_facts(school, world.assessment_a, FACTS, world.version_a())
    world.inspect_a()
    assert sv.assessments.get(SYSTEM, world.assessment_a).status == Status.UNDER_INSPECTION
    with pytest.raises(InputError):
        sv.assessments.return_for_revision(lead, world.assessment_a, world.version_a(), "  ")
    back = sv.assessments.return_for_revision(lead, world.assessment_a, world.version_a(), "请补充 i3 的材料")
    assert back.status == Status.RETURNED and back.return_note == "请补充 i3 的材料"
    i3 = next(r for r in sv.ratings.list_ratings(school, world.assessment_a) if r.item_id == "i3")
    sv.ratings.save(
        school, world.assessment_a, RaterRole.SELF, [RatingEdit("i3", "A", "已补充", expected_version=i3.version)]
    )
    sv.assessments.submit(school, world.assessment_a, world.version_a())
    sv.ratings.save(lead, world.assessment_a, RaterRole.CONSENSUS, [RatingEdit("i1", "A", finding="组长认定")])
    done = sv.assessments.finalize(lead, world.assessment_a, world.version_a())
    assert done.status == Status.FINALIZED and done.finalized_at is not None


def test_finalize_needs_an_inspection_of_every_applicable_item(world: World) -> None:
    world.submit_a()
    world.sv.ratings.save(world.users["inspector"], world.assessment_a, RaterRole.INSPECTOR, [RatingEdit("i1", "A")])
    with pytest.raises(InputError) as missing:
        world.sv.assessments.finalize(world.users["lead"], world.assessment_a, world.version_a())
    assert {p.path for p in missing.value.problems} == {"i2", "i3"}


def test_steps_out_of_order_are_refused(world: World) -> None:
    with pytest.raises(InvalidState) as wrong:
        world.sv.assessments.finalize(world.users["lead"], world.assessment_a, world.version_a())
    assert "草稿" in wrong.value.render("zh") and "draft" in wrong.value.render("en")


def test_a_finalized_assessment_is_read_only_and_attempts_are_logged(world: World) -> None:
    sv = world.sv
    world.submit_a()
    world.inspect_a()
    sv.assessments.finalize(world.users["lead"], world.assessment_a, world.version_a())
    attempts = [
        lambda: sv.ratings.save(
            world.users["inspector"], world.assessment_a, RaterRole.INSPECTOR, [RatingEdit("i1", "C")]
        ),
        lambda: sv.ratings.save(world.users["lead"], world.assessment_a, RaterRole.CONSENSUS, [RatingEdit("i1", "C")]),
        lambda: sv.ratings.save(world.users["school_a"], world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "C")]),
        lambda: sv.assessments.save_facts(world.users["school_a"], world.assessment_a, FACTS, world.version_a()),
        lambda: sv.assessments.return_for_revision(world.users["lead"], world.assessment_a, world.version_a(), "再改"),
    ]
    for attempt in attempts:
        audit_rows = count(sv.engine, "audit_log")
        before = {k: v for k, v in snapshot(sv.engine).items() if k != "audit_log"}
        with pytest.raises(ReadOnlyError) as refused:
            attempt()
        assert "finalized" in refused.value.render("en")
        assert {k: v for k, v in snapshot(sv.engine).items() if k != "audit_log"} == before
        assert count(sv.engine, "audit_log") == audit_rows + 1
    refusals = sv.audit.entries(SYSTEM, action_prefix="refused:")
    assert len(refusals) == len(attempts)
    assert {e.actor for e in refusals} == {"inspector", "lead", "school_a"}


def test_a_closed_cycle_takes_no_changes(world: World) -> None:
    world.sv.cycles.update(world.users["bureau"], world.cycle_id, status=CycleStatus.CLOSED)
    with pytest.raises(InvalidState) as closed:
        world.fill_a()
    assert closed.value.key == "store.cycle_closed"


def test_stale_facts_save_is_a_conflict_naming_who_and_when(world: World) -> None:
    sv, school = world.sv, world.users["school_a"]
    read = sv.assessments.get(school, world.assessment_a)
    sv.ratings.save(world.users["inspector"], world.assessment_a, RaterRole.INSPECTOR, [RatingEdit("i1", "B")])
    with pytest.raises(ConflictError) as conflict:
        sv.assessments.save_facts(school, world.assessment_a, FACTS, read.version)
    assert conflict.value.who == "inspector" and conflict.value.when is not None
    message = conflict.value.render("zh")
    assert "inspector" in message and conflict.value.when.strftime("%Y-%m-%d") in message
    assert sv.assessments.get(SYSTEM, world.assessment_a).facts == {}


def test_stale_rating_save_is_a_conflict(world: World) -> None:
    sv, school = world.sv, world.users["school_a"]
    (first,) = sv.ratings.save(school, world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "A")])
    sv.ratings.save(school, world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "B", expected_version=first.version)])
    with pytest.raises(ConflictError) as conflict:
        sv.ratings.save(
            school, world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "C", expected_version=first.version)]
        )
    assert conflict.value.who == "school_a" and "A001 / i1" in conflict.value.render("en")
    with pytest.raises(ConflictError):  # saved as new, but someone created it meanwhile
        sv.ratings.save(school, world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "C")])
    levels = [r.level for r in sv.ratings.list_ratings(school, world.assessment_a)]
    assert levels == ["B"]


def test_saving_a_rating_someone_cleared_names_who_cleared_it(world: World) -> None:
    sv, school = world.sv, world.users["school_a"]
    (first,) = sv.ratings.save(school, world.assessment_a, RaterRole.SELF, [RatingEdit("i2", "Y")])
    sv.ratings.save(
        school, world.assessment_a, RaterRole.SELF, [RatingEdit("i2", None, expected_version=first.version)]
    )
    with pytest.raises(ConflictError) as conflict:
        sv.ratings.save(
            school, world.assessment_a, RaterRole.SELF, [RatingEdit("i2", "N", expected_version=first.version)]
        )
    assert conflict.value.who == "school_a"


def test_a_conflict_in_a_batch_keeps_the_whole_batch_out(world: World) -> None:
    sv, school = world.sv, world.users["school_a"]
    saved = {r.item_id: r for r in sv.ratings.save(school, world.assessment_a, RaterRole.SELF, SELF_A)}
    edits = [RatingEdit("i1", "C", expected_version=saved["i1"].version), RatingEdit("i2", "N", expected_version=99)]
    with pytest.raises(ConflictError):
        sv.ratings.save(school, world.assessment_a, RaterRole.SELF, edits)
    assert {r.item_id: r.level for r in sv.ratings.list_ratings(school, world.assessment_a)} == {
        "i1": "A",
        "i2": "Y",
        "i3": "B",
    }


def test_bad_ratings_are_refused_with_every_problem(world: World) -> None:
    edits = [
        RatingEdit("i1", "Z"),
        RatingEdit("i4", "A"),
        RatingEdit("i9", "A"),
        RatingEdit("i1", "A"),
        RatingEdit("i2", "Y", account="长" * 5000),
    ]
    with pytest.raises(InputError) as bad:
        world.sv.ratings.save(world.users["school_a"], world.assessment_a, RaterRole.SELF, edits)
    keys = sorted(p.key for p in bad.value.problems)
    assert keys == [
        "input.computed_item",
        "input.duplicate_rating",
        "input.unknown_item",
        "input.unknown_level",
        "store.text_too_long",
    ]
    assert world.sv.ratings.list_ratings(SYSTEM, world.assessment_a) == []


def test_na_only_where_the_item_allows_it(world: World) -> None:
    with pytest.raises(InputError) as bad:
        world.sv.ratings.save(world.users["school_a"], world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "NA")])
    assert bad.value.problems[0].key == "input.na_not_allowed" and bad.value.problems[0].path == "i1"


def test_bad_facts_are_refused_with_every_problem(world: World) -> None:
    facts = {**FACTS, "students": "x", "grades": "many", "psych_fulltime": 80, "unknown": 1}
    with pytest.raises(InputError) as bad:
        world.sv.assessments.save_facts(world.users["school_a"], world.assessment_a, facts, world.version_a())
    found = sorted((p.column or p.path or "", p.key) for p in bad.value.problems)
    assert found == [
        ("grades", "input.bad_int"),
        ("psych_fulltime", "input.fact_exceeds"),
        ("students", "input.bad_int"),
        ("unknown", "store.unknown_fact"),
    ]
    assert all(p.row is None for p in bad.value.problems)


def test_draft_facts_may_be_incomplete(world: World) -> None:
    saved = world.sv.assessments.save_facts(
        world.users["school_a"], world.assessment_a, {"students": 400, "psych_fulltime": 2}, world.version_a()
    )
    assert saved.facts == {"students": 400.0, "psych_fulltime": 2.0}


def test_every_change_is_in_the_audit_log_with_before_and_after(world: World) -> None:
    sv, school = world.sv, world.users["school_a"]
    (rating,) = sv.ratings.save(school, world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "A", "一")])
    sv.ratings.save(
        school, world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "B", "二", expected_version=rating.version)]
    )
    sv.assessments.save_facts(school, world.assessment_a, {"students": 321}, world.version_a())
    entries = sv.audit.entries(world.users["bureau"], school_id=world.school_a)
    rating_changes = [e for e in entries if e.entity == "rating"]
    assert [(e.before, e.after) for e in rating_changes][:2] == [
        (
            {"level": "A", "account": "一", "evidence_verified": None, "finding": ""},
            {"level": "B", "account": "二", "evidence_verified": None, "finding": ""},
        ),
        (None, {"level": "A", "account": "一", "evidence_verified": None, "finding": ""}),
    ]
    facts = next(e for e in entries if e.action == "assessment.facts")
    assert facts.before == {} and facts.after == {"students": 321.0} and facts.actor == "school_a"
    actions = {e.action for e in sv.audit.entries(SYSTEM)}
    assert {"framework.add", "framework.activate", "school.add", "cycle.add", "user.add", "assignment.set"} <= actions


def test_unchanged_edits_write_nothing(world: World) -> None:
    sv, school = world.sv, world.users["school_a"]
    saved = sv.ratings.save(school, world.assessment_a, RaterRole.SELF, SELF_A)
    before = count(sv.engine, "audit_log")
    same = [
        RatingEdit(e.item_id, e.level, e.account, expected_version=r.version)
        for e, r in zip(SELF_A, saved, strict=True)
    ]
    assert sv.ratings.save(school, world.assessment_a, RaterRole.SELF, same) == []
    assert count(sv.engine, "audit_log") == before


def _score(world: World, who: str = "bureau") -> pd.DataFrame:
    """The cycle scored from the store's frames, as the bureau's pages score it."""
    me = world.users[who]
    facts = world.sv.frames.facts_frame(me, world.cycle_id)
    ratings = world.sv.frames.ratings_frame(me, world.cycle_id)
    framework = world.sv.frameworks.for_cycle(me, world.cycle_id)
    return score_district(framework, facts, ratings).to_frame(reasons=False)


def test_a_finalized_result_keeps_the_stages_it_was_submitted_with(world: World, tmp_path: Path) -> None:
    """The register changes after the inspection (by a page and by an import): the result does not."""
    sv, bureau = world.sv, world.users["bureau"]
    world.submit_a()
    world.inspect_a()
    sv.assessments.finalize(world.users["lead"], world.assessment_a, world.version_a())
    facts, scores = sv.frames.facts_frame(bureau, world.cycle_id), _score(world)
    assert facts.loc["A001", "stages"] == "primary" and scores.loc["A001", "inspection_score"] > 0
    sv.schools.save(bureau, "A001", "甲小学", ["junior"], "华阳路街道", "public", 1)
    pd.testing.assert_frame_equal(sv.frames.facts_frame(bureau, world.cycle_id).loc[["A001"]], facts.loc[["A001"]])
    pd.testing.assert_frame_equal(_score(world).loc[["A001"]], scores.loc[["A001"]])
    register = tmp_path / "schools.csv"
    rows = [
        "school_code,school_name,stages,street,ownership",
        "A001,甲小学,senior,华阳路街道,public",
        "B001,乙中学,senior,,",
    ]
    register.write_text("\n".join(rows) + "\n", encoding="utf-8")
    sv.imports.schools(bureau, register)
    after = sv.frames.facts_frame(bureau, world.cycle_id)
    pd.testing.assert_frame_equal(after.loc[["A001"]], facts.loc[["A001"]])
    pd.testing.assert_frame_equal(_score(world).loc[["A001"]], scores.loc[["A001"]])
    assert after.loc["B001", "stages"] == "senior"  # B is a draft: it follows the register
    assert sv.assessments.get(bureau, world.assessment_a).stages == ("primary",)
    assert sv.schools.get(bureau, world.school_a).stages == ("senior",)


def test_the_stages_are_taken_at_submission_and_again_after_a_return(world: World) -> None:
    sv, bureau, lead = world.sv, world.users["bureau"], world.users["lead"]
    world.submit_a()
    submitted = sv.audit.entries(SYSTEM, entity="assessment", action_prefix="assessment.submitted")[0]
    assert submitted.after["stages"] == "primary"
    sv.schools.save(bureau, "A001", "甲小学", ["junior"])  # i3 applies to primary schools only
    edits = [RatingEdit("i1", "B"), RatingEdit("i2", "Y")]
    sv.ratings.save(world.users["inspector"], world.assessment_a, RaterRole.INSPECTOR, edits)
    with pytest.raises(InputError) as missing:  # checked with the stages as submitted: i3 applies
        sv.assessments.finalize(lead, world.assessment_a, world.version_a())
    assert [p.path for p in missing.value.problems] == ["i3"]
    sv.assessments.return_for_revision(lead, world.assessment_a, world.version_a(), "请按新学段重新提交")
    assert sv.assessments.get(bureau, world.assessment_a).stages == ("junior",)  # returned: the register's
    assert sv.frames.facts_frame(bureau, world.cycle_id).loc["A001", "stages"] == "junior"
    sv.assessments.submit(world.users["school_a"], world.assessment_a, world.version_a())
    sv.schools.save(bureau, "A001", "甲小学", ["primary"])
    done = sv.assessments.finalize(lead, world.assessment_a, world.version_a())
    assert done.status == Status.FINALIZED and done.stages == ("junior",)


@pytest.mark.parametrize(
    "value", [float("inf"), float("-inf"), "inf", "-Infinity", "1e999", 10**400], ids=lambda v: str(v)[:12]
)
def test_an_infinite_fact_is_refused_and_nothing_is_stored(world: World, value: object) -> None:
    sv, school = world.sv, world.users["school_a"]
    sv.assessments.save_facts(school, world.assessment_a, FACTS, world.version_a())
    before = snapshot(sv.engine)
    for facts in ({**FACTS, "room_area_m2": value}, {**FACTS, "students": value}):
        with pytest.raises(InputError) as bad:
            sv.assessments.save_facts(school, world.assessment_a, facts, world.version_a())
        (problem,) = bad.value.problems
        assert problem.key == "store.fact_not_finite" and problem.column in ("room_area_m2", "students")
        assert "finite" in bad.value.render("en") and "有限" in bad.value.render("zh")
        with pytest.raises(InputError):
            sv.assessments.save_self_assessment(school, world.assessment_a, world.version_a(), facts, [])
    assert snapshot(sv.engine) == before


def test_every_status_change_is_in_the_audit_log(world: World) -> None:
    """The first inspection rating starts the inspection: that change is logged like the lead's steps."""
    sv, lead = world.sv, world.users["lead"]
    world.submit_a()
    sv.ratings.save(world.users["inspector"], world.assessment_a, RaterRole.INSPECTOR, [RatingEdit("i1", "B")])
    more = [RatingEdit("i2", "Y"), RatingEdit("i3", "A")]
    sv.ratings.save(world.users["inspector"], world.assessment_a, RaterRole.INSPECTOR, more)  # no status change
    sv.assessments.return_for_revision(lead, world.assessment_a, world.version_a(), "请补充材料")
    sv.assessments.submit(world.users["school_a"], world.assessment_a, world.version_a())
    sv.ratings.save(lead, world.assessment_a, RaterRole.CONSENSUS, [RatingEdit("i2", "Y")])
    sv.assessments.finalize(lead, world.assessment_a, world.version_a())
    changes = sv.audit.entries(SYSTEM, entity="assessment", entity_id=str(world.assessment_a))
    moves = [
        (e.actor, e.before["status"], e.after["status"]) for e in reversed(changes) if e.before and "status" in e.before
    ]
    assert moves == [
        ("school_a", "draft", "submitted"),
        ("inspector", "submitted", "under_inspection"),
        ("lead", "under_inspection", "returned"),
        ("school_a", "returned", "submitted"),
        ("lead", "submitted", "under_inspection"),
        ("lead", "under_inspection", "finalized"),
    ]
    statuses = [m[2] for m in moves]
    assert statuses[-1] == sv.assessments.get(SYSTEM, world.assessment_a).status


@pytest.mark.parametrize("facts", [{}, None], ids=["empty", "none"])
def test_saving_a_self_assessment_without_facts_keeps_the_stored_facts(world: World, facts: dict | None) -> None:
    sv, school = world.sv, world.users["school_a"]
    sv.assessments.save_facts(school, world.assessment_a, FACTS, world.version_a())
    saved = sv.assessments.save_self_assessment(school, world.assessment_a, world.version_a(), facts, SELF_A)
    assert saved.facts == {k: float(v) for k, v in FACTS.items()}
    assert {r.item_id for r in sv.ratings.list_ratings(school, world.assessment_a)} == {"i1", "i2", "i3"}
    assert [e.after != {} for e in sv.audit.entries(SYSTEM, action_prefix="assessment.facts")] == [True]
    unchanged = sv.assessments.save_self_assessment(school, world.assessment_a, saved.version, facts, [])
    assert unchanged.version == saved.version  # nothing to save: nothing written
