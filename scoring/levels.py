"""From ratings and facts to level matrices: the self view, the inspection consensus, computed items.

Consensus rule (DESIGN.md): the lead's consensus level where set; otherwise the median of the
inspectors' fractions, the lower of the two middle values for an even count. An item is N/A by
consensus only when more than half of the inspectors who rated it marked it N/A; otherwise N/A votes
are left out of the median.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from criteria.models import QuantitativeItem
from scoring.columnar import Coded
from scoring.compiled import RATED_NA, UNRATED, CompiledFramework
from scoring.metrics import METRICS, reachable_values
from scoring.school_facts import SchoolFacts

if TYPE_CHECKING:
    import pandas as pd

SOURCE_NONE, SOURCE_CONSENSUS, SOURCE_MEDIAN = 0, 1, 2


@dataclass(frozen=True)
class EncodedRatings:
    """Ratings as parallel integer arrays (school position, item position, level code, role, rater)."""

    school: np.ndarray
    item: np.ndarray
    level: np.ndarray
    role: np.ndarray  # 0 self, 1 inspector, 2 consensus
    rater: np.ndarray  # codes into raters
    raters: np.ndarray  # object array of rater names
    _by_role: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def of_role(self, role: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """School, item and level arrays of one role's rows (every role split at once on first use, then reused)."""
        if not self._by_role:
            # every role split at once: slices when the rows already come in role order (views, no copies),
            # else one mask per role (cheaper than sorting millions of rows by role and gathering them)
            roles = np.arange(len(ROLE_CODES), dtype=self.role.dtype)
            if len(self.role) < 2 or bool((self.role[1:] >= self.role[:-1]).all()):
                starts, ends = np.searchsorted(self.role, roles), np.searchsorted(self.role, roles, side="right")
                for code, start, end in zip(roles.tolist(), starts.tolist(), ends.tolist(), strict=True):
                    self._by_role[code] = (self.school[start:end], self.item[start:end], self.level[start:end])
            else:
                for code in roles.tolist():
                    mask = self.role == code
                    self._by_role[code] = (self.school[mask], self.item[mask], self.level[mask])
        empty = (self.school[:0], self.item[:0], self.level[:0])
        return self._by_role.get(role, empty)


ROLE_CODES = {"self": 0, "inspector": 1, "consensus": 2}


def encode_ratings(compiled: CompiledFramework, schools: Iterable[str], ratings: pd.DataFrame) -> EncodedRatings:
    """Checked ratings (see `scoring.inputs.read_ratings`) as arrays; rows naming an unknown school are dropped."""
    columns = {c: Coded.of_values(ratings[c]) for c in ("school_code", "item_id", "level", "role", "rater")}
    positions = {str(code): n for n, code in enumerate(list(schools))}
    return encode_columns(compiled, positions, columns)


def encode_columns(
    compiled: CompiledFramework, schools: dict[str, int], columns: Mapping[str, Coded]
) -> EncodedRatings:
    """Rating columns as coded words (`scoring.checks.check_ratings`), as arrays against the schools' rows.

    Each column's distinct words are looked up once; the rows then take their position in one pass.
    Rows naming an unknown school, item, level or role are dropped (checked ratings have none).
    """
    vocab, table = compiled.level_vocabulary
    item_kind = np.int16 if compiled.n_items < 2**15 else np.int32
    school = columns["school_code"].positions_in(schools)
    item_col, level_col = columns["item_id"], columns["level"]
    item_of_word = item_col.word_positions(compiled.item_position, item_kind)
    level_of_word = level_col.word_positions(vocab)
    # the level code of every (item word, level word) pair: -9 where the item or the level is unknown to it
    pairs = table[np.clip(item_of_word, 0, None)][:, np.clip(level_of_word, 0, None)]
    pairs[(item_of_word < 0)[:, None] | (level_of_word < 0)[None, :]] = -9
    width = max(len(level_col.words), 1)
    cell = item_col.codes.astype(np.int32 if len(item_col.words) * width < 2**31 else np.int64)
    cell *= width
    cell += level_col.codes
    level = pairs.reshape(-1)[cell] if pairs.size else np.full(len(cell), -9, dtype=np.int16)
    del cell
    role = columns["role"].positions_in(ROLE_CODES, np.int8)
    keep = (school >= 0) & (level != -9) & (role >= 0)  # (a known level implies a known item)
    rows = slice(None) if keep.all() else keep  # checked ratings keep every row: no copies
    rater = columns["rater"]
    return EncodedRatings(
        school[rows],
        item_of_word[item_col.codes[rows]] if len(item_of_word) else np.zeros(0, dtype=item_kind),
        level[rows],
        role[rows],
        rater.codes[rows],  # (in the smallest integer type of its words: a byte a row for a few raters)
        np.asarray(rater.words, dtype=object),
    )


def _matrix(n_schools: int, n_items: int, enc: EncodedRatings, role: int) -> np.ndarray:
    """Level codes of one single-valued role (self or consensus); UNRATED where absent."""
    out = np.full((n_schools, n_items), UNRATED, dtype=np.int16)
    school, item, level = enc.of_role(role)
    out[school, item] = level
    return out


def self_levels(n_schools: int, n_items: int, enc: EncodedRatings) -> np.ndarray:
    """The school's own level codes."""
    return _matrix(n_schools, n_items, enc, ROLE_CODES["self"])


def inspection_levels(n_schools: int, n_items: int, enc: EncodedRatings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Consensus level codes, where each came from (consensus or median), and how many inspectors rated."""
    consensus = _matrix(n_schools, n_items, enc, ROLE_CODES["consensus"])
    median, counts = _lower_median(n_schools, n_items, enc)
    has_consensus = consensus != UNRATED
    source = np.where(median != UNRATED, np.int8(SOURCE_MEDIAN), np.int8(SOURCE_NONE))
    source[has_consensus] = SOURCE_CONSENSUS
    np.copyto(consensus, median, where=~has_consensus)  # the consensus where set, else the median: in place
    return consensus, source, counts


MEDIAN_SCHOOLS = 16_384  # schools whose votes are counted at a time: the count arrays stay a few MB, reused


def _lower_median(
    n_schools: int, n_items: int, enc: EncodedRatings, block: int = MEDIAN_SCHOOLS
) -> tuple[np.ndarray, np.ndarray]:
    """Per cell, the inspectors' lower-median level and how many inspectors rated.

    Rows in the facts' order of schools (as every export writes them) are counted a block of schools
    at a time, so that the counting arrays stay small and are reused instead of fresh memory the size
    of the district for every level; other files are counted all at once.
    """
    school, item, level = enc.of_role(ROLE_CODES["inspector"])
    median = np.full((n_schools, n_items), UNRATED, dtype=np.int16)
    counts = np.zeros((n_schools, n_items), dtype=np.int16)
    if not len(level):  # no inspector's own ratings (consensus only): nothing to count
        return median, counts
    if len(school) > 1 and not bool((school[1:] >= school[:-1]).all()):
        blocks = [(0, n_schools, slice(None))]
    else:
        firsts = np.arange(0, n_schools + block, block, dtype=school.dtype)
        ends = np.searchsorted(school, firsts).tolist()
        blocks = [
            (int(a), min(int(a) + block, n_schools), slice(ends[k], ends[k + 1])) for k, a in enumerate(firsts[:-1])
        ]
    for first, last, rows in blocks:
        schools = slice(first, last)
        median[schools], counts[schools] = _median_of_cells(
            school[rows], first, item[rows], level[rows], last - first, n_items
        )
    return median, counts


def _median_of_cells(
    school: np.ndarray, first: int, item: np.ndarray, level: np.ndarray, n_schools: int, n_items: int
) -> tuple[np.ndarray, np.ndarray]:
    """[schools, items] the lower-median level of each cell's votes and how many votes it has (schools from `first`).

    Counts the votes of every cell level by level, best level first: codes run best first, so the
    lower of two middle fractions is the vote at position n // 2 of the cell's rated votes in code
    order, i.e. the first code whose running count passes n // 2. A few counting passes over the
    votes (one per level) instead of sorting them.
    """
    n_cells = n_schools * n_items
    cell = school.astype(np.int32 if n_cells < 2**31 else np.int64)  # one copy, then in place
    if first:
        cell -= first
    cell *= n_items
    cell += item
    total = np.bincount(cell, minlength=n_cells).astype(np.int32)
    n_na = np.bincount(cell[level == RATED_NA], minlength=n_cells).astype(np.int32)
    half = (total - n_na) // 2
    median = np.full(n_cells, UNRATED, dtype=np.int16)
    passed = np.zeros(n_cells, dtype=np.int32)  # votes seen so far, best level first
    open_ = (total - n_na) > 0  # cells whose median is still to be found
    worst = int(level.max(initial=-1))
    for code in range(worst):
        passed += np.bincount(cell[level == code], minlength=n_cells).astype(np.int32)
        found = open_ & (passed > half)
        median[found] = code
        open_ &= ~found
    median[open_] = worst  # every rated vote counted: the cells still open have their median at the worst level
    median[(total > 0) & (2 * n_na > total)] = RATED_NA
    return median.reshape(n_schools, n_items), total.astype(np.int16).reshape(n_schools, n_items)


def computed_levels(compiled: CompiledFramework, facts: SchoolFacts) -> tuple[np.ndarray, np.ndarray]:
    """[schools, quantitative items] level codes from the facts, and the metric values behind them.

    A fact not given yet leaves the item unrated (0 in a forecast, an error when complete facts are
    required); a metric that cannot be computed from given facts (a zero denominator) makes the item
    not applicable to that school.
    """
    n = len(facts)
    levels = np.full((n, len(compiled.quantitative)), RATED_NA, dtype=np.int16)
    values = np.full((n, len(compiled.quantitative)), np.nan)
    items = compiled.framework.items()
    for q, pos in enumerate(compiled.quantitative):
        item = items[pos]
        assert isinstance(item, QuantitativeItem)
        rule = item.rule
        metric = METRICS[rule.metric]
        value = metric.evaluate(facts, rule.params)
        missing = np.zeros(n, dtype=bool)
        for need in metric.needs:
            missing |= np.isnan(facts[need])
        values[:, q] = np.where(missing, np.nan, value)
        codes = [compiled.level_index(item.id, th.level) for th in rule.thresholds]
        bounds = np.array([th.bound for th in rule.thresholds[:-1]], dtype=float)
        reached = value[:, None] >= bounds[None, :] if rule.direction == "higher" else value[:, None] <= bounds[None, :]
        first = np.where(reached.any(axis=1), reached.argmax(axis=1), len(bounds))
        level = np.where(np.isnan(value), RATED_NA, np.asarray(codes)[first])
        levels[:, q] = np.where(missing, UNRATED, level)
    return levels, values


def unit_counts(compiled: CompiledFramework, facts: SchoolFacts) -> np.ndarray:
    """[schools, quantitative items] the units each computed item counts over (NaN where the metric is free)."""
    out = np.full((len(facts), len(compiled.quantitative)), np.nan)
    items = compiled.framework.items()
    for q, pos in enumerate(compiled.quantitative):
        item = items[pos]
        assert isinstance(item, QuantitativeItem)
        units = reachable_values(METRICS[item.rule.metric], facts, item.rule.params)
        if units is not None:
            out[:, q] = units
    return out
