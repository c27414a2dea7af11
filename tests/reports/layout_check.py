"""A layout checker for our Word documents against GB/T 9704-2012, and for the PDF LibreOffice renders of them.

`docx_problems(data)` reads the .docx: page size, margins, line grid, fonts declared on the styles and on
every run (East Asian included), fallbacks in the font table, the page-number footers ("— n —", 4号 宋体,
odd right, even left, none on the cover), dates in words, and in every table fixed widths set on both the
grid and the table, rows that do not split and a repeated header row. `pdf_problems(pdf)` reads the
rendered PDF with pdfplumber: the text block (left, right, top, bottom within ±1 mm of the margins), at most
22 body lines of at most 28 characters, a page number at the foot of every page but the cover, no heading
alone at the foot of a page, no empty page, the page count. Each returns a list of problems in words
(empty: the document passes), so a failing test says what is wrong where.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

import docx
from docx.oxml.ns import qn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM_PER_PT = 25.4 / 72
EMU_PER_MM = 36000
PAGE_MM = (210.0, 297.0)
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
STYLE_FONTS = {
    "Normal": ("仿宋_GB2312", 32),
    "Title": ("方正小标宋简体", 44),
    "Heading 1": ("黑体", 32),
    "Heading 2": ("楷体_GB2312", 32),
}
PAGE_NUMBER_HALF_POINTS = "28"  # 4号
LINE_PITCH_TWIPS = 579
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
PAGE_NUMBER = re.compile(r"^— ?(\d+) ?—$")
PAGE_NUMBER_TEXT = re.compile(r"^—(\d+)—$")
HEADING_LINE = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
TOLERANCE_MM = 1.0
HANGING = "，。、；：！？）》」』”’"
BODY_PT = 16.0
LINE_PITCH_MM = 225 / 22


def docx_problems(data: bytes, cover: bool = True) -> list[str]:
    """What in the .docx departs from the official layout (empty: nothing)."""
    doc = docx.Document(io.BytesIO(data))
    problems: list[str] = []
    problems += _page_problems(doc)
    problems += _style_problems(doc)
    problems += _run_problems(doc)
    problems += _font_table_problems(data)
    problems += _footer_problems(doc, cover)
    problems += _table_problems(doc)
    problems += _heading_problems(doc)
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    if ISO_DATE.search(text):
        problems.append(f"a date not written in words: {ISO_DATE.search(text).group(0)}")
    return problems


def _mm(length: int | None) -> float:
    return (length or 0) / EMU_PER_MM


def _page_problems(doc: docx.document.Document) -> list[str]:
    out = []
    for n, section in enumerate(doc.sections, start=1):
        size = (_mm(section.page_width), _mm(section.page_height))
        if any(abs(a - b) > 0.5 for a, b in zip(size, PAGE_MM, strict=True)):
            out.append(f"section {n}: page {size[0]:.1f} × {size[1]:.1f} mm, not A4")
        for side, expected in MARGINS_MM.items():
            got = _mm(getattr(section, f"{side}_margin"))
            if abs(got - expected) > 0.5:
                out.append(f"section {n}: {side} margin {got:.1f} mm, not {expected:g} mm")
        grid = section._sectPr.find(qn("w:docGrid"))
        pitch = grid.get(qn("w:linePitch")) if grid is not None else None
        kind = grid.get(qn("w:type")) if grid is not None else None
        if kind not in ("lines", "linesAndChars") or pitch is None or abs(int(pitch) - LINE_PITCH_TWIPS) > 2:
            out.append(f"section {n}: no 22-line grid (docGrid type {kind}, pitch {pitch})")
    return out


def _style_problems(doc: docx.document.Document) -> list[str]:
    out = []
    for name, (font, half_points) in STYLE_FONTS.items():
        rpr = doc.styles[name].element.rPr
        fonts = rpr.rFonts if rpr is not None else None
        east = fonts.get(qn("w:eastAsia")) if fonts is not None else None
        if east != font:
            out.append(f"style {name}: East Asian font {east}, not {font}")
        if fonts is not None and fonts.get(qn("w:eastAsiaTheme")) is not None:
            out.append(f"style {name}: a theme font overrides {font}")
        size = rpr.find(qn("w:sz")) if rpr is not None else None
        if size is None or size.get(qn("w:val")) != str(half_points):
            got = size.get(qn("w:val")) if size is not None else None
            out.append(f"style {name}: size {got} half-points, not {half_points}")
    defaults = doc.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    if defaults is None or defaults.get(qn("w:eastAsia")) != STYLE_FONTS["Normal"][0]:
        out.append("document defaults: no 仿宋_GB2312 East Asian font")
    return out


def _parts(doc: docx.document.Document) -> Iterable[tuple[str, object]]:
    yield "body", doc.element.body
    for n, section in enumerate(doc.sections, start=1):
        for kind in ("footer", "even_page_footer", "first_page_footer", "header", "even_page_header"):
            part = getattr(section, kind)
            if not part.is_linked_to_previous:
                yield f"section {n} {kind}", part._element


def _run_problems(doc: docx.document.Document) -> list[str]:
    out = []
    for where, element in _parts(doc):
        bare = [r for r in element.iter(f"{W}r") if _east_asian(r) is None and _has_text(r)]
        if bare:
            text = "".join(t.text or "" for t in bare[0].iter(f"{W}t"))
            out.append(f"{where}: {len(bare)} runs without an East Asian font, e.g. {text[:20]!r}")
    return out


def _east_asian(run: object) -> str | None:
    fonts = run.find(f"{W}rPr/{W}rFonts")  # type: ignore[attr-defined]
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def _has_text(run: object) -> bool:
    return any((t.text or "").strip() for t in run.iter(f"{W}t"))  # type: ignore[attr-defined]


def _font_table_problems(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        table = archive.read("word/fontTable.xml").decode("utf-8")
    missing = [f for f, _ in STYLE_FONTS.values() if f'w:name="{f}"' not in table]
    out = [f"font table: {name} not declared" for name in missing]
    if "w:altName" not in table:
        out.append("font table: no fallback (w:altName) for the official fonts")
    return out


def _footer_text(element: object) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t")).strip()  # type: ignore[attr-defined]


def _footer_problems(doc: docx.document.Document, cover: bool) -> list[str]:
    out = []
    settings = doc.settings.element
    if settings.find(qn("w:evenAndOddHeaders")) is None:
        out.append("settings: odd and even pages share one footer (no w:evenAndOddHeaders)")
    sections = list(doc.sections)
    body = sections[1:] if cover else sections
    if cover:
        if len(sections) < 2:
            return [*out, "no cover section: the cover would carry a page number"]
        first = sections[0]
        for kind in ("footer", "even_page_footer"):
            part = getattr(first, kind)._element
            if list(part.iter(f"{W}instrText")):
                out.append(f"cover: a page number in its {kind}")
        start = body[0]._sectPr.find(qn("w:pgNumType"))
        if start is None or start.get(qn("w:start")) != "1":
            out.append("body: pages not counted from 1 after the cover")
    for n, section in enumerate(body, start=len(sections) - len(body) + 1):
        for kind, align in (("footer", "right"), ("even_page_footer", "left")):
            part = getattr(section, kind)
            element = part._element
            fields = [el.text.strip() for el in element.iter(f"{W}instrText")]
            if fields != ["PAGE"]:
                out.append(f"section {n} {kind}: fields {fields}, not one PAGE field")
                continue
            paragraph = part.paragraphs[0]
            text = _footer_text(paragraph._p)
            if not PAGE_NUMBER.match(text):
                out.append(f"section {n} {kind}: page number reads {text!r}, not '— 1 —'")
            jc = paragraph.paragraph_format.alignment
            if jc is None or jc.name.lower() != align:
                out.append(f"section {n} {kind}: page number aligned {jc}, not {align}")
            for run in paragraph._p.iter(f"{W}r"):
                size = run.find(f"{W}rPr/{W}sz")
                if _east_asian(run) != "宋体" or size is None or size.get(qn("w:val")) != PAGE_NUMBER_HALF_POINTS:
                    out.append(f"section {n} {kind}: page number not in 4号 宋体")
                    break
    return out


def _table_problems(doc: docx.document.Document) -> list[str]:
    out = []
    for n, table in enumerate(doc.tables, start=1):
        tbl = table._tbl
        cols = [int(c.get(qn("w:w")) or 0) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
        width = tbl.tblPr.find(qn("w:tblW"))
        total = int(width.get(qn("w:w")) or 0) if width is not None and width.get(qn("w:type")) == "dxa" else 0
        if not all(cols) or abs(sum(cols) - total) > len(cols):
            out.append(f"table {n}: grid columns sum {sum(cols)} twips, table width {total} (set both)")
        if sum(cols) > 156.5 * 56.7:
            out.append(f"table {n}: {sum(cols) / 56.7:.0f} mm wide, wider than the 156 mm text block")
        rows = tbl.findall(qn("w:tr"))
        split = sum(1 for r in rows if r.find(f"{W}trPr/{W}cantSplit") is None)
        if split:
            out.append(f"table {n}: {split} rows may split across pages (no cantSplit)")
        if len(cols) <= 20 and len(rows) > 2 and rows[0].find(f"{W}trPr/{W}tblHeader") is None:
            out.append(f"table {n}: header row not repeated on each page")
    return out


def _heading_problems(doc: docx.document.Document) -> list[str]:
    out = []
    for paragraph in doc.paragraphs:
        if paragraph.style.name.startswith("Heading") and paragraph.text.strip():
            keep = paragraph.paragraph_format.keep_with_next
            if keep is None:
                keep = paragraph.style.paragraph_format.keep_with_next
            if not keep:
                out.append(f"heading {paragraph.text[:20]!r} not kept with the next paragraph")
    return out


def pdf_problems(pdf: bytes, cover: bool = True, pages: tuple[int, int] = (1, 99)) -> list[str]:
    """What in the rendered PDF departs from the official layout (empty: nothing)."""
    import pdfplumber

    out: list[str] = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        count = len(document.pages)
        if not pages[0] <= count <= pages[1]:
            out.append(f"{count} pages, expected {pages[0]} to {pages[1]}")
        for number, page in enumerate(document.pages, start=1):
            out += [f"page {number}: {p}" for p in _page(page, number, cover)]
    return out


def _lines(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into lines by their top (to 0.5 pt), top to bottom."""
    lines: dict[float, list[dict]] = {}
    for c in chars:
        key = round(c["top"] * 2) / 2
        near = next((k for k in lines if abs(k - key) <= 1.0), key)
        lines.setdefault(near, []).append(c)
    return [sorted(lines[k], key=lambda c: c["x0"]) for k in sorted(lines)]


def _page(page: object, number: int, cover: bool) -> list[str]:
    out = []
    width, height = page.width * MM_PER_PT, page.height * MM_PER_PT  # type: ignore[attr-defined]
    if abs(width - PAGE_MM[0]) > 1 or abs(height - PAGE_MM[1]) > 1:
        out.append(f"{width:.0f} × {height:.0f} mm, not A4")
    chars = [c for c in page.chars if c["text"].strip()]  # type: ignore[attr-defined]
    if not chars:
        return [*out, "empty page"]
    foot = [c for c in chars if c["top"] * MM_PER_PT > PAGE_MM[1] - MARGINS_MM["bottom"] + 2]
    head = [c for c in chars if c["bottom"] * MM_PER_PT < MARGINS_MM["top"] - 2]
    block = [c for c in chars if c not in foot and c not in head]
    out += _number_problems(foot, number, cover)
    if not block:
        return out
    left = min(c["x0"] for c in block) * MM_PER_PT
    # Word and LibreOffice let a closing punctuation mark hang into the margin (允许标点溢出边界, on by default)
    right = max(c["x1"] for c in block if c["text"] not in HANGING) * MM_PER_PT
    top = min(c["top"] for c in block) * MM_PER_PT
    bottom = max(c["bottom"] for c in block) * MM_PER_PT
    if left < MARGINS_MM["left"] - TOLERANCE_MM:
        out.append(f"text starts {left:.1f} mm from the left edge, left of the 28 mm margin")
    if right > PAGE_MM[0] - MARGINS_MM["right"] + TOLERANCE_MM:
        out.append(f"text ends {PAGE_MM[0] - right:.1f} mm from the right edge, inside the 26 mm margin")
    if top < MARGINS_MM["top"] - TOLERANCE_MM:
        out.append(f"text starts {top:.1f} mm from the top, above the 37 mm margin")
    if bottom > PAGE_MM[1] - MARGINS_MM["bottom"] + TOLERANCE_MM:
        out.append(f"text ends {PAGE_MM[1] - bottom:.1f} mm from the bottom, inside the 35 mm margin")
    body = _lines([c for c in block if abs(c["size"] - BODY_PT) < 0.6])
    lines = _lines(block)
    if body:
        # a body line on the first grid line: its glyphs centred in the 10.2 mm pitch below the 37 mm margin
        first = min(c["top"] for c in body[0]) * MM_PER_PT
        expected = MARGINS_MM["top"] + (LINE_PITCH_MM - BODY_PT * MM_PER_PT) / 2
        first_is_body = lines[0][0]["top"] == body[0][0]["top"]
        if first_is_body and not (cover and number == 1) and abs(first - expected) > TOLERANCE_MM:
            out.append(f"first body line at {first:.1f} mm, expected {expected:.1f} mm ± 1")
        full = [line for line in body if line[0]["x0"] * MM_PER_PT < MARGINS_MM["left"] + TOLERANCE_MM]
        if full:
            starts = [line[0]["x0"] * MM_PER_PT for line in full]
            if any(abs(s - MARGINS_MM["left"]) > TOLERANCE_MM for s in starts):
                out.append(f"body lines start at {min(starts):.1f} mm, not 28 mm ± 1")
        if len(body) > 22:
            out.append(f"{len(body)} body lines, more than 22")
        long = [line for line in body if sum(1 for c in line if _wide(c["text"])) > 28]
        if long:
            out.append(f"a body line of {len(long[0])} characters, more than 28")
        last = "".join(c["text"] for c in lines[-1])
        if HEADING_LINE.match(last) and lines[-1][0]["top"] == body[-1][0]["top"]:
            out.append(f"a heading alone at the foot of the page: {last[:20]!r}")
    return out


def _wide(text: str) -> bool:
    return bool(text) and ord(text[0]) > 0x2E80


def _number_problems(foot: list[dict], number: int, cover: bool) -> list[str]:
    text = "".join(c["text"] for c in sorted(foot, key=lambda c: c["x0"]))
    match = PAGE_NUMBER_TEXT.match(text.replace(" ", ""))
    if cover and number == 1:
        return [f"a page number {text!r} on the cover"] if text else []
    if not match:
        return [f"page number {text!r} at the foot, not '— n —'"]
    shown = int(match.group(1))
    x0 = min(c["x0"] for c in foot) * MM_PER_PT
    x1 = max(c["x1"] for c in foot) * MM_PER_PT
    out = []
    expected = number - 1 if cover else number
    if shown != expected:
        out.append(f"page number {shown}, expected {expected}")
    if shown % 2 == 1 and abs((PAGE_MM[0] - MARGINS_MM["right"] - 14 * MM_PER_PT) - x1) > 2:
        out.append(f"odd page number ends {PAGE_MM[0] - x1:.1f} mm from the right edge, not one character in")
    if shown % 2 == 0 and abs((MARGINS_MM["left"] + 14 * MM_PER_PT) - x0) > 2:
        out.append(f"even page number starts {x0:.1f} mm from the left edge, not one character in")
    size = max(c["size"] for c in foot)
    if abs(size - 14) > 0.6:
        out.append(f"page number in {size:.1f} pt, not 4号 (14 pt)")
    return out
