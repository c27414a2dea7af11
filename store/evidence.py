"""Evidence attached to items of an assessment: upload (school), list and read (whoever sees it), unlink.

Inspectors give each file (each link) a verdict, accepted or insufficient (`set_verdict`, `verdicts`).

The size, the type, the permission and the assessment's state are checked before anything is
written. The same content is stored once; removing a link removes the file only when no other link
uses it, under a lock on the file's row that uploads of the same content take too (`_collect`).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from i18n.problems import InputError, Problem
from store import audit
from store.context import Area
from store.convert import link_record
from store.errors import BusyError, NotFound
from store.evidence_files import EXTENSIONS, OOXML_PARTS, is_macro_enabled, safe_name, sniff, visible_text
from store.locking import Target, load, touch
from store.models import EvidenceFileRow, EvidenceLinkRow, EvidenceVerdictRow, UserRow
from store.policy import Duty, access, acting, check_duty, check_view, rating_visible
from store.records import EvidenceLink, RaterRole, User
from store.storage import Blobs

LOCK_ATTEMPTS = 5


class Evidence(Area):
    """Evidence files and links."""

    @property
    def blobs(self) -> Blobs:
        """The evidence files of the configured storage (a local folder or a bucket), by content hash."""
        return Blobs(self.ctx.storage, self.ctx.evidence_space)

    def upload(self, actor: User, assessment_id: int, item_id: str, filename: str, data: bytes) -> EvidenceLink:
        """Attach a file to an item (school, while editable); the same file twice is stored once.

        Size, type, permission, state and item are checked before the file is written; a refused
        upload writes nothing. The file is then written, and the transaction that links it locks the
        file's row and makes sure the file is there before it commits (see `_collect`).
        """
        kind = self._checked_kind(filename, data)
        sha = hashlib.sha256(data).hexdigest()
        self.ctx.check(actor, lambda s: self._upload_target(s, actor, assessment_id, item_id, lock=False))
        self.blobs.put(sha, data)

        def write(session: Session) -> EvidenceLink:
            me, target = self._upload_target(session, actor, assessment_id, item_id, lock=True)
            file = _locked_file(session, sha, len(data), kind, self.ctx.clock())
            link = self._link(session, me, target, item_id, file, safe_name(filename, kind))
            self.blobs.put(sha, data)  # a no-op unless an unlink removed it before this row was locked
            return link

        try:
            return self.ctx.write(actor, write)
        except BaseException:
            with contextlib.suppress(Exception):  # at worst an unused file stays; the refusal is what matters
                self._collect(sha)  # refused meanwhile: the file goes unless another link uses it
            raise

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
        """A link and its file's content, for whoever may see the assessment; every download is audited."""
        link = self.read_link(actor, link_id)
        return link, self.blobs.get(link.sha256)

    def open(self, actor: User, link_id: int) -> tuple[EvidenceLink, Iterator[bytes]]:
        """A link and its file's content as a stream of chunks (for large files); audited as `read` is."""
        link = self.read_link(actor, link_id)
        return link, self.blobs.chunks(link.sha256)

    def read_link(self, actor: User, link_id: int) -> EvidenceLink:
        """A link, checked for whoever may see the assessment, and its download written to the audit log."""

        def find(session: Session) -> tuple[EvidenceLink, int, int]:
            me = acting(session, actor)
            link, file = _link_row(session, link_id)
            assessment = load(session, link.assessment_id, lock=False).assessment
            check_view(access(session, me, assessment))
            return link_record(link, file), assessment.school_id, assessment.cycle_id

        link, school_id, cycle_id = self.ctx.read(find)
        after = {"filename": link.filename, "sha256": link.sha256, "item_id": link.item_id}
        self.ctx.note(
            actor, "evidence.download", "evidence", link_id, school_id=school_id, cycle_id=cycle_id, after=after
        )
        return link

    def delete_link(self, actor: User, link_id: int) -> None:
        """Remove a link (school, while editable); the file goes only when no other link uses it."""

        def write(session: Session) -> str:
            link, _ = _link_row(session, link_id)
            me, target = self._editable(session, actor, link.assessment_id, "delete_evidence")
            before = {"item_id": link.item_id, "filename": link.filename, "sha256": link.sha256}
            session.delete(link)
            session.flush()
            where = {"school_id": target.assessment.school_id, "cycle_id": target.assessment.cycle_id}
            audit.record(session, me, self.ctx.clock(), "evidence.unlink", "evidence", link_id, before=before, **where)
            touch(session, target, me, self.ctx.clock())
            return link.sha256

        self._collect(self.ctx.write(actor, write))

    def set_verdict(self, actor: User, link_id: int, verdict: bool | None) -> None:
        """Set the acting inspector's verdict on one file (True accepted, False insufficient, None removes it).

        Only an inspector assigned to the school in the assessment's cycle, until it is finalized; a
        refused call writes nothing (a finalized assessment's refusal is logged). Every change is audited.
        """

        def write(session: Session) -> None:
            link, _ = _link_row(session, link_id)
            me = acting(session, actor)
            target = load(session, link.assessment_id, lock=True)
            a = target.assessment
            check_duty(access(session, me, a), Duty.INSPECT, a, target.cycle, "evidence_verdict")
            query = select(EvidenceVerdictRow).where(
                EvidenceVerdictRow.link_id == link_id, EvidenceVerdictRow.user_id == me.id
            )
            row = session.scalars(query).first()
            before = None if row is None else {"verdict": row.verdict}
            after = None if verdict is None else {"verdict": bool(verdict)}
            if before == after:
                return
            now = self.ctx.clock()
            if row is not None and verdict is None:
                session.delete(row)
            elif row is None:
                session.add(EvidenceVerdictRow(link_id=link_id, user_id=me.id, verdict=bool(verdict), updated_at=now))
            else:
                row.verdict, row.updated_at = bool(verdict), now
            session.flush()
            where = {"school_id": a.school_id, "cycle_id": a.cycle_id}
            key = f"{link_id}:{me.username}"
            audit.record(session, me, now, "evidence.verdict", "evidence", key, before=before, after=after, **where)
            touch(session, target, me, now)

        self.ctx.write(actor, write)

    def verdicts(self, actor: User, assessment_id: int) -> dict[int, dict[str, bool]]:
        """Per link of the assessment, the inspectors' verdicts by user name, as far as the actor may see them.

        An inspector's verdict is visible to whoever may see that inspector's ratings (`rating_visible`).
        """

        def read(session: Session) -> dict[int, dict[str, bool]]:
            me = acting(session, actor)
            a = load(session, assessment_id, lock=False).assessment
            standing = access(session, me, a)
            check_view(standing)
            query = (
                select(EvidenceVerdictRow, UserRow.username)
                .join(EvidenceLinkRow, EvidenceLinkRow.id == EvidenceVerdictRow.link_id)
                .join(UserRow, UserRow.id == EvidenceVerdictRow.user_id)
                .where(EvidenceLinkRow.assessment_id == assessment_id)
                .order_by(EvidenceVerdictRow.link_id, UserRow.username)
            )
            out: dict[int, dict[str, bool]] = {}
            for row, username in session.execute(query):
                if rating_visible(standing, me, a.status, RaterRole.INSPECTOR, row.user_id):
                    out.setdefault(row.link_id, {})[username] = row.verdict
            return out

        return self.ctx.read(read)

    def _collect(self, sha: str) -> None:
        """Remove a stored file and its row when no link uses it, safe against an upload of the same file.

        In one transaction: the file's row is locked (made first if missing, so that an upload that
        is adding it is waited for), the links are counted, and only when there are none is the file
        unlinked from disk, then the row deleted. An upload locks the same row and writes the file
        again if it is missing before it commits its link, so whichever comes second sees the other's
        work: no link ever points at a missing file. Should this transaction fail after the unlink,
        a row without links and without its file is left, which the next upload of the content
        simply fills again. (The link is removed in a transaction of its own before, so that a
        failed commit here can never leave a link whose file is gone.)
        """

        def write(session: Session) -> None:
            _locked_file(session, sha, 0, "", self.ctx.clock())
            if session.scalar(select(func.count()).where(EvidenceLinkRow.sha256 == sha)):
                return
            self.blobs.delete(sha)
            session.execute(EvidenceFileRow.__table__.delete().where(EvidenceFileRow.sha256 == sha))

        self.ctx.tx.write(write)

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
        if kind in OOXML_PARTS and is_macro_enabled(data):
            raise InputError([Problem("security.macro", file=visible_text(filename))])
        if kind is None:
            expected = ", ".join(k.upper() for k in EXTENSIONS)
            raise InputError([Problem("store.evidence_bad_type", {"expected": expected}, file=filename)])
        return kind

    def _editable(
        self, session: Session, actor: User, assessment_id: int, action: str, *, lock: bool = True
    ) -> tuple[User, Target]:
        me = acting(session, actor)
        target = load(session, assessment_id, lock=lock)
        check_duty(access(session, me, target.assessment), Duty.SELF, target.assessment, target.cycle, action)
        return me, target

    def _upload_target(
        self, session: Session, actor: User, assessment_id: int, item_id: str, *, lock: bool
    ) -> tuple[User, Target]:
        """The assessment, if the actor may attach evidence to it now and the item is in its framework."""
        me, target = self._editable(session, actor, assessment_id, "upload_evidence", lock=lock)
        framework = self.ctx.frameworks.cycle(session, target.cycle)
        if item_id not in {i.id for i in framework.items()}:
            raise InputError([Problem("input.unknown_item", {"found": item_id}, path="item_id")])
        return me, target

    def _link(
        self, session: Session, me: User, target: Target, item_id: str, file: EvidenceFileRow, name: str
    ) -> EvidenceLink:
        now, sha, size = self.ctx.clock(), file.sha256, file.size
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


def _locked_file(session: Session, sha: str, size: int, kind: str, now: datetime) -> EvidenceFileRow:
    """The file's row, locked for this transaction; added with `size` and `kind` when missing.

    The insert does nothing when the row exists or another transaction is adding it (it waits for
    that one), so two uploads of one new file never collide. A row deleted by a cleanup while this
    waited for its lock is simply added again.
    """
    values = {"sha256": sha, "size": size, "kind": kind, "created_at": now}
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    query = select(EvidenceFileRow).where(EvidenceFileRow.sha256 == sha).with_for_update()
    for _ in range(LOCK_ATTEMPTS):
        session.execute(insert(EvidenceFileRow).values(**values).on_conflict_do_nothing(index_elements=["sha256"]))
        row = session.scalars(query.execution_options(populate_existing=True)).first()
        if row is not None:
            return row
    raise BusyError()


def _link_row(session: Session, link_id: int) -> tuple[EvidenceLinkRow, EvidenceFileRow]:
    link = session.get(EvidenceLinkRow, link_id)
    if link is None:
        raise NotFound(what=f"evidence {link_id}")
    file = session.get(EvidenceFileRow, link.sha256)
    assert file is not None
    return link, file
