"""CSV cells safe to open in Excel: text that a spreadsheet would run as a formula gets a leading quote.

Export: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return, or with quotes
followed by one of them, is written with one more `'` in front (Excel shows `'=...` as the text
`=...`, and never runs it). Import: exactly one leading `'` is removed from a cell that starts with
one or more quotes followed by one of those characters. Both directions together give back every
text exactly, a cell that really starts with `'=` included.

Only text columns are escaped: numbers (facts) are written as numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd

TRIGGERS = "=+-@\t\r"
QUOTE = "'"
_NEEDS_QUOTE = re.compile(rf"^'*[{re.escape(TRIGGERS)}]")
_QUOTED = re.compile(rf"^'+[{re.escape(TRIGGERS)}]")


def escape_cell(text: str) -> str:
    """The cell as written for a spreadsheet: one more leading quote where a formula could start."""
    return QUOTE + text if _NEEDS_QUOTE.match(text) else text


def unescape_cell(text: str) -> str:
    """The cell as it was before `escape_cell`: one leading quote less where it was added."""
    return text[1:] if _QUOTED.match(text) else text


def escape_frame(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of the frame with the text `columns` escaped (columns it lacks are skipped)."""
    return _apply(frame, columns, escape_cell)


def unescape_frame(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """A copy of the frame of text cells with `columns` (default: every column) unescaped."""
    return _apply(frame, frame.columns if columns is None else columns, unescape_cell)


def _apply(frame: pd.DataFrame, columns: Iterable[str], fn: Callable[[str], str]) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = out[column].astype(str).map(fn).astype("str")
    return out
