"""The inspection pack: one zip per school with self-assessment, evidence index, inspection report, action plan."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from i18n.catalog import t
from reports.action_plan import action_plan_xlsx
from reports.context import ReportContext
from reports.evidence_index import evidence_index_xlsx
from reports.inspection_docx import inspection_report_docx
from reports.self_docx import self_report_docx
from reports.text import safe_filename

Writer = Callable[[ReportContext, str], bytes]
PARTS: tuple[tuple[str, str, Writer], ...] = (
    ("report.pack.file.self", "docx", self_report_docx),
    ("report.pack.file.evidence", "xlsx", evidence_index_xlsx),
    ("report.pack.file.inspection", "docx", inspection_report_docx),
    ("report.pack.file.plan", "xlsx", action_plan_xlsx),
)


def pack_names(ctx: ReportContext, lang: str) -> list[str]:
    """The file names inside the pack, numbered in reading order."""
    code = safe_filename(ctx.school_code)
    return [f"{n}_{code}_{t(key, lang)}.{ext}" for n, (key, ext, _) in enumerate(PARTS, start=1)]


def inspection_pack(ctx: ReportContext, lang: str = "zh") -> bytes:
    """The pack of one school as .zip bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (_, _, writer) in zip(pack_names(ctx, lang), PARTS, strict=True):
            archive.writestr(name, writer(ctx, lang))
    return buffer.getvalue()
