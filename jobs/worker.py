"""The worker process (`xinyu worker`): runs jobs from the RQ queue, and takes up jobs abandoned by a killed worker.

RQ's `SimpleWorker` runs each job in this process (no fork per job, so the database pool stays one per
process). Beside it, a sweeper thread looks every few seconds for running jobs whose heartbeat went silent
(their worker died) and queued jobs older than that (their queue entry was lost) and pushes them again; the
claim in the database makes sure only one run holds a job.
"""

from __future__ import annotations

import logging
import threading

from jobs.queue import QueueRunner, runtime, worker_name
from jobs.run import execute
from settings import Settings, get_settings
from store.bootstrap import open_services
from store.services import Services

log = logging.getLogger("xinyu.jobs")
_SERVICES: list[Services] = []
_RUNNER: list[QueueRunner] = []


def services() -> Services:
    """The services of this process (opened once)."""
    if not _SERVICES:
        _SERVICES.append(open_services(get_settings()))
    return _SERVICES[0]


def run(job_id: int) -> str:
    """The function RQ calls with a job id."""
    settings = get_settings()
    if not _RUNNER:
        _RUNNER.append(QueueRunner(settings))
    return execute(services(), job_id, worker_name(), runtime(settings, _RUNNER[0].submit))


def sweep(sv: Services, settings: Settings, queue: QueueRunner) -> list[int]:
    """Push again every job that is queued or running but silent for longer than the stale time."""
    ids = sv.jobs.stale(settings.job_stale_seconds)
    for job_id in ids:
        queue.submit(job_id)
    return ids


def main(*, burst: bool = False) -> None:
    """Work on the queue until stopped (or, with `burst`, until it is empty)."""
    from rq import SimpleWorker

    settings = get_settings()
    if not settings.broker_url:
        raise SystemExit("XINYU_BROKER_URL is not set: without a broker the app runs jobs itself")
    sv = services()
    queue = QueueRunner(settings)
    _RUNNER.append(queue)
    stop = threading.Event()
    period = max(1.0, settings.job_stale_seconds / 2)

    def sweeper() -> None:
        while not stop.wait(period):
            try:
                found = sweep(sv, settings, queue)
                if found:
                    log.info("took up abandoned jobs %s", found)
            except Exception:
                log.warning("sweep failed", exc_info=True)

    thread = threading.Thread(target=sweeper, name="xinyu-sweeper", daemon=True)
    thread.start()
    try:
        worker = SimpleWorker([queue.queue], connection=queue.connection, name=worker_name().replace(":", "-"))
        worker.work(burst=burst, with_scheduler=False, logging_level="INFO")
    finally:
        stop.set()
