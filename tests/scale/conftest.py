"""Fixtures of the scale tests: a real S3-compatible server, storages of both kinds, a demo store."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the helpers beside this file (tests run in importlib mode)
from scalekit import CREDENTIALS, REGION, S3Server

from store.storage import Storage
from store.storage.local import LocalStorage
from store.storage.s3 import S3Storage


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    server = S3Server(tmp_path_factory.mktemp("s3") / "moto.log")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def s3_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """boto3 reads the credentials from the environment, as a deployment gives them."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "store")
    server: S3Server = request.getfixturevalue("s3_server")
    return S3Storage(server.bucket(), "some/prefix", endpoint_url=server.url, region=REGION, addressing_style="path")


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A data folder of its own and no inherited deployment settings."""
    for name in list(os.environ):
        if name.startswith("XINYU_") or name == "DATABASE_URL":
            monkeypatch.delenv(name, raising=False)
    data = tmp_path / "data"
    monkeypatch.setenv("XINYU_DATA_DIR", str(data))
    return data
