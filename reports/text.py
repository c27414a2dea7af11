"""Small text helpers shared by every writer: number display, display width of Chinese text, file names."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def fmt_score(value: float | None) -> str:
    """A score or percentage for display: one decimal, a dash when there is none."""
    if value is None or math.isnan(value):
        return "—"
    return f"{value:.1f}"


def fmt_points(value: float | None) -> str:
    """Points for display: at most two decimals without trailing zeros (1.5, 0.9, 3)."""
    if value is None or math.isnan(value):
        return "—"
    return f"{round(value, 2) + 0.0:g}"


def display_width(text: str) -> int:
    """Columns the text takes in a fixed-width grid: wide (CJK) characters count two, others one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(values: list[str], minimum: float = 6, maximum: float = 60) -> float:
    """An Excel column width for the longest line of the values, wide characters counted twice."""
    longest = max((display_width(line) for v in values for line in str(v).splitlines() or [""]), default=0)
    return float(min(max(longest + 2, minimum), maximum))


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a column `width` characters wide when wrapped (wide characters count two)."""
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in str(text).split("\n"))


def safe_filename(text: str) -> str:
    """A file name without path separators or characters Windows refuses."""
    cleaned = _UNSAFE_NAME.sub("_", text).strip(" .")
    return cleaned or "_"


def doc_date(day: date | None, lang: str = "zh") -> str:
    """A date as official documents write it: 2025年6月1日 (no leading zero); English `1 June 2025`."""
    if day is None:
        return ""
    if lang == "en":
        return f"{day.day} {day:%B} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"
