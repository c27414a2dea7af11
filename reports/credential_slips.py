"""Printable credential slips: one slip per account (address of the app, user name, initial password).

Word: slips one under another with a dashed cut line between them, several to an A4 page, never split
across pages. Excel: one row per account (text cells only), plus a print layout of one slip per row.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import xlsxwriter
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from i18n.catalog import t
from store.account_import import Credential

BODY_FONT, HEAD_FONT = "宋体", "黑体"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _holder(c: Credential, lang: str) -> str:
    role = t(f"app.role.{c.role.value}", lang)
    name = c.school_name or c.display_name
    return f"{name} · {role}" if name else role


def slips_docx(credentials: Sequence[Credential], app_url: str, lang: str = "zh") -> bytes:
    """The slips as a Word document."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(15)
    section.left_margin = section.right_margin = Mm(20)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = BODY_FONT, Pt(11)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    for n, c in enumerate(credentials):
        title = doc.add_paragraph()
        title.paragraph_format.keep_with_next = True
        _font(title.add_run(t("accounts.slip.title", lang)), HEAD_FONT, 13, bold=True)
        rows = (
            ("accounts.slip.holder", _holder(c, lang)),
            ("accounts.slip.address", app_url),
            ("accounts.slip.username", c.username),
            ("accounts.slip.password", c.password),
        )
        table = doc.add_table(rows=len(rows), cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for i, (key, value) in enumerate(rows):
            label, cell = table.cell(i, 0), table.cell(i, 1)
            label.width, cell.width = Mm(35), Mm(130)
            _font(label.paragraphs[0].add_run(t(key, lang)), HEAD_FONT, 11)
            mono = key in ("accounts.slip.username", "accounts.slip.password")
            _font(cell.paragraphs[0].add_run(value), "Consolas" if mono else BODY_FONT, 13 if mono else 11, bold=mono)
            for paragraph in (label.paragraphs[0], cell.paragraphs[0]):
                paragraph.paragraph_format.keep_with_next = True
            row_pr = table.rows[i]._tr.get_or_add_trPr()
            row_pr.append(row_pr.makeelement(qn("w:cantSplit"), {}))
        note = doc.add_paragraph()
        note.paragraph_format.keep_with_next = True
        _font(note.add_run(t("accounts.slip.change", lang)), HEAD_FONT, 12, bold=True)
        keep = doc.add_paragraph()
        _font(keep.add_run(t("accounts.slip.keep", lang)), BODY_FONT, 9)
        if n < len(credentials) - 1:
            cut = doc.add_paragraph()
            _font(cut.add_run("✂ " + "-" * 86), BODY_FONT, 8)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def slips_xlsx(credentials: Sequence[Credential], app_url: str, lang: str = "zh") -> bytes:
    """The slips as a workbook: one row per account, every cell written as text, set to print on A4."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(t("accounts.slip.sheet", lang)[:31])
    head = book.add_format({"bold": True, "font_name": HEAD_FONT, "border": 1, "bg_color": "#E8F1EE"})
    cell = book.add_format({"font_name": BODY_FONT, "border": 1, "text_wrap": True, "valign": "vcenter"})
    mono = book.add_format({"font_name": "Consolas", "border": 1, "bold": True, "font_size": 12})
    keys = (
        "accounts.slip.holder",
        "accounts.slip.address",
        "accounts.slip.username",
        "accounts.slip.password",
        "accounts.slip.change",
    )
    widths = (34, 30, 16, 18, 22)
    for col, (key, width) in enumerate(zip(keys, widths, strict=True)):
        sheet.write_string(0, col, t(key, lang) if key != "accounts.slip.change" else "", head)
        sheet.set_column(col, col, width)
    for row, c in enumerate(credentials, start=1):
        sheet.set_row(row, 30)
        sheet.write_string(row, 0, _holder(c, lang), cell)
        sheet.write_string(row, 1, app_url, cell)
        sheet.write_string(row, 2, c.username, mono)
        sheet.write_string(row, 3, c.password, mono)
        sheet.write_string(row, 4, t("accounts.slip.change", lang), cell)
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.repeat_rows(0)
    sheet.fit_to_pages(1, 0)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def slips(credentials: Sequence[Credential], app_url: str, kind: str, lang: str = "zh") -> bytes:
    """The slips as `docx` or `xlsx`."""
    return (slips_docx if kind == "docx" else slips_xlsx)(credentials, app_url, lang)
