"""`xinyu storage copy`: a local store into a bucket, every hash checked, a damaged file named and not copied."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from scalekit import S3Server

from store.storage import key_for, read_all
from store.storage.local import LocalStorage
from store.storage.s3 import S3Storage


def xinyu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_copy_a_local_store_into_a_bucket(settings_env: Path, s3_server: S3Server, monkeypatch) -> None:
    import os

    local = LocalStorage(settings_env)
    files = {f"file {n}".encode() * (n + 1) for n in range(5)}
    keys = {}
    for data in files:
        sha = hashlib.sha256(data).hexdigest()
        keys[key_for("evidence", sha)] = data
        local.put(key_for("evidence", sha), data)
    result_key = key_for("results", hashlib.sha256(b"zip").hexdigest())
    local.put(result_key, b"zip")
    (settings_env / "xinyu.sqlite3.notes").write_text("not named by a hash: left alone")
    bucket = s3_server.bucket()
    env = {
        **os.environ,
        "XINYU_STORAGE_URL": f"s3://{bucket}/xinyu",
        "XINYU_S3_ENDPOINT_URL": s3_server.url,
        "XINYU_S3_ADDRESSING_STYLE": "path",
        "XINYU_LOAD_DEMO": "false",
    }
    done = xinyu("storage", "copy", "--lang", "en", env=env)
    assert done.returncode == 0, done.stderr
    assert "Copied 6 files" in done.stdout
    target = S3Storage(bucket, "xinyu", endpoint_url=s3_server.url, addressing_style="path")
    assert set(target.keys()) == {*keys, result_key}
    assert all(read_all(target, k) == v for k, v in keys.items())

    again = xinyu("storage", "copy", "--lang", "en", env=env)  # idempotent: everything is there already
    assert again.returncode == 0 and "Copied 0 files" in again.stdout and "(6 were there already)" in again.stdout

    damaged = next(iter(keys))
    local.path(damaged).write_bytes(b"changed on disk")
    target.delete(damaged)
    bad = xinyu("storage", "copy", "--lang", "en", env=env)
    assert bad.returncode == 2
    assert damaged in bad.stderr and "does not match its name" in bad.stderr
    assert target.size(damaged) is None  # not copied


def test_copy_refuses_the_source_as_target(settings_env: Path) -> None:
    import os

    settings_env.mkdir(parents=True)
    done = xinyu("storage", "copy", "--lang", "en", env={**os.environ, "XINYU_LOAD_DEMO": "false"})
    assert done.returncode == 2 and "XINYU_STORAGE_URL" in done.stderr
