"""Inspector consistency: agreement per domain and per inspector, leanings, and schools that overrate themselves.

How far inspectors agree (exact agreement, Krippendorff's ordinal alpha) over the cycle, per domain and
per inspector; who rates systematically higher or lower than their teams; which schools overrate
themselves most against the inspection.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.bureau import charts
from ui.bureau.consistency import BIAS_POINTS, MIN_UNITS, Consistency, consistency, values
from ui.bureau.data import cycle_data, inspector_names
from ui.bureau.downloads import download
from ui.calibration_ui import band_short, bands_block, flagged_block
from ui.context import current
from ui.text import plain, tr


def render() -> None:
    """Draw the agreement figures of the cycle."""
    ctx = current()
    st.title(tr("bureau.page.consistency"))
    cycle = ctx.cycle
    if cycle is None:
        st.info(tr("app.cycle.none"))
        return
    st.caption(plain(tr("bureau.consistency.caption", name=cycle.name)))
    data, names = cycle_data(ctx, cycle), inspector_names(ctx)
    tables = consistency(data, names, ctx.lang)
    if tables.overall.units == 0:
        st.info(tr("bureau.consistency.none"))
    else:
        agreement_block(tables)
        bands_block(tables.overall.alpha)  # issue 14: what the alpha means, against 0.667 / 0.800
        inspectors_block(tables)
        flagged_block(ctx, values(data), names)  # issue 14: who crosses the bureau's limits
    overrating_block(tables.overrating)


def agreement_block(tables: Consistency) -> None:
    """Overall and per domain."""
    found = tables.overall
    cols = st.columns(4)
    cols[0].metric(tr("bureau.col.exact"), "—" if pd.isna(found.exact) else f"{100 * found.exact:.1f}%")
    cols[1].metric(tr("bureau.col.alpha"), "—" if pd.isna(found.alpha) else f"{found.alpha:.3f}")
    cols[2].metric(tr("bureau.col.units"), found.units)
    cols[3].metric(tr("bureau.col.pairs"), found.pairs)
    st.subheader(tr("bureau.consistency.by_domain"))
    domains = tables.domains.copy()
    domains[tr("calibration.col.band")] = [band_short(a) for a in domains[tr("bureau.col.alpha")]]
    st.dataframe(domains, hide_index=True, width="stretch", placeholder="—")
    download(domains, tr("bureau.file.agreement_domains"), "consistency.domains")
    bars = pd.DataFrame({"label": domains[tr("app.col.domain")], "value": domains[tr("bureau.col.exact")]})
    st.altair_chart(charts.hbar(bars, tr("bureau.col.exact"), "", domain=(0, 100)), width="stretch")


def inspectors_block(tables: Consistency) -> None:
    """Per inspector, their leaning against the team, and per inspector and domain."""
    st.subheader(tr("bureau.consistency.by_inspector"))
    st.caption(tr("bureau.consistency.bias_rule", points=f"{BIAS_POINTS:g}", units=MIN_UNITS))
    frame = tables.inspectors.copy()
    frame[tr("calibration.col.band")] = [band_short(a) for a in frame[tr("bureau.col.alpha")]]
    st.dataframe(frame, hide_index=True, width="stretch", placeholder="—")
    download(frame, tr("bureau.file.agreement_inspectors"), "consistency.inspectors")
    ordered = frame.sort_values(tr("bureau.col.bias"), ascending=False)
    bars = pd.DataFrame({"label": ordered[tr("bureau.col.inspector")], "value": ordered[tr("bureau.col.bias")]})
    st.altair_chart(charts.hbar(bars, tr("bureau.col.bias"), ""), width="stretch")
    st.subheader(tr("bureau.consistency.matrix"))
    st.dataframe(tables.matrix.style.format("{:.1f}", na_rep="—"), width="stretch", placeholder="—")
    download(tables.matrix, tr("bureau.file.agreement_matrix"), "consistency.matrix", index=True)


def overrating_block(frame: pd.DataFrame) -> None:
    """The schools that rate themselves highest above the inspection."""
    st.subheader(tr("bureau.consistency.overrating"))
    st.caption(tr("bureau.consistency.overrating_help"))
    if frame.empty:
        st.info(tr("bureau.consistency.no_overrating"))
        return
    st.dataframe(frame, hide_index=True, width="stretch", placeholder="—")
    download(frame, tr("bureau.file.overrating"), "consistency.overrating")
    bars = pd.DataFrame(
        {
            "label": frame[tr("app.col.code")] + " " + frame[tr("app.col.school")],
            "value": frame[tr("bureau.col.overrating")],
        }
    )
    st.altair_chart(charts.hbar(bars, tr("bureau.col.overrating"), ""), width="stretch")


if __name__ == "__main__":
    render()
