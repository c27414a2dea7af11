"""Assessments: facts, the self-assessment, and the workflow draft → submitted → under inspection → finalized.

The school saves facts and self ratings while the assessment is a draft or returned, and submits it
when complete; the lead inspector starts the inspection, returns it for revision or finalizes it;
a finalized assessment is read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from criteria import Framework, QuantitativeItem, Stage
from i18n.problems import InputError, Problem
from store import audit
from store.context import Area
from store.convert import assessment_record, effective_stages
from store.errors import InvalidState, Msg, NotFound, PermissionDenied
from store.facts_check import FactValue, check_facts
from store.locking import Target, check_assessment_version, load, touch
from store.models import AssessmentRow, RatingRow, SchoolRow
from store.policy import Duty, access, acting, check_duty, check_view
from store.rating_edits import apply_edits, check_edits
from store.records import (
    IN_INSPECTION,
    SCHOOL_EDITABLE,
    Assessment,
    Capabilities,
    CycleStatus,
    RaterRole,
    RatingEdit,
    Status,
    User,
)
from store.schools import may_see_school, visible_schools


class Assessments(Area):
    """Assessments and their workflow."""

    def list_assessments(self, actor: User, cycle_id: int) -> list[Assessment]:
        """The cycle's assessments the actor may see, by school code."""

        def read(session: Session) -> list[Assessment]:
            me = acting(session, actor)
            schools = {s.id: s for s in visible_schools(session, me, cycle_id)}
            query = select(AssessmentRow).where(
                AssessmentRow.cycle_id == cycle_id, AssessmentRow.school_id.in_(schools)
            )
            rows = sorted(session.scalars(query), key=lambda r: schools[r.school_id].code)
            return [assessment_record(r, schools[r.school_id]) for r in rows]

        return self.ctx.read(read)

    def get(self, actor: User, assessment_id: int) -> Assessment:
        """One assessment, if the actor may see it."""

        def read(session: Session) -> Assessment:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=False)
            check_view(access(session, me, target.assessment))
            return assessment_record(target.assessment, target.school)

        return self.ctx.read(read)

    def find(self, actor: User, cycle_id: int, school_id: int) -> Assessment:
        """The assessment of a school in a cycle, if the actor may see it."""

        def read(session: Session) -> Assessment:
            me = acting(session, actor)
            query = select(AssessmentRow).where(
                AssessmentRow.cycle_id == cycle_id, AssessmentRow.school_id == school_id
            )
            row = session.scalars(query).first()
            if row is None:
                if not may_see_school(session, me, school_id):
                    raise PermissionDenied("store.action.view_assessment")
                raise NotFound(what=f"cycle {cycle_id} / school {school_id}")
            check_view(access(session, me, row))
            school = session.get(SchoolRow, row.school_id)
            assert school is not None
            return assessment_record(row, school)

        return self.ctx.read(read)

    def capabilities(self, actor: User, assessment_id: int) -> Capabilities:
        """What the actor may do with the assessment now."""

        def read(session: Session) -> Capabilities:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=False)
            standing = access(session, me, target.assessment)
            check_view(standing)
            status, open_cycle = Status(target.assessment.status), target.cycle.status == CycleStatus.OPEN
            live = open_cycle and status != Status.FINALIZED
            return Capabilities(
                view=standing.view,
                edit_self=standing.school and open_cycle and status in SCHOOL_EDITABLE,
                rate=standing.inspector and live,
                lead=standing.lead and live,
            )

        return self.ctx.read(read)

    def save_facts(
        self, actor: User, assessment_id: int, facts: Mapping[str, FactValue], expected_version: int
    ) -> Assessment:
        """Replace the school's facts (school, draft or returned); missing facts may be filled in later."""

        def write(session: Session) -> Assessment:
            me, target = self._editable(session, actor, assessment_id, Duty.SELF, "save_facts")
            check_assessment_version(target, expected_version)
            if self._set_facts(session, me, target, facts):
                touch(session, target, me, self.ctx.clock())
            return assessment_record(target.assessment, target.school)

        return self.ctx.write(actor, write)

    def save_self_assessment(
        self,
        actor: User,
        assessment_id: int,
        expected_version: int,
        facts: Mapping[str, FactValue] | None,
        edits: Sequence[RatingEdit],
    ) -> Assessment:
        """Save facts and self ratings at once (e.g. an uploaded template) against the version read.

        A non-empty `facts` replaces the stored facts (as `save_facts`); None or an empty mapping
        leaves them as they are. Items not in `edits` keep their rating; an edit with `level=None`
        clears one.
        """

        def write(session: Session) -> Assessment:
            me, target = self._editable(session, actor, assessment_id, Duty.SELF, "save_self_assessment")
            check_assessment_version(target, expected_version)
            framework = self.ctx.frameworks.cycle(session, target.cycle)
            check_edits(framework, target.school.code, RaterRole.SELF, me.username, edits)
            _, changes = apply_edits(session, me, self.ctx.clock(), target, RaterRole.SELF, edits, check_versions=False)
            if (facts and self._set_facts(session, me, target, facts)) or changes:
                touch(session, target, me, self.ctx.clock())
            return assessment_record(target.assessment, target.school)

        return self.ctx.write(actor, write)

    def submit(self, actor: User, assessment_id: int, expected_version: int) -> Assessment:
        """Submit a complete self-assessment (school): all facts, a self rating for each applicable item."""

        def check(session: Session, target: Target) -> None:
            framework = self.ctx.frameworks.cycle(session, target.cycle)
            problems = []
            try:
                check_facts(target.assessment.facts, target.school, complete=True)
            except InputError as error:
                problems += error.problems
            rated = _rated_items(session, target.assessment.id, (RaterRole.SELF,))
            problems += _unrated(framework, target.school.stages, rated, "store.unrated_item")
            if problems:
                raise InputError(problems)

        return self._step(actor, assessment_id, expected_version, Duty.SELF, SCHOOL_EDITABLE, Status.SUBMITTED, check)

    def start_inspection(self, actor: User, assessment_id: int, expected_version: int) -> Assessment:
        """Mark a submitted assessment as under inspection (lead inspector)."""
        return self._step(
            actor, assessment_id, expected_version, Duty.LEAD, {Status.SUBMITTED}, Status.UNDER_INSPECTION
        )

    def return_for_revision(self, actor: User, assessment_id: int, expected_version: int, note: str) -> Assessment:
        """Send the assessment back to the school with a note (lead inspector)."""
        if not note.strip():
            raise InputError([Problem("store.note_required", path="note")])

        def check(session: Session, target: Target) -> None:
            target.assessment.return_note = note.strip()

        return self._step(actor, assessment_id, expected_version, Duty.LEAD, IN_INSPECTION, Status.RETURNED, check)

    def finalize(self, actor: User, assessment_id: int, expected_version: int) -> Assessment:
        """Finalize (lead inspector): every applicable item needs a consensus or an inspector's rating."""

        def check(session: Session, target: Target) -> None:
            framework = self.ctx.frameworks.cycle(session, target.cycle)
            rated = _rated_items(session, target.assessment.id, (RaterRole.INSPECTOR, RaterRole.CONSENSUS))
            stages = effective_stages(target.assessment, target.school)
            if problems := _unrated(framework, stages, rated, "store.uninspected_item"):
                raise InputError(problems)
            from store.quality import check_finalize  # the cycle may require a second reader's confirmation

            check_finalize(session, target)

        return self._step(actor, assessment_id, expected_version, Duty.LEAD, IN_INSPECTION, Status.FINALIZED, check)

    def _editable(
        self, session: Session, actor: User, assessment_id: int, duty: Duty, action: str
    ) -> tuple[User, Target]:
        me = acting(session, actor)
        target = load(session, assessment_id, lock=True)
        check_duty(access(session, me, target.assessment), duty, target.assessment, target.cycle, action)
        return me, target

    def _set_facts(self, session: Session, me: User, target: Target, facts: Mapping[str, FactValue]) -> bool:
        """Replace the facts if they differ (audited); whether they did."""
        checked = check_facts(facts, target.school, complete=False)
        a = target.assessment
        if checked == dict(a.facts or {}):
            return False
        before, a.facts = dict(a.facts or {}), checked
        where = {"school_id": a.school_id, "cycle_id": a.cycle_id}
        audit.record(
            session, me, self.ctx.clock(), "assessment.facts", "assessment", a.id, before=before, after=checked, **where
        )
        return True

    def _step(
        self,
        actor: User,
        assessment_id: int,
        expected_version: int,
        duty: Duty,
        allowed: Collection[Status],
        to: Status,
        check: Callable[[Session, Target], None] | None = None,
    ) -> Assessment:
        def write(session: Session) -> Assessment:
            me, target = self._editable(session, actor, assessment_id, duty, f"status:{to.value}")
            check_assessment_version(target, expected_version)
            a = target.assessment
            if a.status not in allowed:
                raise InvalidState(
                    "store.bad_step",
                    status=Msg(f"store.status.{a.status}"),
                    to=Msg(f"store.status.{to.value}"),
                )
            if check is not None:
                check(session, target)
            before, a.status = a.status, to.value
            now = self.ctx.clock()
            if to == Status.SUBMITTED:
                a.submitted_at = now
                a.school_stages = target.school.stages  # checked and scored with these from now on
            if to == Status.RETURNED:
                a.school_stages = None  # editable again: follows the register until submitted again
            if to == Status.FINALIZED:
                a.finalized_at = now
            extra = {"stages": a.school_stages} if to == Status.SUBMITTED else {}
            audit.status_change(session, me, now, a, before, note=a.return_note or None, **extra)
            touch(session, target, me, now)
            return assessment_record(a, target.school)

        return self.ctx.write(actor, write)


def _rated_items(session: Session, assessment_id: int, roles: Sequence[RaterRole]) -> set[str]:
    query = select(RatingRow.item_id).where(
        RatingRow.assessment_id == assessment_id, RatingRow.role.in_([r.value for r in roles])
    )
    return set(session.scalars(query))


def _unrated(framework: Framework, school_stages: str, rated: set[str], key: str) -> list[Problem]:
    """A problem for each item applicable to the stages (not computed from facts) without a rating."""
    stages = {Stage(s) for s in school_stages.split(";") if s}
    return [
        Problem(key, {"item": item.id, "title": item.title.zh}, path=item.id)
        for item in framework.items()
        if not isinstance(item, QuantitativeItem) and stages & set(item.applies_to) and item.id not in rated
    ]
