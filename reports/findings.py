"""Strengths, problems and recommendations of one school, chosen by fixed rules from its scores.

Rules (the issue is silent on them; CDC's School Health Index lists up to ten of each):
- strengths: domains at 90% or more, then items at their best level, most points first; ten at most;
- problems: items earning less than 80% of their points (most points lost first, ten at most), items
  left unrated, evidence judged insufficient, and a self-assessment 5 points or more above the inspection;
- recommendations: the improvement path to the next tier (the fewest one-level raises, only to levels
  the school can reach), each raise written as what to do: the item's `action` in the framework, or,
  for a framework without actions, what the level to reach looks like (never the words of a level
  below it); an item not rated yet says so.
"""

from __future__ import annotations

import math

import numpy as np

from criteria.models import Item
from i18n.catalog import t
from reports.context import ReportContext
from reports.text import fmt_points, fmt_score
from scoring.engine import DistrictResult
from scoring.improvement import Raise, improvement_path

STRONG_DOMAIN_PCT = 90.0
WEAK_FRACTION = 0.8
OVERRATING_POINTS = 5.0
MAX_LINES = 10


def _item_label(result: DistrictResult, pos: int, lang: str) -> str:
    item = result.compiled.framework.items()[pos]
    return f"{item.id} {item.title.get(lang)}"


def _level_label(result: DistrictResult, pos: int, code: int, lang: str) -> str:
    level = result.compiled.framework.items()[pos].levels[code]
    return f"{level.id} {level.label.get(lang)}"


def strengths(result: DistrictResult, n: int, view: str, lang: str) -> list[str]:
    """Strong domains, then items at their best level (most points first)."""
    v = result.view(view)
    if not v.present[n]:
        return []
    fw = result.compiled.framework
    lines = [
        t("report.strength.domain", lang, domain=f"{d.id} {d.title.get(lang)}", pct=fmt_score(v.domain_pct[n, k]))
        for k, d in enumerate(fw.domains)
        if not math.isnan(v.domain_pct[n, k]) and v.domain_pct[n, k] >= STRONG_DOMAIN_PCT
    ]
    best = np.flatnonzero((v.levels[n] == 0) & (v.possible_items[n] > 0))
    best = best[np.argsort(-result.compiled.points[best], kind="stable")]
    for pos in best[: max(0, MAX_LINES - len(lines))]:
        lines.append(
            t(
                "report.strength.item",
                lang,
                item=_item_label(result, pos, lang),
                level=_level_label(result, pos, 0, lang),
            )
        )
    return lines


def problems(ctx: ReportContext, view: str, lang: str) -> list[str]:
    """Weak items, unrated items, insufficient evidence and a marked overrating, in that order."""
    result, n = ctx.result, ctx.row
    v = result.view(view)
    if not v.present[n]:
        return []
    lines = _weak_items(ctx, view, lang)
    if v.unrated[n].sum():
        lines.append(t("report.problem.unrated", lang, n=int(v.unrated[n].sum())))
    weak_evidence = [item_id for item_id in result.compiled.item_ids if ctx.verdict(item_id) is False]
    if weak_evidence:
        lines.append(t("report.problem.evidence", lang, items=", ".join(weak_evidence)))
    if view == "inspection" and result.overrating[n] >= OVERRATING_POINTS:
        lines.append(t("report.problem.overrating", lang, points=fmt_points(float(result.overrating[n]))))
    return lines


def _weak_items(ctx: ReportContext, view: str, lang: str) -> list[str]:
    result, n = ctx.result, ctx.row
    v = result.view(view)
    possible = v.possible_items[n]
    lost = possible - v.earned_items[n]
    weak = np.flatnonzero((possible > 0) & (v.levels[n] >= 0) & (v.earned_items[n] < WEAK_FRACTION * possible))
    weak = weak[np.argsort(-lost[weak], kind="stable")][:MAX_LINES]
    lines = []
    for pos in weak:
        item_id = result.compiled.item_ids[pos]
        finding = ctx.note(item_id).finding if view == "inspection" else ""
        line = t(
            "report.problem.item",
            lang,
            item=_item_label(result, pos, lang),
            level=_level_label(result, pos, int(v.levels[n, pos]), lang),
            lost=fmt_points(float(lost[pos])),
        )
        lines.append(f"{line}{t('report.problem.finding', lang, finding=finding)}" if finding else line)
    return lines


def recommendations(result: DistrictResult, n: int, view: str, lang: str) -> list[str]:
    """The improvement path to the next tier in words; a line of its own when at the top or out of reach."""
    v = result.view(view)
    if not v.present[n]:
        return []
    tiers = result.compiled.framework.tiers
    reached = int(v.tier_index[n])
    if reached == len(tiers) - 1:
        return [t("report.rec.top", lang, tier=tiers[reached].name.get(lang))]
    path = improvement_path(v, n)
    target = tiers[reached + 1].name.get(lang)
    if path is None:
        return [t("report.rec.out_of_reach", lang, tier=target)]
    head = t("report.rec.path", lang, tier=target, steps=path.steps, score=fmt_score(path.score_after))
    return [head, *(_raise_line(result, r, lang) for r in path.raises)]


def what_to_do(item: Item, to_level: str, lang: str) -> str:
    """What a school does to raise `item` to `to_level`: its action, else what the level looks like."""
    target = next((lv for lv in item.levels if lv.id == to_level), None)
    if target is not None and target.action is not None:
        return target.action.get(lang)
    if item.action is not None:
        return item.action.get(lang)
    if target is not None and target.descriptor is not None:
        return t("judgement.rec.reach", lang, what=target.descriptor.get(lang))
    return t("judgement.rec.check", lang, title=item.title.get(lang))


def _raise_line(result: DistrictResult, r: Raise, lang: str) -> str:
    pos = result.compiled.item_position[r.item_id]
    item = result.compiled.framework.items()[pos]
    key = "judgement.rec.raise" if r.from_level is not None else "judgement.rec.rate"
    return t(
        key,
        lang,
        item=_item_label(result, pos, lang),
        start=r.from_level,
        end=r.to_level,
        gain=fmt_points(r.gain),
        action=what_to_do(item, r.to_level, lang),
    )
