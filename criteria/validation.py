"""Whole-framework rules that shape checks cannot see, each broken rule reported with its path."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from criteria.models import Framework, Item, QuantitativeItem
from i18n.problems import Problem

EPS = 1e-9


def path_of(loc: Iterable[str | int]) -> str:
    """A pydantic location as a readable path: `domains[2].indicators[0].items[3].points`."""
    parts = list(loc)
    out = ""
    for i, part in enumerate(parts):
        if isinstance(part, int):
            out += f"[{part}]"
        elif not _is_tag(parts, i):
            out += f".{part}" if out else str(part)
    return out


def _is_tag(parts: list[str | int], i: int) -> bool:
    """Whether `parts[i]` is the discriminator tag pydantic puts after an item's index."""
    return i >= 2 and parts[i - 2] == "items" and parts[i] in ("rubric", "quantitative", "check")


def _found(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def shape_problems(error: ValidationError) -> list[Problem]:
    """Pydantic's shape errors as problems with paths, expected and found."""
    problems = []
    for err in error.errors(include_url=False):
        kind = err["type"]
        path = path_of(err["loc"])
        ctx = err.get("ctx") or {}
        if kind == "missing":
            problems.append(Problem("fw.missing", {}, path=path))
        elif kind == "extra_forbidden":
            problems.append(Problem("fw.unknown_field", {"found": _found(err["input"])}, path=path))
        elif kind in ("enum", "literal_error", "union_tag_invalid"):
            expected = ctx.get("expected") or ctx.get("expected_tags") or ""
            tag = ctx.get("tag")
            if kind == "union_tag_invalid":
                path += f".{ctx.get('discriminator', 'method').strip(chr(39))}"
            problems.append(
                Problem("fw.not_one_of", {"expected": expected, "found": _found(tag or err["input"])}, path=path)
            )
        else:
            problems.append(
                Problem("fw.wrong_type", {"expected": err["msg"], "found": _found(err.get("input"))}, path=path)
            )
    return problems


def _duplicates(ids: Iterable[tuple[str, str]], what: str) -> Iterator[Problem]:
    """Problems for ids seen more than once; `ids` pairs each id with its path."""
    pairs = list(ids)
    counts = Counter(i for i, _ in pairs)
    seen: set[str] = set()
    for item_id, path in pairs:
        if counts[item_id] > 1 and item_id in seen:
            yield Problem("fw.duplicate_id", {"what": what, "found": item_id}, path=path)
        seen.add(item_id)


def semantic_problems(fw: Framework, metrics: Mapping[str, Any]) -> list[Problem]:
    """Every rule of the framework that is broken, in framework order."""
    problems: list[Problem] = []
    problems += _structure_problems(fw)
    problems += _item_problems(fw, metrics)
    problems += _tier_problems(fw)
    return problems


def _structure_problems(fw: Framework) -> list[Problem]:
    problems: list[Problem] = []
    if fw.total_points <= 0:
        problems.append(Problem("fw.positive", {"found": fw.total_points}, path="total_points"))
    if not fw.domains:
        problems.append(Problem("fw.empty", {"what": "domains"}, path="domains"))
    domain_ids, indicator_ids, item_ids = [], [], []
    total = 0.0
    for d, domain in enumerate(fw.domains):
        dp = f"domains[{d}]"
        domain_ids.append((domain.id, f"{dp}.id"))
        if not domain.indicators or not any(ind.items for ind in domain.indicators):
            problems.append(Problem("fw.empty_domain", {"found": domain.id}, path=f"{dp}.indicators"))
        for i, indicator in enumerate(domain.indicators):
            ip = f"{dp}.indicators[{i}]"
            indicator_ids.append((indicator.id, f"{ip}.id"))
            if not indicator.items:
                problems.append(Problem("fw.empty_indicator", {"found": indicator.id}, path=f"{ip}.items"))
            for k, item in enumerate(indicator.items):
                item_ids.append((item.id, f"{ip}.items[{k}].id"))
                total += item.points
    problems += _duplicates(domain_ids, "domain")
    problems += _duplicates(indicator_ids, "indicator")
    problems += _duplicates(item_ids, "item")
    if fw.domains and abs(total - fw.total_points) > EPS:
        problems.append(
            Problem(
                "fw.points_sum",
                {"expected": _num(fw.total_points), "found": _num(total)},
                path="total_points",
            )
        )
    return problems


def _num(x: float) -> str:
    return f"{x:g}"


def located_items(fw: Framework) -> Iterator[tuple[str, Item]]:
    """Every item with its own path (each occurrence, duplicates included)."""
    for d, domain in enumerate(fw.domains):
        for i, indicator in enumerate(domain.indicators):
            for k, item in enumerate(indicator.items):
                yield f"domains[{d}].indicators[{i}].items[{k}]", item


def _item_problems(fw: Framework, metrics: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for ip, item in located_items(fw):
        if item.points <= 0:
            problems.append(Problem("fw.positive", {"found": item.points}, path=f"{ip}.points"))
        if not item.applies_to:
            problems.append(Problem("fw.empty", {"what": "applies_to"}, path=f"{ip}.applies_to"))
        problems += _duplicates(((e.id, f"{ip}.evidence[{n}].id") for n, e in enumerate(item.evidence)), "evidence")
        if item.method == "check":
            continue
        problems += _level_problems(item.levels, ip)
        if isinstance(item, QuantitativeItem):
            problems += _rule_problems(item, ip, metrics)
    return problems


def _level_problems(levels: list[Any], ip: str) -> list[Problem]:
    problems: list[Problem] = []
    if len(levels) < 2:
        problems.append(Problem("fw.too_few_levels", {"found": len(levels)}, path=f"{ip}.levels"))
    problems += _duplicates(((lv.id, f"{ip}.levels[{n}].id") for n, lv in enumerate(levels)), "level")
    for n, level in enumerate(levels):
        lp = f"{ip}.levels[{n}]"
        if level.id.upper() == "NA":
            problems.append(Problem("fw.reserved_level", {"found": level.id}, path=f"{lp}.id"))
        if not 0.0 <= level.fraction <= 1.0:
            problems.append(Problem("fw.fraction_range", {"found": level.fraction}, path=f"{lp}.fraction"))
        elif n > 0 and level.fraction >= levels[n - 1].fraction:
            problems.append(
                Problem(
                    "fw.fraction_order",
                    {"previous": levels[n - 1].fraction, "found": level.fraction},
                    path=f"{lp}.fraction",
                )
            )
    return problems


def _rule_problems(item: QuantitativeItem, ip: str, metrics: Mapping[str, Any]) -> list[Problem]:
    rule = item.rule
    rp = f"{ip}.rule"
    problems: list[Problem] = []
    metric = metrics.get(rule.metric)
    if metric is None:
        problems.append(
            Problem(
                "fw.unknown_metric",
                {"expected": ", ".join(sorted(metrics)), "found": rule.metric},
                path=f"{rp}.metric",
            )
        )
    else:
        for name in rule.params:
            if name not in metric.params:
                expected = ", ".join(metric.params) or "-"
                problems.append(Problem("fw.unknown_param", {"expected": expected, "found": name}, path=f"{rp}.params"))
    order = {lv.id: n for n, lv in enumerate(item.levels)}
    if not rule.thresholds:
        problems.append(Problem("fw.empty", {"what": "thresholds"}, path=f"{rp}.thresholds"))
        return problems
    last = len(rule.thresholds) - 1
    for n, th in enumerate(rule.thresholds):
        tp = f"{rp}.thresholds[{n}]"
        if th.level not in order:
            problems.append(
                Problem("fw.unknown_level", {"expected": ", ".join(order), "found": th.level}, path=f"{tp}.level")
            )
        if (th.bound is None) != (n == last):
            key = "fw.fallback_last" if n == last else "fw.bound_missing"
            problems.append(Problem(key, {"found": th.bound}, path=f"{tp}.bound"))
        if n == 0:
            continue
        prev = rule.thresholds[n - 1]
        if prev.level in order and th.level in order and order[th.level] <= order[prev.level]:
            problems.append(
                Problem(
                    "fw.threshold_level_order",
                    {"previous": prev.level, "found": th.level},
                    path=f"{tp}.level",
                )
            )
        if th.bound is not None and prev.bound is not None:
            descending = rule.direction == "higher"
            if (th.bound >= prev.bound) if descending else (th.bound <= prev.bound):
                key = "fw.threshold_order_higher" if descending else "fw.threshold_order_lower"
                problems.append(Problem(key, {"previous": prev.bound, "found": th.bound}, path=f"{tp}.bound"))
    return problems


def _tier_problems(fw: Framework) -> list[Problem]:
    problems: list[Problem] = []
    if not fw.tiers:
        problems.append(Problem("fw.empty", {"what": "tiers"}, path="tiers"))
    problems += _duplicates(((tier.id, f"tiers[{n}].id") for n, tier in enumerate(fw.tiers)), "tier")
    items = {item.id: item for item in fw.items()}
    for n, tier in enumerate(fw.tiers):
        tp = f"tiers[{n}]"
        if not 0 <= tier.min_score <= 100:
            problems.append(Problem("fw.percent_range", {"found": tier.min_score}, path=f"{tp}.min_score"))
        if n > 0 and tier.min_score < fw.tiers[n - 1].min_score:
            problems.append(
                Problem(
                    "fw.tier_order",
                    {"previous": fw.tiers[n - 1].min_score, "found": tier.min_score},
                    path=f"{tp}.min_score",
                )
            )
        if tier.domain_min_pct is not None and not 0 <= tier.domain_min_pct <= 100:
            problems.append(Problem("fw.percent_range", {"found": tier.domain_min_pct}, path=f"{tp}.domain_min_pct"))
        for v, veto in enumerate(tier.vetoes):
            vp = f"{tp}.vetoes[{v}]"
            item = items.get(veto.item)
            if item is None:
                problems.append(Problem("fw.unknown_item", {"found": veto.item}, path=f"{vp}.item"))
                continue
            level_ids = [lv.id for lv in item.levels]
            if veto.min_level not in level_ids:
                problems.append(
                    Problem(
                        "fw.unknown_level",
                        {"expected": ", ".join(level_ids), "found": veto.min_level},
                        path=f"{vp}.min_level",
                    )
                )
    return problems
