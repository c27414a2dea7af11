"""The scoring contract of DESIGN.md over many schools at once.

Two views are scored side by side and never mixed: the school's self-assessment, and the inspection
(consensus of the inspectors). Items that do not apply to a school, or that are rated N/A where
allowed, leave both earned and possible points; `score_100 = 100 × earned / applicable points`.
Unrated applicable items count as 0 in a draft forecast (and are counted as warnings), and are an
error when `require_complete` is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from criteria.models import Framework
from i18n.catalog import t
from i18n.problems import InputError, Problem
from scoring.checks import CheckedRatings
from scoring.compiled import NOT_APPLICABLE, UNRATED, CompiledFramework, compile_framework
from scoring.levels import (
    SOURCE_NONE,
    EncodedRatings,
    computed_levels,
    encode_columns,
    encode_ratings,
    inspection_levels,
    self_levels,
    unit_counts,
)
from scoring.parallel import map_parts
from scoring.school_facts import SchoolFacts
from scoring.tiers import TierOutcome, evaluate_tiers, tier_reasons

if TYPE_CHECKING:
    import pandas as pd

VIEWS = ("self", "inspection")


CHUNK = 8_192  # schools scored at a time, a chunk a core (at most 4): a view's [schools, items] floats never held whole


@dataclass(frozen=True, eq=False)
class ViewScores:
    """One view (self or inspection) of every school: levels, points, domain and total scores, tiers."""

    compiled: CompiledFramework
    name: str
    levels: np.ndarray  # [schools, items] level codes
    domain_earned: np.ndarray  # [schools, domains]
    domain_possible: np.ndarray  # [schools, domains]
    earned: np.ndarray  # [schools] points earned
    possible: np.ndarray  # [schools] applicable points
    present: np.ndarray  # [schools] whether the school has any rating in this view
    units: np.ndarray | None = None  # [schools, quantitative items] units a computed item counts over (NaN: free)

    @cached_property
    def earned_items(self) -> np.ndarray:
        """[schools, items] points earned (built on first use: scoring itself needs only the sums)."""
        return item_points(self.compiled, self.levels)[0]

    @cached_property
    def possible_items(self) -> np.ndarray:
        """[schools, items] points that count (applicable, not N/A)."""
        return item_points(self.compiled, self.levels)[1]

    @cached_property
    def score_100(self) -> np.ndarray:
        """[schools] score out of 100, full precision; NaN where nothing applies."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.possible > 0, 100.0 * self.earned / self.possible, np.nan)

    @cached_property
    def domain_pct(self) -> np.ndarray:
        """[schools, domains] percentage of each domain's applicable points earned; NaN where none apply."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.domain_possible > 0, 100.0 * self.domain_earned / self.domain_possible, np.nan)

    @cached_property
    def unrated(self) -> np.ndarray:
        """[schools, items] applicable items without a level yet."""
        return self.levels == UNRATED

    @cached_property
    def tiers(self) -> TierOutcome:
        """Which tier conditions each school met."""
        return evaluate_tiers(self.compiled, self.levels, self.score_100, self.domain_pct)

    @property
    def tier_index(self) -> np.ndarray:
        """[schools] highest tier reached, -1 for none."""
        return self.tiers.tier_index


def item_points(compiled: CompiledFramework, levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[schools, items] points earned and points that count, looked up by (item, level code) in flat tables."""
    earned_table, possible_table = compiled.point_tables
    width = earned_table.shape[1]
    cells = levels.astype(np.intp)
    cells += np.arange(compiled.n_items, dtype=np.intp) * width - NOT_APPLICABLE  # codes from NOT_APPLICABLE (-3) up
    return np.take(earned_table.ravel(), cells), np.take(possible_table.ravel(), cells)


def chunks(n: int, size: int = CHUNK) -> list[slice]:
    """Row ranges of at most `size` schools."""
    return [slice(start, min(start + size, n)) for start in range(0, n, size)] or [slice(0, 0)]


def score_view(
    compiled: CompiledFramework,
    name: str,
    levels: np.ndarray,
    present: np.ndarray,
    units: np.ndarray | None = None,
    chunk: int = CHUNK,
) -> ViewScores:
    """Points, domain scores and tiers from a complete level-code matrix of one view, a chunk of schools at a time.

    The chunks are scored on every core at once, each into its own rows of the sums.
    """
    n, d = levels.shape[0], len(compiled.domain_ids)
    domain_earned, domain_possible = np.empty((n, d)), np.empty((n, d))
    earned, possible = np.empty(n), np.empty(n)

    def score_chunk(rows: slice) -> None:
        e, p = item_points(compiled, levels[rows])
        domain_earned[rows], domain_possible[rows] = e @ compiled.domain_matrix, p @ compiled.domain_matrix
        earned[rows], possible[rows] = e.sum(axis=1), p.sum(axis=1)

    map_parts(score_chunk, chunks(n, chunk))
    return ViewScores(compiled, name, levels, domain_earned, domain_possible, earned, possible, present, units)


def applicability(compiled: CompiledFramework, facts: SchoolFacts) -> np.ndarray:
    """[schools, items] whether each item applies to each school's stages."""
    flags = facts.stage_flags
    out = np.zeros((len(flags), compiled.n_items), dtype=bool)
    for stage, items in enumerate(compiled.applies):  # a few stages: a byte a cell, no float product
        out |= flags[:, stage, None] & items
    return out


@dataclass(frozen=True, eq=False)
class DistrictResult:
    """Every school's self and inspection scores, with what is needed to explain them."""

    compiled: CompiledFramework
    table: SchoolFacts
    self_view: ViewScores
    inspection: ViewScores
    metric_values: np.ndarray  # [schools, quantitative items]
    inspection_source: np.ndarray  # [schools, items] 0 none, 1 consensus, 2 median
    inspector_counts: np.ndarray  # [schools, items]
    ratings: EncodedRatings
    computed: np.ndarray | None = None  # [schools, quantitative items] level codes from the facts alone
    overrides: pd.DataFrame | None = None  # the on-site overrides: school_code, item_id, level, reason, by
    given_facts: pd.DataFrame | None = None  # the facts frame scored, when a frame was given

    @cached_property
    def facts(self) -> pd.DataFrame:
        """The facts in the `read_facts` shape (the frame given, else built from the arrays on first use)."""
        return self.given_facts if self.given_facts is not None else self.table.frame()

    @cached_property
    def schools(self) -> pd.Index:
        """School codes, in row order."""
        if self.given_facts is not None:
            return self.given_facts.index
        import pandas as pd

        return pd.Index(pd.Series(self.table.codes, dtype="str"), name="school_code")

    def view(self, name: str) -> ViewScores:
        """The 'self' or 'inspection' view."""
        return self.self_view if name == "self" else self.inspection

    @cached_property
    def gap_items(self) -> np.ndarray:
        """[schools, items] (self fraction − inspection fraction) × points where both views have a level."""
        return self._gaps(slice(None))

    def _gaps(self, rows: slice) -> np.ndarray:
        own, inspected = self.self_view.levels[rows], self.inspection.levels[rows]
        diff = item_points(self.compiled, own)[0] - item_points(self.compiled, inspected)[0]
        return np.where((own >= 0) & (inspected >= 0), diff, np.nan)

    @cached_property
    def overrating(self) -> np.ndarray:
        """[schools] sum of item gaps (negative: rated itself below the inspectors); NaN without both views."""
        both = self.self_view.present & self.inspection.present
        sums = np.zeros(len(both))
        for rows in chunks(len(both)):
            if both[rows].any():
                sums[rows] = np.nansum(self._gaps(rows), axis=1)
        return np.where(both, sums, np.nan)

    def override(self, school_code: str, item_id: str) -> Override | None:
        """The inspection team's override of a computed item of one school, or None."""
        if self.overrides is None or self.overrides.empty:
            return None
        hit = self.overrides[(self.overrides["school_code"] == school_code) & (self.overrides["item_id"] == item_id)]
        if hit.empty or item_id not in self.compiled.item_position:
            return None
        row = hit.iloc[-1]
        pos = self.compiled.item_position[item_id]
        n = self.row(school_code)
        level = str(row["level"])
        applied = pos in self.compiled.quantitative and level in self.compiled.level_ids[pos]
        if not applied or self.inspection.levels[n, pos] == NOT_APPLICABLE:
            return None  # not a computed item of this school, or not one of its levels: not applied
        computed = None
        if self.computed is not None:
            code = int(self.computed[n, self.compiled.quantitative.index(pos)])
            computed = self.compiled.level_ids[pos][code] if code >= 0 else None
        return Override(item_id, level, computed, str(row["reason"]), str(row["by"]))

    def row(self, school_code: str) -> int:
        """Row position of a school (KeyError when unknown)."""
        return self.table.positions[school_code]

    def reasons(
        self, school_code: str, view: str = "inspection", lang: str = "zh", first_only: bool = False
    ) -> list[str]:
        """Every failed tier condition of one school in one view, in words (`first_only`: the next tier's only)."""
        n = self.row(school_code)
        v = self.view(view)
        return tier_reasons(
            self.compiled, v.tiers, n, v.levels, float(v.score_100[n]), v.domain_pct[n], lang, first_only
        )

    def tier_name(self, index: int, lang: str = "zh") -> str:
        """A tier's name, or 'none reached'."""
        return t("tier.none", lang) if index < 0 else self.compiled.framework.tiers[index].name.get(lang)

    def columns(self, lang: str = "zh", reasons: bool = True, arrow_text: bool = False) -> dict[str, np.ndarray]:
        """The result table as arrays by column: scores, tiers, gaps and, optionally, the failed conditions in words.

        With `arrow_text` the reasons come as an arrow array of text (for the CSV and Parquet writers).
        """
        tiers = np.array(["none", *(tier.id for tier in self.compiled.framework.tiers)])
        out = {"school_name": self.table["school_name"], "stages": self.table["stages"]}
        for name in VIEWS:
            v = self.view(name)
            out[f"{name}_score"] = np.where(v.present, np.round(v.score_100, 1), np.nan)
            out[f"{name}_tier"] = np.where(v.present, tiers[v.tier_index + 1], "")
            out[f"{name}_unrated"] = np.where(v.present, v.unrated.sum(axis=1), 0)
        out["overrating_points"] = np.round(self.overrating, 2)
        for name in VIEWS:
            v = self.view(name)
            for d, domain_id in enumerate(self.compiled.domain_ids):
                out[f"{name}_{domain_id}_pct"] = np.where(v.present, np.round(v.domain_pct[:, d], 1), np.nan)
        if reasons:
            from scoring.reasons import reason_array, reason_texts

            out["reasons"] = reason_array(self, lang) if arrow_text else reason_texts(self, lang)
        return out

    def to_frame(self, lang: str = "zh", reasons: bool = True) -> pd.DataFrame:
        """One row per school, indexed by school code: the `columns` as a frame."""
        import pandas as pd

        out = pd.DataFrame(index=self.schools.copy())
        for name, values in self.columns(lang, reasons).items():
            out[name] = values
        return out

    def _reason_text(self, code: str, lang: str) -> str:
        n = self.row(code)
        view = "inspection" if self.inspection.present[n] else "self"
        if not self.view(view).present[n]:
            return t("result.no_ratings", lang)
        return t("result.separator", lang).join(self.reasons(code, view, lang))


def score_district(
    framework: Framework | CompiledFramework,
    facts: pd.DataFrame | SchoolFacts,
    ratings: pd.DataFrame | CheckedRatings,
    require_complete: bool = False,
    overrides: pd.DataFrame | None = None,
) -> DistrictResult:
    """Score every school of `facts` from checked facts and ratings (see `scoring.inputs` and `scoring.checks`).

    Frames (the `read_facts` and `read_ratings` shapes) or the checked arrays of `scoring.checks`.
    `overrides` are the inspection team's on-site levels of computed items (`scoring.inputs.read_overrides`):
    they replace the level computed from the facts in the inspection view only, with their reason.
    """
    compiled = framework if isinstance(framework, CompiledFramework) else compile_framework(framework)
    table = SchoolFacts.of(facts)
    if isinstance(ratings, CheckedRatings):
        encoded = encode_columns(compiled, table.positions, ratings.columns)
    else:
        encoded = encode_ratings(compiled, table.codes, ratings)
    del ratings  # freed here when the caller did not keep it (the CLI does not)
    result = score_encoded(compiled, table, encoded, overrides, given_facts=None if facts is table else facts)
    if require_complete:
        _raise_if_incomplete(result)
    return result


@dataclass(frozen=True)
class Override:
    """The inspection team's level of a computed item, instead of the level its facts give."""

    item_id: str
    level: str
    computed: str | None  # the level from the facts (None: the facts could not give one)
    reason: str
    by: str


def score_encoded(
    compiled: CompiledFramework,
    facts: pd.DataFrame | SchoolFacts,
    enc: EncodedRatings,
    overrides: pd.DataFrame | None = None,
    given_facts: pd.DataFrame | None = None,
) -> DistrictResult:
    """Score from ratings already encoded as arrays (the engine proper, without reading text)."""
    if not isinstance(facts, SchoolFacts):
        facts, given_facts = SchoolFacts.of(facts), facts
    n, m = len(facts), compiled.n_items
    applicable = applicability(compiled, facts)
    computed, metric_values = computed_levels(compiled, facts)
    units = unit_counts(compiled, facts)
    rows, cols, codes = _override_codes(compiled, facts, overrides)
    insp_levels, source, counts = inspection_levels(n, m, enc)
    own_levels = self_levels(n, m, enc)
    # a school has a view when any of its items was rated in it: read off the level matrices, not the rows
    present = {"self": (own_levels != UNRATED).any(axis=1), "inspection": (source != SOURCE_NONE).any(axis=1)}
    views = {}
    for name, levels in (("self", own_levels), ("inspection", insp_levels)):  # both fresh: set in place
        levels[:, list(compiled.quantitative)] = computed
        if name == "inspection":
            levels[rows, cols] = codes
        levels[~applicable] = NOT_APPLICABLE
        views[name] = score_view(compiled, name, levels, present[name], units)
    return DistrictResult(
        compiled,
        facts,
        views["self"],
        views["inspection"],
        metric_values,
        source,
        counts,
        enc,
        computed,
        _override_table(overrides, facts),
        given_facts,
    )


def _override_codes(
    compiled: CompiledFramework, schools: SchoolFacts, overrides: pd.DataFrame | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """School rows, item positions and level codes of the overrides of known schools and computed items."""
    if overrides is None or overrides.empty:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty.astype(np.int16)
    school = np.array([schools.positions.get(c, -1) for c in overrides["school_code"].astype(str)], dtype=np.int64)
    item = np.array([compiled.item_position.get(i, -1) for i in overrides["item_id"].astype(str)], dtype=np.int64)
    quantitative = np.isin(item, compiled.quantitative)
    keep = (school >= 0) & (item >= 0) & quantitative
    levels = overrides["level"].astype(str).to_numpy()
    code = np.array(
        [
            compiled.level_ids[i].index(lv) if k and lv in compiled.level_ids[i] else -9
            for i, lv, k in zip(item, levels, keep, strict=True)
        ],
        dtype=np.int16,
    )
    keep &= code >= 0
    return school[keep], item[keep], code[keep]


def _override_table(overrides: pd.DataFrame | None, schools: SchoolFacts) -> pd.DataFrame | None:
    """The overrides of the scored schools, as text (school_code, item_id, level, reason, by); None without any."""
    if overrides is None or overrides.empty:
        return None
    import pandas as pd

    columns = ["school_code", "item_id", "level", "reason", "by"]
    out = pd.DataFrame({c: overrides[c].astype(str) if c in overrides else "" for c in columns})
    return out[out["school_code"].isin(list(schools.positions))].reset_index(drop=True)


def _raise_if_incomplete(result: DistrictResult) -> None:
    problems = []
    computed = set(result.compiled.quantitative)
    for name in VIEWS:
        v = result.view(name)
        rows, cols = np.nonzero(v.unrated & v.present[:, None])
        for r, c in zip(rows, cols, strict=True):
            key = "result.facts_missing" if c in computed else "result.unrated"
            params = {"school": result.table.codes[r], "item": result.compiled.item_ids[c], "view": name}
            problems.append(Problem(key, params))
    if problems:
        raise InputError(problems)
