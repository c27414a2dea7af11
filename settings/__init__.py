"""Configuration from environment variables (prefix XINYU_) or a `.env` file, with safe defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything a deployment may change; the defaults run the embedded demo on one machine."""

    model_config = SettingsConfigDict(env_prefix="XINYU_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Folder for the SQLite file and evidence files")
    database_url: str | None = Field(
        default=None,
        validation_alias="DATABASE_URL",
        description="SQLAlchemy URL; empty means a SQLite file in data_dir",
    )
    evidence_max_mb: float = Field(default=20.0, gt=0, description="Largest evidence file accepted")
    upload_max_mb: float = Field(default=10.0, gt=0, description="Largest spreadsheet or framework upload")
    district_name: str = Field(default="长宁区", description="Shown in the app and on reports")
    district_name_en: str = Field(default="Changning District")
    issuing_office: str = Field(
        default="长宁区人民政府教育督导室", description="The office that issues inspection reports (their signature)"
    )
    issuing_office_en: str = Field(default="Education Inspection Office, Changning District People's Government")
    logo_path: Path | None = None
    lang: str = Field(default="zh", pattern="^(zh|en)$")
    session_idle_minutes: int = Field(default=30, gt=0)
    lockout_failures: int = Field(default=5, gt=0)
    lockout_minutes: int = Field(default=15, gt=0)
    audit_retention_days: int = Field(
        default=180, ge=180, description="Audit entries are kept at least this long, then archived to a file"
    )
    password_min_length: int = Field(default=8, ge=8, le=64, description="Shortest password accepted")
    password_min_kinds: int = Field(default=3, ge=1, le=4, description="Kinds of character (a-z, A-Z, 0-9, other)")
    password_history: int = Field(default=5, ge=0, le=24, description="Last passwords that may not be used again")
    password_max_age_days: int = Field(default=180, ge=0, description="Change a password older than this (0: never)")
    app_url: str = Field(default="http://localhost:8501", description="The app's address printed on credential slips")
    cookie_secure: bool = Field(default=False, description="Send the session cookie only over HTTPS (behind TLS)")
    cookie_samesite: str = Field(default="strict", pattern="^(strict|lax)$")
    session_secret: str | None = Field(
        default=None, description="Key signing session cookies; empty: one kept in the database for every server"
    )
    load_demo: bool = Field(default=True, description="Fill an empty database with the demo district")
    demo_password: str | None = Field(
        default=None,
        description="One password for every demo account (automated tests only, never in production)",
    )

    # Beyond one server (docs/deploy.md): object storage, a job queue, job recovery.
    storage_url: str | None = Field(
        default=None,
        description="Where evidence and generated files live: empty = data_dir; file:///folder; s3://bucket[/prefix]",
    )
    s3_endpoint_url: str | None = Field(
        default=None, description="S3-compatible endpoint (OSS, OBS, MinIO); empty = AWS. Credentials: AWS_* env"
    )
    s3_region: str | None = Field(default=None, description="Region name the object store expects")
    s3_addressing_style: str = Field(default="auto", pattern="^(auto|path|virtual)$")
    broker_url: str | None = Field(
        default=None, description="Redis URL of the job queue; empty = jobs run in a thread of the app process"
    )
    job_queue: str = Field(default="xinyu", description="Name of the queue the workers listen to")
    job_stale_seconds: float = Field(
        default=60.0, gt=0, description="A running job without a heartbeat for this long is taken up again"
    )
    job_attempts: int = Field(default=3, gt=0, description="How often an abandoned job is started again")
    job_part_size: int = Field(default=200, gt=0, description="Schools per part of a reports zip")

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL in use: DATABASE_URL, else a SQLite file in data_dir."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'xinyu.sqlite3').as_posix()}"

    @property
    def evidence_dir(self) -> Path:
        """Where evidence files are kept by content hash."""
        return self.data_dir / "evidence"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
