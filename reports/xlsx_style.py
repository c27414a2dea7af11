"""What every Excel writer shares: safe workbook options, formats, typed cell writes, widths for Chinese text.

User text is never turned into a formula or a link: the workbook is opened with
`strings_to_formulas` and `strings_to_urls` off, and text goes through `write_string` anyway.
"""

from __future__ import annotations

import io
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from i18n.catalog import t
from reports.text import column_width, wrapped_lines

WORKBOOK_OPTIONS: dict[str, object] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
}
HEADER_FILL = "#D9E2F3"


def new_workbook(buffer: io.BytesIO, **options: object) -> Workbook:
    """A workbook writing into `buffer` with user text kept as text."""
    return Workbook(buffer, {**WORKBOOK_OPTIONS, **options})


@dataclass(frozen=True)
class Formats:
    """The cell formats of one workbook."""

    title: Format
    header: Format
    label: Format
    text: Format
    wrap: Format
    center: Format
    number: Format
    score: Format
    points: Format
    bad: Format
    good: Format
    date: Format


def formats(book: Workbook) -> Formats:
    """The shared formats, added to `book`."""
    base = {"valign": "top", "font_size": 10}
    return Formats(
        title=book.add_format({"bold": True, "font_size": 14}),
        header=book.add_format(
            {**base, "bold": True, "bg_color": HEADER_FILL, "border": 1, "text_wrap": True, "valign": "vcenter"}
        ),
        label=book.add_format({**base, "bold": True}),
        text=book.add_format(base),
        wrap=book.add_format({**base, "text_wrap": True}),
        center=book.add_format({**base, "align": "center"}),
        number=book.add_format({**base, "num_format": "0"}),
        score=book.add_format({**base, "num_format": "0.0"}),
        points=book.add_format({**base, "num_format": "0.0#"}),
        bad=book.add_format({"bg_color": "#F8CBAD"}),
        good=book.add_format({"bg_color": "#C6EFCE"}),
        date=book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"}),
    )


def write_value(sheet: Worksheet, row: int, col: int, value: object, fmt: Format | None = None) -> None:
    """Text as text, numbers as numbers, NaN, None and '' as an empty cell."""
    if value is None or value == "" or (isinstance(value, numbers.Real) and math.isnan(float(value))):
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime.combine(value, time()), fmt)
    elif isinstance(value, numbers.Real):
        sheet.write_number(row, col, float(value), fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def write_table(
    sheet: Worksheet,
    top: int,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    fmts: Formats,
    cell_formats: Sequence[Format | None] | None = None,
) -> int:
    """A header row and data rows from `top`; returns the row after the last."""
    for c, name in enumerate(header):
        sheet.write_string(top, c, name, fmts.header)
    for r, values in enumerate(rows, start=top + 1):
        for c, value in enumerate(values):
            write_value(sheet, r, c, value, cell_formats[c] if cell_formats else fmts.text)
    return top + 1 + len(rows)


def fit_widths(
    sheet: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    maximum: float = 50,
    first_col: int = 0,
) -> None:
    """Column widths that fit the longest value, a Chinese character counted as two."""
    for c, name in enumerate(header):
        values = [name] + [_shown(row[c]) for row in rows if c < len(row)]
        sheet.set_column(first_col + c, first_col + c, column_width(values, maximum=maximum))


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def print_setup(
    sheet: Worksheet,
    landscape: bool = True,
    *,
    title: str = "",
    lang: str = "zh",
    header_rows: int = 1,
    first_row: int = 0,
) -> None:
    """A4, one page wide, `header_rows` from `first_row` (the table's head) repeated on every page, header, footer.

    The printed header names the document (`title`, e.g. the school) on the left and the sheet on the
    right; the footer the page ("第 1 页，共 3 页"). Called again on a sheet, the last call wins.
    """
    sheet.set_paper(9)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    if header_rows:
        sheet.repeat_rows(first_row, first_row + header_rows - 1)
    sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    sheet.center_horizontally()
    name = sheet.get_name().replace("&", "&&")
    shown = title.replace("&", "&&")[:100]
    sheet.set_header(f"&L&9{shown}&R&9{name}", {"margin": 0.3})
    sheet.set_footer(f"&C&9{t('documents.xlsx.footer', lang)}", {"margin": 0.3})


def print_book(book: Workbook, title: str, lang: str, setups: dict[str, tuple[bool, int]]) -> None:
    """The print setup of every sheet of a workbook: by sheet name (landscape, header rows); others portrait."""
    for sheet in book.worksheets():
        if sheet.get_name() == "meta":
            continue
        landscape, header_rows = setups.get(sheet.get_name(), (False, 0))
        print_setup(sheet, landscape, title=title, lang=lang, header_rows=header_rows)


LINE_POINTS = 13.5  # one line of 10-point text


def fit_row(sheet: Worksheet, row: int, cells: Sequence[tuple[object, float]]) -> None:
    """A row tall enough for its wrapped text: (value, column width) pairs; Excel and WPS do not grow it."""
    lines = max((wrapped_lines(str(v), w) for v, w in cells if v not in (None, "")), default=1)
    if lines > 1:
        sheet.set_row(row, LINE_POINTS * lines)


def close(book: Workbook, buffer: io.BytesIO) -> bytes:
    """Finish the workbook and return its bytes."""
    book.close()
    return buffer.getvalue()
