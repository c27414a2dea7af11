"""The four Word documents in the official layout (GB/T 9704-2012), read back and rendered to PDF.

`layout_check` holds the checks; here they run on the inspection report, self-assessment report, feedback
and action plan of the weakest demo school and of CN038, as .docx and as the PDF LibreOffice renders.
The same checker reports 51, 26 and 21 problems on main's inspection, self and feedback documents of
CN036 before this layout (checked once by hand), and the tests at the end show it catches a document in
the default layout and a heading stranded at the foot of a page.
"""

from __future__ import annotations

import io
import shutil
from datetime import date

import docx
import pytest
from docx.shared import Pt

from i18n.problems import InputError
from reports.action_plan_docx import action_plan_docx
from reports.batch import reports_zip
from reports.docx_parts import heading, para
from reports.docx_style import new_document, to_bytes
from reports.feedback_docx import feedback_docx
from reports.inspection_docx import inspection_report_docx
from reports.pack import inspection_pack
from reports.pdf import docx_to_pdf
from reports.school_xlsx import school_report_xlsx
from reports.self_docx import self_report_docx
from testkit import need
from tests.reports.layout_check import docx_problems, pdf_problems

WRITERS = {
    "inspection": (inspection_report_docx, True, (4, 14)),
    "self": (self_report_docx, True, (4, 14)),
    "feedback": (feedback_docx, False, (1, 2)),
    "plan": (action_plan_docx, False, (1, 8)),
}
"""Kind: writer, whether it has a cover, the page counts expected of a demo school."""


def _soffice() -> None:
    need(shutil.which("soffice"), "LibreOffice is missing: apt-get install -y libreoffice-writer-nogui")


@pytest.fixture(scope="module", params=["weak", "CN038"])
def school(request, weak_school) -> str:
    return weak_school if request.param == "weak" else request.param


@pytest.fixture(scope="module")
def documents(make_ctx, school) -> dict[str, bytes]:
    ctx = make_ctx(school)
    return {kind: writer(ctx) for kind, (writer, _, _) in WRITERS.items()}


@pytest.mark.parametrize("kind", list(WRITERS))
def test_docx_follows_the_official_layout(documents, kind):
    assert docx_problems(documents[kind], cover=WRITERS[kind][1]) == []


@pytest.mark.parametrize("kind", list(WRITERS))
def test_pdf_follows_the_official_layout(documents, kind):
    _soffice()
    _, cover, pages = WRITERS[kind]
    assert pdf_problems(docx_to_pdf(documents[kind]), cover=cover, pages=pages) == []


def test_cover_names_the_team_the_visit_the_office_and_the_date_in_words(make_ctx, weak_school):
    doc = docx.Document(io.BytesIO(inspection_report_docx(make_ctx(weak_school))))
    text = [p.text for p in doc.paragraphs]
    assert "督导组成员：王立群（组长）、李慧敏" in text
    assert "现场督导时间：2025年11月3日至2025年11月4日" in text
    assert "长宁区人民政府教育督导室" in text and "2025年11月20日" in text
    assert text.index("长宁区人民政府教育督导室") < text.index("2025年11月20日")
    assert any(p.startswith("督导组组长（签名）：王立群") for p in text)
    assert any(p.startswith("督导组成员（签名）：李慧敏") for p in text)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["一、评估结论", "（一）未达到的条件"]
    assert "二、逐项评价" in headings


def test_issuing_office_and_report_date_are_settable(make_ctx, weak_school):
    ctx = make_ctx(weak_school, office="徐汇区人民政府教育督导室", issued=date(2026, 1, 5))
    text = [p.text for p in docx.Document(io.BytesIO(inspection_report_docx(ctx))).paragraphs]
    assert "徐汇区人民政府教育督导室" in text and "2026年1月5日" in text


def test_never_inspected_school_gets_no_inspection_document(make_ctx, result):
    absent = next(code for code in result.schools if not result.inspection.present[result.row(code)])
    ctx = make_ctx(absent)
    for writer in (inspection_report_docx, feedback_docx, action_plan_docx, inspection_pack, school_report_xlsx):
        with pytest.raises(InputError) as refused:
            writer(ctx)
        assert refused.value.problems[0].key == "documents.not_inspected"
        assert "尚未督导" in refused.value.render("zh")
    assert docx_problems(self_report_docx(ctx)) == []  # the school's own report is still issued


def test_batch_leaves_uninspected_schools_out_and_lists_them(make_ctx, result):
    import zipfile

    absent = next(code for code in result.schools if not result.inspection.present[result.row(code)])
    inspected = next(code for code in result.schools if result.inspection.present[result.row(code)])
    data = reports_zip([make_ctx(absent), make_ctx(inspected)], "docx")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(n.startswith(inspected) for n in names) and not any(n.startswith(absent) for n in names)
    listed = zipfile.ZipFile(io.BytesIO(data)).read("未督导学校.txt").decode("utf-8-sig")
    assert absent in listed


def test_checker_rejects_the_default_layout():
    default = docx.Document()
    default.add_paragraph("正文")
    problems = docx_problems(to_bytes(default))
    assert any("top margin" in p for p in problems)
    assert any("style Normal: East Asian font" in p for p in problems)
    assert any("page number" in p or "cover" in p for p in problems)


def test_checker_finds_a_heading_stranded_at_the_foot_of_a_page():
    _soffice()
    doc = new_document(cover=False)
    for n in range(21):
        para(doc, f"第{n + 1}行正文")
    stranded = heading(doc, "孤立的标题", 1)
    stranded.paragraph_format.keep_with_next = False
    para(doc, "下一页的正文")
    problems = pdf_problems(docx_to_pdf(to_bytes(doc)), cover=False)
    assert any("heading alone at the foot" in p for p in problems), problems
    doc.styles["Normal"].font.size = Pt(10.5)  # and a body that is not 3号 leaves no body lines to check
    assert any("size" in p for p in docx_problems(to_bytes(doc), cover=False))


def test_pdf_unavailable_is_a_message_not_a_traceback(monkeypatch, documents):
    monkeypatch.setenv("XINYU_SOFFICE", "no-such-office-suite")
    with pytest.raises(InputError) as refused:
        docx_to_pdf(documents["feedback"])
    assert refused.value.problems[0].key == "documents.pdf.unavailable"
    assert "LibreOffice" in refused.value.render("zh")
