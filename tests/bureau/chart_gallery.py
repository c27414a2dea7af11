"""A Streamlit page that draws every bureau chart for `?n=` schools (`?chart=` for one), for screenshots.

Run by tests/browser/test_browser_charts.py with `streamlit run tests/bureau/chart_gallery.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from chartkit import frames

n = int(st.query_params.get("n", "7"))
only = st.query_params.get("chart")
st.set_page_config(layout="wide")
for name, chart in frames(n).items():
    if only and name != only:
        continue
    with st.container(key=f"chart-{name}"):
        st.markdown(f"**{name} · {n}**")
        st.altair_chart(chart, width="stretch")
