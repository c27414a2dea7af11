"""Evidence beside the item: a PDF or an image opens inside the scoring page, other types download.

The file's type is the one the store told from its content (`EvidenceLink.kind`), never its name. A
file is read (through the store's permission check) only when the inspector opens it with the switch
beside it, so a page with many files stays fast. A PDF is shown in the browser's own viewer in an
iframe (`st.iframe` over Streamlit's media storage; `st.pdf` needs the extra streamlit-pdf package),
an image with `st.image`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from store.records import EvidenceLink
from ui.context import AppCtx
from ui.text import plain, tr

VIEWABLE = frozenset({"pdf", "jpeg", "png"})
PDF_HEIGHT = 640


def viewable(link: EvidenceLink) -> bool:
    """Whether the file can be shown in the page (PDF, JPEG, PNG)."""
    return link.kind in VIEWABLE


def preview(ctx: AppCtx, link: EvidenceLink, key: str) -> None:
    """A switch that shows the file in the page (nothing for types a browser cannot show inline)."""
    if not viewable(link):
        return
    if not st.toggle(tr("guide.evidence.view", file=plain(link.filename)), key=f"{key}.view.{link.id}"):
        return
    data = ctx.services.evidence.read(ctx.user, link.id)[1]
    if link.kind == "pdf":
        show_pdf(data, link.filename)
    else:
        st.image(data, caption=link.filename, width="stretch")


def show_pdf(data: bytes, name: str) -> None:
    """The PDF in the browser's own viewer, inside the page."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "evidence.pdf"
        path.write_bytes(data)
        st.iframe(path, height=PDF_HEIGHT, alt=name)  # read now into Streamlit's media storage
