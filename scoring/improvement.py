"""Improvement path: the fewest one-level raises that lift a school to its next tier.

Exact, not greedy. Raising an item by j levels costs j steps and gains points × (fraction after −
fraction now). Vetoes of the target tier (and of the tiers below it) force raises; domain minimums and
the total score are the other constraints. Within each domain a group knapsack gives the best gain for
every (steps, items touched); domains are then combined keeping every domain's minimum. The smallest
step count wins, then the fewest items, then the largest gain. An unrated item counts as one step
below its lowest level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from criteria.models import QuantitativeItem, Tier
from scoring.compiled import UNRATED, CompiledFramework
from scoring.engine import ViewScores
from scoring.tiers import EPS

NEG = -np.inf


@dataclass(frozen=True)
class Raise:
    """Raise one item from a level (None: unrated) to a better one."""

    item_id: str
    from_level: str | None
    to_level: str
    steps: int
    gain: float


@dataclass(frozen=True)
class ImprovementPath:
    """The raises that reach `tier_id`, and the score they would give."""

    tier_id: str
    raises: tuple[Raise, ...]
    score_after: float

    @property
    def steps(self) -> int:
        """Total one-level steps."""
        return sum(r.steps for r in self.raises)


@dataclass(frozen=True)
class _Option:
    item: int
    steps: int
    gain: float


def improvement_path(view: ViewScores, school: int, tier_index: int | None = None) -> ImprovementPath | None:
    """The path to `tier_index` (default: the next tier above the one reached); None when out of reach or at the top."""
    compiled = view.compiled
    tiers = compiled.framework.tiers
    target = view.tier_index[school] + 1 if tier_index is None else tier_index
    if target >= len(tiers) or target < 0:
        return None
    levels = view.levels[school]
    possible = view.possible[school]
    if possible <= 0:
        return None  # nothing applies: no raise can make a score
    need_total = max(tiers[target].min_score, 0) / 100 * possible - view.earned[school]
    domain_min = max((t.domain_min_pct or 0) for t in tiers[: target + 1])
    required = _required_codes(compiled, tiers[: target + 1])
    options = _item_options(view, school, levels, required)
    if options is None:
        return None
    domain_needs = [
        domain_min / 100 * view.domain_possible[school, d] - view.domain_earned[school, d]
        if view.domain_possible[school, d] > 0
        else NEG
        for d in range(len(compiled.domain_ids))
    ]
    chosen = _solve(compiled.item_domain, options, domain_needs, need_total)
    if chosen is None:
        return None
    raises = tuple(_raise(view, levels, opt) for opt in chosen if opt.steps > 0)
    after = (
        float(100.0 * (view.earned[school] + sum(r.gain for r in raises)) / possible) if possible > 0 else float("nan")
    )
    return ImprovementPath(tiers[target].id, raises, after)


def _required_codes(compiled: CompiledFramework, tiers: list[Tier]) -> dict[int, int]:
    """Item position → the worst level code its vetoes accept (strictest over the tiers)."""
    required: dict[int, int] = {}
    for tier in tiers:
        for veto in tier.vetoes:
            pos = compiled.item_position[veto.item]
            code = compiled.level_index(veto.item, veto.min_level)
            required[pos] = min(required.get(pos, code), code)
    return required


def _item_options(
    view: ViewScores, school: int, levels: np.ndarray, required: dict[int, int]
) -> list[list[_Option]] | None:
    """Per item, the raises it allows (0 steps included unless a veto forces a raise); None if a veto cannot be met.

    A computed item can only reach the levels its thresholds name and, for a metric counted over the
    school's own units (stages, grades, required teachers, students due), only the levels some whole
    count k of those units gives: a one-stage school's course item is all or nothing.
    """
    compiled = view.compiled
    reachable = reachable_codes(view, school)
    options: list[list[_Option]] = []
    for pos, code in enumerate(levels):
        if code < 0 and code != UNRATED:  # N/A or not applicable: nothing to raise, and no veto applies
            options.append([_Option(pos, 0, 0.0)])
            continue
        start = int(compiled.n_levels[pos]) if code == UNRATED else int(code)
        now = view.earned_items[school, pos]
        least = max(0, start - required[pos]) if pos in required else 0
        opts = [
            _Option(pos, j, compiled.points[pos] * compiled.fractions[pos, start - j] - now if j else 0.0)
            for j in range(least, start + 1)
            if j == 0 or (start - j) in reachable.get(pos, range(start + 1))
        ]
        if not opts:
            return None
        options.append(opts)
    return options


def _reachable_codes(compiled: CompiledFramework) -> dict[int, set[int]]:
    """Computed item position → the level codes its thresholds can give (a fresh copy of the compiled table)."""
    return {pos: set(codes) for pos, codes in compiled.threshold_codes.items()}


def reachable_codes(view: ViewScores, school: int) -> dict[int, set[int]]:
    """Computed item position → the level codes this school can reach with its own units (see `Metric.units`)."""
    compiled = view.compiled
    out = _reachable_codes(compiled)
    if view.units is None:
        return out
    items = compiled.framework.items()
    for q, pos in enumerate(compiled.quantitative):
        units = float(view.units[school, q])
        if not np.isfinite(units) or units <= 0:
            continue
        item = items[pos]
        assert isinstance(item, QuantitativeItem)
        out[pos] = _levels_of_counts(compiled, item, units)
    return out


def _first_reached(value: float, bounds: list[float], higher: bool) -> int:
    """The threshold a metric value reaches, as `scoring.levels.computed_levels` compares (len: the fallback)."""
    for n, bound in enumerate(bounds):
        if (value >= bound) if higher else (value <= bound):
            return n
    return len(bounds)


def _levels_of_counts(compiled: CompiledFramework, item: QuantitativeItem, units: float) -> set[int]:
    """The level codes the metric k / units gives for whole k (0 to units; beyond where the metric is not capped).

    The level is a step function of k, so it is enough to look at k = 0 and, for each bound, the
    smallest k whose value reaches it: O(levels) whatever the number of units.
    """
    from scoring.metrics import METRICS

    rule = item.rule
    capped = METRICS[rule.metric].capped
    higher = rule.direction == "higher"
    bounds = [float(th.bound) for th in rule.thresholds[:-1] if th.bound is not None]
    codes = [compiled.level_index(item.id, th.level) for th in rule.thresholds]
    counts = {0}
    if higher:
        for bound in bounds:
            k = max(0, int(np.ceil(bound * units)))
            while k > 0 and (k - 1) / units >= bound:
                k -= 1
            while k / units < bound:
                k += 1
            if not capped or k <= units:
                counts.add(k)
    else:  # not used by a metric with units today: every whole count up to the units
        counts |= set(range(int(units) + 1))
    values = [min(k / units, 1.0) if capped else k / units for k in counts]
    return {codes[_first_reached(v, bounds, higher)] for v in values}


def _solve(
    item_domain: np.ndarray, options: list[list[_Option]], domain_needs: list[float], need_total: float
) -> list[_Option] | None:
    """Options with the fewest steps, then fewest items, then most gain, that meet every need."""
    max_steps = sum(max(o.steps for o in opts) for opts in options)
    n_items = len(options)
    total = np.full((max_steps + 1, n_items + 1), NEG)
    total[0, 0] = 0.0
    picks: list[tuple[np.ndarray, list[tuple[int, int]], dict[tuple[int, int], list[_Option]]]] = []
    for d, need in enumerate(domain_needs):
        table = _domain_table([opts for pos, opts in enumerate(options) if item_domain[pos] == d])
        feasible = {key: val for key, val in table.items() if val[0] >= need - EPS}
        if not feasible:
            return None
        merged = np.full_like(total, NEG)
        origin = np.full(total.shape, -1, dtype=np.int64)
        keys = list(feasible)
        for idx, (c, k) in enumerate(keys):
            gain = feasible[(c, k)][0]
            shifted = np.full_like(total, NEG)
            shifted[c:, k:] = total[: total.shape[0] - c, : total.shape[1] - k] + gain
            better = shifted > merged
            merged[better] = shifted[better]
            origin[better] = idx
        total = merged
        picks.append((origin, keys, {key: feasible[key][1] for key in keys}))
    ok = total >= need_total - EPS
    if not ok.any():
        return None
    c = int(np.flatnonzero(ok.any(axis=1))[0])
    k = int(np.flatnonzero(ok[c])[0])
    chosen: list[_Option] = []
    for origin, keys, picked in reversed(picks):
        dc, dk = keys[origin[c, k]]
        chosen += picked[(dc, dk)]
        c, k = c - dc, k - dk
    return chosen


def _domain_table(item_options: list[list[_Option]]) -> dict[tuple[int, int], tuple[float, list[_Option]]]:
    """Group knapsack within one domain: (steps, items touched) → best gain and the options giving it."""
    table: dict[tuple[int, int], tuple[float, list[_Option]]] = {(0, 0): (0.0, [])}
    for opts in item_options:
        nxt: dict[tuple[int, int], tuple[float, list[_Option]]] = {}
        for (c, k), (gain, picked) in table.items():
            for o in opts:
                key = (c + o.steps, k + (o.steps > 0))
                value = gain + o.gain
                if key not in nxt or value > nxt[key][0] + EPS:
                    nxt[key] = (value, [*picked, o])
        table = nxt
    return table


def _raise(view: ViewScores, levels: np.ndarray, opt: _Option) -> Raise:
    compiled = view.compiled
    code = int(levels[opt.item])
    start = int(compiled.n_levels[opt.item]) if code == UNRATED else code
    ids = compiled.level_ids[opt.item]
    return Raise(
        item_id=compiled.item_ids[opt.item],
        from_level=None if code == UNRATED else ids[code],
        to_level=ids[start - opt.steps],
        steps=opt.steps,
        gain=opt.gain,
    )
