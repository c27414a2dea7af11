"""Where files live: evidence and generated files behind one interface, a local folder or an S3-compatible bucket.

Every object is named by a key: `evidence/ab/<sha256>` for evidence, `results/ab/<sha256>` for what a job
made (a zip, a workbook), `uploads/ab/<sha256>` for a file waiting for its import job. The content's SHA-256
is in the key, so the same content is kept once and any copy can be checked against its name.

`open_storage(settings)` picks the implementation from `XINYU_STORAGE_URL`: empty or `file:///folder` is the
local folder (default: the data folder, so evidence stays in `data/evidence/ab/…` as before); `s3://bucket`
or `s3://bucket/prefix` is S3-compatible object storage (OSS, OBS, MinIO, Ceph, AWS), with the endpoint,
region and addressing style from the settings and the credentials from the environment (boto3's own chain:
`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, or a profile).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Protocol
from urllib.parse import unquote, urlparse

CHUNK = 1024 * 1024
SHA = re.compile(r"[0-9a-f]{64}")
KEY = re.compile(r"(?:[a-z]+/)?[0-9a-f]{2}/[0-9a-f]{64}")


class Storage(Protocol):
    """Objects by key; writes are whole (a reader sees the old object or the complete new one, never part)."""

    def put(self, key: str, data: bytes | IO[bytes]) -> None:
        """Store bytes or a binary stream (read to its end) under `key`, replacing any object there."""

    def chunks(self, key: str, size: int = CHUNK) -> Iterator[bytes]:
        """The object's content, a chunk at a time (raises FileNotFoundError when missing)."""

    def size(self, key: str) -> int | None:
        """The object's size in bytes, None when there is none."""

    def delete(self, key: str) -> None:
        """Remove the object (no error when it is gone already)."""

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every key that starts with `prefix`, in order."""

    def describe(self) -> str:
        """Where the objects are (folder or bucket), for messages and logs."""


def key_for(space: str, sha256: str) -> str:
    """The key of content with this hash in a space (`evidence`, `results`, `uploads`; "" for none)."""
    if not SHA.fullmatch(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return f"{space}/{sha256[:2]}/{sha256}" if space else f"{sha256[:2]}/{sha256}"


class Blobs:
    """The files of one space of a storage, by content hash."""

    def __init__(self, storage: Storage, space: str) -> None:
        self.storage = storage
        self.space = space

    def key(self, sha256: str) -> str:
        """The key of the content with this hash."""
        return key_for(self.space, sha256)

    def put(self, sha256: str, data: bytes) -> None:
        """Store the content unless a complete copy is there already."""
        key = self.key(sha256)
        if self.storage.size(key) != len(data):
            self.storage.put(key, data)

    def get(self, sha256: str) -> bytes:
        """The whole content."""
        return read_all(self.storage, self.key(sha256))

    def chunks(self, sha256: str) -> Iterator[bytes]:
        """The content, streamed."""
        return self.storage.chunks(self.key(sha256))

    def delete(self, sha256: str) -> None:
        """Remove the content (no error when it is gone)."""
        self.storage.delete(self.key(sha256))

    @property
    def root(self) -> Path:
        """The folder of this space (local storage only)."""
        base = Path(self.storage.root)  # type: ignore[attr-defined]
        return base / self.space if self.space else base

    def path(self, sha256: str) -> Path:
        """The file of the content (local storage only)."""
        return self.storage.path(self.key(sha256))  # type: ignore[attr-defined]


def sha_of_key(key: str) -> str | None:
    """The content hash a key names, or None for a key of another shape."""
    return key.rsplit("/", 1)[-1] if KEY.fullmatch(key) else None


def read_all(storage: Storage, key: str) -> bytes:
    """The whole content of an object (for small files; stream large ones with `chunks`)."""
    return b"".join(storage.chunks(key))


def sha256_of(chunks: Iterable[bytes]) -> tuple[str, int]:
    """The SHA-256 and the size of a stream of chunks."""
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def storage_from_url(
    url: str | None,
    default_root: Path,
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    addressing_style: str = "auto",
) -> Storage:
    """The storage a URL names (empty: a local folder at `default_root`)."""
    from store.storage.local import LocalStorage

    if not url:
        return LocalStorage(default_root)
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return LocalStorage(Path(unquote(parsed.path)))
    if parsed.scheme == "s3":
        from store.storage.s3 import S3Storage

        if not parsed.netloc:
            raise ValueError(f"no bucket in the storage URL {url!r}")
        return S3Storage(
            parsed.netloc,
            parsed.path.strip("/"),
            endpoint_url=endpoint_url,
            region=region,
            addressing_style=addressing_style,
        )
    raise ValueError(f"storage URL {url!r}: expected file:///folder or s3://bucket[/prefix]")


def open_storage(settings) -> Storage:
    """The storage the settings configure."""
    return storage_from_url(
        settings.storage_url,
        settings.data_dir,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        addressing_style=settings.s3_addressing_style,
    )
