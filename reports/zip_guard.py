"""Checks on an uploaded .xlsx before any spreadsheet library parses it: size, archive, expansion, XML.

openpyxl parses untrusted XML with defusedxml when it is installed, but it does not bound how far an
archive expands; so the declared sizes of the entries are added up first and a DOCTYPE or ENTITY
declaration in any XML part is refused outright (a spreadsheet never needs one).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from i18n.problems import Problem

REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How large an upload may be, how far it may expand, and how many entries it may hold."""

    max_bytes: int
    max_unzipped_bytes: int = 50 * MB
    max_entries: int = 1000

    @classmethod
    def from_settings(cls) -> Limits:
        """The upload limit of the deployment's settings, with the default expansion limits."""
        from settings import get_settings

        return cls(max_bytes=int(get_settings().upload_max_mb * MB))


def _mb(size: float) -> str:
    return f"{size / MB:.1f}"


def container_problems(data: bytes, limits: Limits, file: str) -> list[Problem]:
    """Everything wrong with the file as an archive; empty when openpyxl may open it."""
    if len(data) > limits.max_bytes:
        return [Problem("template.too_large", {"found": _mb(len(data)), "max": _mb(limits.max_bytes)}, file=file)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return [Problem("template.not_xlsx", {}, file=file)]
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            return [Problem("template.too_many_parts", {"found": len(entries), "max": limits.max_entries}, file=file)]
        total = sum(info.file_size for info in entries)
        if total > limits.max_unzipped_bytes:
            params = {"found": _mb(total), "max": _mb(limits.max_unzipped_bytes)}
            return [Problem("template.unzipped_too_large", params, file=file)]
        names = {info.filename for info in entries}
        missing = [part for part in REQUIRED_PARTS if part not in names]
        if missing:
            return [Problem("template.not_workbook", {"expected": ", ".join(missing)}, file=file)]
        return _xml_problems(archive, entries, file)


def _xml_problems(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], file: str) -> list[Problem]:
    """A DOCTYPE or ENTITY declaration in any XML part (the door to entity expansion and external entities)."""
    problems = []
    for info in entries:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            content = archive.read(info)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
            problems.append(Problem("template.not_xlsx", {}, file=file, path=info.filename))
            continue
        if _DECLARATION.search(content):
            problems.append(Problem("template.hostile_xml", {"found": info.filename}, file=file))
    return problems
