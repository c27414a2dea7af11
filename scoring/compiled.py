"""A framework turned into arrays once, so that many schools are scored with array arithmetic.

Levels are coded per item by their position, best first (0 = the best level). Negative codes mark
cells without a level: not rated yet, rated not applicable, or not applicable to the school's stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from criteria.models import NA, Framework, QuantitativeItem, Stage

UNRATED = -1
RATED_NA = -2
NOT_APPLICABLE = -3


@dataclass(frozen=True, eq=False)
class CompiledFramework:
    """Item arrays of one framework: points, domains, stages, levels and their fractions."""

    framework: Framework
    item_ids: tuple[str, ...]
    points: np.ndarray  # [items] float
    domain_ids: tuple[str, ...]
    item_domain: np.ndarray  # [items] int, index into domain_ids
    applies: np.ndarray  # [stages, items] bool, stages in Stage order
    allow_na: np.ndarray  # [items] bool
    fractions: np.ndarray  # [items, max levels] float, NaN past an item's last level
    n_levels: np.ndarray  # [items] int
    level_ids: tuple[tuple[str, ...], ...]
    quantitative: tuple[int, ...]  # positions of items scored from facts

    @property
    def n_items(self) -> int:
        """How many items the framework has."""
        return len(self.item_ids)

    @cached_property
    def domain_matrix(self) -> np.ndarray:
        """[items, domains] one-hot: which domain each item belongs to."""
        m = np.zeros((self.n_items, len(self.domain_ids)))
        m[np.arange(self.n_items), self.item_domain] = 1.0
        return m

    @cached_property
    def item_position(self) -> dict[str, int]:
        """Item id → position."""
        return {item_id: n for n, item_id in enumerate(self.item_ids)}

    @cached_property
    def level_vocabulary(self) -> tuple[dict[str, int], np.ndarray]:
        """Every level id used anywhere (plus NA) with its position, and an [items, vocabulary] table of level codes.

        The table gives, for an item and a level id, the level's position in the item, RATED_NA for
        NA where the item allows it, or -9 where the item has no such level.
        """
        words = sorted({lv for levels in self.level_ids for lv in levels} | {NA})
        vocab = {word: n for n, word in enumerate(words)}
        table = np.full((self.n_items, len(vocab)), -9, dtype=np.int16)
        for n, levels in enumerate(self.level_ids):
            table[n, [vocab[lv] for lv in levels]] = np.arange(len(levels))
            if self.allow_na[n]:
                table[n, vocab[NA]] = RATED_NA
        return vocab, table

    @cached_property
    def threshold_codes(self) -> dict[int, frozenset[int]]:
        """Computed item position → the level codes its thresholds can give."""
        items = self.framework.items()
        out = {}
        for pos in self.quantitative:
            item = items[pos]
            assert isinstance(item, QuantitativeItem)
            out[pos] = frozenset(self.level_index(item.id, th.level) for th in item.rule.thresholds)
        return out

    @cached_property
    def point_tables(self) -> tuple[np.ndarray, np.ndarray]:
        """[items, codes] points earned and points that count, by level code offset by 3 (NOT_APPLICABLE first).

        Earned: points × fraction for a level, 0 for no level. Counted: the item's points unless it is
        N/A (by stage or rated so); an unrated applicable item counts (as 0 earned).
        """
        width = -NOT_APPLICABLE + self.fractions.shape[1]
        earned = np.zeros((self.n_items, width))
        possible = np.zeros((self.n_items, width))
        for code in range(NOT_APPLICABLE, self.fractions.shape[1]):
            column = code - NOT_APPLICABLE
            if code >= 0:
                earned[:, column] = np.where(code < self.n_levels, self.fractions[:, code] * self.points, 0.0)
            if code not in (RATED_NA, NOT_APPLICABLE):
                possible[:, column] = self.points
        return earned, possible

    def level_index(self, item_id: str, level_id: str) -> int:
        """The code of a level of an item (RATED_NA for NA)."""
        if level_id == NA:
            return RATED_NA
        return self.level_ids[self.item_position[item_id]].index(level_id)

    def fraction_of(self, levels: np.ndarray) -> np.ndarray:
        """[schools, items] fractions for a level-code matrix; 0 where there is no level."""
        safe = np.clip(levels, 0, None)
        values = np.take_along_axis(self.fractions[np.newaxis, :, :], safe[:, :, np.newaxis], axis=2)[:, :, 0]
        return np.where(levels >= 0, values, 0.0)


def compile_framework(framework: Framework) -> CompiledFramework:
    """The framework's arrays; call once per framework version and reuse."""
    items = framework.items()
    domain_of = framework.domain_of()
    domain_ids = tuple(d.id for d in framework.domains)
    level_ids = tuple(tuple(lv.id for lv in item.levels) for item in items)
    max_levels = max(len(levels) for levels in level_ids)
    fractions = np.full((len(items), max_levels), np.nan)
    for n, item in enumerate(items):
        fractions[n, : len(item.levels)] = [lv.fraction for lv in item.levels]
    stages = list(Stage)
    applies = np.array([[stage in item.applies_to for item in items] for stage in stages], dtype=bool)
    return CompiledFramework(
        framework=framework,
        item_ids=tuple(item.id for item in items),
        points=np.array([item.points for item in items], dtype=float),
        domain_ids=domain_ids,
        item_domain=np.array([domain_ids.index(domain_of[item.id]) for item in items]),
        applies=applies,
        allow_na=np.array([item.allow_na for item in items], dtype=bool),
        fractions=fractions,
        n_levels=np.array([len(levels) for levels in level_ids]),
        level_ids=level_ids,
        quantitative=tuple(n for n, item in enumerate(items) if isinstance(item, QuantitativeItem)),
    )
