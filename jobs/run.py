"""Running one job: claim it, keep its heartbeat, report progress, store the result by content hash, finish.

The result is written to a temporary file first, then stored under `results/ab/<sha256>`, and only then
is the job marked done: a run killed at any point leaves either no result (the job is taken up again or
failed with a reason) or a complete one; never a job pointing at half a file.

A reports zip is split into parts of `PART_SIZE` schools (`store.jobs.PART` rows): the run that holds
the zip submits the parts to the queue, runs the ones nobody has taken yet itself, waits for the others,
and joins them into one zip. With one runner it simply runs every part; with several, they share them.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from i18n.problems import InputError
from jobs.tasks import TASKS, cycle_contexts, zip_name
from store.errors import StoreError
from store.jobs import DONE, FAILED, MAX_PARTS, QUEUED, RUNNING, Job, LostClaim, StoredFailure
from store.services import Services
from store.storage import CHUNK, key_for, sha256_of

log = logging.getLogger("xinyu.jobs")
PART_SIZE = 200
REPORT_EVERY = 0.25  # seconds between progress writes


class PartFailed(StoredFailure):
    """A part of the job failed; the job fails with the part's reason, as the part stored it."""

    def __init__(self, part: Job) -> None:
        super().__init__(part.error_key or "jobs.error.unexpected", part.error_params or {})


@dataclass(frozen=True)
class Runtime:
    """What a run needs beyond the services: how long silence means abandoned, how often to try, the queue."""

    stale_seconds: float = 60.0
    attempts: int = 3
    submit: Callable[[int], None] | None = None
    part_size: int = PART_SIZE


def execute(sv: Services, job_id: int, worker: str, rt: Runtime) -> str:
    """Run the job if it can be claimed; 'done', 'failed', 'lost' (taken over) or 'skipped' (not claimable)."""
    job = sv.jobs.claim(job_id, worker, rt.stale_seconds, rt.attempts)
    if job is None:
        return "skipped"
    lost = threading.Event()
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(max(0.5, rt.stale_seconds / 4)):
            try:
                sv.jobs.report(job_id, worker)
            except LostClaim:
                lost.set()
                return
            except Exception:  # a database hiccup: the next beat tries again
                log.warning("heartbeat of job %s failed", job_id, exc_info=True)

    heart = threading.Thread(target=beat, name=f"xinyu-job-{job_id}-heartbeat", daemon=True)
    heart.start()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if lost.is_set():
            raise LostClaim(job_id)
        now = time.monotonic()
        if done in (0, total) or now - last[0] >= REPORT_EVERY:
            last[0] = now
            sv.jobs.report(job_id, worker, done, total)

    try:
        with tempfile.TemporaryFile(prefix="xinyu-job-") as out:
            if job.kind == "reports_zip":
                name = reports_zip(sv, job, worker, rt, progress, out)
            else:
                name = TASKS[job.kind](sv, sv.jobs.actor_of(job_id), job.params, progress, out)
            key, size = store_result(sv, out)
        sv.jobs.finish(job_id, worker, key, name, size)
        if job.kind == "reports_zip":
            drop_parts(sv, job_id)
        if job.kind == "import_ratings":
            sv.storage.delete(str(job.params["upload_key"]))
        return DONE
    except LostClaim:
        log.info("job %s was taken over by another run", job_id)
        return "lost"
    except Exception as error:
        if isinstance(error, InputError | StoreError | StoredFailure):  # bad input, a refusal: kept for the reader
            log.info("job %s failed: %s", job_id, error)
        else:
            log.exception("job %s failed", job_id)
        try:
            sv.jobs.fail(job_id, worker, error)
        except LostClaim:
            return "lost"
        return FAILED
    finally:
        stop.set()
        heart.join(timeout=5)


def store_result(sv: Services, out: IO[bytes]) -> tuple[str, int]:
    """Store the finished file under its content hash (once: the same content is there already)."""
    out.seek(0)
    sha, size = sha256_of(iter(lambda: out.read(CHUNK), b""))
    key = key_for("results", sha)
    if sv.storage.size(key) != size:
        out.seek(0)
        sv.storage.put(key, out)
    return key, size


def reports_zip(
    sv: Services, job: Job, worker: str, rt: Runtime, progress: Callable[[int, int], None], out: IO[bytes]
) -> str:
    """Every school's report in one zip, built in parts that any free runner may take, then joined."""
    user = sv.jobs.actor_of(job.id)
    data, contexts = cycle_contexts(sv, user, job.params)
    codes = [c.school_code for c in contexts]
    if not codes:
        raise StoreError("jobs.error.no_schools")
    size = max(1, rt.part_size, -(-len(codes) // MAX_PARTS))
    parts = sv.jobs.parts(job.id, [{"codes": codes[i : i + size]} for i in range(0, len(codes), size)])
    for part in parts:  # a part done before whose file is gone (the zip was built and then lost): again
        if part.state == DONE and (part.result_key is None or sv.storage.size(part.result_key) is None):
            sv.jobs.requeue(part.id)
    parts = sv.jobs.peek([p.id for p in parts])
    if rt.submit is not None:
        for part in parts:
            if part.state == QUEUED and part.attempts == 0:
                rt.submit(part.id)
    progress(0, len(codes))
    while True:
        parts = sv.jobs.peek([p.id for p in parts])
        failed = next((p for p in parts if p.state == FAILED), None)
        if failed is not None:
            raise PartFailed(failed)
        progress(sum(p.total if p.state == DONE else p.done for p in parts), len(codes))
        if all(p.state == DONE for p in parts):
            break
        waiting = [p for p in parts if p.state == QUEUED or p.state == RUNNING]
        ran = False
        for part in waiting:  # take a part nobody runs (or whose runner went silent), and run it here
            if execute(sv, part.id, f"{worker}/part", rt) != "skipped":
                ran = True
                break
        if not ran:
            time.sleep(0.2)
    join_parts(sv, parts, out)
    return zip_name(job.params, data.cycle.name)


BOM = b"\xef\xbb\xbf"


def join_parts(sv: Services, parts: list[Job], out: IO[bytes]) -> None:
    """One zip of every part's files, in order; the parts' lists of schools never inspected joined into one."""
    skipped: dict[str, list[bytes]] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            assert part.result_key is not None
            with tempfile.TemporaryFile(prefix="xinyu-part-") as piece:
                for chunk in sv.storage.chunks(part.result_key):
                    piece.write(chunk)
                piece.seek(0)
                with zipfile.ZipFile(piece) as source:
                    for info in source.infolist():
                        if info.filename.endswith(".txt"):  # the part's list of schools left out
                            skipped.setdefault(info.filename, []).append(source.read(info).removeprefix(BOM))
                            continue
                        with source.open(info) as src, archive.open(info.filename, "w") as dst:
                            shutil.copyfileobj(src, dst, CHUNK)
        for name, pieces in skipped.items():
            archive.writestr(name, BOM + b"\r\n".join(pieces))


def drop_parts(sv: Services, job_id: int) -> None:
    """Remove the parts' files once the whole zip is stored (they were only steps to it)."""
    parts = sv.jobs.peek_parts(job_id)
    for part in parts:
        if part.result_key is not None:
            sv.storage.delete(part.result_key)
