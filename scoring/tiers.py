"""Tiers for many schools at once, and every failed condition of a school in words.

A school reaches a tier when its score reaches the tier's minimum, every veto item of the tier is at
least at its required level, every domain with applicable points reaches the tier's domain minimum,
and it reached the tier below. A veto item that is not applicable to the school (by stage, by an
allowed N/A, or a metric that cannot be computed) does not block the tier; an unrated one does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from criteria.models import Framework
from i18n.catalog import t
from scoring.compiled import NOT_APPLICABLE, RATED_NA, UNRATED, CompiledFramework

EPS = 1e-9  # scores are compared with this tolerance so that 74.99999999 from float sums still reaches 75


@dataclass(frozen=True)
class TierOutcome:
    """Which condition of which tier each school met."""

    score_ok: np.ndarray  # [schools, tiers]
    veto_ok: tuple[np.ndarray, ...]  # per tier: [schools, vetoes]
    domain_ok: np.ndarray  # [schools, tiers, domains]
    reached: np.ndarray  # [schools, tiers]

    @property
    def tier_index(self) -> np.ndarray:
        """Highest tier reached per school, -1 for none."""
        return self.reached.sum(axis=1) - 1


def evaluate_tiers(
    compiled: CompiledFramework,
    levels: np.ndarray,
    score_100: np.ndarray,
    domain_pct: np.ndarray,
) -> TierOutcome:
    """The tier conditions of every school, from its level codes, score and domain percentages."""
    fw = compiled.framework
    n = levels.shape[0]
    score_ok = np.zeros((n, len(fw.tiers)), dtype=bool)
    domain_ok = np.ones((n, len(fw.tiers), len(compiled.domain_ids)), dtype=bool)
    reached = np.zeros((n, len(fw.tiers)), dtype=bool)
    veto_ok = []
    below = np.ones(n, dtype=bool)
    for k, tier in enumerate(fw.tiers):
        score_ok[:, k] = np.nan_to_num(score_100, nan=-1.0) >= tier.min_score - EPS
        vetoes = np.ones((n, len(tier.vetoes)), dtype=bool)
        for v, veto in enumerate(tier.vetoes):
            pos = compiled.item_position[veto.item]
            code = levels[:, pos]
            exempt = (code == RATED_NA) | (code == NOT_APPLICABLE)
            vetoes[:, v] = exempt | ((code >= 0) & (code <= compiled.level_index(veto.item, veto.min_level)))
        veto_ok.append(vetoes)
        if tier.domain_min_pct is not None:
            domain_ok[:, k, :] = np.isnan(domain_pct) | (domain_pct >= tier.domain_min_pct - EPS)
        reached[:, k] = below & score_ok[:, k] & vetoes.all(axis=1) & domain_ok[:, k, :].all(axis=1)
        below = reached[:, k]
    return TierOutcome(score_ok, tuple(veto_ok), domain_ok, reached)


def tier_reasons(
    compiled: CompiledFramework,
    outcome: TierOutcome,
    school: int,
    levels: np.ndarray,
    score_100: float,
    domain_pct: np.ndarray,
    lang: str = "zh",
    first_only: bool = False,
) -> list[str]:
    """Every failed condition of every tier the school did not reach, in words (one line each).

    With `first_only`, only those of the lowest tier not reached: what a school that failed 达标校
    lacks for it, or what a 达标校 still lacks for 示范校 (the distance, said separately).
    """
    fw = compiled.framework
    lines: list[str] = []
    for k, tier in enumerate(fw.tiers):
        if outcome.reached[school, k]:
            continue
        if first_only and k > 0 and not outcome.reached[school, k - 1]:
            break
        name = tier.name.get(lang)
        if k > 0 and not outcome.reached[school, k - 1]:
            lines.append(t("tier.below", lang, tier=name, lower=fw.tiers[k - 1].name.get(lang)))
        if not outcome.score_ok[school, k]:
            score, minimum = below_pair(score_100, tier.min_score)
            lines.append(t("tier.score", lang, tier=name, score=score, min=minimum))
        for v, veto in enumerate(tier.vetoes):
            if not outcome.veto_ok[k][school, v]:
                lines.append(
                    _veto_reason(fw, compiled, tier.name.get(lang), veto.item, veto.min_level, levels, school, lang)
                )
        for d, domain_id in enumerate(compiled.domain_ids):
            if not outcome.domain_ok[school, k, d]:
                domain = f"{domain_id} {fw.domains[d].title.get(lang)}"
                pct, minimum = below_pair(domain_pct[d], tier.domain_min_pct or 0)
                lines.append(t("tier.domain", lang, tier=name, domain=domain, pct=pct, min=minimum))
    return lines


def _veto_reason(
    fw: Framework,
    compiled: CompiledFramework,
    tier_name: str,
    item_id: str,
    min_level: str,
    levels: np.ndarray,
    school: int,
    lang: str,
) -> str:
    pos = compiled.item_position[item_id]
    code = int(levels[school, pos])
    actual = compiled.level_ids[pos][code] if code >= 0 else t("level.unrated" if code == UNRATED else "level.na", lang)
    item = fw.item(item_id)
    return t(
        "tier.veto",
        lang,
        tier=tier_name,
        item=f"{item_id} {item.title.get(lang)}",
        level=min_level,
        actual=actual,
    )


def _fmt(x: float, decimals: int = 1) -> str:
    """One decimal for display; full precision is kept inside."""
    return "—" if x is None or np.isnan(x) else f"{x:.{decimals}f}"


def below_pair(value: float, minimum: float) -> tuple[str, str]:
    """A value shown below its minimum: one decimal, more where rounding would show them equal (74.96 < 75)."""
    for decimals in (1, 2, 3, 6):
        shown = _fmt(value, decimals), _fmt(minimum, decimals)
        if shown[0] != shown[1]:
            return shown
    return shown
