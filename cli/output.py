"""Result tables written out column by column: each distinct value formatted once, the rows joined by pyarrow.

`csv_text(frame)` gives exactly the text of `frame.to_csv(index=False)` (a test holds them equal):
numbers as pandas writes them, missing values empty, a cell quoted when it holds a comma, a quote
or a line break. Each column becomes its distinct words and one code per row; the lines are joined
in pyarrow's compute kernels (`binary_join_element_wise`), so no Python string is made per cell.
Output files get the usual permissions of the user's umask (`cli.common.atomic_output`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SPECIAL = (",", '"', "\n", "\r")


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in SPECIAL) else text


def column_words(values: pd.Series) -> tuple[list[str], np.ndarray]:
    """A column's distinct cells as CSV text and, per row, the position of its word (missing: the last word '')."""
    import numpy as np
    import pandas as pd

    if pd.api.types.is_float_dtype(values.dtype):
        # by bit pattern, so that -0.0 stays '-0.0' as pandas writes it (factorizing values would merge it with 0.0)
        codes, bits = pd.factorize(values.to_numpy(dtype=np.float64).view(np.int64))
        words = ["" if v != v else str(float(v)) for v in np.asarray(bits, dtype=np.int64).view(np.float64)]
        return words, codes
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    if pd.api.types.is_bool_dtype(values.dtype):
        words = [str(bool(v)) for v in distinct]
    else:
        words = [_quoted(str(v)) for v in distinct]
    return [*words, ""], np.where(codes < 0, len(words), codes)


def column_cells(values: pd.Series) -> object:
    """A column's cells as a pyarrow array of CSV text, each distinct value formatted (and quoted) once."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    if pd.api.types.is_string_dtype(values.dtype) and pd.api.types.infer_dtype(values, skipna=True) in (
        "string",
        "empty",
    ):
        encoded = pc.dictionary_encode(pc.fill_null(pa.chunked_array([pa.array(values, type=pa.large_string())]), ""))
        encoded = encoded.combine_chunks() if isinstance(encoded, pa.ChunkedArray) else encoded
        words = encoded.dictionary
        special = pc.match_substring_regex(words, '[,"\\n\\r]')
        quote = pa.scalar('"', text)
        quoted = pc.binary_join_element_wise(quote, pc.replace_substring(words, '"', '""'), quote, pa.scalar("", text))
        return pc.take(pc.if_else(special, quoted, words), encoded.indices)
    words, codes = column_words(values)
    return pc.take(pa.array(words, type=text), pa.array(codes.astype(np.int64)))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV without its index, as `frame.to_csv(index=False)` writes it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    header = (",".join(_quoted(str(c)) for c in frame.columns) + "\n").encode("utf-8")
    if not len(frame) or not len(frame.columns):
        return header
    cells = [column_cells(frame[column]) for column in frame.columns]
    text = pa.large_string()
    lines = pc.binary_join_element_wise(*cells, pa.scalar(",", text))
    lines = pc.binary_join_element_wise(lines, pa.scalar("", text), pa.scalar("\n", text))  # each line and its end
    return header + _values(lines)


def _values(strings: object) -> bytes:
    """The concatenated bytes of a (large) string array: its value buffer between the first and last offsets."""
    import numpy as np
    import pyarrow as pa

    array = strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[array.offset : array.offset + len(array) + 1]
    return array.buffers()[2].to_pybytes()[int(offsets[0]) : int(offsets[-1])]


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text without its index, as `frame.to_csv(index=False)` writes it."""
    return csv_bytes(frame).decode("utf-8")
