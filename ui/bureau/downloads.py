"""Every table and chart's data as a download: CSV with a byte-order mark (Excel reads Chinese), built on click.

Text cells that a spreadsheet would run as a formula get a leading quote (`store.csv_cells`).
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from store.csv_cells import escape_frame
from ui.text import tr

CSV_MIME = "text/csv"


def csv_bytes(frame: pd.DataFrame, index: bool = False) -> bytes:
    """The frame as UTF-8 CSV with a byte-order mark; text cells safe to open in Excel."""
    out = frame.reset_index() if index else frame
    text_columns = [c for c in out.columns if not pd.api.types.is_numeric_dtype(out[c])]
    filled = out.assign(**{str(c): out[c].astype(object).where(out[c].notna(), "") for c in text_columns})
    return escape_frame(filled, text_columns).to_csv(index=False).encode("utf-8-sig")


def download(frame: pd.DataFrame, name: str, key: str, label: str | None = None, index: bool = False) -> None:
    """A button that downloads the frame as `name.csv` (built only when pressed)."""
    st.download_button(
        label or tr("bureau.download.csv"),
        data=functools.partial(csv_bytes, frame, index),
        file_name=f"{name}.csv",
        mime=CSV_MIME,
        key=f"dl.{key}",
        on_click="ignore",
        icon=":material/download:",
    )


def download_bytes(build: functools.partial[bytes], file_name: str, key: str, label: str, mime: str) -> None:
    """A button that builds a file (workbook, zip) only when pressed."""
    st.download_button(
        label,
        data=build,
        file_name=file_name,
        mime=mime,
        key=f"dl.{key}",
        on_click="ignore",
        icon=":material/download:",
    )
