"""Streamlit's own words in Chinese mode: what the framework draws in English, covered or turned off.

Streamlit has no translation of its widgets. Where a widget takes our words (placeholders) the pages
pass them; what it does not (the uploader's button and its "200MB per file" line, the navigation's
"2 more" overflow button, the date inputs' "yyyy/mm/dd" segments (年/月/日), the multiselect's "Select all" entry) is
covered here: CSS that hides the
English text and writes ours in its place (`::after`), drawn only in Chinese mode so that the English
switch shows Streamlit's own words again. The size limits themselves agree with ours: every uploader
gets our limit (`max_upload_size`) and `.streamlit/config.toml` sets the server's ceiling.
"""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.text import tr


def css(words: dict[str, str]) -> str:
    """The style sheet that writes `words` (keys: upload, more, year, month, day) over Streamlit's English."""
    dates = "\n".join(
        f'[data-testid="stDateInput"] [data-placeholder="true"][data-type="{part}"] {{ font-size: 0; }}\n'
        f'[data-testid="stDateInput"] [data-placeholder="true"][data-type="{part}"]::after '
        f'{{ content: "{words[part]}"; font-size: 0.875rem; }}'
        for part in ("year", "month", "day")
    )
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{words["upload"]}"; font-size: 0.875rem;
}}
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
.rc-overflow-item-rest [data-testid="stTopNavSection"] p {{ font-size: 0; }}
.rc-overflow-item-rest [data-testid="stTopNavSection"] p::after {{ content: "{words["more"]}"; font-size: 1rem; }}
{dates}
</style>"""


def cover_english() -> None:
    """Draw the Chinese cover of Streamlit's English (nothing in English mode)."""
    if state.lang() != "zh":
        return
    st.html(css({k: tr(f"guide.native.{k}") for k in ("upload", "more", "year", "month", "day")}))


def select_all() -> bool:
    """Whether a multiselect offers Streamlit's "Select all" entry (English only: it cannot be translated)."""
    return state.lang() != "zh"
