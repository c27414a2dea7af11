"""Jobs: long work recorded in the database, run by a worker process (or a thread of the app), results in storage.

The bureau starts a job (`start`): every school's reports as one zip, the district workbook, a cycle
re-scored under another framework version, a bulk ratings import. The row says what, for whom, how far
(`done` of `total`, reported by whoever runs it), and, once done, the storage key of the result; a
failed job keeps the catalog key of its error (and the located problems of a bad input), so that each
reader sees why in their own language. `dedupe_key` is unique: pressing the button twice (or on two app
servers) finds the job the first press started, as long as the data has not changed since.

The runner's side (`claim`, `report`, `finish`, `fail`, `stale`) takes no user: the job acts as the
account that started it (`actor_of`), whose permissions every service call checks again. A claim is
atomic (one runner wins); a run that stopped sending heartbeats (its worker was killed) is claimed again
by the next worker, at most `attempts` times, then failed with a reason. Every write of a runner names
the runner: a run that lost its claim cannot overwrite the one that took it over (`LostClaim`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from i18n.problems import InputError, Problem
from store.context import Area
from store.convert import user_record
from store.errors import Msg, NotFound, PermissionDenied, StoreError
from store.models import AuditRow, JobRow, UserRow
from store.policy import MANAGERS, acting
from store.records import SYSTEM, User
from store.storage import key_for, sha256_of

KINDS: tuple[str, ...] = ("reports_zip", "workbook", "rescore", "import_ratings")
PART = "reports_part"
MAX_PARTS = 512
"""One share of a reports zip (a range of schools), run by whichever worker is free; never started by a user."""
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)


@dataclass(frozen=True)
class Job:
    """A job as pages see it."""

    id: int
    kind: str
    params: Mapping[str, Any]
    state: str
    done: int
    total: int
    started_by: str
    cycle_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    result_key: str | None
    result_name: str | None
    result_size: int | None
    error_key: str | None
    error_params: Mapping[str, Any] | None

    @property
    def fraction(self) -> float:
        """How far it is, 0 to 1."""
        if self.state == DONE:
            return 1.0
        return min(1.0, self.done / self.total) if self.total else 0.0

    @property
    def finished(self) -> bool:
        """Done or failed."""
        return self.state in (DONE, FAILED)

    def error_lines(self, lang: str = "zh") -> list[str]:
        """Why it failed, in `lang`: one line per problem of a bad input, else one line."""
        if self.error_key is None:
            return []
        return error_text(self.error_key, self.error_params or {}, lang)


class StoredFailure(Exception):
    """A failure already in stored form (a catalog key and JSON parameters), e.g. a part's, passed on as it is."""

    def __init__(self, key: str, params: Mapping[str, Any]) -> None:
        self.key, self.params = key, dict(params)
        super().__init__(key)


class LostClaim(Exception):
    """The run no longer holds the job (it was taken over after a missed heartbeat, or finished)."""


def error_text(key: str, params: Mapping[str, Any], lang: str) -> list[str]:
    """A stored error in words (see `error_of`)."""
    from i18n.catalog import t

    if key == "jobs.error.input":
        return [Problem(**p).render(lang) for p in params.get("problems", [])] or [t("jobs.error.unexpected", lang)]
    values = {k: t(v["msg"], lang) if isinstance(v, dict) and "msg" in v else v for k, v in params.items()}
    try:
        return [t(key, lang, **values)]
    except (KeyError, IndexError):
        return [t("jobs.error.unexpected", lang)]


def error_of(error: BaseException) -> tuple[str, dict[str, Any]]:
    """A catalog key and JSON parameters for an error, to show later in the reader's language."""
    if isinstance(error, StoredFailure):
        return error.key, error.params
    if isinstance(error, InputError):
        problems = [{k: v for k, v in p.__dict__.items() if v not in (None, {})} for p in error.problems]
        for p in problems:
            if "params" in p:
                p["params"] = {k: str(v) for k, v in p["params"].items()}
        return "jobs.error.input", {"problems": problems}
    if isinstance(error, StoreError):
        params = {k: {"msg": v.key} if isinstance(v, Msg) else str(v) for k, v in error.params.items()}
        return error.key, params
    return "jobs.error.unexpected", {}


def job_record(row: JobRow) -> Job:
    """The row as a record."""
    return Job(
        row.id,
        row.kind,
        dict(row.params or {}),
        row.state,
        row.done,
        row.total,
        row.started_by,
        row.cycle_id,
        row.created_at,
        row.started_at,
        row.finished_at,
        row.attempts,
        row.result_key,
        row.result_name,
        row.result_size,
        row.error_key,
        dict(row.error_params) if row.error_params is not None else None,
    )


def dedupe_key(kind: str, params: Mapping[str, Any], data_version: int) -> str:
    """The same request on the same data gets the same key."""
    text = json.dumps([kind, params, data_version], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Jobs(Area):
    """Jobs and their results."""

    def start(
        self,
        actor: User,
        kind: str,
        params: Mapping[str, Any],
        *,
        cycle_id: int | None = None,
        upload: bytes | None = None,
    ) -> tuple[Job, bool]:
        """Record a job (bureau), or find the same one already started on the same data; (job, new?).

        A job that failed before is started again. `upload` (an import's file) is kept in the storage
        under its content hash first, and named in the parameters, so that any worker can read it.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown job kind {kind!r}")
        params = dict(params)

        def check(session: Session) -> User:
            me = acting(session, actor)
            if me.role not in MANAGERS:
                raise PermissionDenied("jobs.action.start")
            return me

        self.ctx.check(actor, check)
        if upload is not None:
            sha, _ = sha256_of([upload])
            key = key_for("uploads", sha)
            if self.ctx.storage.size(key) != len(upload):
                self.ctx.storage.put(key, upload)
            params["upload_key"] = key

        def write(session: Session) -> tuple[Job, bool]:
            me = check(session)
            version = session.scalar(select(func.max(AuditRow.id))) or 0
            key = dedupe_key(kind, params, version)
            now = self.ctx.clock()
            values = {
                "kind": kind,
                "params": params,
                "state": QUEUED,
                "done": 0,
                "total": 0,
                "dedupe_key": key,
                "started_by_id": me.id or None,
                "started_by": me.username,
                "cycle_id": cycle_id,
                "created_at": now,
                "attempts": 0,
            }
            insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
            added = session.execute(
                insert(JobRow).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
            ).rowcount
            row = session.scalars(
                select(JobRow)
                .where(JobRow.dedupe_key == key)
                .with_for_update()
                .execution_options(populate_existing=True)
            ).one()
            gone = row.state == DONE and row.result_key and self.ctx.storage.size(row.result_key) is None
            if not added and (row.state == FAILED or gone):  # asked again after a failure (or a lost result)
                for name, value in values.items():
                    setattr(row, name, value)
                reset = ("started_at", "finished_at", "heartbeat_at", "worker", "error_key", "error_params")
                for name in (*reset, "result_key", "result_name", "result_size"):
                    setattr(row, name, None)
                session.flush()
                return job_record(row), True
            return job_record(row), bool(added)

        return self.ctx.write(actor, write)

    def get(self, actor: User, job_id: int) -> Job:
        """One job (the bureau sees every job; anyone else only their own)."""

        def read(session: Session) -> Job:
            me = acting(session, actor)
            row = session.get(JobRow, job_id)
            if row is None or not _visible(me, row):
                raise NotFound(what=f"job {job_id}")
            return job_record(row)

        return self.ctx.read(read)

    def list_jobs(
        self, actor: User, *, cycle_id: int | None = None, kind: str | None = None, limit: int = 20
    ) -> list[Job]:
        """The newest jobs the actor may see (of a cycle, of a kind, if given)."""

        def read(session: Session) -> list[Job]:
            me = acting(session, actor)
            query = select(JobRow).order_by(JobRow.id.desc()).limit(limit)
            query = query.where(JobRow.kind != PART)
            if me.role not in MANAGERS:
                query = query.where(JobRow.started_by_id == me.id)
            if cycle_id is not None:
                query = query.where(JobRow.cycle_id == cycle_id)
            if kind is not None:
                query = query.where(JobRow.kind == kind)
            return [job_record(r) for r in session.scalars(query)]

        return self.ctx.read(read)

    def result(self, actor: User, job_id: int) -> tuple[Job, Iterator[bytes]]:
        """A done job and its result, streamed from the storage (any app server reads it)."""
        job = self.get(actor, job_id)
        if job.state != DONE or job.result_key is None or self.ctx.storage.size(job.result_key) is None:
            raise NotFound(what=f"job {job_id}")
        return job, self.ctx.storage.chunks(job.result_key)

    # --- the runner's side -------------------------------------------------------------------------------

    def requeue(self, job_id: int) -> None:
        """A done job whose result file is gone, queued again from the start (the runner's side)."""

        def write(session: Session) -> None:
            values = {"state": QUEUED, "done": 0, "attempts": 0, "worker": None, "heartbeat_at": None}
            values |= {"result_key": None, "result_name": None, "result_size": None, "finished_at": None}
            session.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == DONE).values(**values))

        self.ctx.tx.write(write)

    def peek(self, job_ids: list[int]) -> list[Job]:
        """Jobs by id as they are now (the runner's view: no permission check, no user)."""

        def read(session: Session) -> list[Job]:
            rows = session.scalars(select(JobRow).where(JobRow.id.in_(job_ids)).order_by(JobRow.id))
            return [job_record(r) for r in rows]

        return self.ctx.tx.read(read)

    def peek_parts(self, parent_id: int) -> list[Job]:
        """The parts made for a job (see `parts`), in order."""

        def read(session: Session) -> list[Job]:
            keys = [dedupe_key(PART, {"parent": parent_id, "index": n}, 0) for n in range(MAX_PARTS)]
            rows = session.scalars(select(JobRow).where(JobRow.kind == PART, JobRow.dedupe_key.in_(keys)))
            return sorted((job_record(r) for r in rows), key=lambda j: int(j.params["index"]))

        return self.ctx.tx.read(read)

    def actor_of(self, job_id: int) -> User:
        """The account the job acts as: the one that started it (the CLI operator for `system`)."""

        def read(session: Session) -> User:
            row = session.get(JobRow, job_id)
            if row is None:
                raise NotFound(what=f"job {job_id}")
            if row.started_by_id is None:
                return SYSTEM
            user = session.get(UserRow, row.started_by_id)
            if user is None:
                raise NotFound(what=f"user {row.started_by_id}")
            return user_record(user)

        return self.ctx.read(read)

    def parts(self, parent_id: int, shares: list[dict[str, Any]]) -> list[Job]:
        """The parts of a job, in order, made from `shares` by whoever asks first (later calls find them)."""

        def write(session: Session) -> list[Job]:
            parent = session.get(JobRow, parent_id)
            if parent is None:
                raise NotFound(what=f"job {parent_id}")
            insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
            for n, share in enumerate(shares):
                values = {
                    "kind": PART,
                    "params": {**parent.params, **share, "parent": parent_id, "index": n},
                    "state": QUEUED,
                    "done": 0,
                    "total": len(share.get("codes", ())),
                    "dedupe_key": dedupe_key(PART, {"parent": parent_id, "index": n}, 0),
                    "started_by_id": parent.started_by_id,
                    "started_by": parent.started_by,
                    "cycle_id": parent.cycle_id,
                    "created_at": self.ctx.clock(),
                    "attempts": 0,
                }
                session.execute(insert(JobRow).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"]))
            keys = [dedupe_key(PART, {"parent": parent_id, "index": n}, 0) for n in range(len(shares))]
            query = select(JobRow).where(JobRow.dedupe_key.in_(keys)).execution_options(populate_existing=True)
            return sorted((job_record(r) for r in session.scalars(query)), key=lambda j: int(j.params["index"]))

        return self.ctx.tx.write(write)

    def claim(self, job_id: int, worker: str, stale_seconds: float, attempts: int) -> Job | None:
        """Take the job to run it: a queued one, or a running one whose runner went silent; None otherwise.

        A job already started `attempts` times is failed instead (`jobs.error.abandoned`).
        """

        def write(session: Session) -> Job | None:
            now = self.ctx.clock()
            row = session.scalars(select(JobRow).where(JobRow.id == job_id).with_for_update()).first()
            if row is None:
                return None
            silent = row.heartbeat_at is None or row.heartbeat_at < now - timedelta(seconds=stale_seconds)
            if not (row.state == QUEUED or (row.state == RUNNING and silent)):
                return None
            if row.attempts >= attempts:
                row.state, row.finished_at = FAILED, now
                row.error_key, row.error_params = "jobs.error.abandoned", {"n": row.attempts}
                return None
            row.state, row.worker, row.heartbeat_at = RUNNING, worker, now
            row.started_at = row.started_at or now
            row.attempts += 1
            session.flush()
            return job_record(row)

        return self.ctx.tx.write(write)

    def report(self, job_id: int, worker: str, done: int | None = None, total: int | None = None) -> None:
        """Progress (and a heartbeat) of the run holding the job; `LostClaim` when it holds it no more."""
        values: dict[str, Any] = {"heartbeat_at": self.ctx.clock()}
        if done is not None:
            values["done"] = done
        if total is not None:
            values["total"] = total
        self._runner_update(job_id, worker, values)

    def finish(self, job_id: int, worker: str, result_key: str, name: str, size: int) -> None:
        """The job is done; its result is in the storage under `result_key` (written before this)."""
        now = self.ctx.clock()
        values = {"state": DONE, "finished_at": now, "heartbeat_at": now}
        values |= {"result_key": result_key, "result_name": name, "result_size": size}
        self._runner_update(job_id, worker, values)

    def fail(self, job_id: int, worker: str, error: BaseException) -> None:
        """The job failed; the reason is kept as a catalog key (and located problems for a bad input)."""
        key, params = error_of(error)
        now = self.ctx.clock()
        values = {"state": FAILED, "finished_at": now, "error_key": key, "error_params": params}
        self._runner_update(job_id, worker, values)

    def stale(self, stale_seconds: float, *, every_queued: bool = False) -> list[int]:
        """Jobs to (re)start: running ones whose runner has not reported for `stale_seconds`, queued ones as old.

        `every_queued`: every queued job, however new (a process starting up takes up what its predecessor left).
        """

        def read(session: Session) -> list[int]:
            limit = self.ctx.clock() - timedelta(seconds=stale_seconds)
            silent = (JobRow.state == RUNNING) & or_(JobRow.heartbeat_at.is_(None), JobRow.heartbeat_at < limit)
            queued = JobRow.state == QUEUED
            if not every_queued:
                queued = queued & (JobRow.created_at < limit)
            query = select(JobRow.id).where(or_(queued, silent)).order_by(JobRow.id)
            return list(session.scalars(query))

        return self.ctx.tx.read(read)

    def _runner_update(self, job_id: int, worker: str, values: dict[str, Any]) -> None:
        def write(session: Session) -> int:
            query = update(JobRow).where(JobRow.id == job_id, JobRow.worker == worker, JobRow.state == RUNNING)
            return session.execute(query.values(**values)).rowcount

        if not self.ctx.tx.write(write):
            raise LostClaim(job_id)


def _visible(me: User, row: JobRow) -> bool:
    return me.role in MANAGERS or (row.started_by_id is not None and row.started_by_id == me.id)
