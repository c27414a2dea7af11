"""The second reader: a cycle may require a quality review before the lead finalizes a result.

After the lead proposes the result (naming a reviewer: a bureau account, or the lead of another team who is
no member of this school's team), the reviewer reads the report beside the evidence verdicts and findings
and either confirms it — the lead may then finalize, as long as nothing changed since it was proposed — or
sends it back with a note per item. Every step is in the audit log.

A cycle's quality settings also say whether an inspector without a valid certification may be assigned as
a lead (refused, or only warned about on the assignment pages).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n.problems import InputError, Problem
from store import audit
from store.calibration import certified_on
from store.calibration_records import CycleQuality, QualityReview, Reviewer
from store.context import Area
from store.cycles import cycle_row
from store.errors import InvalidState, NotFound, PermissionDenied
from store.locking import Target, check_assessment_version, load
from store.models import AssessmentRow, AssignmentRow, CycleQualityRow, QualityReviewRow, SchoolRow, UserRow
from store.policy import MANAGERS, Duty, access, acting, check_duty, check_view, require
from store.records import IN_INSPECTION, Role, User

SETTINGS = "quality.action.settings"
PROPOSE = "quality.action.propose"
REVIEW = "quality.action.review"
MAX_NOTE = 4000


class Quality(Area):
    """Cycle quality settings and second-reader reviews."""

    def cycle_settings(self, actor: User, cycle_id: int) -> CycleQuality:
        """A cycle's quality settings (any signed-in user)."""

        def read(session: Session) -> CycleQuality:
            acting(session, actor)
            cycle_row(session, cycle_id)
            return quality_of(session, cycle_id)

        return self.ctx.read(read)

    def set_cycle_settings(
        self, actor: User, cycle_id: int, *, require_review: bool, refuse_uncertified_lead: bool
    ) -> CycleQuality:
        """Change a cycle's quality settings (bureau; audited)."""

        def write(session: Session) -> CycleQuality:
            me = acting(session, actor)
            require(me, MANAGERS, SETTINGS)
            cycle_row(session, cycle_id, lock=True)
            row = session.get(CycleQualityRow, cycle_id)
            before = _settings_dict(quality_of(session, cycle_id)) if row is not None else None
            now = self.ctx.clock()
            if row is None:
                row = CycleQualityRow(cycle_id=cycle_id, updated_by=me.username, updated_at=now)
                session.add(row)
            row.require_review, row.refuse_uncertified_lead = bool(require_review), bool(refuse_uncertified_lead)
            row.updated_by, row.updated_at = me.username, now
            session.flush()
            after = _settings_dict(quality_of(session, cycle_id))
            audit.record(
                session, me, now, "quality.settings", "cycle", cycle_id, before=before, after=after, cycle_id=cycle_id
            )
            return quality_of(session, cycle_id)

        return self.ctx.write(actor, write)

    def reviewers(self, actor: User, assessment_id: int) -> list[Reviewer]:
        """Who may review the assessment: bureau accounts, and leads of other teams in the cycle (lead, bureau)."""

        def read(session: Session) -> list[Reviewer]:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=False)
            standing = access(session, me, target.assessment)
            if not (standing.lead or standing.reads_all):
                raise PermissionDenied(PROPOSE)
            return eligible_reviewers(session, target.assessment)

        return self.ctx.read(read)

    def propose(self, actor: User, assessment_id: int, reviewer_id: int, expected_version: int) -> QualityReview:
        """The lead proposes the result for review by `reviewer_id` (replacing an earlier review)."""

        def write(session: Session) -> QualityReview:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=True)
            check_duty(access(session, me, target.assessment), Duty.LEAD, target.assessment, target.cycle, "propose")
            check_assessment_version(target, expected_version)
            a = target.assessment
            if a.status not in IN_INSPECTION:
                raise InvalidState("quality.not_in_inspection")
            if reviewer_id not in {r.id for r in eligible_reviewers(session, a)}:
                raise InputError([Problem("quality.bad_reviewer", {"found": reviewer_id}, path="reviewer")])
            now = self.ctx.clock()
            row = session.scalars(select(QualityReviewRow).where(QualityReviewRow.assessment_id == a.id)).first()
            before = {"status": row.status, "reviewer_id": row.reviewer_id} if row is not None else None
            if row is None:
                row = QualityReviewRow(assessment_id=a.id)
                session.add(row)
            row.status, row.reviewer_id = "pending", reviewer_id
            row.proposed_by, row.proposed_at, row.proposed_version = me.username, now, a.version_id
            row.decided_at, row.notes, row.note = None, {}, ""
            session.flush()
            after = {"status": "pending", "reviewer_id": reviewer_id, "version": a.version_id}
            _log(session, me, now, "quality.propose", row, a, before, after)
            return review_record(session, row)

        return self.ctx.write(actor, write)

    def review_of(self, actor: User, assessment_id: int) -> QualityReview | None:
        """The assessment's review, to whoever may see the assessment."""

        def read(session: Session) -> QualityReview | None:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=False)
            check_view(access(session, me, target.assessment))
            row = session.scalars(
                select(QualityReviewRow).where(QualityReviewRow.assessment_id == assessment_id)
            ).first()
            return review_record(session, row) if row is not None else None

        return self.ctx.read(read)

    def my_reviews(self, actor: User) -> list[QualityReview]:
        """The reviews the actor is named for (pending first); the bureau also sees every other one."""

        def read(session: Session) -> list[QualityReview]:
            me = acting(session, actor)
            require(me, MANAGERS | {Role.INSPECTOR}, REVIEW)
            query = select(QualityReviewRow).order_by(QualityReviewRow.proposed_at.desc())
            if me.role not in MANAGERS:
                query = query.where(QualityReviewRow.reviewer_id == me.id)
            rows = [review_record(session, r) for r in session.scalars(query)]
            return sorted(rows, key=lambda r: (r.status != "pending", r.reviewer_id != me.id))

        return self.ctx.read(read)

    def confirm(self, actor: User, assessment_id: int) -> QualityReview:
        """The reviewer confirms the proposed result (unchanged since proposed)."""
        return self._decide(actor, assessment_id, "confirmed", {}, "")

    def send_back(self, actor: User, assessment_id: int, notes: Mapping[str, str], note: str = "") -> QualityReview:
        """The reviewer sends the result back to the lead with a note per item (at least one note)."""
        return self._decide(actor, assessment_id, "sent_back", notes, note)

    def _decide(self, actor: User, assessment_id: int, to: str, notes: Mapping[str, str], note: str) -> QualityReview:
        def write(session: Session) -> QualityReview:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=True)
            a = target.assessment
            row = session.scalars(
                select(QualityReviewRow).where(QualityReviewRow.assessment_id == a.id).with_for_update()
            ).first()
            if row is None or row.reviewer_id != me.id:
                raise PermissionDenied(REVIEW)
            if _on_team(session, me.id, a):
                raise PermissionDenied(REVIEW, key="quality.reviewer_on_team")
            if row.status != "pending":
                raise InvalidState("quality.not_pending")
            if a.version_id != row.proposed_version:
                raise InvalidState("quality.changed_since_proposed")
            kept = {str(k): v.strip()[:MAX_NOTE] for k, v in notes.items() if v and v.strip()}
            if to == "sent_back":
                framework = self.ctx.frameworks.cycle(session, target.cycle)
                known = {i.id for i in framework.items()}
                problems = [Problem("quality.unknown_item", {"found": k}, path=k) for k in kept if k not in known]
                if not kept and not note.strip():
                    problems.append(Problem("quality.note_required", path="notes"))
                if problems:
                    raise InputError(problems)
            now = self.ctx.clock()
            before = {"status": row.status}
            row.status, row.decided_at, row.notes, row.note = to, now, kept, note.strip()[:MAX_NOTE]
            session.flush()
            _log(session, me, now, f"quality.{to}", row, a, before, {"status": to, "notes": kept, "note": row.note})
            return review_record(session, row)

        return self.ctx.write(actor, write)


def quality_of(session: Session, cycle_id: int) -> CycleQuality:
    """The cycle's settings (defaults where none were set)."""
    row = session.get(CycleQualityRow, cycle_id)
    if row is None:
        return CycleQuality(cycle_id)
    return CycleQuality(cycle_id, row.require_review, row.refuse_uncertified_lead)


def _settings_dict(q: CycleQuality) -> dict[str, bool]:
    return {"require_review": q.require_review, "refuse_uncertified_lead": q.refuse_uncertified_lead}


def _on_team(session: Session, user_id: int, a: AssessmentRow) -> bool:
    query = select(AssignmentRow.id).where(
        AssignmentRow.cycle_id == a.cycle_id,
        AssignmentRow.school_id == a.school_id,
        AssignmentRow.inspector_id == user_id,
    )
    return session.scalars(query).first() is not None


def eligible_reviewers(session: Session, a: AssessmentRow) -> list[Reviewer]:
    """Active bureau accounts, and active inspectors leading another school of the cycle and not on this team."""
    team = set(
        session.scalars(
            select(AssignmentRow.inspector_id).where(
                AssignmentRow.cycle_id == a.cycle_id, AssignmentRow.school_id == a.school_id
            )
        )
    )
    leads = set(
        session.scalars(
            select(AssignmentRow.inspector_id).where(
                AssignmentRow.cycle_id == a.cycle_id, AssignmentRow.lead, AssignmentRow.school_id != a.school_id
            )
        )
    )
    query = select(UserRow).where(UserRow.active, UserRow.role.in_([Role.BUREAU.value, Role.INSPECTOR.value]))
    out = []
    for u in session.scalars(query.order_by(UserRow.role, UserRow.username)):
        if u.role == Role.BUREAU or (u.id in leads and u.id not in team):
            out.append(Reviewer(u.id, u.username, u.display_name or u.username, u.role == Role.BUREAU))
    return out


def review_record(session: Session, row: QualityReviewRow) -> QualityReview:
    """The plain record of a review."""
    reviewer = session.get(UserRow, row.reviewer_id)
    a = session.get(AssessmentRow, row.assessment_id)
    school = session.get(SchoolRow, a.school_id) if a is not None else None
    team = {}
    if a is not None:
        query = (
            select(UserRow.username, UserRow.display_name)
            .join(AssignmentRow, AssignmentRow.inspector_id == UserRow.id)
            .where(AssignmentRow.cycle_id == a.cycle_id, AssignmentRow.school_id == a.school_id)
        )
        team = {u: d or u for u, d in session.execute(query)}
    return QualityReview(
        id=row.id,
        assessment_id=row.assessment_id,
        status=row.status,
        reviewer_id=row.reviewer_id,
        reviewer=reviewer.username if reviewer else "?",
        reviewer_name=(reviewer.display_name or reviewer.username) if reviewer else "?",
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        proposed_version=row.proposed_version,
        decided_at=row.decided_at,
        notes=dict(row.notes or {}),
        note=row.note or "",
        version=row.version_id,
        school_code=school.code if school else "",
        school_name=school.name if school else "",
        cycle_id=a.cycle_id if a is not None else 0,
        team=team,
    )


def _log(
    session: Session,
    me: User,
    now: object,
    action: str,
    row: QualityReviewRow,
    a: AssessmentRow,
    before: object,
    after: object,
) -> None:
    where = {"school_id": a.school_id, "cycle_id": a.cycle_id}
    audit.record(session, me, now, action, "quality_review", row.id, before=before, after=after, **where)  # type: ignore[arg-type]


def check_finalize(session: Session, target: Target) -> None:
    """Refuse to finalize, where the cycle requires a review, without a confirmation of the result as it is."""
    if not quality_of(session, target.cycle.id).require_review:
        return
    a = target.assessment
    row = session.scalars(select(QualityReviewRow).where(QualityReviewRow.assessment_id == a.id)).first()
    if row is None or row.status != "confirmed":
        raise InvalidState("quality.review_required")
    if row.proposed_version != a.version_id:
        raise InvalidState("quality.changed_since_review")


def check_leads(session: Session, cycle_id: int, lead_ids: list[int], day: date) -> None:
    """Where the cycle refuses uncertified leads, refuse every lead without a valid certification (listed)."""
    if not lead_ids or not quality_of(session, cycle_id).refuse_uncertified_lead:
        return
    problems = []
    for user_id in dict.fromkeys(lead_ids):
        if not certified_on(session, user_id, day):
            user = session.get(UserRow, user_id)
            who = (user.display_name or user.username) if user else str(user_id)
            problems.append(Problem("quality.lead_uncertified", {"who": who}, path="lead"))
    if problems:
        raise InputError(problems)


def reviewer_name(session: Session, assessment_id: int) -> str:
    """Who confirmed the assessment's result as second reader ('' when nobody did)."""
    row = session.scalars(select(QualityReviewRow).where(QualityReviewRow.assessment_id == assessment_id)).first()
    if row is None or row.status != "confirmed":
        return ""
    user = session.get(UserRow, row.reviewer_id)
    return (user.display_name or user.username) if user else ""


__all__ = ["NotFound", "Quality", "check_finalize", "check_leads", "eligible_reviewers", "reviewer_name"]
