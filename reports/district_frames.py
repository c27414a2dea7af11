"""The tables of the district workbook as frames: schools × domains, ranking, tier distribution, agreement.

Pure (no file writing), so the app can show the same tables on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from i18n.catalog import t
from reports.content import stage_words
from scoring.agreement import Agreement, agreement, agreement_by, inspector_profile, inspector_values
from scoring.engine import DistrictResult
from scoring.facts import STAGE_LABELS
from scoring.targets import TargetStatus


@dataclass(frozen=True)
class TargetRow:
    """A district target of the plan as the caller computed it: clause, name, target, current value, met."""

    clause: str
    name: str
    target: str | float
    current: str | float
    met: bool | None


def target_rows_of(statuses: Sequence[TargetStatus], lang: str = "zh") -> list[TargetRow]:
    """The plan's targets as measured by `scoring.targets.district_targets` (the bureau page's core), as rows."""
    return [
        TargetRow(
            s.target.clause,
            s.target.label(lang),
            s.target.goal_text(lang),
            round(s.value, 1) if s.value is not None else t("bureau.met.unknown", lang),
            s.met,
        )
        for s in statuses
    ]


@dataclass(frozen=True)
class AgreementTables:
    """Inspector agreement over the cycle, by domain, and per inspector."""

    overall: Agreement
    by_domain: pd.DataFrame
    profile: pd.DataFrame


def agreement_tables(result: DistrictResult) -> AgreementTables:
    """Agreement computed from the inspectors' ratings of the result, domains by id."""
    values = inspector_values(result)
    by_domain = agreement_by(values, "domain")
    by_domain["domain"] = [result.compiled.domain_ids[int(d)] for d in by_domain["domain"]]
    return AgreementTables(agreement(values), by_domain, inspector_profile(values))


def ranks(scores: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Rank by score, best first, equal scores sharing the better rank; NaN where there is no score."""
    series = pd.Series(np.where(present, scores, np.nan))
    return series.rank(method="min", ascending=False).to_numpy()


def school_table(result: DistrictResult, lang: str) -> pd.DataFrame:
    """One row per school: identity, both views' totals and tiers, the gap, rank, inspection domain %, reasons."""
    facts = result.facts
    s, i = result.self_view, result.inspection
    words = cache(lambda text: stage_words(text, lang))
    out = pd.DataFrame(
        {
            "rank": ranks(i.score_100, i.present),
            "school_code": facts.index.astype(str),
            "school_name": facts["school_name"].astype(str).to_numpy(),
            "stages": [words(str(v)) for v in facts["stages"]],
            "street": facts["street"].astype(str).to_numpy() if "street" in facts else "",
            "inspection_score": np.where(i.present, i.score_100, np.nan),
            "inspection_tier": _tier_names(result, i.tier_index, i.present, lang),
            "self_score": np.where(s.present, s.score_100, np.nan),
            "self_tier": _tier_names(result, s.tier_index, s.present, lang),
            "overrating": result.overrating,
            "inspection_unrated": np.where(i.present, i.unrated.sum(axis=1), 0),
        }
    )
    for d, domain_id in enumerate(result.compiled.domain_ids):
        out[domain_id] = np.where(i.present, i.domain_pct[:, d], np.nan)
    out["reasons"] = result.to_frame(lang)["reasons"].to_numpy()
    return out


def _tier_names(result: DistrictResult, index: np.ndarray, present: np.ndarray, lang: str) -> np.ndarray:
    names = np.array([result.tier_name(-1, lang), *(tier.name.get(lang) for tier in result.compiled.framework.tiers)])
    return np.where(present, names[index + 1], t("result.no_ratings", lang))


def ranking(table: pd.DataFrame) -> pd.DataFrame:
    """The inspected schools by rank (ties by code), then the others."""
    return table.sort_values(["rank", "school_code"], na_position="last", kind="stable").reset_index(drop=True)


def tier_counts(result: DistrictResult, lang: str) -> pd.DataFrame:
    """Schools per tier (none, then each tier) in each view, over the schools that have ratings in it."""
    names = [result.tier_name(-1, lang), *(tier.name.get(lang) for tier in result.compiled.framework.tiers)]
    out = pd.DataFrame({"tier": names})
    for view_name in ("inspection", "self"):
        v = result.view(view_name)
        out[view_name] = np.bincount(v.tier_index[v.present] + 1, minlength=len(names))
    return out


def stage_tier_counts(result: DistrictResult, lang: str) -> pd.DataFrame:
    """Inspected schools per stage and tier (a school of several stages counts under each)."""
    from scoring.metrics import STAGE_COLUMNS

    i = result.inspection
    names = [result.tier_name(-1, lang), *(tier.name.get(lang) for tier in result.compiled.framework.tiers)]
    rows = []
    for stage, column in STAGE_COLUMNS.items():
        mask = result.facts[column].to_numpy(dtype=bool) & i.present
        counts = np.bincount(i.tier_index[mask] + 1, minlength=len(names))
        rows.append([STAGE_LABELS[stage][1 if lang == "en" else 0], *counts.tolist()])
    return pd.DataFrame(rows, columns=["stage", *names])


def domain_means(result: DistrictResult, lang: str) -> pd.DataFrame:
    """The mean domain percentage over the schools rated in each view."""
    fw = result.compiled.framework
    out = pd.DataFrame({"domain": [f"{d.id} {d.title.get(lang)}" for d in fw.domains]})
    for view_name in ("self", "inspection"):
        v = result.view(view_name)
        pct = v.domain_pct[v.present]
        with np.errstate(invalid="ignore"):
            out[view_name] = np.nanmean(pct, axis=0) if len(pct) else np.nan
    return out


def key_figures(result: DistrictResult) -> dict[str, float]:
    """Counts and means of the cycle: schools, assessed, inspected, pass rate, model schools, means."""
    s, i = result.self_view, result.inspection
    inspected = int(i.present.sum())
    reached = i.tier_index[i.present]
    return {
        "schools": len(result.schools),
        "self_assessed": int(s.present.sum()),
        "inspected": inspected,
        "pass_rate": float((reached >= 0).mean() * 100) if inspected else np.nan,
        "top_tier": int((reached == len(result.compiled.framework.tiers) - 1).sum()),
        "mean_score": float(np.nanmean(i.score_100[i.present])) if inspected else np.nan,
        "mean_overrating": float(np.nanmean(result.overrating)) if np.isfinite(result.overrating).any() else np.nan,
    }
