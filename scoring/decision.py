"""The decision on one school and its reason in one sentence, in the words inspectors use.

Pure: from a scored result to text. The lowest tier (达标校) decides 达标 / 未达标 and comes first;
what a school that passed still lacks for the next tier (示范校) is said separately, as a distance.

- passed the top tier: `总分 100.0 分，达到示范校的全部要求，评为示范校。`
- passed the lowest tier: `总分 92.0 分，达到达标线（75 分），无一票否决项，达标。`
- score reached, a veto failed: `总分达到达标线（79.5 分，达标线 75 分），但因“A2.1.1 心理辅导室”未达要求（须达 C 级，
  实为 D 级）一票否决，未达标。`
- score below: `总分 62.6 分，低于达标线 75 分（A4 课程与活动扣 9.1 分、…），且因…一票否决，未达标。`

Deductions (扣分) are by domain (一级指标) and scaled to the 0-100 score, so that they add up to
100 − score: a domain's deduction is 100 × (its applicable points − its points earned) ÷ the school's
applicable points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from i18n.catalog import t
from scoring.compiled import UNRATED
from scoring.engine import DistrictResult
from scoring.tiers import EPS, below_pair

MIN_DEDUCTION = 0.05
"""Deductions that would show as 0.0 are left out of the list."""
SENTENCE_DEDUCTIONS = 3
"""A score below the pass mark names the domains that lost most, this many; the full list follows."""


@dataclass(frozen=True)
class Decision:
    """The decision on one school in one view, and its reasons."""

    present: bool
    passed: bool  # reached the lowest tier (达标)
    tier_index: int  # highest tier reached, -1 for none
    sentence: str  # the decision and its reason in one sentence
    deductions: str  # 扣分 by 一级指标 in one sentence ('' when there are no ratings)
    next_tier: str  # the distance to the next tier in one sentence ('' at the top, or when the lowest failed)
    vetoes_failed: tuple[str, ...]  # item ids of the lowest tier's failed vetoes

    @property
    def lines(self) -> tuple[str, ...]:
        """The sentence, the distance to the next tier and the deductions, those that say something."""
        return tuple(line for line in (self.sentence, self.next_tier, self.deductions) if line)


def _num(x: float, decimals: int = 1) -> str:
    return "—" if x is None or math.isnan(x) else f"{x:.{decimals}f}"


def _bound(x: float) -> str:
    """A pass mark as written in the framework: 75, 92.5."""
    return f"{x:g}"


def deductions(result: DistrictResult, n: int, view: str = "inspection") -> list[tuple[str, str, float]]:
    """(domain id, title in Chinese, deduction on the 0-100 scale) per domain that lost points, most first."""
    v = result.view(view)
    possible = float(v.possible[n])
    if possible <= 0:
        return []
    fw = result.compiled.framework
    lost = 100.0 * (v.domain_possible[n] - v.domain_earned[n]) / possible
    order = np.argsort(-lost, kind="stable")
    return [(fw.domains[d].id, fw.domains[d].title.zh, float(lost[d])) for d in order if lost[d] >= MIN_DEDUCTION]


def _deduction_list(result: DistrictResult, n: int, view: str, lang: str, most: int | None = None) -> str:
    """The domains' deductions in words, most first; with `most`, the first few and 等."""
    fw = result.compiled.framework
    titles = {d.id: d.title.get(lang) for d in fw.domains}
    sep = t("judgement.list_sep", lang)
    lost = deductions(result, n, view)
    shown = sep.join(
        t("judgement.deduction", lang, domain=f"{d} {titles[d]}", points=_num(x)) for d, _, x in lost[:most]
    )
    return t("judgement.more", lang, list=shown) if most is not None and len(lost) > most else shown


def _level_word(result: DistrictResult, pos: int, code: int, lang: str) -> str:
    if code >= 0:
        return t("judgement.level", lang, level=result.compiled.level_ids[pos][code])
    return t("level.unrated" if code == UNRATED else "level.na", lang)


def _failed_vetoes(result: DistrictResult, n: int, view: str, k: int, lang: str) -> list[tuple[str, str]]:
    """(item id, words) of every failed veto of tier k."""
    v = result.view(view)
    tier = result.compiled.framework.tiers[k]
    out = []
    for j, veto in enumerate(tier.vetoes):
        if v.tiers.veto_ok[k][n, j]:
            continue
        pos = result.compiled.item_position[veto.item]
        item = result.compiled.framework.item(veto.item)
        actual = _level_word(result, pos, int(v.levels[n, pos]), lang)
        words = t(
            "judgement.veto_item",
            lang,
            item=f"{veto.item} {item.title.get(lang)}",
            level=t("judgement.level", lang, level=veto.min_level),
            actual=actual,
        )
        out.append((veto.item, words))
    return out


def _failed_domains(result: DistrictResult, n: int, view: str, k: int, lang: str) -> list[str]:
    v = result.view(view)
    fw = result.compiled.framework
    minimum = fw.tiers[k].domain_min_pct or 0.0
    return [
        t(
            "judgement.domain_item",
            lang,
            domain=f"{d.id} {d.title.get(lang)}",
            pct=below_pair(float(v.domain_pct[n, j]), minimum)[0],
        )
        for j, d in enumerate(fw.domains)
        if not v.tiers.domain_ok[n, k, j]
    ]


def decide(result: DistrictResult, school_code: str, view: str = "inspection", lang: str = "zh") -> Decision:
    """The decision on one school in one view, its reason in one sentence, the deductions and the distance."""
    n = result.row(school_code)
    v = result.view(view)
    if not v.present[n]:
        return Decision(False, False, -1, t(f"judgement.none.{view}", lang), "", "", ())
    fw = result.compiled.framework
    reached = int(v.tier_index[n])
    score = float(v.score_100[n])
    listed = _deduction_list(result, n, view, lang)
    cut = t("judgement.deductions", lang, list=listed) if listed else t("judgement.deductions.none", lang)
    if reached >= 0:
        top = reached == len(fw.tiers) - 1
        name = fw.tiers[reached].name.get(lang)
        if top:
            sentence = t("judgement.top", lang, score=_num(score), tier=name)
        else:
            sentence = t("judgement.pass", lang, score=_num(score), min=_bound(fw.tiers[0].min_score), tier=name)
        gap = "" if top else _distance(result, n, view, reached + 1, lang)
        return Decision(True, True, reached, sentence, cut, gap, ())
    vetoes = _failed_vetoes(result, n, view, 0, lang)
    domains = _failed_domains(result, n, view, 0, lang)
    sep = t("judgement.list_sep", lang)
    reasons = []
    if vetoes:
        reasons.append(t("judgement.vetoed", lang, items=sep.join(w for _, w in vetoes)))
    if domains:
        reasons.append(
            t("judgement.domains", lang, domains=sep.join(domains), min=_bound(fw.tiers[0].domain_min_pct or 0))
        )
    joined = t("judgement.and", lang).join(reasons)
    minimum = fw.tiers[0].min_score
    if bool(v.tiers.score_ok[n, 0]):
        sentence = t("judgement.fail.score_ok", lang, score=_num(score), min=_bound(minimum), reasons=joined)
    else:
        shown, _ = below_pair(score, minimum)
        most = _deduction_list(result, n, view, lang, SENTENCE_DEDUCTIONS)
        low = t("judgement.score_low", lang, score=shown, min=_bound(minimum), list=most or "—")
        sentence = (
            t("judgement.fail.score_low_and", lang, low=low, reasons=joined)
            if reasons
            else t("judgement.fail.score_low", lang, low=low)
        )
    return Decision(True, False, -1, sentence, cut, "", tuple(item for item, _ in vetoes))


def _distance(result: DistrictResult, n: int, view: str, k: int, lang: str) -> str:
    """What tier k still needs, in one sentence: score, vetoes, domains."""
    v = result.view(view)
    tier = result.compiled.framework.tiers[k]
    parts = []
    score = float(v.score_100[n])
    if not v.tiers.score_ok[n, k]:
        short = max(math.ceil((tier.min_score - score) * 10 - EPS) / 10, 0.1)
        parts.append(t("judgement.gap.score", lang, points=_num(short), min=_bound(tier.min_score)))
    for _, words in _failed_vetoes(result, n, view, k, lang):
        parts.append(t("judgement.gap.veto", lang, item=words))
    fw = result.compiled.framework
    for j, d in enumerate(fw.domains):
        if not v.tiers.domain_ok[n, k, j]:
            parts.append(
                t(
                    "judgement.gap.domain",
                    lang,
                    domain=f"{d.id} {d.title.get(lang)}",
                    min=_bound(tier.domain_min_pct or 0),
                    pct=_num(float(v.domain_pct[n, j])),
                )
            )
    if not parts:
        return ""
    return t("judgement.gap", lang, tier=tier.name.get(lang), parts=t("judgement.gap_sep", lang).join(parts))
