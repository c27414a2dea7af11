"""Fixtures of the app tests: a real SQLite file with the demo district per test, and the app under AppTest.

The demo district is loaded once per test session into a template data folder (with the fixed
test password), then copied for each test, so that every test starts from the same real database.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # appkit beside this file (tests run in importlib mode)
from appkit import PASSWORD

from settings import Settings, get_settings
from store.bootstrap import open_store
from store.demo import DEMO_PASSWORD_ENV
from store.services import Services
from ui.services import close_all


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the migrated database and the demo district (fixed test password)."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    mp = pytest.MonkeyPatch()
    mp.setenv(DEMO_PASSWORD_ENV, PASSWORD)
    try:
        opened = open_store(Settings(data_dir=folder, database_url=None, load_demo=True))
    finally:
        mp.undo()
    assert opened.demo is not None
    with opened.services.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    opened.services.close()
    return folder


@pytest.fixture
def data_dir(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """This test's copy of the demo data folder, configured for the app through the environment."""
    folder = tmp_path / "data"
    shutil.copytree(demo_template, folder)
    monkeypatch.setenv("XINYU_DATA_DIR", str(folder))
    monkeypatch.setenv(DEMO_PASSWORD_ENV, PASSWORD)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("XINYU_LANG", raising=False)
    get_settings.cache_clear()
    yield folder
    close_all()
    get_settings.cache_clear()


@pytest.fixture
def sv(data_dir: Path) -> Iterator[Services]:
    """The service layer over this test's database, to check what the app wrote."""
    services = Services.from_settings(get_settings())
    yield services
    services.close()
