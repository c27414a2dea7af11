"""The one entry point of pages and CLI commands: `Services`, built from an engine or from the settings.

Each area (accounts, schools, ...) takes the acting user first in every call and checks what that
user may do before it reads or writes; see store/README.md for the whole API.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import Engine

from settings import Settings, get_settings
from store.account_import import BulkAccounts
from store.accounts import Accounts
from store.assessments import Assessments
from store.audit_log import AuditLog
from store.calibration import Calibration
from store.context import Context, Limits, utcnow
from store.cycles import Cycles
from store.engine import make_engine
from store.evidence import Evidence
from store.exports import Exports
from store.frames import Frames
from store.frameworks import Frameworks
from store.imports import Imports
from store.jobs import Jobs
from store.overrides import Overrides
from store.passwords import DEFAULT_POLICY, PasswordPolicy, Passwords
from store.quality import Quality
from store.ratings import Ratings
from store.schools import Schools
from store.storage import Storage, open_storage
from store.visits import Visits
from store.web_sessions import WebSessions

MB = 1024 * 1024


class Services:
    """Every service area over one database and one storage (evidence and generated files)."""

    def __init__(
        self,
        engine: Engine,
        *,
        evidence_dir: Path | None = None,
        storage: Storage | None = None,
        evidence_max_mb: float = 20.0,
        lockout_failures: int = 5,
        lockout_minutes: int = 15,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] = utcnow,
        password_policy: PasswordPolicy = DEFAULT_POLICY,
        session_idle_minutes: int = 30,
        session_secret: str | None = None,
    ) -> None:
        if evidence_dir is None and storage is None:
            raise TypeError("Services needs an evidence folder or a storage")
        root = Path(evidence_dir) if evidence_dir is not None else Path("evidence")
        limits = Limits(
            root,
            int(evidence_max_mb * MB),
            lockout_failures,
            lockout_minutes,
            password_policy,
            session_idle_minutes,
        )
        # With a storage, evidence is its `evidence/` space; with only a folder, the folder itself (as before).
        self.ctx = Context(engine, limits, Passwords(hasher), clock, storage, "evidence")
        self.accounts = Accounts(self.ctx)
        self.schools = Schools(self.ctx)
        self.frameworks = Frameworks(self.ctx)
        self.cycles = Cycles(self.ctx)
        self.assessments = Assessments(self.ctx)
        self.ratings = Ratings(self.ctx)
        self.evidence = Evidence(self.ctx)
        self.frames = Frames(self.ctx)
        self.imports = Imports(self.ctx)
        self.exports = Exports(self.ctx)
        self.audit = AuditLog(self.ctx)
        self.calibration = Calibration(self.ctx)
        self.quality = Quality(self.ctx)
        self.jobs = Jobs(self.ctx)
        self.overrides = Overrides(self.ctx)
        self.visits = Visits(self.ctx)
        self.sessions = WebSessions(self.ctx, session_secret)
        self.bulk_accounts = BulkAccounts(self.ctx)

    @classmethod
    def from_settings(
        cls,
        settings: Settings | None = None,
        *,
        engine: Engine | None = None,
        hasher: PasswordHasher | None = None,
    ) -> Services:
        """Services configured by the settings (DATABASE_URL or the SQLite file, the storage, limits)."""
        settings = settings or get_settings()
        return cls(
            engine or make_engine(settings.sqlalchemy_url),
            evidence_dir=settings.evidence_dir,
            storage=open_storage(settings),
            evidence_max_mb=settings.evidence_max_mb,
            lockout_failures=settings.lockout_failures,
            lockout_minutes=settings.lockout_minutes,
            hasher=hasher,
            password_policy=PasswordPolicy(
                min_length=settings.password_min_length,
                min_kinds=settings.password_min_kinds,
                history=settings.password_history,
                max_age_days=settings.password_max_age_days,
            ),
            session_idle_minutes=settings.session_idle_minutes,
            session_secret=settings.session_secret,
        )

    @property
    def storage(self) -> Storage:
        """Where evidence and generated files live."""
        return self.ctx.storage

    @property
    def engine(self) -> Engine:
        """The engine in use."""
        return self.ctx.engine

    def close(self) -> None:
        """Close the database connections."""
        self.ctx.engine.dispose()
