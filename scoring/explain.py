"""Explain one school's result: every number traced to its item, rater, level and rule."""

from __future__ import annotations

from typing import Any

import numpy as np

from criteria.models import QuantitativeItem
from i18n.catalog import t
from scoring.compiled import NOT_APPLICABLE, RATED_NA, UNRATED
from scoring.decision import decide
from scoring.engine import VIEWS, DistrictResult
from scoring.improvement import improvement_path
from scoring.levels import ROLE_CODES, SOURCE_CONSENSUS, SOURCE_MEDIAN
from scoring.metrics import METRICS


def _level_word(result: DistrictResult, pos: int, code: int, lang: str) -> str:
    if code >= 0:
        return result.compiled.level_ids[pos][code]
    key = {UNRATED: "level.unrated", RATED_NA: "level.na", NOT_APPLICABLE: "explain.not_applicable"}[code]
    return t(key, lang)


def explain(result: DistrictResult, school_code: str, lang: str = "zh") -> dict[str, Any]:
    """A JSON-ready trace of one school's scores in both views."""
    n = result.row(school_code)
    fw = result.compiled.framework
    facts = result.facts.iloc[n]
    out: dict[str, Any] = {
        "school_code": school_code,
        "school_name": str(facts["school_name"]),
        "stages": str(facts["stages"]),
        "framework": f"{fw.id} {fw.version}",
        "items": [_item_trace(result, n, pos, lang) for pos in range(result.compiled.n_items)],
    }
    for view_name in VIEWS:
        view = result.view(view_name)
        path = improvement_path(view, n) if view.present[n] else None
        out[view_name] = {
            "present": bool(view.present[n]),
            "earned": float(view.earned[n]),
            "possible": float(view.possible[n]),
            "score_100": _num(view.score_100[n]),
            "tier": result.tier_name(int(view.tier_index[n]), lang),
            "decision": decide(result, school_code, view_name, lang).sentence,
            "unrated": int(view.unrated[n].sum()),
            "domains": [
                {
                    "domain": f"{d_id} {fw.domains[d].title.get(lang)}",
                    "earned": float(view.domain_earned[n, d]),
                    "possible": float(view.domain_possible[n, d]),
                    "pct": _num(view.domain_pct[n, d]),
                }
                for d, d_id in enumerate(result.compiled.domain_ids)
            ],
            "failed_conditions": result.reasons(school_code, view_name, lang) if view.present[n] else [],
            "improvement": None
            if path is None
            else {
                "tier": fw.tier(path.tier_id).name.get(lang),
                "steps": path.steps,
                "score_after": _num(path.score_after),
                "raises": [r.__dict__ for r in path.raises],
            },
        }
    out["overrating_points"] = _num(result.overrating[n])
    return out


def _num(x: float) -> float | None:
    return None if x is None or np.isnan(x) else float(x)


def _item_trace(result: DistrictResult, n: int, pos: int, lang: str) -> dict[str, Any]:
    compiled = result.compiled
    item = compiled.framework.items()[pos]
    trace: dict[str, Any] = {
        "item": item.id,
        "title": item.title.get(lang),
        "clause": item.clause,
        "method": item.method,
        "points": float(compiled.points[pos]),
    }
    for view_name in VIEWS:
        view = result.view(view_name)
        code = int(view.levels[n, pos])
        trace[view_name] = {
            "level": _level_word(result, pos, code, lang),
            "earned": float(view.earned_items[n, pos]),
            "counts": bool(view.possible_items[n, pos] > 0),
        }
    if isinstance(item, QuantitativeItem):
        q = compiled.quantitative.index(pos)
        metric = METRICS[item.rule.metric]
        trace["rule"] = {
            "metric": item.rule.metric,
            "label": metric.zh if lang == "zh" else metric.en,
            "value": _num(result.metric_values[n, q]),
            "facts": {f: float(result.facts.iloc[n][f]) for f in metric.needs},
            "thresholds": [(th.level, th.bound) for th in item.rule.thresholds],
            "direction": item.rule.direction,
        }
        override = result.override(str(result.schools[n]), item.id)
        if override is not None:
            trace["override"] = {
                "level": override.level,
                "computed": override.computed,
                "reason": override.reason,
                "by": override.by,
                "text": t(
                    "judgement.override.explain",
                    lang,
                    level=override.level,
                    computed=override.computed or t("judgement.override.none_computed", lang),
                    reason=override.reason,
                    by=override.by,
                ),
            }
    else:
        trace["inspectors"] = _inspector_votes(result, n, pos, lang)
        source = int(result.inspection_source[n, pos])
        trace["consensus_rule"] = (
            t("explain.by_consensus", lang)
            if source == SOURCE_CONSENSUS
            else t("explain.by_median", lang, n=int(result.inspector_counts[n, pos]))
            if source == SOURCE_MEDIAN
            else ""
        )
    gap = result.gap_items[n, pos]
    trace["gap"] = _num(gap)
    return trace


def _inspector_votes(result: DistrictResult, n: int, pos: int, lang: str) -> dict[str, str]:
    enc = result.ratings
    rows = np.flatnonzero((enc.school == n) & (enc.item == pos) & (enc.role != ROLE_CODES["self"]))
    votes = {}
    for r in rows:
        role = "consensus" if enc.role[r] == ROLE_CODES["consensus"] else "inspector"
        votes[f"{enc.raters[enc.rater[r]]} ({role})"] = _level_word(result, pos, int(enc.level[r]), lang)
    return votes


def render_explain(trace: dict[str, Any], lang: str = "zh") -> str:
    """The trace as plain text for a terminal or a log."""
    lines = [
        t(
            "explain.header",
            lang,
            code=trace["school_code"],
            name=trace["school_name"],
            stages=trace["stages"],
            framework=trace["framework"],
        )
    ]
    for view_name in VIEWS:
        v = trace[view_name]
        label = t(f"explain.view.{view_name}", lang)
        if not v["present"]:
            lines.append(f"[{label}] {t('result.no_ratings', lang)}")
            continue
        score = "—" if v["score_100"] is None else f"{v['score_100']:.1f}"
        lines.append(
            t(
                "explain.total",
                lang,
                view=label,
                earned=f"{v['earned']:g}",
                possible=f"{v['possible']:g}",
                score=score,
                tier=v["tier"],
                unrated=v["unrated"],
            )
        )
        for d in v["domains"]:
            pct = "—" if d["pct"] is None else f"{d['pct']:.1f}%"
            lines.append(f"    {d['domain']}: {d['earned']:g} / {d['possible']:g} = {pct}")
        lines.append(f"    {v['decision']}")
        lines += [f"    ✗ {reason}" for reason in v["failed_conditions"]]
        if v["improvement"]:
            imp = v["improvement"]
            steps = ", ".join(f"{r['item_id']} {r['from_level'] or '—'}→{r['to_level']}" for r in imp["raises"])
            lines.append(
                "    "
                + t(
                    "explain.path",
                    lang,
                    tier=imp["tier"],
                    steps=imp["steps"],
                    raises=steps,
                    score=f"{imp['score_after']:.1f}",
                )
            )
    lines.append(t("explain.items", lang))
    for it in trace["items"]:
        line = f"  {it['item']} [{it['clause']}] {it['title']} ({it['points']:g}): "
        line += "; ".join(f"{t(f'explain.view.{v}', lang)} {it[v]['level']} → {it[v]['earned']:.2f}" for v in VIEWS)
        if "rule" in it:
            rule = it["rule"]
            line += f"; {rule['label']} = {rule['value']} {rule['facts']}"
            if "override" in it:
                line += f"; {it['override']['text']}"
        elif it.get("inspectors"):
            line += "; " + ", ".join(f"{k}: {v}" for k, v in it["inspectors"].items()) + f" ({it['consensus_rule']})"
        if it["gap"] is not None and it["gap"] != 0:
            line += f"; {t('explain.gap', lang)} {it['gap']:+.2f}"
        lines.append(line)
    return "\n".join(lines)
