"""Result tables written out column by column: each distinct value formatted once, rows joined by array operations.

`csv_text(frame)` gives exactly the text of `frame.to_csv(index=False)` (a test holds them equal):
numbers as pandas writes them, missing values empty, a cell quoted when it holds a comma, a quote
or a line break. Output files get the usual permissions of the user's umask (`write_output`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SPECIAL = (",", '"', "\n", "\r")


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in SPECIAL) else text


def column_cells(values: pd.Series) -> np.ndarray:
    """A column's cells as CSV text (object array), each distinct value formatted once."""
    import numpy as np
    import pandas as pd

    if pd.api.types.is_float_dtype(values.dtype):
        # by bit pattern, so that -0.0 stays '-0.0' as pandas writes it (factorizing values would merge it with 0.0)
        codes, bits = pd.factorize(values.to_numpy(dtype=np.float64).view(np.int64))
        words = ["" if v != v else str(float(v)) for v in np.asarray(bits, dtype=np.int64).view(np.float64)]
        return np.array(words, dtype=object)[codes]
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    if pd.api.types.is_bool_dtype(values.dtype):
        words = [str(bool(v)) for v in distinct]
    else:
        words = [_quoted(str(v)) for v in distinct]
    table = np.array([*words, ""], dtype=object)  # the last one for missing values (code -1)
    return table[codes]


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text without its index, as `frame.to_csv(index=False)` writes it."""
    header = ",".join(_quoted(str(c)) for c in frame.columns)
    if not len(frame):
        return header + "\n"
    columns = [column_cells(frame[c]).tolist() for c in frame.columns]
    return header + "\n" + "\n".join(map(",".join, zip(*columns, strict=True))) + "\n"
