"""Start-up: create the data folder, migrate the database, and fill an empty one with the demo district."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from criteria import DEFAULT_FRAMEWORK, PREVIOUS_FRAMEWORKS, framework_hash, load_framework
from settings import Settings, get_settings
from store.demo import bundled_district, demo_password, load_district
from store.engine import is_sqlite, make_engine
from store.frameworks import store_framework
from store.migrate import upgrade
from store.models import FrameworkVersionRow
from store.records import SYSTEM, DemoLoad
from store.services import Services


@dataclass(frozen=True)
class Opened:
    """The services, and the demo accounts when this start loaded the demo (show them once)."""

    services: Services
    demo: DemoLoad | None


def open_store(settings: Settings | None = None, *, hasher: PasswordHasher | None = None) -> Opened:
    """Services ready to use: folders made, schema migrated, demo loaded into an empty database if enabled."""
    settings = settings or get_settings()
    services = open_services(settings, hasher=hasher)
    demo = load_demo(services) if settings.load_demo else None
    offer_bundled(services)
    return Opened(services, demo)


def offer_bundled(services: Services) -> bool:
    """Store the bundled framework version, inactive, in a database that has frameworks but not this one.

    After an upgrade that brings a new bundled version (e.g. 2025.1), the bureau finds it on the
    framework page, compares it, re-scores past cycles under it for comparison and activates it for
    new cycles; nothing that is stored changes (cycles keep their versions, the active one stays).
    An empty database is left empty. True when the version was added.
    """
    framework = load_framework()
    text = DEFAULT_FRAMEWORK.read_text(encoding="utf-8-sig")
    digest = framework_hash(framework)

    def write(session: Session) -> bool:
        hashes = set(session.scalars(select(FrameworkVersionRow.content_hash)))
        if not hashes or digest in hashes:
            return False
        store_framework(session, SYSTEM, framework, text, services.ctx.clock())
        return True

    return services.ctx.tx.write(write)


def open_services(settings: Settings, *, hasher: PasswordHasher | None = None) -> Services:
    """Services over a migrated database (the folders of the SQLite file and of evidence made)."""
    engine = make_engine(settings.sqlalchemy_url)
    if is_sqlite(engine) and engine.url.database not in (None, "", ":memory:"):
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    if not settings.storage_url:  # the local store in the data folder (a bucket needs no folder)
        settings.evidence_dir.mkdir(parents=True, exist_ok=True)
    upgrade(engine)
    return Services.from_settings(settings, engine=engine, hasher=hasher)


def load_demo(services: Services, fixed_password: str | None = None) -> DemoLoad | None:
    """Load the bundled demo district with the bundled framework; None when the database is not empty.

    The earlier bundled versions are stored too (inactive, unchanged), so that the bureau's framework
    page shows the history and what changed; both demo cycles are scored with the current version.
    """
    framework = load_framework()
    text = DEFAULT_FRAMEWORK.read_text(encoding="utf-8-sig")
    previous = [(load_framework(path), path.read_text(encoding="utf-8-sig")) for path in PREVIOUS_FRAMEWORKS]
    password = fixed_password or demo_password()
    return load_district(services.ctx, framework, text, bundled_district(framework), password, previous)
