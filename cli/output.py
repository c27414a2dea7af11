"""Result tables written out column by column: each distinct value formatted once, the rows joined by pyarrow.

`csv_text(frame)` gives exactly the text of `frame.to_csv(index=False)` (a test holds them equal):
numbers as pandas writes them, missing values empty, a cell quoted when it holds a comma, a quote
or a line break. Each column becomes its distinct words and one code per row; the lines are joined
in pyarrow's compute kernels (`binary_join_element_wise`), so no Python string is made per cell.
Output files get the usual permissions of the user's umask (`cli.common.atomic_output`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SPECIAL = (",", '"', "\n")  # what pandas quotes (its line end is "\n": a lone "\r" is not quoted)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in SPECIAL) else text


def _float_words(values: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Distinct floats as pandas writes them ('' for NaN) and each row's word.

    Scores are rounded to tenths or hundredths, so they are counted as whole numbers of those; any
    other column is sorted by bit pattern, so that -0.0 stays '-0.0' as pandas writes it (comparing
    values would merge it with 0.0).
    """
    import numpy as np

    values = np.ascontiguousarray(values, dtype=np.float64)
    for scale in (10, 100):
        found = _counted_words(values, scale)
        if found is not None:
            return found
    bits, codes = np.unique(values.view(np.int64), return_inverse=True)
    return ["" if v != v else str(float(v)) for v in bits.view(np.float64)], codes.reshape(-1)


def _counted_words(values: np.ndarray, scale: int) -> tuple[list[str], np.ndarray] | None:
    """The words of floats that are all whole numbers of 1/scale (NaN aside), found by counting; None otherwise."""
    import numpy as np

    missing = np.isnan(values)
    present = values[~missing]
    if not len(present) or not np.isfinite(present).all() or float(np.abs(present).max()) > 2.0**40 / scale:
        return None  # (not a score: too large to count in whole tenths)
    keys = np.rint(present * scale)
    if not np.array_equal(keys / scale, present) or bool((np.signbit(present) & (present == 0)).any()):
        return None  # not such numbers, or a -0.0 (which must stay '-0.0')
    low = float(keys.min())
    if float(keys.max()) - low > 1 << 22:
        return None
    offsets = (keys - low).astype(np.int64)
    seen = np.bincount(offsets) > 0
    distinct = np.flatnonzero(seen)
    codes = np.full(len(values), len(distinct), dtype=np.int64)  # a missing value: the last word, ''
    codes[~missing] = (np.cumsum(seen) - 1)[offsets]
    return [str((int(k) + low) / scale) for k in distinct] + [""], codes


def _object_words(values: np.ndarray, quote: bool) -> tuple[list[str], np.ndarray]:
    """Distinct cells of a column of Python objects as text (missing: ''), and each row's word."""
    import numpy as np

    seen: dict[object, int] = {}
    try:  # by type and value, so that True and 1 stay apart
        codes = [seen.setdefault((v.__class__, v), len(seen)) for v in values.tolist()]
        cells = [_cell_text(v) for _, v in seen]
    except TypeError:  # unhashable cells (lists): by their text
        seen = {}
        codes = [seen.setdefault(_cell_text(v), len(seen)) for v in values.tolist()]
        cells = list(seen)
    return [_quoted(c) for c in cells] if quote else cells, np.array(codes, dtype=np.int64)


def _cell_text(value: object) -> str:
    """A cell as pandas writes it: missing values (None, NaN, NA) empty, anything else as str."""
    if value is None or (isinstance(value, float) and value != value) or type(value).__name__ == "NAType":
        return ""
    return str(value)


def _cells(values: object) -> np.ndarray:
    """A column as a numpy array; pandas' own types (nullable integers, categoricals) as objects, cell by cell."""
    import numpy as np

    if hasattr(values, "to_numpy") and not isinstance(values.dtype, np.dtype):
        return values.astype(object).to_numpy()
    return values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)


def column_words(values: object, quote: bool = True) -> tuple[list[str], np.ndarray]:
    """A column (array or Series) as its distinct cells in CSV text (each formatted and quoted once) and each row's."""
    import numpy as np

    values = _cells(values)
    if values.dtype.kind == "f":
        return _float_words(values)
    if values.dtype.kind in "iubU":
        distinct, codes = np.unique(values, return_inverse=True)
        words = [str(v) for v in distinct.tolist()]
        return [_quoted(w) for w in words] if quote else words, codes.reshape(-1)
    return _object_words(values, quote)


def arrow_table(table: Mapping[str, np.ndarray]) -> object:
    """Result arrays by column as an arrow table: numbers as numbers, everything else as text (for Parquet)."""
    import numpy as np
    import pyarrow as pa

    from scoring.buffers import kernel, number_array, texts_of

    arrays = []
    for values in table.values():
        if isinstance(values, pa.DictionaryArray):  # written as plain text, as every other text column
            arrays.append(kernel("take", values.dictionary, values.indices))
            continue
        if isinstance(values, pa.Array):  # text already in arrow
            arrays.append(values)
            continue
        values = np.asarray(values)
        if values.dtype.kind == "f":
            arrays.append(number_array(values.astype(np.float64)))
        elif values.dtype.kind in "iu":
            arrays.append(number_array(values.astype(np.int64)))
        else:
            arrays.append(texts_of(*column_words(values, quote=False)))
    return pa.Table.from_arrays(arrays, names=list(table))


def column_parts(values: object, end: str = "") -> tuple[object, object]:
    """A column's CSV text as (cells, None), a cell per row, or as (distinct cells, a code per row) to be taken.

    A column of text is quoted in arrow, cell by cell (text columns are mostly distinct: names);
    reasons come as distinct texts with a code per row, each text quoted once; other columns are
    worded in Python once per distinct value.
    """
    import numpy as np
    import pyarrow as pa

    from scoring.buffers import number_array, text_array

    if isinstance(values, pa.DictionaryArray):  # distinct texts and a code per row: each text quoted once
        return _quoted_cells(values.dictionary, end), values.indices
    if isinstance(values, pa.Array):  # text already in arrow
        return _quoted_cells(values, end), None
    values = _cells(values)
    if values.dtype.kind == "O":
        try:
            return _quoted_cells(text_array(values.tolist()), end), None
        except TypeError:  # a cell that is not text (a missing value, a number): worded one by one
            pass
    words, codes = column_words(values)
    codes = np.asarray(codes, dtype=np.int64)
    return text_array([w + end for w in words]), number_array(codes, codes < 0)


def _quoted_cells(strings: object, end: str) -> object:
    """Text cells in arrow, each quoted where it holds a comma, a quote or a line break, and `end` added."""
    from pyarrow._compute import MatchSubstringOptions, ReplaceSubstringOptions

    from scoring.buffers import kernel, text_scalar

    quote, empty = text_scalar('"'), text_scalar("")
    special = kernel("match_substring_regex", strings, options=MatchSubstringOptions('[,"\\n]'))
    cells = strings
    if kernel("any", special).as_py():  # (most columns have no cell to quote: two passes saved)
        doubled = kernel("replace_substring", strings, options=ReplaceSubstringOptions('"', '""'))
        quoted = kernel("binary_join_element_wise", quote, doubled, quote, empty)
        cells = kernel("if_else", special, quoted, strings)
    return kernel("binary_join_element_wise", cells, text_scalar(end), empty) if end else cells


LINES_AT_ONCE = 32_768  # rows whose lines are joined together: larger tables are joined in blocks on every core


def csv_parts(
    table: pd.DataFrame | Mapping[str, np.ndarray], block_rows: int = LINES_AT_ONCE
) -> tuple[bytes, list[memoryview]]:
    """A table's UTF-8 CSV as its header line and its data lines in blocks of rows, views of arrow's memory.

    What `frame.to_csv(index=False)` writes, for a frame without its index or arrays by column. Each
    column's distinct cells are worded once; the blocks of lines are then taken and joined in arrow's
    kernels, which let go of the interpreter, a block per core at a time.
    """
    from scoring.buffers import joined_bytes, kernel, text_scalar

    names = list(table.columns) if hasattr(table, "columns") else list(table)
    header = (",".join(_quoted(str(c)) for c in names) + "\n").encode("utf-8")
    rows = len(table) if hasattr(table, "columns") else len(next(iter(table.values()), ()))
    if not rows or not names:
        return header, []
    if hasattr(table, "columns"):
        columns = [table.iloc[:, n] for n in range(len(names))]
    else:
        columns = [table[name] for name in names]
    parts = [column_parts(values) for values in columns[:-1]] + [column_parts(columns[-1], end="\n")]
    comma = text_scalar(",")

    def lines(first: int) -> memoryview:
        count = min(block_rows, rows - first)
        cells = [c.slice(first, count) if k is None else kernel("take", c, k.slice(first, count)) for c, k in parts]
        return joined_bytes(kernel("binary_join_element_wise", *cells, comma))

    from scoring.parallel import map_parts

    return header, map_parts(lines, range(0, rows, block_rows))


def write_csv(path: Path, table: pd.DataFrame | Mapping[str, np.ndarray], prefix: bytes = b"") -> None:
    """The table's CSV written to a file after `prefix` (a byte-order mark), without joining it in memory first."""
    header, blocks = csv_parts(table)
    with path.open("wb") as out:
        out.write(prefix + header)
        for block in blocks:
            out.write(block)


def csv_bytes(table: pd.DataFrame | Mapping[str, np.ndarray]) -> bytes:
    """A table (a frame without its index, or arrays by column) as UTF-8 CSV, as `frame.to_csv(index=False)` does."""
    header, blocks = csv_parts(table)
    return header + b"".join(blocks)


def csv_text(table: pd.DataFrame | Mapping[str, np.ndarray]) -> str:
    """The table as CSV text without an index, as `frame.to_csv(index=False)` writes it."""
    return csv_bytes(table).decode("utf-8")
