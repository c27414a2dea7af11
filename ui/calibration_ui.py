"""Drawing parts shared by the calibration, consistency, assignment and review pages (issue 14)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import pandas as pd
import streamlit as st

from reports.calibration_report import CalibrationReport, calibration_docx, calibration_xlsx
from scoring.agreement import inspector_profile
from scoring.calibration import alpha_band, flagged
from store.calibration_records import CalibrationRound, Certification, RoundResults
from store.errors import StoreError
from ui import state
from ui.bureau.downloads import download
from ui.context import AppCtx
from ui.services import framework
from ui.text import plain, tr

PREFILL = "calibration.prefill"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def cert_word(cert: Certification | None, today: date) -> str:
    """An inspector's certification in words."""
    return tr("calibration.cert.none") if cert is None else cert.in_words(today, state.lang())


def cert_words(ctx: AppCtx) -> dict[str, str]:
    """Per inspector user name, their certification in words (as the user may see them)."""
    today = date.today()
    try:
        held = ctx.services.calibration.certifications(ctx.user, today)
    except StoreError:
        return {}
    return {name: cert_word(c, today) for name, c in held.items()}


def uncertified(ctx: AppCtx, usernames: Iterable[str]) -> list[str]:
    """The user names among `usernames` without a certification valid today."""
    today = date.today()
    held = ctx.services.calibration.certifications(ctx.user, today)
    return [u for u in dict.fromkeys(usernames) if u not in held or not held[u].valid_on(today)]


def band_words(alpha: float | None) -> str:
    """What an alpha means, in a sentence."""
    return tr(f"calibration.band.{alpha_band(alpha).value}")


def band_short(alpha: float | None) -> str:
    """The band of an alpha in a word."""
    return tr(f"calibration.band.short.{alpha_band(alpha).value}")


def bands_block(alpha: float | None) -> None:
    """The overall alpha against the 0.667 / 0.800 bands, in words."""
    st.subheader(tr("calibration.bands.title"))
    st.caption(tr("calibration.bands.help"))
    text = band_words(alpha)
    band = alpha_band(alpha).value
    {"reliable": st.success, "tentative": st.info, "unreliable": st.warning}.get(band, st.info)(text)


def flagged_block(ctx: AppCtx, values: pd.DataFrame, names: Mapping[str, str]) -> None:
    """The inspectors whose alpha or leaning crosses the bureau's limits, and a way to start a round with them."""
    limits = ctx.services.calibration.settings(ctx.user).limits
    st.subheader(tr("calibration.flagged.title"))
    st.caption(tr("calibration.flagged.help", alpha=f"{limits.alpha_min:.3f}", bias=f"{100 * limits.bias_max:g}%"))
    found = flagged(inspector_profile(values), limits) if not values.empty else pd.DataFrame()
    if found.empty:
        st.info(tr("calibration.flagged.none"))
        return
    why = [
        "；".join([tr("calibration.flagged.why_alpha")] * bool(low) + [tr("calibration.flagged.why_bias")] * bool(lean))
        for low, lean in zip(found["low_alpha"], found["leaning"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            tr("calibration.col.inspector"): [names.get(str(r), str(r)) for r in found["rater"]],
            tr("bureau.col.alpha"): found["alpha"].round(3).to_numpy(),
            tr("calibration.col.band"): [band_short(a) for a in found["alpha"]],
            tr("bureau.col.bias"): (100 * found["bias"]).round(1).to_numpy(),
            tr("calibration.col.why"): why,
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch", placeholder="—")
    download(frame, tr("calibration.flagged.title"), "consistency.flagged")
    raters = [str(r) for r in found["rater"]]
    st.button(
        tr("calibration.flagged.start"),
        key="calibration.flagged.start",
        on_click=_prefill,
        args=(raters,),
        icon=":material/group_add:",
    )


def _prefill(raters: list[str]) -> None:
    st.session_state[PREFILL] = raters
    st.switch_page("ui/pages/bureau_calibration.py")


def report_of(ctx: AppCtx, found: RoundResults, names: Mapping[str, str]) -> CalibrationReport:
    """The report inputs of a round's results."""
    bundle = framework(ctx.services, ctx.user, found.framework_version_id)
    rule = ctx.services.calibration.settings(ctx.user).rule
    return CalibrationReport(
        round_name=found.round.name,
        closed=found.round.closed,
        cases=len(found.round.case_ids),
        result=found.result,
        framework=bundle.framework,
        titles=found.titles,
        rule=rule,
        names=dict(names),
        certified={k: (c.valid_until if c.certified else None) for k, c in found.certifications.items()},
    )


def report_downloads(ctx: AppCtx, found: RoundResults, names: Mapping[str, str]) -> None:
    """The round's calibration report, in Excel and in Word."""
    rep = report_of(ctx, found, names)
    base = f"{tr('calibration.report.file')}_{found.round.name}"
    cols = st.columns(2)
    cols[0].download_button(
        tr("calibration.results.download_xlsx"),
        data=calibration_xlsx(rep, ctx.lang),
        file_name=f"{base}.xlsx",
        mime=XLSX,
        key=f"calibration.dl.xlsx.{found.round.id}",
        on_click="ignore",
        icon=":material/download:",
    )
    cols[1].download_button(
        tr("calibration.results.download_docx"),
        data=calibration_docx(rep, ctx.lang),
        file_name=f"{base}.docx",
        mime=DOCX,
        key=f"calibration.dl.docx.{found.round.id}",
        on_click="ignore",
        icon=":material/download:",
    )


def pct(value: float) -> float | None:
    """A share in percent, one decimal (None when missing)."""
    return None if pd.isna(value) else round(100 * float(value), 1)


def summary_frame(found: RoundResults, names: Mapping[str, str], today: date) -> pd.DataFrame:
    """Per inspector: items, rated, exact %, within one %, alpha, lowest domain %, certification."""
    by = found.result.by_rater()
    lowest = found.result.by_domain("adjacent").min(axis=1)
    return pd.DataFrame(
        {
            tr("calibration.col.inspector"): [names.get(r, r) for r in by["rater"]],
            tr("calibration.col.items"): by["items"].to_numpy(),
            tr("calibration.col.rated"): by["rated"].to_numpy(),
            tr("calibration.col.exact"): [pct(x) for x in by["exact"]],
            tr("calibration.col.adjacent"): [pct(x) for x in by["adjacent"]],
            tr("calibration.col.alpha"): by["alpha"].round(3).to_numpy(),
            tr("calibration.col.min_domain"): [pct(lowest.get(r, float("nan"))) for r in by["rater"]],
            tr("calibration.col.result"): [cert_word(found.certifications.get(r), today) for r in by["rater"]],
        }
    )


def missed_frame(found: RoundResults, item_titles: Mapping[str, str]) -> pd.DataFrame:
    """The items most often rated away from the master level."""
    missed = found.missed if found.missed is not None else found.result.most_missed()
    return pd.DataFrame(
        {
            tr("calibration.col.case"): [found.titles.get(int(c), str(c)) for c in missed["case"]],
            tr("calibration.col.item"): [plain(item_titles.get(str(i), str(i))) for i in missed["item"]],
            tr("calibration.col.master"): missed["master"].to_numpy(),
            tr("calibration.col.missed"): missed["missed"].to_numpy(),
            tr("calibration.col.share"): [pct(x) for x in missed["share"]],
        }
    )


def round_picker(rounds: Sequence[CalibrationRound], key: str) -> int:
    """A select box of calibration rounds, each with its state (open, closed); the chosen round's id."""
    by_id = {r.id: r for r in rounds}
    chosen = st.selectbox(
        tr("calibration.round.pick"),
        options=list(by_id),
        format_func=lambda i: f"{by_id[i].name} · {tr(f'calibration.round.status.{by_id[i].status}')}",
        key=key,
        placeholder=tr("app.choose"),
    )
    return int(chosen)
