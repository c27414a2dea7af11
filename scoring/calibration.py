"""Calibration of inspectors against master-rated cases: agreement, items most missed, certification, bands.

A calibration round gives every invited inspector the same cases; a panel has set a master level for
each item of each case. Per inspector this module counts

- **exact** agreement: the share of master-rated items where the inspector chose the master's level;
- **adjacent** (exact-or-adjacent, "within one level"): the level is at most one step from the master's
  on the item's ordered levels. Where an item has only two levels (a yes/no check, a two-level rubric)
  one step is the whole scale, so adjacent means exact there. N/A agrees only with N/A;
- the same two figures per domain, and Krippendorff's ordinal alpha of the inspector against the
  master (the two as raters of the items, on the level fractions; N/A left out).

An item the inspector left unrated counts against them (it is neither exact nor adjacent): certification
asks for the whole round. Items scored from facts (quantitative) are never calibrated: nobody judges them.

The certification rule is a convention of the bureau (default after the CLASS observation system:
at least 80 % exact-or-adjacent overall, no domain below 60 % exact-or-adjacent, valid one year).
Alpha bands follow Krippendorff (2004): α ≥ 0.800 customary for reliable ratings, 0.667 the lowest
limit for tentative conclusions.

Pure functions over pandas frames; no database, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from criteria import Framework
from criteria.models import QuantitativeItem
from scoring.agreement import agreement

NA = "NA"
RELIABLE_ALPHA = 0.800
TENTATIVE_ALPHA = 0.667
PAIR_COLUMNS = ("rater", "case", "item", "domain", "master", "level", "exact", "adjacent")


@dataclass(frozen=True)
class CertificationRule:
    """What an inspector must reach in a round to be certified, and for how long it holds."""

    min_adjacent: float = 0.80
    min_domain: float = 0.60
    valid_days: int = 365

    def problems(self) -> list[str]:
        """The fields out of range (shares in [0, 1], at least one day), by name."""
        out = [n for n in ("min_adjacent", "min_domain") if not 0.0 <= float(getattr(self, n)) <= 1.0]
        if int(self.valid_days) < 1 or int(self.valid_days) > 3660:
            out.append("valid_days")
        return out


@dataclass(frozen=True)
class ConsistencyLimits:
    """When the consistency page lists an inspector for a calibration round.

    `alpha_min`: alpha against colleagues below this; `bias_max`: a leaning (mean fraction above or below
    the team, in level-fraction units) beyond this either way.
    """

    alpha_min: float = TENTATIVE_ALPHA
    bias_max: float = 0.05

    def problems(self) -> list[str]:
        """The fields out of range, by name."""
        out = [] if -1.0 <= float(self.alpha_min) <= 1.0 else ["alpha_min"]
        return out + ([] if 0.0 <= float(self.bias_max) <= 1.0 else ["bias_max"])


class Band(StrEnum):
    """Where an alpha lies against the customary limits."""

    RELIABLE = "reliable"
    TENTATIVE = "tentative"
    UNRELIABLE = "unreliable"
    UNKNOWN = "unknown"


def alpha_band(alpha: float | None) -> Band:
    """Reliable at ≥ 0.800, tentative at ≥ 0.667, else unreliable; unknown without a value."""
    if alpha is None or not np.isfinite(alpha):
        return Band.UNKNOWN
    if alpha >= RELIABLE_ALPHA:
        return Band.RELIABLE
    return Band.TENTATIVE if alpha >= TENTATIVE_ALPHA else Band.UNRELIABLE


def flagged(profile: pd.DataFrame, limits: ConsistencyLimits) -> pd.DataFrame:
    """The inspectors of a profile (rater, alpha, bias, …) whose alpha or leaning crosses the limits.

    Adds `low_alpha` and `leaning` (booleans); a missing alpha is not a low one.
    """
    frame = profile.copy()
    alpha = pd.to_numeric(frame["alpha"], errors="coerce")
    bias = pd.to_numeric(frame["bias"], errors="coerce")
    frame["low_alpha"] = (alpha < limits.alpha_min).fillna(False).astype(bool)
    frame["leaning"] = (bias.abs() > limits.bias_max).fillna(False).astype(bool)
    return frame[frame["low_alpha"] | frame["leaning"]].reset_index(drop=True)


@dataclass(frozen=True)
class Scale:
    """The calibrated items of a framework: each level's position, fraction and whether one step is adjacent."""

    position: dict[tuple[str, str], int]
    fraction: dict[tuple[str, str], float]
    domain: dict[str, str]
    graded: dict[str, bool]
    order: tuple[str, ...]

    @classmethod
    def of(cls, framework: Framework) -> Scale:
        """The rater-judged items (rubric and check) of the framework."""
        position, fraction, domain, graded, order = {}, {}, {}, {}, []
        for d in framework.domains:
            for ind in d.indicators:
                for item in ind.items:
                    if isinstance(item, QuantitativeItem):
                        continue
                    for i, lv in enumerate(item.levels):
                        position[(item.id, lv.id)] = i
                        fraction[(item.id, lv.id)] = float(lv.fraction)
                    domain[item.id] = d.id
                    graded[item.id] = len(item.levels) >= 3
                    order.append(item.id)
        return cls(position, fraction, domain, graded, tuple(order))

    def table(self) -> pd.DataFrame:
        """One row per (item, level): position (0 the best) and fraction."""
        keys = list(self.position)
        return pd.DataFrame(
            {
                "item": [k[0] for k in keys],
                "level": [k[1] for k in keys],
                "position": [self.position[k] for k in keys],
                "fraction": [self.fraction[k] for k in keys],
            }
        )

    def levels_of(self, item_id: str) -> list[str]:
        """The level ids of an item, best first."""
        return [lv for (i, lv), _ in sorted(self.position.items(), key=lambda kv: kv[1]) if i == item_id]


@dataclass(frozen=True)
class RoundResult:
    """A round compared with its master levels: one row per inspector × master-rated item, and summaries."""

    pairs: pd.DataFrame
    raters: tuple[str, ...]
    domains: tuple[str, ...]
    alphas: dict[str, float] = field(default_factory=dict)

    def by_rater(self) -> pd.DataFrame:
        """Per inspector: master-rated items, rated, exact and adjacent shares, alpha against the master."""
        p = self.pairs
        g = p.groupby("rater", sort=False)
        out = pd.DataFrame(
            {
                "items": g.size(),
                "rated": g["rated"].sum() if "rated" in p else g["level"].agg(lambda s: int((s != "").sum())),
                "exact": g["exact"].mean(),
                "adjacent": g["adjacent"].mean(),
            }
        ).reindex(list(self.raters))
        out["items"] = out["items"].fillna(0).astype(int)
        out["rated"] = out["rated"].fillna(0).astype(int)
        out["alpha"] = [self.alphas.get(r, float("nan")) for r in out.index]
        return out.rename_axis("rater").reset_index()

    def by_domain(self, measure: str = "adjacent") -> pd.DataFrame:
        """Inspectors × domains: the share of `measure` ("exact" or "adjacent") within each domain."""
        table = self.pairs.pivot_table(index="rater", columns="domain", values=measure, aggfunc="mean", observed=True)
        return table.reindex(index=list(self.raters), columns=list(self.domains)).astype(float)

    def most_missed(self, limit: int | None = 10) -> pd.DataFrame:
        """The items most often rated away from the master: case, item, master, raters, missed, share."""
        p = self.pairs
        if p.empty:
            return pd.DataFrame(columns=["case", "item", "domain", "master", "raters", "missed", "share"])
        g = p.groupby(["case", "item"], sort=False)
        out = g.agg(domain=("domain", "first"), master=("master", "first"), raters=("rater", "size"))
        out["missed"] = out["raters"] - g["exact"].sum().astype(int)
        out["share"] = out["missed"] / out["raters"]
        out = out.reset_index().sort_values(["share", "case", "item"], ascending=[False, True, True], kind="stable")
        out = out[out["missed"] > 0]
        return (out.head(limit) if limit else out).reset_index(drop=True)

    def certify(self, rule: CertificationRule) -> pd.DataFrame:
        """Per inspector: passed or not, the figures the rule looks at, and what fell short (codes)."""
        summary = self.by_rater()
        domains = self.by_domain("adjacent")
        rows = []
        for r in summary.itertuples(index=False):
            mine = domains.loc[r.rater] if r.rater in domains.index else pd.Series(dtype=float)
            low = [str(d) for d, v in mine.items() if np.isfinite(v) and v < rule.min_domain]
            adjacent = float(r.adjacent) if np.isfinite(r.adjacent) else 0.0
            short = (["adjacent"] if adjacent < rule.min_adjacent or r.items == 0 else []) + [
                f"domain:{d}" for d in low
            ]
            finite = mine[np.isfinite(mine.to_numpy())] if len(mine) else mine
            rows.append(
                {
                    "rater": r.rater,
                    "passed": not short,
                    "exact": float(r.exact) if np.isfinite(r.exact) else 0.0,
                    "adjacent": adjacent,
                    "min_domain": float(finite.min()) if len(finite) else float("nan"),
                    "low_domains": tuple(low),
                    "short": tuple(short),
                }
            )
        return pd.DataFrame(
            rows, columns=["rater", "passed", "exact", "adjacent", "min_domain", "low_domains", "short"]
        )


def compare_round(
    framework: Framework,
    master: pd.DataFrame,
    ratings: pd.DataFrame,
    raters: Iterable[str] | None = None,
    *,
    with_alpha: bool = True,
) -> RoundResult:
    """Compare inspectors' levels with the master levels.

    `master`: columns case, item, level (level id or NA) — items scored from facts are ignored;
    `ratings`: columns rater, case, item, level; `raters`: every invited inspector (those who rated
    nothing included, with no agreement), default those in `ratings`.
    """
    scale = Scale.of(framework)
    m = master[master["item"].astype(str).isin(scale.domain)][["case", "item", "level"]].copy()
    m = m.astype({"item": str, "level": str}).rename(columns={"level": "master"})
    m = m[m["master"] != ""]
    given = list(dict.fromkeys(raters if raters is not None else ratings["rater"].astype(str)))
    r = ratings[["rater", "case", "item", "level"]].astype({"rater": str, "item": str, "level": str})
    r = r[r["rater"].isin(given)]
    grid = pd.DataFrame({"rater": np.repeat(given, len(m))})
    for col in ("case", "item", "master"):
        grid[col] = np.tile(m[col].to_numpy(), len(given))
    pairs = grid.merge(r, on=["rater", "case", "item"], how="left")
    pairs["level"] = pairs["level"].fillna("").astype(str)
    pairs["domain"] = pairs["item"].map(scale.domain)
    pairs["exact"] = (pairs["level"] == pairs["master"]).to_numpy()
    pairs["rated"] = (pairs["level"] != "").to_numpy()
    table = scale.table()
    mine = pairs[["item", "level"]].merge(table, on=["item", "level"], how="left")
    theirs = pairs[["item", "master"]].merge(
        table.rename(columns={"level": "master"}), on=["item", "master"], how="left"
    )
    p_mine, p_theirs = mine["position"].to_numpy(dtype=float), theirs["position"].to_numpy(dtype=float)
    graded = pairs["item"].map(scale.graded).fillna(False).to_numpy(dtype=bool)
    with np.errstate(invalid="ignore"):
        near = (np.abs(p_mine - p_theirs) <= 1) & graded  # NaN (N/A, unrated, unknown) is never near
    pairs["adjacent"] = pairs["exact"].to_numpy() | near
    pairs["f_mine"], pairs["f_master"] = mine["fraction"].to_numpy(), theirs["fraction"].to_numpy()
    present = set(pairs["domain"].unique())
    domains = tuple(d for d in dict.fromkeys(scale.domain.values()) if d in present)
    alphas = _alphas(pairs) if with_alpha else {}
    return RoundResult(pairs[[*PAIR_COLUMNS, "rated"]].reset_index(drop=True), tuple(given), domains, alphas)


def _alphas(pairs: pd.DataFrame) -> dict[str, float]:
    """Per inspector, ordinal alpha of their levels against the master's (on fractions, N/A left out)."""
    rated = pairs[pairs["f_mine"].notna() & pairs["f_master"].notna()]
    unit = pd.factorize(rated["case"].astype(str) + "\x1f" + rated["item"])[0]
    out: dict[str, float] = {}
    for rater, rows in rated.groupby("rater", sort=False).indices.items():
        u = unit[rows]
        values = pd.DataFrame(
            {
                "unit": np.concatenate([u, u]),
                "fraction": np.concatenate([rated["f_mine"].to_numpy()[rows], rated["f_master"].to_numpy()[rows]]),
            }
        )
        out[str(rater)] = agreement(values).alpha
    return out


def master_problems(
    framework: Framework, stages: Sequence[str], levels: dict[str, str], *, complete: bool = False
) -> list[tuple[str, str, str]]:
    """What is wrong with a case's master levels: (item, problem code, found) for each bad entry.

    Codes: `unknown_item`, `computed_item` (scored from facts), `not_applicable` (item does not apply to the
    case's stages), `bad_level`, `na_not_allowed`, and with `complete`, `missing` for each applicable item
    without a level.
    """
    items = {i.id: i for i in framework.items()}
    wanted = set(stages)
    out = []
    for item_id, level in levels.items():
        item = items.get(item_id)
        if item is None:
            out.append((item_id, "unknown_item", item_id))
        elif isinstance(item, QuantitativeItem):
            out.append((item_id, "computed_item", item_id))
        elif not wanted & {s.value for s in item.applies_to}:
            out.append((item_id, "not_applicable", item_id))
        elif level == NA and not item.allow_na:
            out.append((item_id, "na_not_allowed", level))
        elif level != NA and level not in {lv.id for lv in item.levels}:
            out.append((item_id, "bad_level", level))
    if complete:
        for item in framework.items():
            applies = wanted & {s.value for s in item.applies_to}
            if applies and not isinstance(item, QuantitativeItem) and item.id not in levels:
                out.append((item.id, "missing", ""))
    return out
