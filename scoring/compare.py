"""Comparisons for the bureau: re-scoring under another version, one school across cycles, side by side.

Re-scoring under another framework version, one school across cycles, and two to six schools side
by side; district-wide rankings, tier counts and weakest items are in `scoring.district`.

Everything here reads a `DistrictResult` (and its facts) and returns new objects and frames; no result
given is changed. Level cells are shown as the level id, `NA` (rated not applicable), `—` (does not
apply to the school's stages) or `` (not rated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from criteria.diff import compatible_items
from criteria.models import NA, Framework, Item, QuantitativeItem
from scoring.compiled import NOT_APPLICABLE, RATED_NA, UNRATED, CompiledFramework
from scoring.engine import DistrictResult, score_district
from scoring.levels import ROLE_CODES

NOT_APPLICABLE_MARK = "—"
UNRATED_MARK = ""
SIDE_BY_SIDE_RANGE = (2, 6)
NO_TIER = "none"

# ----------------------------------------------------------------------------------------- level words


def level_words(compiled: CompiledFramework) -> np.ndarray:
    """[items, levels + 3] text of each level code: `table[item, code]`.

    Codes run 0.. for the item's levels; the negative codes -1 (unrated), -2 (rated N/A) and -3 (not
    applicable) index the last three columns, as negative indexes do.
    """
    width = int(compiled.n_levels.max()) + 3
    table = np.full((compiled.n_items, width), UNRATED_MARK, dtype=object)
    for n, ids in enumerate(compiled.level_ids):
        table[n, : len(ids)] = ids
    table[:, width + RATED_NA] = NA
    table[:, width + NOT_APPLICABLE] = NOT_APPLICABLE_MARK
    table[:, width + UNRATED] = UNRATED_MARK
    return table


def tier_ids(result: DistrictResult, view: str = "inspection") -> pd.Series:
    """School code → the highest tier id reached in a view, `none` for none, `` without ratings."""
    v = result.view(view)
    ids = np.array([NO_TIER, *(tier.id for tier in result.compiled.framework.tiers)], dtype=object)
    return pd.Series(np.where(v.present, ids[v.tier_index + 1], ""), index=result.schools, name="tier")


# ----------------------------------------------------------------------------------------- (a) re-scoring


def decode_ratings(result: DistrictResult) -> pd.DataFrame:
    """The ratings a result was scored from, back in long form: school_code, item_id, rater, role, level."""
    enc = result.ratings
    roles = np.empty(len(ROLE_CODES), dtype=object)
    for name, code in ROLE_CODES.items():
        roles[code] = name
    return pd.DataFrame(
        {
            "school_code": result.schools.to_numpy(dtype=object)[enc.school],
            "item_id": np.array(result.compiled.item_ids, dtype=object)[enc.item],
            "rater": np.asarray(enc.raters, dtype=object)[enc.rater],
            "role": roles[enc.role],
            "level": level_words(result.compiled)[enc.item, enc.level],
        }
    )


DROP_REASONS = ("removed_item", "computed_item", "na_not_allowed", "unknown_level")
"""Why a rating cannot be carried into another version: the item is gone, it is computed from facts
there, N/A is no longer allowed, or the level id no longer exists."""


def _drop_reason(item: Item | None, level: str) -> str:
    if item is None:
        return "removed_item"
    if isinstance(item, QuantitativeItem):
        return "computed_item"
    if level == NA:
        return "" if item.allow_na else "na_not_allowed"
    return "" if level in {lv.id for lv in item.levels} else "unknown_level"


@dataclass(frozen=True)
class Rescored:
    """A cycle re-scored under another version, and the ratings that could not be carried over."""

    result: DistrictResult
    dropped: pd.DataFrame  # school_code, item_id, rater, role, level, reason
    new_items: tuple[str, ...]  # rated items of the other version the cycle never rated (count as unrated)

    @property
    def removed_item_ratings(self) -> int:
        """How many ratings were of items the other version does not have."""
        return int((self.dropped["reason"] == "removed_item").sum())

    @property
    def lost_levels(self) -> pd.DataFrame:
        """Ratings whose level the other version's item no longer takes."""
        return self.dropped[self.dropped["reason"] != "removed_item"]


def rescore(result: DistrictResult, framework: Framework) -> Rescored:
    """The cycle of `result` scored under `framework`, for comparison only; `result` itself is not changed.

    Computed items are recomputed from the same facts under the other version's rules; the inspection
    team's on-site overrides carry over where the other version's item is computed and has the level.
    """
    ratings = decode_ratings(result)
    items = {item.id: item for item in framework.items()}
    keys = pd.MultiIndex.from_frame(ratings[["item_id", "level"]])
    pairs = keys.unique()
    reasons = np.array([_drop_reason(items.get(i), lv) for i, lv in pairs], dtype=object)
    reason = reasons[pairs.get_indexer(keys)]
    keep = reason == ""
    dropped = ratings[~keep].assign(reason=reason[~keep]).reset_index(drop=True)
    rated_before = set(result.compiled.item_ids)
    new_items = tuple(
        i for i, item in items.items() if i not in rated_before and not isinstance(item, QuantitativeItem)
    )
    rescored = score_district(framework, result.facts, ratings[keep], overrides=result.overrides)
    return Rescored(rescored, dropped, new_items)


def compare_results(before: DistrictResult, after: DistrictResult, view: str = "inspection") -> pd.DataFrame:
    """Per school of `before`: score and tier in both results and the change (after − before)."""
    b, a = before.view(view), after.view(view)
    rows = after.schools.get_indexer(before.schools)
    out = pd.DataFrame(index=before.schools.copy())
    out["school_name"] = before.facts["school_name"].to_numpy()
    out["score_before"] = np.where(b.present, b.score_100, np.nan)
    out["score_after"] = np.where(b.present & (rows >= 0), a.score_100[rows], np.nan)
    out["change"] = out["score_after"] - out["score_before"]
    out["tier_before"] = tier_ids(before, view).to_numpy()
    out["tier_after"] = tier_ids(after, view).reindex(before.schools).fillna("").to_numpy()
    out["tier_changed"] = out["tier_before"] != out["tier_after"]
    return out


# ----------------------------------------------------------------------------------------- (b) across cycles


@dataclass(frozen=True)
class CycleComparison:
    """One school across cycles on the items every cycle's version shares with comparable levels.

    Frames have one column per cycle (in the order given). Domain percentages are each cycle's own
    points on the shared items, grouped by the domains of the last cycle's version.
    """

    school_code: str
    items: tuple[str, ...]
    excluded: tuple[str, ...]
    levels: pd.DataFrame  # item × cycle: level text
    fractions: pd.DataFrame  # item × cycle: fraction, NaN without a level
    domain_pct: pd.DataFrame  # domain × cycle
    score_pct: pd.Series  # cycle → % of the shared items' applicable points


def shared_items(frameworks: Sequence[Framework]) -> tuple[str, ...]:
    """Items every version has with the same level ids in the same order, in the last version's order."""
    last = frameworks[-1]
    shared = set.intersection(*(set(compatible_items(fw, last)) for fw in frameworks))
    return tuple(item.id for item in last.items() if item.id in shared)


def school_across_cycles(
    results: Mapping[str, DistrictResult], school_code: str, view: str = "inspection"
) -> CycleComparison:
    """Levels, fractions and domain percentages of one school in each cycle, on the shared items.

    A cycle where the school is absent or has no rating in the view gives an empty column.
    """
    frameworks = [r.compiled.framework for r in results.values()]
    items = shared_items(frameworks)
    every = dict.fromkeys(i for fw in reversed(frameworks) for i in (x.id for x in fw.items()))
    domain_of = frameworks[-1].domain_of()
    domains = pd.Index(dict.fromkeys(domain_of[i] for i in items), name="domain")
    levels, fractions, pct, score = {}, {}, {}, {}
    for cycle, result in results.items():
        cols = _school_cycle(result, school_code, items, view)
        levels[cycle], fractions[cycle] = cols["level"], cols["fraction"]
        sums = cols[["earned", "possible"]].groupby(np.array([domain_of[i] for i in items])).sum()
        pct[cycle] = _pct(sums["earned"], sums["possible"]).reindex(domains)
        earned, possible = cols["earned"].sum(), cols["possible"].sum()
        score[cycle] = float(100.0 * earned / possible) if possible > 0 else np.nan
    index = pd.Index(items, name="item_id")
    return CycleComparison(
        school_code,
        items,
        tuple(i for i in every if i not in set(items)),
        pd.DataFrame(levels, index=index),
        pd.DataFrame(fractions, index=index),
        pd.DataFrame(pct, index=domains),
        pd.Series(score, name="score_pct"),
    )


def _pct(earned: pd.Series, possible: pd.Series) -> pd.Series:
    """100 × earned / possible, NaN where nothing was possible."""
    return 100.0 * earned / possible.where(possible > 0)


def _school_cycle(result: DistrictResult, code: str, items: tuple[str, ...], view: str) -> pd.DataFrame:
    """Per shared item: level text, fraction, earned and possible points of one school in one result."""
    v = result.view(view)
    if code not in result.schools or not v.present[result.row(code)]:
        empty = {"level": UNRATED_MARK, "fraction": np.nan, "earned": 0.0, "possible": 0.0}
        return pd.DataFrame(empty, index=pd.Index(items))
    n = result.row(code)
    pos = np.array([result.compiled.item_position[i] for i in items], dtype=np.int64)
    codes = v.levels[n, pos]
    fraction = result.compiled.fraction_of(v.levels[n : n + 1])[0, pos]
    return pd.DataFrame(
        {
            "level": level_words(result.compiled)[pos, codes],
            "fraction": np.where(codes >= 0, fraction, np.nan),
            "earned": v.earned_items[n, pos],
            "possible": v.possible_items[n, pos],
        },
        index=pd.Index(items),
    )


# ----------------------------------------------------------------------------------------- (c) side by side


@dataclass(frozen=True)
class SideBySide:
    """Two to six schools in columns: their score and tier, domain percentages, and every item's level."""

    summary: pd.DataFrame  # school × (school_name, stages, score, tier)
    domains: pd.DataFrame  # domain × school: %
    items: pd.DataFrame  # item × (domain, school levels..., differs)


def side_by_side(result: DistrictResult, codes: Sequence[str], view: str = "inspection") -> SideBySide:
    """The schools `codes` side by side; `differs` flags items where the schools with a level disagree."""
    low, high = SIDE_BY_SIDE_RANGE
    if not low <= len(set(codes)) == len(codes) <= high:
        raise ValueError(f"side by side takes {low} to {high} different schools, got {list(codes)}")
    v = result.view(view)
    rows = np.array([result.row(c) for c in codes])
    compiled = result.compiled
    summary = pd.DataFrame(index=pd.Index(list(codes), name="school_code"))
    summary["school_name"] = result.facts["school_name"].to_numpy()[rows]
    summary["stages"] = result.facts["stages"].to_numpy()[rows]
    summary["score"] = np.where(v.present[rows], v.score_100[rows], np.nan)
    summary["tier"] = tier_ids(result, view).to_numpy()[rows]
    present = v.present[rows]
    domains = pd.DataFrame(
        np.where(present[None, :], v.domain_pct[rows].T, np.nan),
        index=pd.Index(compiled.domain_ids, name="domain"),
        columns=list(codes),
    )
    codes_matrix = np.where(present[:, None], v.levels[rows], UNRATED).T  # [items, schools]
    words = level_words(compiled)[np.arange(compiled.n_items)[:, None], codes_matrix]
    items = pd.DataFrame(words, index=pd.Index(compiled.item_ids, name="item_id"), columns=list(codes))
    items.insert(0, "domain", np.array(compiled.domain_ids)[compiled.item_domain])
    items["differs"] = [len(set(row[c >= 0])) > 1 for row, c in zip(words, codes_matrix, strict=True)]
    return SideBySide(summary, domains, items)
