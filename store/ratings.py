"""Ratings of one assessment: reading what the actor may see, and saving the actor's own.

A school saves its self ratings (draft or returned), an assigned inspector their own inspector
ratings, the lead inspector the consensus (until finalized). Each edit carries the version it was
read at; a stale one is a conflict naming who changed the rating and when.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import audit
from store.context import Area
from store.convert import rating_record
from store.locking import load, touch
from store.models import RatingRow
from store.policy import ROLE_DUTY, access, acting, check_duty, check_view, rating_visible
from store.rating_edits import apply_edits, check_edits
from store.records import RaterRole, Rating, RatingEdit, Status, User


class Ratings(Area):
    """Ratings."""

    def list_ratings(self, actor: User, assessment_id: int) -> list[Rating]:
        """The assessment's ratings the actor may see, by item, role and rater."""

        def read(session: Session) -> list[Rating]:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=False)
            standing = access(session, me, target.assessment)
            check_view(standing)
            query = select(RatingRow).where(RatingRow.assessment_id == assessment_id)
            rows = sorted(session.scalars(query), key=lambda r: (r.item_id, r.role, r.slot))
            status = target.assessment.status
            return [rating_record(r) for r in rows if rating_visible(standing, me, status, r.role, r.rater_user_id)]

        return self.ctx.read(read)

    def save(self, actor: User, assessment_id: int, role: RaterRole, edits: Sequence[RatingEdit]) -> list[Rating]:
        """Save the actor's own ratings in `role`; returns the saved ratings (cleared ones are left out)."""
        role = RaterRole(role)

        def write(session: Session) -> list[Rating]:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=True)
            standing = access(session, me, target.assessment)
            check_duty(standing, ROLE_DUTY[role], target.assessment, target.cycle, f"rating:{role.value}")
            framework = self.ctx.frameworks.cycle(session, target.cycle)
            check_edits(framework, target.school.code, role, me.username, edits)
            now = self.ctx.clock()
            rows, changes = apply_edits(session, me, now, target, role, edits)
            a = target.assessment
            if changes and role != RaterRole.SELF and a.status == Status.SUBMITTED:
                a.status = Status.UNDER_INSPECTION.value  # the first inspection rating starts the inspection
                audit.status_change(session, me, now, a, Status.SUBMITTED.value, note=None)
            if changes:
                touch(session, target, me, now)
            return [rating_record(r) for r in rows]

        return self.ctx.write(actor, write)
