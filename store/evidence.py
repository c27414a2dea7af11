"""Evidence attached to items of an assessment: upload (school), list and read (whoever sees it), unlink.

The size and the type are checked before anything is written. The same content is stored once;
removing a link removes the file only when no other link uses it.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from i18n.problems import InputError, Problem
from store import audit
from store.context import Area
from store.convert import link_record
from store.errors import NotFound
from store.evidence_files import EXTENSIONS, BlobStore, safe_name, sniff
from store.locking import Target, load, touch
from store.models import EvidenceFileRow, EvidenceLinkRow
from store.policy import Duty, access, acting, check_duty, check_view
from store.records import EvidenceLink, User


class Evidence(Area):
    """Evidence files and links."""

    @property
    def blobs(self) -> BlobStore:
        """The file store under the configured evidence folder."""
        return BlobStore(self.ctx.limits.evidence_dir)

    def upload(self, actor: User, assessment_id: int, item_id: str, filename: str, data: bytes) -> EvidenceLink:
        """Attach a file to an item (school, while editable); the same file twice is stored once."""
        kind = self._checked_kind(filename, data)
        sha = hashlib.sha256(data).hexdigest()
        self.blobs.put(sha, data)  # before the row, so that no row ever points at a missing file

        def write(session: Session) -> EvidenceLink:
            me, target = self._editable(session, actor, assessment_id, "upload_evidence")
            framework = self.ctx.frameworks.cycle(session, target.cycle)
            if item_id not in {i.id for i in framework.items()}:
                raise InputError([Problem("input.unknown_item", {"found": item_id}, path="item_id")])
            return self._link(session, me, target, item_id, sha, len(data), kind, safe_name(filename, kind))

        try:
            link = self.ctx.write(actor, write)
        except BaseException:
            self._drop_if_unused(sha)  # a refused upload leaves nothing behind
            raise
        self.blobs.put(sha, data)  # again: a concurrent unlink may have removed the file meanwhile
        return link

    def list_links(self, actor: User, assessment_id: int, item_id: str | None = None) -> list[EvidenceLink]:
        """The assessment's evidence (of one item, if given), for whoever may see the assessment."""

        def read(session: Session) -> list[EvidenceLink]:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=False)
            check_view(access(session, me, target.assessment))
            query = (
                select(EvidenceLinkRow, EvidenceFileRow)
                .join(EvidenceFileRow, EvidenceFileRow.sha256 == EvidenceLinkRow.sha256)
                .where(EvidenceLinkRow.assessment_id == assessment_id)
                .order_by(EvidenceLinkRow.item_id, EvidenceLinkRow.id)
            )
            if item_id is not None:
                query = query.where(EvidenceLinkRow.item_id == item_id)
            return [link_record(link, file) for link, file in session.execute(query)]

        return self.ctx.read(read)

    def read(self, actor: User, link_id: int) -> tuple[EvidenceLink, bytes]:
        """A link and its file's content, for whoever may see the assessment."""

        def find(session: Session) -> EvidenceLink:
            me = acting(session, actor)
            link, file = _link_row(session, link_id)
            check_view(access(session, me, load(session, link.assessment_id, lock=False).assessment))
            return link_record(link, file)

        link = self.ctx.read(find)
        return link, self.blobs.get(link.sha256)

    def delete_link(self, actor: User, link_id: int) -> None:
        """Remove a link (school, while editable); the file goes only when no other link uses it."""

        def write(session: Session) -> str | None:
            link, _ = _link_row(session, link_id)
            me, target = self._editable(session, actor, link.assessment_id, "delete_evidence")
            sha, before = (
                link.sha256,
                {"item_id": link.item_id, "filename": link.filename, "sha256": link.sha256},
            )
            session.delete(link)
            session.flush()
            where = {"school_id": target.assessment.school_id, "cycle_id": target.assessment.cycle_id}
            audit.record(session, me, self.ctx.clock(), "evidence.unlink", "evidence", link_id, before=before, **where)
            touch(session, target, me, self.ctx.clock())
            session.get(EvidenceFileRow, sha, with_for_update=True)  # racing uploads of it wait, then retry
            users = session.scalar(select(func.count()).where(EvidenceLinkRow.sha256 == sha))
            if users:
                return None
            session.execute(EvidenceFileRow.__table__.delete().where(EvidenceFileRow.sha256 == sha))
            return sha

        orphan = self.ctx.write(actor, write)
        if orphan is not None:
            self._drop_if_unused(orphan)

    def _drop_if_unused(self, sha: str) -> None:
        """Remove a stored file that no row refers to."""
        if self.ctx.read(lambda s: s.get(EvidenceFileRow, sha)) is None:
            self.blobs.delete(sha)

    def _checked_kind(self, filename: str, data: bytes) -> str:
        limit = self.ctx.limits.evidence_max_bytes
        if len(data) > limit:
            found = f"{len(data) / 1048576:.1f} MB"
            raise InputError(
                [
                    Problem(
                        "store.evidence_too_big",
                        {"max": f"{limit / 1048576:g} MB", "found": found},
                        file=filename,
                    )
                ]
            )
        kind = sniff(data)
        if kind is None:
            expected = ", ".join(k.upper() for k in EXTENSIONS)
            raise InputError([Problem("store.evidence_bad_type", {"expected": expected}, file=filename)])
        return kind

    def _editable(self, session: Session, actor: User, assessment_id: int, action: str) -> tuple[User, Target]:
        me = acting(session, actor)
        target = load(session, assessment_id, lock=True)
        check_duty(access(session, me, target.assessment), Duty.SELF, target.assessment, target.cycle, action)
        return me, target

    def _link(
        self,
        session: Session,
        me: User,
        target: Target,
        item_id: str,
        sha: str,
        size: int,
        kind: str,
        name: str,
    ) -> EvidenceLink:
        now = self.ctx.clock()
        file = session.get(EvidenceFileRow, sha)
        if file is None:
            file = EvidenceFileRow(sha256=sha, size=size, kind=kind, created_at=now)
            session.add(file)
        a = target.assessment
        query = select(EvidenceLinkRow).where(
            EvidenceLinkRow.assessment_id == a.id,
            EvidenceLinkRow.item_id == item_id,
            EvidenceLinkRow.sha256 == sha,
        )
        link = session.scalars(query).first()
        if link is None:
            link = EvidenceLinkRow(
                assessment_id=a.id,
                item_id=item_id,
                sha256=sha,
                filename=name,
                uploaded_by=me.username,
                uploaded_at=now,
            )
            session.add(link)
            session.flush()
            after = {"item_id": item_id, "filename": name, "sha256": sha, "size": size}
            audit.record(
                session,
                me,
                now,
                "evidence.link",
                "evidence",
                link.id,
                after=after,
                school_id=a.school_id,
                cycle_id=a.cycle_id,
            )
            touch(session, target, me, now)
        return link_record(link, file)


def _link_row(session: Session, link_id: int) -> tuple[EvidenceLinkRow, EvidenceFileRow]:
    link = session.get(EvidenceLinkRow, link_id)
    if link is None:
        raise NotFound(what=f"evidence {link_id}")
    file = session.get(EvidenceFileRow, link.sha256)
    assert file is not None
    return link, file
