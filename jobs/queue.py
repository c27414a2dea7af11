"""Who runs the jobs: worker processes on a Redis queue (RQ), or, with no broker configured, a thread of the app.

`runner(settings, services)` picks one from `XINYU_BROKER_URL`. Both take a job id (the job itself is a
row of `store.jobs`), so a page starts a job the same way in either deployment (`start`):

- `ThreadRunner`: one background thread per app process (the embedded default: `streamlit run app.py`
  and nothing else). Jobs left queued or silent by a previous process are taken up when it starts.
- `QueueRunner`: pushes the id onto the RQ queue `XINYU_JOB_QUEUE`; `xinyu worker` processes run it.

RQ was chosen over Celery and Dramatiq: it needs only Redis (already the lightest broker a bureau can run),
has no configuration of its own to keep in step with ours, and our state lives in the database anyway;
the queue only has to hand a job id to one free worker.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from jobs.run import Runtime, execute
from settings import Settings
from store.jobs import Job
from store.records import User
from store.services import Services

log = logging.getLogger("xinyu.jobs")


class Runner(Protocol):
    """Hands a job to whoever runs it."""

    def submit(self, job_id: int) -> None:
        """Run the job soon (a job already running or finished is left alone by the run)."""


def worker_name(role: str = "worker") -> str:
    """host:pid of this process, to name the run that holds a job."""
    return f"{role}@{socket.gethostname()}:{os.getpid()}"


def runtime(settings: Settings, submit: Any = None) -> Runtime:
    """The run settings of a deployment."""
    return Runtime(settings.job_stale_seconds, settings.job_attempts, submit, settings.job_part_size)


class ThreadRunner:
    """Jobs in one background thread of this process (one at a time, in order)."""

    def __init__(self, services: Services, settings: Settings) -> None:
        self.services = services
        self.rt = runtime(settings)
        self.name = worker_name("app")
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xinyu-jobs")

    def submit(self, job_id: int) -> None:
        """Queue the job on the thread."""
        self.pool.submit(self._run, job_id)

    def _run(self, job_id: int) -> None:
        try:
            execute(self.services, job_id, self.name, self.rt)
        except Exception:  # never let one job stop the thread
            log.exception("job %s could not be run", job_id)

    def recover(self) -> list[int]:
        """Take up the jobs a stopped process left queued or running (its heartbeat gone silent)."""
        ids = self.services.jobs.stale(self.rt.stale_seconds, every_queued=True)
        for job_id in ids:
            self.submit(job_id)
        return ids

    def close(self) -> None:
        """Stop taking jobs (the running one finishes)."""
        self.pool.shutdown(wait=False, cancel_futures=True)


class QueueRunner:
    """Job ids on an RQ queue in Redis, for `xinyu worker` processes."""

    def __init__(self, settings: Settings) -> None:
        from redis import Redis
        from rq import Queue

        assert settings.broker_url
        self.connection = Redis.from_url(settings.broker_url)
        self.queue = Queue(settings.job_queue, connection=self.connection)
        self.timeout = 6 * 3600

    def submit(self, job_id: int) -> None:
        """Push the job id; a worker picks it up."""
        self.queue.enqueue("jobs.worker.run", job_id, job_timeout=self.timeout, result_ttl=0, failure_ttl=86400)

    def recover(self) -> list[int]:
        """Nothing to do here: the workers take up abandoned jobs themselves."""
        return []

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


_RUNNERS: dict[tuple[str, str], Any] = {}
_LOCK = threading.Lock()


def runner(settings: Settings, services: Services) -> ThreadRunner | QueueRunner:
    """The runner of this process for the configured broker (made once; a thread runner recovers at start)."""
    key = (settings.broker_url or "", str(services.engine.url))
    with _LOCK:
        found = _RUNNERS.get(key)
        if found is None:
            found = QueueRunner(settings) if settings.broker_url else ThreadRunner(services, settings)
            _RUNNERS[key] = found
            if isinstance(found, ThreadRunner):
                found.recover()
        return found


def close_runners() -> None:
    """Forget the runners (tests and benchmarks switch databases)."""
    with _LOCK:
        for found in _RUNNERS.values():
            found.close()
        _RUNNERS.clear()


def start(
    services: Services,
    settings: Settings,
    actor: User,
    kind: str,
    params: dict[str, Any],
    *,
    cycle_id: int | None = None,
    upload: bytes | None = None,
) -> Job:
    """Start a job (or find the same one already started) and hand a new one to the runner."""
    job, new = services.jobs.start(actor, kind, params, cycle_id=cycle_id, upload=upload)
    if new:
        runner(settings, services).submit(job.id)
    return job
