"""Reports for many schools (all schools of a cycle) as one zip, with a progress callback for the app."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from typing import Literal

from reports.context import ReportContext
from reports.feedback_docx import feedback_docx
from reports.inspection_docx import inspection_report_docx
from reports.pack import inspection_pack
from reports.school_xlsx import school_report_xlsx
from reports.self_docx import self_report_docx
from reports.text import safe_filename

Kind = Literal["docx", "xlsx", "self", "feedback", "pack"]
Progress = Callable[[int, int], None]

WRITERS: dict[str, tuple[Callable[[ReportContext, str], bytes], str]] = {
    "docx": (inspection_report_docx, "docx"),
    "xlsx": (school_report_xlsx, "xlsx"),
    "self": (self_report_docx, "docx"),
    "feedback": (feedback_docx, "docx"),
    "pack": (inspection_pack, "zip"),
}


def report_bytes(ctx: ReportContext, kind: Kind = "docx", lang: str = "zh") -> tuple[bytes, str]:
    """One school's report of a kind, and its file extension."""
    writer, ext = WRITERS[kind]
    return writer(ctx, lang), ext


def report_filename(ctx: ReportContext, ext: str) -> str:
    """`CODE_school name.ext`, safe on every system."""
    return f"{safe_filename(ctx.school_code)}_{safe_filename(ctx.school_name)}.{ext}"


def reports_zip(
    contexts: Sequence[ReportContext], kind: Kind = "docx", lang: str = "zh", progress: Progress | None = None
) -> bytes:
    """Every school's report in one zip; `progress(done, total)` is called after each school."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, ctx in enumerate(contexts, start=1):
            data, ext = report_bytes(ctx, kind, lang)
            archive.writestr(report_filename(ctx, ext), data)
            if progress is not None:
                progress(done, len(contexts))
    return buffer.getvalue()
