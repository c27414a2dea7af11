"""Drawing helpers shared by pages: messages, status, an item's text and rubric, evidence lists.

`guarded` wraps every widget callback, so that a refusal or bad input becomes a message in the
user's language on the next drawing, and never a stack trace.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec

import streamlit as st

from criteria.models import CheckItem, QuantitativeItem, RubricItem
from store.records import EvidenceLink, Status
from ui import state
from ui.context import AppCtx
from ui.text import error_lines, plain, tr

P = ParamSpec("P")
AnyItem = RubricItem | QuantitativeItem | CheckItem
KINDS = {"error": st.error, "warning": st.warning, "info": st.info, "success": st.success}
ICONS = {
    "error": ":material/error:",
    "warning": ":material/warning:",
    "info": ":material/info:",
    "success": ":material/check_circle:",
}


def guarded(fn: Callable[P, Any]) -> Callable[P, None]:
    """A callback whose errors are kept as messages for the next drawing of the page."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        if state.expired():
            return  # the run that follows signs the idle session out; nothing is done on its behalf
        try:
            fn(*args, **kwargs)
        except Exception as error:  # every failure becomes words; Streamlit's reruns are BaseException
            for line in error_lines(error):
                state.flash("error", line)

    return run


def show_flashes() -> None:
    """Draw and forget the messages kept by callbacks: one box per kind, and a toast seen wherever one scrolled."""
    grouped: dict[str, list[str]] = {}
    for kind, text in state.take_flashes():
        grouped.setdefault(kind, []).append(plain(text))
    for kind, lines in grouped.items():
        KINDS.get(kind, st.info)("\n\n".join(lines))
        st.toast(
            lines[0] if len(lines) == 1 else tr("app.flash.many", first=lines[0], n=len(lines) - 1), icon=ICONS[kind]
        )


def show_error(error: BaseException) -> None:
    """Draw what went wrong, one line per problem."""
    lines = error_lines(error)
    st.error("\n\n".join(plain(line) for line in lines))


def status_text(status: Status | str) -> str:
    """An assessment status in words."""
    return tr(f"store.status.{Status(status).value}")


def item_title(item: AnyItem, lang: str) -> str:
    """`A1.1.1 title`."""
    return f"{item.id} {item.title.get(lang)}"


def item_caption(item: AnyItem, lang: str) -> str:
    """Clause and points of an item."""
    return tr("app.item.caption", clause=item.clause, points=f"{item.points:g}")


def level_label(item: AnyItem, lang: str) -> Callable[[str], str]:
    """Words for a level id of the item (NA as 'not applicable')."""
    labels = {lv.id: f"{lv.id} {lv.label.get(lang)}" for lv in item.levels}

    def label(level_id: str) -> str:
        return labels.get(level_id) or (tr("level.na") if level_id == "NA" else level_id)

    return label


def level_options(item: AnyItem) -> list[str]:
    """The level ids a rater may pick for the item (NA only where allowed)."""
    return [lv.id for lv in item.levels] + (["NA"] if item.allow_na else [])


def file_size(size: int) -> str:
    """A byte count in KB or MB."""
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(size / 1024, 0.1):.1f} KB"


def evidence_list(
    ctx: AppCtx,
    links: Iterable[EvidenceLink],
    key: str,
    on_delete: Callable[[int], None] | None = None,
) -> None:
    """The attached files, each with a download button (and a remove button where the school may edit)."""
    links = list(links)
    if not links:
        st.caption(tr("app.evidence.none"))
        return
    for link in links:
        cols = st.columns([5, 2, 2] if on_delete else [6, 2], vertical_alignment="center")
        cols[0].markdown(f":material/attach_file: {plain(link.filename)} · {file_size(link.size)}")
        cols[1].download_button(
            tr("app.evidence.download"),
            data=functools.partial(_evidence_bytes, ctx, link.id),
            file_name=link.filename,
            key=f"{key}.dl.{link.id}",
            on_click="ignore",
            icon=":material/download:",
        )
        if on_delete is not None:
            cols[2].button(
                tr("app.evidence.remove"),
                key=f"{key}.rm.{link.id}",
                on_click=guarded(on_delete),
                args=(link.id,),
                icon=":material/delete:",
            )


def _evidence_bytes(ctx: AppCtx, link_id: int) -> bytes:
    """The file's content, read (with the store's permission check) only when the button is pressed."""
    return ctx.services.evidence.read(ctx.user, link_id)[1]
