"""From ratings and facts to level matrices: the self view, the inspection consensus, computed items.

Consensus rule (DESIGN.md): the lead's consensus level where set; otherwise the median of the
inspectors' fractions, the lower of the two middle values for an even count. An item is N/A by
consensus only when more than half of the inspectors who rated it marked it N/A; otherwise N/A votes
are left out of the median.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from criteria.models import QuantitativeItem
from scoring.compiled import RATED_NA, UNRATED, CompiledFramework
from scoring.metrics import METRICS

SOURCE_NONE, SOURCE_CONSENSUS, SOURCE_MEDIAN = 0, 1, 2
_NA_SORT = np.int16(32000)  # N/A votes sort after every level when taking the median


@dataclass(frozen=True)
class EncodedRatings:
    """Ratings as parallel integer arrays (school position, item position, level code, role, rater)."""

    school: np.ndarray
    item: np.ndarray
    level: np.ndarray
    role: np.ndarray  # 0 self, 1 inspector, 2 consensus
    rater: np.ndarray  # codes into raters
    raters: pd.Index


ROLE_CODES = {"self": 0, "inspector": 1, "consensus": 2}


def encode_ratings(compiled: CompiledFramework, schools: pd.Index, ratings: pd.DataFrame) -> EncodedRatings:
    """Checked ratings (see `scoring.inputs.read_ratings`) as arrays; rows naming an unknown school are dropped."""
    vocab, table = compiled.level_vocabulary
    school = schools.get_indexer(ratings["school_code"])
    item = pd.Index(compiled.item_ids).get_indexer(ratings["item_id"])
    level_word = vocab.get_indexer(ratings["level"])
    keep = (school >= 0) & (item >= 0) & (level_word >= 0)
    level = np.where(keep, table[np.clip(item, 0, None), np.clip(level_word, 0, None)], -9)
    keep &= level != -9
    role = pd.Series(ratings["role"]).map(ROLE_CODES).fillna(-1).to_numpy().astype(np.int8)
    rater_codes, raters = pd.factorize(ratings["rater"])
    keep &= role >= 0
    return EncodedRatings(
        school[keep],
        item[keep],
        level[keep].astype(np.int16),
        role[keep],
        rater_codes[keep],
        pd.Index(raters),
    )


def _matrix(n_schools: int, n_items: int, enc: EncodedRatings, role: int) -> np.ndarray:
    """Level codes of one single-valued role (self or consensus); UNRATED where absent."""
    out = np.full((n_schools, n_items), UNRATED, dtype=np.int16)
    rows = enc.role == role
    out[enc.school[rows], enc.item[rows]] = enc.level[rows]
    return out


def self_levels(n_schools: int, n_items: int, enc: EncodedRatings) -> np.ndarray:
    """The school's own level codes."""
    return _matrix(n_schools, n_items, enc, ROLE_CODES["self"])


def inspection_levels(
    n_schools: int, n_items: int, enc: EncodedRatings
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Consensus level codes, where each came from (consensus or median), and how many inspectors rated."""
    consensus = _matrix(n_schools, n_items, enc, ROLE_CODES["consensus"])
    median, counts = _lower_median(n_schools, n_items, enc)
    has_consensus = consensus != UNRATED
    levels = np.where(has_consensus, consensus, median)
    source = np.where(
        has_consensus, SOURCE_CONSENSUS, np.where(median != UNRATED, SOURCE_MEDIAN, SOURCE_NONE)
    )
    return levels, source.astype(np.int8), counts


def _lower_median(n_schools: int, n_items: int, enc: EncodedRatings) -> tuple[np.ndarray, np.ndarray]:
    """Per cell, the inspectors' lower-median level (codes are best first, so the lower fraction is the larger code)."""
    rows = enc.role == ROLE_CODES["inspector"]
    cell = enc.school[rows].astype(np.int64) * n_items + enc.item[rows]
    sort_level = np.where(enc.level[rows] == RATED_NA, _NA_SORT, enc.level[rows])
    order = np.lexsort((sort_level, cell))
    cell, sort_level = cell[order], sort_level[order]
    median = np.full(n_schools * n_items, UNRATED, dtype=np.int16)
    counts = np.zeros(n_schools * n_items, dtype=np.int16)
    if cell.size == 0:
        return median.reshape(n_schools, n_items), counts.reshape(n_schools, n_items)
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    total = np.diff(np.r_[starts, cell.size])
    n_na = np.add.reduceat((sort_level == _NA_SORT).astype(np.int64), starts)
    n_rated = total - n_na
    # Sorted best first, the lower median of n values is at position n // 2.
    pick = sort_level[starts + np.minimum(n_rated // 2, np.maximum(n_rated - 1, 0))]
    value = np.where(2 * n_na > total, RATED_NA, pick)
    median[cell[starts]] = value
    counts[cell[starts]] = total
    return median.reshape(n_schools, n_items), counts.reshape(n_schools, n_items)


def computed_levels(compiled: CompiledFramework, facts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """[schools, quantitative items] level codes from the facts, and the metric values behind them.

    A metric that cannot be computed for a school (NaN) makes the item not applicable to it.
    """
    n = len(facts)
    levels = np.full((n, len(compiled.quantitative)), RATED_NA, dtype=np.int16)
    values = np.full((n, len(compiled.quantitative)), np.nan)
    items = compiled.framework.items()
    for q, pos in enumerate(compiled.quantitative):
        item = items[pos]
        assert isinstance(item, QuantitativeItem)
        rule = item.rule
        value = METRICS[rule.metric].evaluate(facts, rule.params).to_numpy()
        values[:, q] = value
        codes = [compiled.level_index(item.id, th.level) for th in rule.thresholds]
        bounds = np.array([th.bound for th in rule.thresholds[:-1]], dtype=float)
        reached = (
            value[:, None] >= bounds[None, :]
            if rule.direction == "higher"
            else value[:, None] <= bounds[None, :]
        )
        first = np.where(reached.any(axis=1), reached.argmax(axis=1), len(bounds))
        levels[:, q] = np.where(np.isnan(value), RATED_NA, np.asarray(codes)[first])
    return levels, values
