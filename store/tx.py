"""One short transaction per service call, retried when the database is momentarily busy.

SQLite write transactions begin with `BEGIN IMMEDIATE` and wait up to the busy timeout for the
lock; if it stays busy, the whole call is retried a few times, and only then does the user get a
polite "busy, try again" (never "database is locked"). PostgreSQL serialization failures, deadlocks
and lock timeouts are retried the same way, and so is a stale optimistic-lock version found at
flush: the retried call reads afresh and reports a proper conflict (who, when).

Integrity errors (a duplicate key, a reference to a row that is gone) are not retried: running the
same call again would fail the same way. They surface at once as `IntegrityViolation`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from store.engine import writer
from store.errors import BusyError, IntegrityViolation

T = TypeVar("T")
ATTEMPTS = 6
RETRY_PG_CODES = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available


def is_transient(error: DBAPIError) -> bool:
    """Whether the error is a busy or locked database, a serialization failure, a deadlock or a lock timeout."""
    if isinstance(error, IntegrityError):
        return False
    text = str(error.orig).lower()
    if isinstance(error, OperationalError) and ("database is locked" in text or "database is busy" in text):
        return True
    return getattr(error.orig, "sqlstate", None) in RETRY_PG_CODES


class Transactions:
    """Runs a function in a read or write transaction with retries on transient failures."""

    def __init__(self, engine: Engine, attempts: int = ATTEMPTS) -> None:
        self.engine = engine
        self.write_engine = writer(engine)
        self.attempts = attempts

    def read(self, fn: Callable[[Session], T]) -> T:
        """`fn(session)` in a read transaction."""
        return self._run(self.engine, fn)

    def write(self, fn: Callable[[Session], T]) -> T:
        """`fn(session)` in a write transaction, committed when it returns, rolled back when it raises."""
        return self._run(self.write_engine, fn)

    def _run(self, engine: Engine, fn: Callable[[Session], T]) -> T:
        for attempt in range(self.attempts):
            try:
                with Session(engine, expire_on_commit=False, autoflush=True) as session, session.begin():
                    return fn(session)
            except IntegrityError as error:
                raise IntegrityViolation() from error
            except (DBAPIError, StaleDataError) as error:
                if isinstance(error, DBAPIError) and not is_transient(error):
                    raise
                if attempt == self.attempts - 1:
                    raise BusyError() from None
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")
