"""What changed between two versions of a criteria framework, as a list of changes in a stable order.

Items, tiers, vetoes and domains are matched by id. The order is the order of the frameworks: the
framework's total, then tiers (new order, then removed ones), then domains, then items (new order,
then removed items in old order); within one subject, changes follow `KINDS`. The same two frameworks
always give the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from criteria.models import CheckItem, Framework, Item, QuantitativeItem, QuantitativeRule, Tier
from i18n.catalog import t

KINDS: tuple[str, ...] = (
    "total_points",
    "tier_added",
    "tier_removed",
    "tier_min_score",
    "tier_domain_min",
    "veto_added",
    "veto_removed",
    "veto_level",
    "domain_added",
    "domain_removed",
    "item_added",
    "item_removed",
    "points",
    "moved",
    "method",
    "rule",
    "level_ids",
    "level_fraction",
    "level_text",
    "applies_to",
    "allow_na",
    "clause",
    "title",
)
"""Every kind of change, in the order they are listed and counted."""

NONE = "—"


@dataclass(frozen=True)
class Change:
    """One change: its kind, what it concerns (an item, tier or domain id) and the values before and after."""

    kind: str
    subject: str
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class FrameworkDiff:
    """The changes from `old` to `new`."""

    old: Framework
    new: Framework
    changes: tuple[Change, ...]

    def of_kind(self, kind: str) -> tuple[Change, ...]:
        """The changes of one kind."""
        return tuple(c for c in self.changes if c.kind == kind)

    def counts(self) -> dict[str, int]:
        """How many changes of each kind, in `KINDS` order, kinds without changes left out."""
        found = {kind: len(self.of_kind(kind)) for kind in KINDS}
        return {kind: n for kind, n in found.items() if n}

    def to_frame(self, lang: str = "zh") -> pd.DataFrame:
        """One row per change: kind, what changed in words, subject and its title, before, after."""
        titles = _titles(self.old, lang) | _titles(self.new, lang)
        rows = [
            {
                "kind": c.kind,
                "change": t(f"bureau.diff.{c.kind}", lang),
                "subject": c.subject,
                "title": titles.get(c.subject.split(": ")[-1], ""),
                "before": c.before,
                "after": c.after,
            }
            for c in self.changes
        ]
        return pd.DataFrame(rows, columns=["kind", "change", "subject", "title", "before", "after"])

    def summary(self, lang: str = "zh") -> str:
        """The changes counted in words, e.g. `2024.1 → 2025.1：新增项目 1 处；分值调整 2 处`."""
        head = t("bureau.diff.head", lang, old=self.old.version, new=self.new.version)
        counts = self.counts()
        if not counts:
            return head + t("bureau.diff.none", lang)
        parts = [t("bureau.diff.count", lang, kind=t(f"bureau.diff.{k}", lang), n=n) for k, n in counts.items()]
        return head + t("bureau.diff.sep", lang).join(parts)


def _titles(fw: Framework, lang: str) -> dict[str, str]:
    """Item, tier and domain id → its title (veto subjects `tier: item` resolve to the item)."""
    out = {fw.id: fw.name.get(lang)}
    out |= {tier.id: tier.name.get(lang) for tier in fw.tiers}
    out |= {domain.id: domain.title.get(lang) for domain in fw.domains}
    return out | {item.id: item.title.get(lang) for item in fw.items()}


def _num(x: float | None) -> str:
    return NONE if x is None else f"{x:g}"


def _union(old_ids: list[str], new_ids: list[str]) -> list[str]:
    """New ids in new order, then ids only in the old version, in old order."""
    known = set(new_ids)
    return new_ids + [i for i in old_ids if i not in known]


def _tier_changes(old: Tier | None, new: Tier | None, tier_id: str) -> list[Change]:
    if old is None or new is None:
        return [Change("tier_added" if old is None else "tier_removed", tier_id)]
    changes = []
    if old.min_score != new.min_score:
        changes.append(Change("tier_min_score", tier_id, _num(old.min_score), _num(new.min_score)))
    if old.domain_min_pct != new.domain_min_pct:
        changes.append(Change("tier_domain_min", tier_id, _num(old.domain_min_pct), _num(new.domain_min_pct)))
    old_vetoes = {v.item: v.min_level for v in old.vetoes}
    new_vetoes = {v.item: v.min_level for v in new.vetoes}
    for item_id in _union(list(old_vetoes), list(new_vetoes)):
        subject = f"{tier_id}: {item_id}"
        before, after = old_vetoes.get(item_id), new_vetoes.get(item_id)
        if before is None:
            changes.append(Change("veto_added", subject, NONE, str(after)))
        elif after is None:
            changes.append(Change("veto_removed", subject, before, NONE))
        elif before != after:
            changes.append(Change("veto_level", subject, before, after))
    return changes


def _placement(fw: Framework) -> dict[str, str]:
    """Item id → `domain/indicator`."""
    return {item.id: f"{d.id}/{ind.id}" for d in fw.domains for ind in d.indicators for item in ind.items}


def rule_text(rule: QuantitativeRule) -> str:
    """A rule in one line: metric, direction, thresholds and parameters."""
    sign = "≥" if rule.direction == "higher" else "≤"
    steps = ", ".join(f"{th.level} {sign} {th.bound:g}" if th.bound is not None else th.level for th in rule.thresholds)
    params = ", ".join(f"{k}={v:g}" for k, v in sorted(rule.params.items()))
    return f"{rule.metric}: {steps}" + (f" ({params})" if params else "")


def _level_changes(old: Item, new: Item) -> list[Change]:
    """Level ids, then fractions and texts of the levels both versions have."""
    old_levels, new_levels = list(old.levels), list(new.levels)
    changes = []
    old_ids, new_ids = [lv.id for lv in old_levels], [lv.id for lv in new_levels]
    if old_ids != new_ids:
        changes.append(Change("level_ids", new.id, ",".join(old_ids), ",".join(new_ids)))
    shared = [(o, n) for o in old_levels for n in new_levels if o.id == n.id]
    moved = [(o, n) for o, n in shared if o.fraction != n.fraction]
    if moved:
        before = ", ".join(f"{o.id} {o.fraction:g}" for o, _ in moved)
        after = ", ".join(f"{n.id} {n.fraction:g}" for _, n in moved)
        changes.append(Change("level_fraction", new.id, before, after))
    reworded = [o.id for o, n in shared if (o.label, o.descriptor) != (n.label, n.descriptor)]
    if reworded:
        changes.append(Change("level_text", new.id, ",".join(reworded), ",".join(reworded)))
    return changes


def _item_changes(old: Item, new: Item, old_place: str, new_place: str) -> list[Change]:
    changes = []
    if old.points != new.points:
        changes.append(Change("points", new.id, _num(old.points), _num(new.points)))
    if old_place != new_place:
        changes.append(Change("moved", new.id, old_place, new_place))
    if old.method != new.method:
        changes.append(Change("method", new.id, old.method, new.method))
    elif isinstance(old, QuantitativeItem) and isinstance(new, QuantitativeItem) and old.rule != new.rule:
        changes.append(Change("rule", new.id, rule_text(old.rule), rule_text(new.rule)))
    if not (isinstance(old, CheckItem) and isinstance(new, CheckItem)):
        changes += _level_changes(old, new)
    for kind, changed, before, after in (
        ("applies_to", set(old.applies_to) != set(new.applies_to), ",".join(old.applies_to), ",".join(new.applies_to)),
        ("allow_na", old.allow_na != new.allow_na, str(old.allow_na), str(new.allow_na)),
        ("clause", old.clause != new.clause, old.clause, new.clause),
        ("title", old.title != new.title, old.title.zh, new.title.zh),
    ):
        if changed:
            changes.append(Change(kind, new.id, before, after))
    return changes


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """Every change from `old` to `new`, in a stable order (see the module docstring)."""
    changes: list[Change] = []
    if old.total_points != new.total_points:
        changes.append(Change("total_points", new.id, _num(old.total_points), _num(new.total_points)))
    old_tiers, new_tiers = {x.id: x for x in old.tiers}, {x.id: x for x in new.tiers}
    for tier_id in _union(list(old_tiers), list(new_tiers)):
        changes += _tier_changes(old_tiers.get(tier_id), new_tiers.get(tier_id), tier_id)
    old_domains, new_domains = [d.id for d in old.domains], [d.id for d in new.domains]
    for domain_id in _union(old_domains, new_domains):
        if domain_id not in old_domains:
            changes.append(Change("domain_added", domain_id))
        elif domain_id not in new_domains:
            changes.append(Change("domain_removed", domain_id))
    old_items, new_items = {i.id: i for i in old.items()}, {i.id: i for i in new.items()}
    old_place, new_place = _placement(old), _placement(new)
    for item_id in _union(list(old_items), list(new_items)):
        if item_id not in old_items:
            changes.append(Change("item_added", item_id, NONE, _num(new_items[item_id].points)))
        elif item_id not in new_items:
            changes.append(Change("item_removed", item_id, _num(old_items[item_id].points), NONE))
        else:
            changes += _item_changes(old_items[item_id], new_items[item_id], old_place[item_id], new_place[item_id])
    return FrameworkDiff(old, new, tuple(changes))


def compatible_items(old: Framework, new: Framework) -> tuple[str, ...]:
    """Items both versions have with the same level ids in the same order (in `new` order): comparable levels."""
    old_levels = {item.id: [lv.id for lv in item.levels] for item in old.items()}
    return tuple(item.id for item in new.items() if old_levels.get(item.id) == [lv.id for lv in item.levels])
