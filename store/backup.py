"""Backups that restore: the database and the evidence store in one file, checked by hashes, into an empty database.

`backup(services, out)` writes a zip of our own format:

- `manifest.json`: format, time, schema revision, backend, and for every table its row count and the
  SHA-256 of its dump, for every evidence file its size (its name is its SHA-256);
- `tables/<name>.jsonl`: every row of every table, one JSON object a line (a logical dump that restores
  on either backend), read from one consistent snapshot: on SQLite a copy made with the online backup
  API (`sqlite3.Connection.backup`, one step, so concurrent writers cannot tear it), on PostgreSQL one
  REPEATABLE READ, READ ONLY transaction;
- `evidence/<sha256>`: every evidence file the snapshot refers to (a file removed by a concurrent
  unlink after the snapshot makes the backup start again with a newer snapshot);
- `database.sqlite3` (SQLite) or `pg_dump.custom` (PostgreSQL, when `pg_dump` is installed and works):
  the native copy, for a database administrator; `restore` uses the logical dump.

`restore(services, file)` checks the format, the schema revision and every hash before it writes
anything, requires an empty database (after migrating it) and an empty evidence folder, writes the
evidence files, then every row in one transaction (on failure the files it wrote are removed again).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Engine, Table, func, select, text
from sqlalchemy.engine import Connection

from i18n.problems import InputError, Problem
from store.engine import is_sqlite, make_engine
from store.evidence_files import BlobStore
from store.migrate import current_revision, head_revision, upgrade
from store.models import Base, EvidenceFileRow
from store.policy import ACCOUNT_MANAGERS, acting, require
from store.records import User
from store.services import Services

FORMAT = "xinyu-backup/1"
MANIFEST = "manifest.json"
ACTION = "security.action.backup"
ATTEMPTS = 5


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds (or a restore wrote): rows by table, evidence files, the schema revision."""

    rows: dict[str, int]
    files: int
    revision: str

    @property
    def total_rows(self) -> int:
        """Rows over every table."""
        return sum(self.rows.values())


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _encode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for column in table.columns:
        value = row[column.name]
        if isinstance(value, datetime):
            value = value.astimezone(UTC).replace(tzinfo=None).isoformat() if value.tzinfo else value.isoformat()
        elif isinstance(value, date):
            value = value.isoformat()
        out[column.name] = value
    return out


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for column in table.columns:
        value = row.get(column.name)
        if value is not None and not isinstance(column.type, JSON):
            if isinstance(column.type, DateTime) or isinstance(getattr(column.type, "impl", None), DateTime):
                value = datetime.fromisoformat(value).replace(tzinfo=UTC)
            elif isinstance(column.type, Date):
                value = date.fromisoformat(value)
        out[column.name] = value
    return out


def dump_tables(conn: Connection) -> dict[str, bytes]:
    """Every table as JSON Lines, rows ordered by primary key (the same data gives the same bytes)."""
    dumps = {}
    for table in _tables():
        order = list(table.primary_key.columns)
        lines = [
            json.dumps(_encode(table, dict(r._mapping)), ensure_ascii=False, sort_keys=True) + "\n"
            for r in conn.execute(select(table).order_by(*order))
        ]
        dumps[table.name] = "".join(lines).encode("utf-8")
    return dumps


@contextlib.contextmanager
def _snapshot(engine: Engine) -> Iterator[tuple[Connection, Path | None]]:
    """A connection on one consistent state of the database (and the SQLite copy it reads, if any)."""
    if is_sqlite(engine):
        folder = Path(tempfile.mkdtemp(prefix="xinyu-backup-"))
        copy = folder / "database.sqlite3"
        source = sqlite3.connect(engine.url.database, timeout=30)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)  # one step (pages=-1): a consistent copy, whatever writers do meanwhile
        finally:
            target.close()
            source.close()
        snap = make_engine(f"sqlite:///{copy}")
        try:
            with snap.connect() as conn:
                yield conn, copy
        finally:
            snap.dispose()
            shutil.rmtree(folder, ignore_errors=True)
        return
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn, None


def _pg_dump(engine: Engine, schema: str) -> bytes | None:
    """pg_dump's custom-format dump of our schema, when pg_dump is installed and agrees with the server."""
    if shutil.which("pg_dump") is None:
        return None
    url = engine.url.set(drivername="postgresql")
    args = ["pg_dump", "--format=custom", "--no-owner", "--schema", schema, url.render_as_string(hide_password=False)]
    try:
        done = subprocess.run(args, capture_output=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def backup(services: Services, actor: User, out: Path) -> BackupSummary:
    """Write a consistent backup of the database and the evidence store to `out` (admin, system)."""
    services.ctx.read(lambda s: require(acting(s, actor), ACCOUNT_MANAGERS, ACTION), actor)
    engine, blobs = services.engine, BlobStore(services.ctx.limits.evidence_dir)
    for _ in range(ATTEMPTS):
        with _snapshot(engine) as (conn, sqlite_copy):
            dumps = dump_tables(conn)
            hashes = [r[0] for r in conn.execute(select(EvidenceFileRow.sha256).order_by(EvidenceFileRow.sha256))]
            revision = current_revision(engine) or ""
            try:
                files = {sha: blobs.get(sha) for sha in hashes}
            except FileNotFoundError:
                continue  # unlinked after the snapshot: take a newer one
            native = sqlite_copy.read_bytes() if sqlite_copy is not None else None
            schema = "" if sqlite_copy is not None else str(conn.execute(text("SELECT current_schema()")).scalar())
        if native is None:
            native = _pg_dump(engine, schema)
        summary = _write(out, dumps, files, revision, engine.dialect.name, native)
        services.ctx.note(actor, "backup", "database", "", after={"path": str(out), "rows": summary.total_rows})
        return summary
    raise RuntimeError("evidence files kept disappearing during the backup")


def _write(
    out: Path, dumps: dict[str, bytes], files: dict[str, bytes], revision: str, backend: str, native: bytes | None
) -> BackupSummary:
    rows = {name: data.count(b"\n") for name, data in dumps.items()}
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "revision": revision,
        "backend": backend,
        "tables": {name: {"rows": rows[name], "sha256": hashlib.sha256(d).hexdigest()} for name, d in dumps.items()},
        "evidence": {sha: len(data) for sha, data in files.items()},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            for name, data in dumps.items():
                archive.writestr(f"tables/{name}.jsonl", data)
            for sha, data in files.items():
                archive.writestr(f"evidence/{sha}", data, compress_type=zipfile.ZIP_STORED)
            if native is not None:
                archive.writestr("database.sqlite3" if backend == "sqlite" else "pg_dump.custom", native)
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
    return BackupSummary(rows, len(files), revision)


def read_backup(path: Path) -> tuple[dict[str, Any], dict[str, bytes], dict[str, bytes]]:
    """The manifest, the table dumps and the evidence files of a backup, every hash checked; else InputError."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                found = manifest.get("format", "?") if isinstance(manifest, dict) else "?"
                raise InputError([Problem("security.backup.not_backup", {"found": found}, file=name)])
            dumps = {t: archive.read(f"tables/{t}.jsonl") for t in manifest["tables"]}
            files = {sha: archive.read(f"evidence/{sha}") for sha in manifest["evidence"]}
    except InputError:
        raise
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise InputError([Problem("security.backup.not_backup", {"found": type(error).__name__}, file=name)]) from None
    for table, data in dumps.items():
        if hashlib.sha256(data).hexdigest() != manifest["tables"][table]["sha256"]:
            raise InputError([Problem("security.backup.hash", {"found": f"tables/{table}"}, file=name)])
    for sha, data in files.items():
        if hashlib.sha256(data).hexdigest() != sha or len(data) != manifest["evidence"][sha]:
            raise InputError([Problem("security.backup.hash", {"found": f"evidence/{sha}"}, file=name)])
    missing = [t.name for t in _tables() if t.name not in dumps]
    if missing:
        raise InputError([Problem("security.backup.not_backup", {"found": ", ".join(missing)}, file=name)])
    return manifest, dumps, files


def restore(engine: Engine, evidence_dir: Path, path: Path) -> BackupSummary:
    """Restore a backup into an empty database and an empty evidence folder, or raise InputError writing nothing."""
    manifest, dumps, files = read_backup(path)
    if manifest.get("revision") != head_revision():
        params = {"found": manifest.get("revision"), "expected": head_revision()}
        raise InputError([Problem("security.backup.revision", params, file=path.name)])
    upgrade(engine)
    with engine.connect() as conn:
        busy = [t.name for t in _tables() if conn.execute(select(func.count()).select_from(t)).scalar_one()]
    if busy:
        raise InputError([Problem("security.backup.not_empty", {"found": ", ".join(busy)}, file=path.name)])
    evidence_dir = Path(evidence_dir)
    if evidence_dir.exists() and any(p.is_file() for p in evidence_dir.rglob("*")):
        raise InputError([Problem("security.backup.evidence_not_empty", {"found": str(evidence_dir)}, file=path.name)])
    blobs = BlobStore(evidence_dir)
    for sha, data in files.items():
        blobs.put(sha, data)
    try:
        with engine.begin() as conn:
            for table in _tables():
                rows = [_decode(table, json.loads(line)) for line in io.BytesIO(dumps[table.name]) if line.strip()]
                if rows:
                    conn.execute(table.insert(), rows)
            if engine.dialect.name == "postgresql":
                _reset_sequences(conn, dumps)
    except BaseException:
        for sha in files:
            blobs.delete(sha)
        raise
    rows = {name: data.count(b"\n") for name, data in dumps.items()}
    return BackupSummary(rows, len(files), str(manifest["revision"]))


def _reset_sequences(conn: Connection, dumps: dict[str, bytes]) -> None:
    """PostgreSQL serial sequences set past the restored ids."""
    for table in _tables():
        if "id" in table.c and table.c.id.primary_key and dumps[table.name]:
            conn.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))")
            )
