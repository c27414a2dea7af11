"""The columnar reading path: CSV or Parquet files into dictionary-encoded text columns, without a row of Python.

pyarrow's CSV reader parses the file on every core into dictionary-encoded columns (each distinct
text stored once, rows as integer codes); the checks of `scoring.inputs` then run over the codes. A
column a command does not use (a rating's account and finding for `score`) is never turned into
text. Cells are kept exactly as written (no stripping, no type guessing, empty cells as ''), which is
what the text reader of `scoring.inputs.read_csv_text` gives, so both paths feed the same checks.

Anything unusual in the file (a row with a different number of cells, repeated or empty column
names, a header name with a line break, an empty file) makes `read_columns` return None: the caller then reads
the file with the text reader, whose messages are the ones users have always seen. The bytes are
decoded by the one rule of `i18n.text_files` (UTF-8 with or without BOM, UTF-16, GB18030): UTF-8 is
read in place and checked by pyarrow; anything else is decoded to UTF-8 first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from i18n.problems import InputError, Problem
from i18n.text_files import bom_encoding, decode_table, table_delimiter, utf16_without_bom

PARQUET_SUFFIXES = (".parquet", ".pq")
HEAD_BYTES = 1 << 16


@dataclass(frozen=True)
class TextColumns:
    """Text cells of a table, column by column as categoricals (raw text, '' for empty cells)."""

    names: list[str]  # every column of the file, header names stripped
    cells: dict[str, pd.Categorical]  # the columns that were asked for
    rows: int
    first_line: int = 2  # the file line of the first data row (CSV: after the header; Parquet: row 1)

    @property
    def columns(self) -> list[str]:
        """Column names (as a frame's `columns`)."""
        return self.names


def is_parquet(path: str | Path) -> bool:
    """Whether the file is read as Parquet (by its name)."""
    return Path(path).suffix.lower() in PARQUET_SUFFIXES


def read_columns(
    path: str | Path, wanted: Callable[[list[str]], Sequence[str]], file: str | None = None
) -> TextColumns | None:
    """The columns `wanted(header)` of a CSV or Parquet file, or None when the text reader must read it."""
    path = Path(path)
    file = file or path.name
    if is_parquet(path):
        return _read_parquet(path, wanted, file)
    try:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError:
        return None  # the text reader reports it in its words
    marked = bom_encoding(head)
    if (marked is not None and marked[1] != "UTF-8") or utf16_without_bom(head):
        return _read_decoded(path.read_bytes(), wanted, file)
    header = _header(head)
    if header is None:
        return None
    names, delimiter = header
    try:
        return _read_csv(path, names, delimiter, wanted(names))
    except UnicodeError:
        return _read_decoded(path.read_bytes(), wanted, file)


def _header(head: bytes) -> tuple[list[str], str] | None:
    """Stripped header names and the separator, or None when the header is anything but plain."""
    end = head.find(b"\n")
    if end < 0:
        return None
    line = head[:end].removeprefix(b"\xef\xbb\xbf").rstrip(b"\r")
    if line.count(b'"') % 2:
        return None  # a quoted header name running over a line break: the text reader takes it
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        delimiter = table_delimiter(text, "UTF-8")
    except InputError:
        return None
    try:
        names = [name.strip() for name in next(csv.reader([text], delimiter=delimiter))]
    except csv.Error:
        return None
    if not names or "" in names or len(set(names)) != len(names):
        return None
    return names, delimiter


def _read_decoded(data: bytes, wanted: Callable[[list[str]], Sequence[str]], file: str) -> TextColumns | None:
    """Bytes in another encoding than UTF-8: decoded by the one rule, then read as UTF-8."""
    decoded = decode_table(data, file)  # InputError naming the encoding found when it cannot be read
    utf8 = decoded.text.encode("utf-8")
    header = _header(utf8[:HEAD_BYTES])
    if header is None:
        return None
    names, _ = header
    try:
        return _read_csv(io.BytesIO(utf8), names, decoded.delimiter, wanted(names))
    except UnicodeError:
        return None


def _read_csv(source: object, names: list[str], delimiter: str, wanted: Sequence[str]) -> TextColumns | None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    wanted = [c for c in dict.fromkeys(wanted) if c in names]
    text = pa.dictionary(pa.int32(), pa.string())
    convert = pacsv.ConvertOptions(
        include_columns=wanted,
        column_types={c: text for c in wanted},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    for newlines in (False, True):  # values with line breaks are rare; the reader is faster without them
        parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines)
        read = pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=_block_size(source))
        if isinstance(source, io.BytesIO):
            source.seek(0)
        try:
            table = pacsv.read_csv(source, read_options=read, parse_options=parse, convert_options=convert)
        except pa.ArrowInvalid as error:
            if "UTF8" in str(error) or "UTF-8" in str(error):
                raise UnicodeError(str(error)) from None
            continue
        rows, columns = table.num_rows, {c: table.column(c) for c in wanted}
        del table  # the columns are now the last references to the arrow buffers
        return TextColumns(names, _categoricals(columns), rows)
    return None


def _categoricals(columns: dict[str, object]) -> dict[str, pd.Categorical]:
    """Arrow columns as categoricals, each column's arrow memory given back once it is converted."""
    import pyarrow as pa

    cells = {c: categorical(columns.pop(c)) for c in list(columns)}
    pa.default_memory_pool().release_unused()
    return cells


def _block_size(source: object) -> int:
    """Blocks of 1 to 4 MB (a sixteenth of the file): fewer chunks to join than arrow's 1 MB, both cores still busy."""
    size = len(source.getbuffer()) if isinstance(source, io.BytesIO) else Path(str(source)).stat().st_size
    return int(min(max(size // 16, 1 << 20), 4 << 20))


def categorical(column: object) -> pd.Categorical:
    """A dictionary-encoded (or plain) arrow column as a categorical of its text, without per-row Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    chunks = [c if pa.types.is_dictionary(c.type) else pc.dictionary_encode(c) for c in chunks]
    if not chunks:
        return pd.Categorical([], categories=pd.Index([], dtype="str"))
    if not any(c.null_count for c in chunks):  # one dictionary for all chunks, unified in arrow
        unified = pa.chunked_array(chunks).unify_dictionaries().chunks
        codes = np.concatenate([c.indices.to_numpy() for c in unified])
        words = np.asarray(unified[0].dictionary.to_numpy(zero_copy_only=False), dtype=object)
        return pd.Categorical.from_codes(codes, categories=pd.Index(words, dtype="str"), validate=False)
    dictionaries = [np.asarray(c.dictionary.to_numpy(zero_copy_only=False), dtype=object) for c in chunks]
    inverse, categories = pd.factorize(np.concatenate(dictionaries))
    codes = np.empty(sum(len(c) for c in chunks), dtype=np.int32)
    start = offset = 0
    for chunk, dictionary in zip(chunks, dictionaries, strict=True):
        mapping = inverse[offset : offset + len(dictionary)].astype(np.int32)
        codes[start : start + len(chunk)] = mapping[chunk.indices.to_numpy(zero_copy_only=False)]
        start += len(chunk)
        offset += len(dictionary)
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype="str"))


def _read_parquet(path: Path, wanted: Callable[[list[str]], Sequence[str]], file: str) -> TextColumns:
    """A Parquet file's columns as text (numbers and yes/no written as text, missing cells as '')."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        names = [name.strip() for name in schema.names]
        columns = [c for c in dict.fromkeys(wanted(names)) if c in names]
        raw = {name.strip(): name for name in schema.names}
        table = pq.read_table(path, columns=[raw[c] for c in columns])
    except (OSError, pa.ArrowException) as error:
        found = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError([Problem("fast.parquet.unreadable", {"found": found}, file=file)]) from None
    cells, problems = {}, []
    for name, column in zip(columns, table.columns, strict=True):
        kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            column = pc.cast(column, pa.string()) if not pa.types.is_dictionary(column.type) else column
        elif pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind):
            column = pc.cast(column, pa.string())
        else:
            problems.append(Problem("fast.parquet.not_text", {"column": name, "found": str(kind)}, file=file))
            continue
        column = pc.fill_null(column, "") if not pa.types.is_dictionary(column.type) else column
        cells[name] = categorical(column)
        if pa.types.is_dictionary(column.type) and column.null_count:
            cells[name] = _nulls_as_empty(cells[name], column)
    if problems:
        raise InputError(problems)
    return TextColumns(names, cells, table.num_rows, first_line=1)


def _nulls_as_empty(cat: pd.Categorical, column: object) -> pd.Categorical:
    """Missing cells of a dictionary column as ''."""
    import pyarrow.compute as pc

    missing = pc.is_null(column).to_numpy(zero_copy_only=False)
    values = cat.add_categories([""]) if "" not in cat.categories else cat
    codes = np.asarray(values.codes).copy()
    codes[missing] = values.categories.get_loc("")
    return pd.Categorical.from_codes(codes, categories=values.categories)
