"""The view and the school filters the bureau's district pages share (stage, street or town, ownership).

A widget whose option words depend on the language is keyed per language (`lang_key`): after a switch
of language the browser sends back the old words, which the new options would not know.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from criteria import Stage
from scoring.district import filter_schools
from store.records import Ownership
from ui import native, state
from ui.bureau.data import VIEWS, CycleData, View
from ui.bureau.labels import catalog_words, stage_word
from ui.text import tr

VIEW_KEY = "bureau.view"


def lang_key(key: str) -> str:
    """The key of a widget whose option words are in the session's language."""
    return f"{key}.{state.lang()}"


def view_picker(key: str = VIEW_KEY) -> View:
    """Which results to show: official (finalized), every inspection rating so far, or self-assessments."""
    return st.radio(
        tr("bureau.view.label"),
        options=list(VIEWS),
        format_func=catalog_words("bureau.view."),
        key=lang_key(key),
        horizontal=True,
        help=tr("bureau.view.help"),
    )


def school_filters(data: CycleData, lang: str, key: str = "bureau.f") -> pd.Index:
    """Stage, street and ownership pickers; the codes of the schools that pass them (all when none is picked)."""
    facts = data.facts
    cols = st.columns(3)
    stages = cols[0].multiselect(
        tr("bureau.filter.stage"),
        options=[s.value for s in Stage],
        format_func=lambda s: stage_word(s, lang),
        key=lang_key(f"{key}.stage"),
        placeholder=tr("bureau.filter.all"),
        select_all=native.select_all(),
    )
    streets = sorted({str(s) for s in facts["street"] if str(s)})
    chosen_streets = cols[1].multiselect(
        tr("bureau.filter.street"),
        options=streets,
        key=f"{key}.street",
        placeholder=tr("bureau.filter.all"),
        select_all=native.select_all(),
    )
    owners = cols[2].multiselect(
        tr("bureau.filter.ownership"),
        options=[o.value for o in Ownership],
        format_func=catalog_words("bureau.ownership."),
        key=lang_key(f"{key}.owner"),
        placeholder=tr("bureau.filter.all"),
        select_all=native.select_all(),
    )
    return filter_schools(facts, stages or None, chosen_streets or None, owners or None)
