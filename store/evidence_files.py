"""Evidence files on disk: kept once per content hash, type told from the content, names made safe.

Accepted types: PDF, JPEG, PNG and the Office Open XML documents DOCX, XLSX and PPTX (a ZIP with
the part that makes it that document); the file name's extension is never trusted.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

EXTENSIONS: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "jpeg": (".jpg", ".jpeg"),
    "png": (".png",),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "pptx": (".pptx",),
}
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_STEM = 100


def sniff(data: bytes) -> str | None:
    """The type of a file from its first bytes (Office files: its ZIP directory); None if not accepted."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_kind(data)
    return None


def _ooxml_kind(data: bytes) -> str | None:
    """Which Office document a ZIP is, reading only its directory (nothing is decompressed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for kind, part in OOXML_PARTS.items() if part in names), None)


MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
MACRO_CONTENT = (b"macroenabled", b"vbaproject", b"ms-office.vba")
MAX_CONTENT_TYPES = 1024 * 1024
# Shown but invisible: Hangul fillers, the braille blank and the variation selectors (not format characters)
INVISIBLE = frozenset(
    {0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x180E, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}
)


def is_macro_enabled(data: bytes) -> bool:
    """Whether an Office ZIP carries macros: a VBA project part, or a macro-enabled content type (docm, xlsm, pptm)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if any(i.filename.lower().rsplit("/", 1)[-1] in MACRO_PARTS for i in infos):
                return True
            types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
            if types is None or types.file_size > MAX_CONTENT_TYPES:
                return types is not None  # an oversized content-types part is not an ordinary document
            content = archive.read(types).lower()
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, NotImplementedError, EOFError):
        return False
    return any(marker in content for marker in MACRO_CONTENT)


def visible_text(text: str) -> str:
    """`text` without bidirectional controls and other invisible characters.

    Format, private-use, unassigned and surrogate code points, line and paragraph separators and
    fillers go: each could make a name look like another (`report\u202egpj.exe` shows as `reportexe.jpg`).
    """
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cf", "Co", "Cn", "Cs", "Zl", "Zp") or ord(char) in INVISIBLE:
            continue
        kept.append(char)
    return "".join(kept)


def safe_name(name: str, kind: str) -> str:
    """A file name safe to show and to offer for download.

    No path, no control, invisible (bidirectional controls included) or reserved characters, a bounded
    length, and an extension that matches the type found in the content.
    """
    name = visible_text(unicodedata.normalize("NFC", name)).replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = re.sub(r"\s+", " ", UNSAFE.sub("_", stem)).strip(" .")[:MAX_STEM].strip(" .") or "evidence"
    if stem.lower() in RESERVED:
        stem = f"_{stem}"
    extension = f".{ext.lower()}" if f".{ext.lower()}" in EXTENSIONS[kind] else EXTENSIONS[kind][0]
    return stem + extension


class BlobStore:
    """Files by SHA-256 under a folder (`ab/abcdef…`), written atomically, so a file is stored once."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        """Where the file with this hash lives."""
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    def put(self, sha256: str, data: bytes) -> None:
        """Store the content unless a complete copy is there already."""
        target = self.path(sha256)
        if target.exists() and target.stat().st_size == len(data):
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def get(self, sha256: str) -> bytes:
        """The content of a stored file."""
        return self.path(sha256).read_bytes()

    def delete(self, sha256: str) -> None:
        """Remove a stored file (no error when it is gone already)."""
        with contextlib.suppress(FileNotFoundError):
            self.path(sha256).unlink()
