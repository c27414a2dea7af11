"""Text files as Chinese offices save them: the one place that decides how the bytes of a CSV are read.

Every CSV door of the toolkit (facts, ratings, register, assignments, accounts, the CLI, the app's
uploads) hands its bytes to `decode_table`. The rule is a strict cascade, no guessing by statistics:

1. a byte-order mark names the encoding: UTF-8 (Excel's "CSV UTF-8"), UTF-16 (Excel's "Unicode
   text", tab-separated), UTF-32;
2. without one, a UTF-16 file is recognised by its first character being ASCII with a zero byte
   beside it (every CSV format of the toolkit starts with an ASCII column name);
3. then UTF-8, strictly;
4. then GB18030, strictly: the superset of GBK (code page 936), which is what Excel's
   "CSV (逗号分隔)" writes on a Simplified-Chinese Windows.

One guard keeps a UTF-8 file with a few damaged bytes from being read as GB18030 (which would
silently turn every Chinese name into other characters): when nearly all of the file's non-ASCII
text is valid UTF-8, it is refused as damaged UTF-8, with the line of the first bad byte. A file that
no step reads is refused with a message naming what was found (the encoding, an Excel workbook, ...).

The columns are separated by commas, or by tabs when the first line has tabs and no comma.
This module is neutral: no pandas, no files; the readers of `scoring.inputs` build on it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from i18n.problems import InputError, Problem

BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "xlsx"),  # a zip: an Excel or WPS workbook saved as .xlsx
    (b"\xd0\xcf\x11\xe0", "xls"),  # an OLE file: an old .xls workbook
    (b"%PDF", "pdf"),
)
DAMAGED_UTF8_SHARE = 0.05  # at most this share of the non-ASCII characters undecodable: damaged UTF-8, not GBK


@dataclass(frozen=True)
class DecodedTable:
    """A table file's text, the encoding it was read with (a display name) and its column separator."""

    text: str
    encoding: str
    delimiter: str


def bom_encoding(head: bytes) -> tuple[str, str] | None:
    """The codec (for the bytes after the mark) and display name a byte-order mark at the start names, or None."""
    for bom, codec, name in BOMS:
        if head.startswith(bom):
            return codec, name
    return None


def _bom_length(data: bytes) -> int:
    return next((len(bom) for bom, _, _ in BOMS if data.startswith(bom)), 0)


def decode_table(data: bytes, file: str | None = None) -> DecodedTable:
    """The bytes of a CSV file as text (see the module's rule), or InputError naming what was found."""
    text, name = decode_text(data, file)
    return DecodedTable(text, name, table_delimiter(text, name, file))


def decode_text(data: bytes, file: str | None = None) -> tuple[str, str]:
    """The bytes as text and the display name of their encoding, or InputError naming what was found."""
    marked = bom_encoding(data[:4])
    if marked is not None:
        codec, name = marked
        try:
            return data[_bom_length(data) :].decode(codec), name
        except UnicodeDecodeError as error:
            raise _bad_bytes(data, error, name, file, "fast.file.bad_bytes_marked", codec) from None
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            raise InputError([Problem(f"fast.file.{kind}", {}, file=file)])
    unmarked = utf16_without_bom(data)
    if unmarked is not None:
        try:
            return data.decode(unmarked), "UTF-16"
        except UnicodeDecodeError as error:
            raise _bad_bytes(data, error, "UTF-16", file, "fast.file.bad_bytes_marked", unmarked) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as error:
        first = error
    if _damaged_utf8(data):
        raise _bad_bytes(data, first, "UTF-8", file, "fast.file.bad_bytes_utf8") from None
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        raise _bad_bytes(data, first, "UTF-8", file, "fast.file.not_text") from None


def table_delimiter(text: str, encoding: str, file: str | None = None) -> str:
    """',' or, when the first line has tabs and no comma, a tab; InputError when it has neither."""
    header = text[: text.find("\n")] if "\n" in text else text
    if "," in header:
        return ","
    if "\t" in header:
        return "\t"
    if not text.strip():
        return ","  # an empty file: the CSV reader says so in its own words
    raise InputError([Problem("fast.file.no_columns", {"encoding": encoding}, file=file)])


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the first character is ASCII with a zero byte beside it."""
    if len(data) < 4 or len(data) % 2:
        return None
    if data[1] == 0 and data[3] == 0 and 0 < data[0] < 0x80 and 0 < data[2] < 0x80:
        return "utf-16-le"
    if data[0] == 0 and data[2] == 0 and 0 < data[1] < 0x80 and 0 < data[3] < 0x80:
        return "utf-16-be"
    return None


def _damaged_utf8(data: bytes) -> bool:
    """Whether nearly all non-ASCII text of the bytes is valid UTF-8 (a few damaged bytes, not another encoding)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii > 0 and bad <= DAMAGED_UTF8_SHARE * non_ascii


def _bad_bytes(
    data: bytes, error: UnicodeDecodeError, encoding: str, file: str | None, key: str, codec: str = "utf-8"
) -> InputError:
    """The problem of an undecodable byte: its line and the bytes found there."""
    skip = _bom_length(data) if codec != "utf-8" or data.startswith(codecs.BOM_UTF8) else 0
    start, end = error.start + skip, error.end + skip
    line = data[skip:start].decode(codec, errors="replace").count("\n") + 1
    found = " ".join(f"{b:02X}" for b in data[start : min(end, start + 4)])
    return InputError([Problem(key, {"encoding": encoding, "line": line, "found": found}, file=file)])
