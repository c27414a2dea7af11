"""Reports for many schools (all schools of a cycle) as one zip, with a progress callback for the app.

A school never inspected gets no inspection report, feedback, plan or pack (the writers refuse it):
the zip leaves it out and lists it in a text file, so that a batch of a cycle still completes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from typing import IO, Literal

from i18n.catalog import t
from reports.action_plan_docx import action_plan_docx
from reports.context import ReportContext
from reports.feedback_docx import feedback_docx
from reports.inspection_docx import inspected, inspection_report_docx
from reports.pack import inspection_pack
from reports.pdf import docx_to_pdf
from reports.school_xlsx import school_report_xlsx
from reports.self_docx import self_report_docx
from reports.text import safe_filename

Kind = Literal["docx", "xlsx", "self", "feedback", "plan", "pack"]
Progress = Callable[[int, int], None]

WRITERS: dict[str, tuple[Callable[[ReportContext, str], bytes], str]] = {
    "docx": (inspection_report_docx, "docx"),
    "xlsx": (school_report_xlsx, "xlsx"),
    "self": (self_report_docx, "docx"),
    "feedback": (feedback_docx, "docx"),
    "plan": (action_plan_docx, "docx"),
    "pack": (inspection_pack, "zip"),
}
SELF_KINDS = frozenset({"self"})
"""The kinds a school that was never inspected still gets."""


def report_bytes(ctx: ReportContext, kind: Kind = "docx", lang: str = "zh", pdf: bool = False) -> tuple[bytes, str]:
    """One school's report of a kind, and its file extension; `pdf`: a Word document rendered to PDF."""
    writer, ext = WRITERS[kind]
    data = writer(ctx, lang)
    if pdf and ext == "docx":
        return docx_to_pdf(data), "pdf"
    return data, ext


def report_filename(ctx: ReportContext, ext: str) -> str:
    """`CODE_school name.ext`, safe on every system."""
    return f"{safe_filename(ctx.school_code)}_{safe_filename(ctx.school_name)}.{ext}"


def reports_zip(
    contexts: Sequence[ReportContext],
    kind: Kind = "docx",
    lang: str = "zh",
    progress: Progress | None = None,
    pdf: bool = False,
    out: IO[bytes] | None = None,
) -> bytes:
    """Every school's report in one zip; `progress(done, total)` is called after each school.

    Schools never inspected are left out of inspection kinds and named in `未督导学校.txt`
    (`skipped_name(lang)`). With `out`, the zip is written there (and b"" returned), else returned.
    """
    buffer = out if out is not None else io.BytesIO()
    skipped: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, ctx in enumerate(contexts, start=1):
            if kind in SELF_KINDS or inspected(ctx):
                data, ext = report_bytes(ctx, kind, lang, pdf=pdf)
                archive.writestr(report_filename(ctx, ext), data)
            else:
                skipped.append(t("documents.not_inspected", lang, school=f"{ctx.school_code} {ctx.school_name}"))
            if progress is not None:
                progress(done, len(contexts))
        if skipped:
            archive.writestr(skipped_name(lang), "\r\n".join(skipped).encode("utf-8-sig"))
    return b"" if out is not None else buffer.getvalue()


def skipped_name(lang: str) -> str:
    """The name of the list of schools left out of a zip because they were never inspected."""
    return f"{t('documents.skipped_file', lang)}.txt"
