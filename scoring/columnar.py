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

from i18n.problems import InputError, Problem
from i18n.text_files import bom_encoding, decode_table, table_delimiter, utf16_without_bom
from scoring.layout import OPTIONAL_RATING_COLUMNS, RATING_COLUMNS

PARQUET_SUFFIXES = (".parquet", ".pq")
HEAD_BYTES = 1 << 16


@dataclass(frozen=True, eq=False)
class Coded:
    """A column of text as its distinct words and one code per row (what a categorical is, without pandas)."""

    codes: np.ndarray  # [rows] positions into words, never negative (from the reader: the smallest type for them)
    words: np.ndarray  # [distinct] object array of text, each word once

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, row: int) -> str:
        """The text of one row (for messages)."""
        return str(self.words[self.codes[row]])

    def texts(self) -> np.ndarray:
        """Every row's text, as an object array."""
        return self.words[self.codes]

    def stripped(self) -> Coded:
        """The same column with surrounding spaces cut from every word (words that then coincide merged)."""
        cut = [str(w).strip() for w in self.words]
        if cut == list(self.words) and len(set(cut)) == len(cut):
            return self  # nothing to strip (the common case): the codes stand, no copy
        merged: dict[str, int] = {}
        mapping = np.array([merged.setdefault(w, len(merged)) for w in cut], dtype=np.int32)
        return Coded(mapping[self.codes], np.array(list(merged), dtype=object))

    def word_positions(self, known: dict[str, int], dtype: type = np.int32) -> np.ndarray:
        """[distinct] each word's position among `known` words (-1 where it is not one of them)."""
        return np.array([known.get(w, -1) for w in self.words], dtype=dtype)

    def positions_in(self, known: dict[str, int], dtype: type = np.int32) -> np.ndarray:
        """[rows] each row's position among `known` words (-1 where its word is not one of them)."""
        mapping = self.word_positions(known, dtype)
        return mapping[self.codes] if len(mapping) else np.full(len(self.codes), -1, dtype=dtype)

    @staticmethod
    def of_values(values: object, as_text: bool = False) -> Coded:
        """A frame's column (any values) as coded words: each value as its text, a missing cell as ''.

        With `as_text` every cell is first written as text, as the facts reader has always read frames;
        cells that cannot be compared as they are (lists, dicts) are too.
        """
        import pandas as pd

        series = pd.Series(values).reset_index(drop=True)
        try:
            codes, uniques = pd.factorize(series.astype(str) if as_text else series, use_na_sentinel=True)
        except TypeError:  # unhashable cells: by their text
            codes, uniques = pd.factorize(series.astype(str), use_na_sentinel=True)
        words = np.asarray(pd.Index(uniques).astype(str), dtype=object)
        codes = codes.astype(np.int32)
        if (codes < 0).any():
            empty = np.flatnonzero(words == "")
            if not len(empty):
                words, empty = np.append(words, ""), [len(words)]
            codes[codes < 0] = empty[0]
        return Coded(codes, words)


@dataclass(frozen=True)
class TextColumns:
    """Text cells of a table, column by column as coded words (raw text, '' for empty cells)."""

    names: list[str]  # every column of the file, header names stripped
    cells: dict[str, Coded]  # the columns that were asked for
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
        return TextColumns(names, _coded_columns(columns), rows)
    return None


def _coded_columns(columns: dict[str, object]) -> dict[str, Coded]:
    """Arrow columns as coded words, each column's arrow memory given back once it is converted."""
    import pyarrow as pa

    pool = pa.default_memory_pool()
    pool.release_unused()  # the parser's blocks, before the codes are made
    cells = {}
    for name in list(columns):
        cells[name] = coded(columns.pop(name))
        pool.release_unused()  # that column's arrow memory
    return cells


def _block_size(source: object) -> int:
    """Blocks of 1 to 4 MB (a sixteenth of the file): fewer chunks to join than arrow's 1 MB, both cores still busy."""
    size = len(source.getbuffer()) if isinstance(source, io.BytesIO) else Path(str(source)).stat().st_size
    return int(min(max(size // 16, 1 << 20), 4 << 20))


def code_type(words: int) -> type:
    """The smallest integer type for codes of so many words: items, levels and roles take a byte a row."""
    return np.int8 if words <= 127 else np.int16 if words <= 32767 else np.int32


def coded(column: object) -> Coded:
    """A dictionary-encoded (or plain) arrow column of text as coded words, missing cells as ''; no per-row Python.

    The chunks' own dictionaries are numbered into the column's words in one arrow pass over them
    (the dictionaries joined and encoded again), and each chunk's codes are taken through that
    numbering straight into the one array of codes: no unified copy of every chunk's codes.
    """
    import pyarrow as pa

    from scoring.buffers import kernel, nulls, values

    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    chunks = [c if pa.types.is_dictionary(c.type) else kernel("dictionary_encode", c) for c in chunks]
    if not chunks:
        return Coded(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=object))
    distinct = kernel("dictionary_encode", pa.concat_arrays([c.dictionary for c in chunks]))
    numbering = values(distinct.indices).astype(np.int32)
    words = np.array(distinct.dictionary.to_pylist(), dtype=object)
    missing = any(c.null_count for c in chunks) or distinct.null_count  # (Parquet) a missing cell, or word, is ''
    if missing:
        empty = np.flatnonzero(words == "")
        if not len(empty):
            words, empty = np.append(words, ""), [len(words)]
        numbering[nulls(distinct)] = empty[0]
    numbering = numbering.astype(code_type(len(words)), copy=False)  # (a column of few words: a byte a row)
    codes = np.empty(sum(len(c) for c in chunks), dtype=numbering.dtype)
    start = first = 0
    for chunk in chunks:
        part, local = codes[start : start + len(chunk)], numbering[first : first + len(chunk.dictionary)]
        if len(local):  # (what a null cell's code holds is undefined: clipped here, set to '' below)
            np.take(local, values(chunk.indices), out=part, mode="clip")
        else:  # every cell of the chunk is null
            part[:] = 0
        start, first = start + len(chunk), first + len(chunk.dictionary)
    if missing:
        codes[np.concatenate([nulls(c) for c in chunks])] = empty[0]
    return Coded(codes, words)


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
        cells[name] = coded(column)
    if problems:
        raise InputError(problems)
    return TextColumns(names, cells, table.num_rows, first_line=1)


def file_columns(
    source: str | Path, wanted: Callable[[list[str]], Sequence[str]], file: str, as_text: bool
) -> TextColumns:
    """A file's columns by the columnar path, else (an uneven row, an odd header) through the text reader.

    `as_text`: how the text reader's cells become words (see `Coded.of_values`), as each reader always did.
    """
    columns = read_columns(source, wanted, file)
    if columns is not None:
        return columns
    from scoring.inputs import frame_columns, read_csv_text  # the rare path: pandas' reader, as always

    return frame_columns(read_csv_text(source), text=as_text)


def rating_columns(source: str | Path, file: str | None = None, texts: bool = True) -> TextColumns:
    """A ratings file's columns, unchecked (they need the framework and the schools): the part that reads the file.

    Nothing here needs the framework, so a command can read the ratings while it loads the framework and the facts.
    """
    wanted = (*RATING_COLUMNS, *(OPTIONAL_RATING_COLUMNS if texts else ()))
    return file_columns(source, lambda names: wanted, file or Path(source).name, as_text=False)
