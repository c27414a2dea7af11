"""The local folder: one file per key, written to a temporary file and renamed, so a reader never sees part."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from store.storage import CHUNK


class LocalStorage:
    """Objects as files under `root` (`root/evidence/ab/<sha256>`, ...)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """The file of a key (a key never leaves the folder)."""
        parts = key.split("/")
        if not key or any(p in ("", ".", "..") for p in parts) or "\\" in key:
            raise ValueError(f"bad storage key {key!r}")
        return self.root.joinpath(*parts)

    def put(self, key: str, data: bytes | IO[bytes]) -> None:
        """Write the object atomically (temporary file in the same folder, fsync, rename)."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(data, bytes | bytearray | memoryview):
                    out.write(data)
                else:
                    while chunk := data.read(CHUNK):
                        out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def chunks(self, key: str, size: int = CHUNK) -> Iterator[bytes]:
        """The file's content a chunk at a time."""
        with self.path(key).open("rb") as f:
            while chunk := f.read(size):
                yield chunk

    def size(self, key: str) -> int | None:
        """The file's size, None when missing."""
        try:
            return self.path(key).stat().st_size
        except (FileNotFoundError, NotADirectoryError):
            return None

    def delete(self, key: str) -> None:
        """Remove the file (no error when it is gone)."""
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            self.path(key).unlink()

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every key under the folder starting with `prefix` (temporary files left by a crash excluded)."""
        if not self.root.is_dir():
            return
        found = (
            p.relative_to(self.root).as_posix()
            for p in self.root.rglob("*")
            if p.is_file() and not p.name.startswith(".upload-")
        )
        yield from sorted(k for k in found if k.startswith(prefix))

    def describe(self) -> str:
        """The folder."""
        return str(self.root)
