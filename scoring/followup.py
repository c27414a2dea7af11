"""Follow-up of an inspection: a school's action plan, and how far it got by the next cycle.

Rules (the plan and the issue leave them open):
- actions come from the inspection view only, and only for a school with inspection ratings;
- the target tier is the next one above the tier reached; its failed vetoes, domain minimums and score
  minimum each give an action (tiers below it were reached, so their conditions hold);
- every raise of the improvement path to that tier gives an action on its item;
- every item with a finding (text from the caller) below its best level gives an action: one level
  above its inspection level (unrated aims at the lowest level); a finding on an item at its best level
  or N/A is a remark, not an action;
- an item gets one action: its kind is the most serious reason (veto, raise, finding) and its target
  the best level any reason asks for; the finding's text stays attached;
- the owner is a role derived from the item's domain (`OWNER_BY_DOMAIN`, for the bundled framework's
  domains A1–A7; other domains and the total score go to the principal).
In the next cycle an item action is met when the item is at or above its target level; a domain or
score action when the condition now holds; unknown (None) when the item, level or domain is gone, the
item is N/A, or the school has no inspection ratings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from criteria.models import Framework
from i18n.catalog import t
from scoring.compiled import UNRATED
from scoring.engine import DistrictResult
from scoring.improvement import improvement_path
from scoring.tiers import EPS

KINDS: tuple[str, ...] = ("veto", "raise", "finding", "domain", "score")
"""Action kinds, most serious first (also the order of a plan)."""

OWNER_ROLES: tuple[str, ...] = ("principal", "moral_director", "psych_teacher")
DEFAULT_OWNER = "principal"
OWNER_BY_DOMAIN: Mapping[str, str] = {
    "A1": "principal",  # organisation and management
    "A2": "principal",  # conditions: room, budget, staffing
    "A3": "moral_director",  # staff training and the mentor system
    "A4": "psych_teacher",  # course and activities
    "A5": "psych_teacher",  # screening, warning and crisis intervention
    "A6": "moral_director",  # home, school and community
    "A7": "psych_teacher",  # research and distinctive practice
}
"""Domain id → the role that owns its actions (校长, 德育主任, 心理教师)."""


@dataclass(frozen=True)
class Action:
    """One action of a school's plan: what to reach, on which item or condition, who owns it, by when."""

    school_code: str
    kind: str
    owner: str
    due: date
    item_id: str | None = None
    domain_id: str | None = None
    clause: str = ""
    current_level: str | None = None
    target_level: str | None = None
    current_value: float | None = None
    target_value: float | None = None
    tier_id: str | None = None
    finding: str = ""


def _owner(domain_id: str | None, owners: Mapping[str, str]) -> str:
    return owners.get(domain_id, DEFAULT_OWNER) if domain_id is not None else DEFAULT_OWNER


class _Plan:
    """Item actions collected by position (merging reasons), then condition actions."""

    def __init__(self, result: DistrictResult, n: int, due: date, owners: Mapping[str, str]) -> None:
        self.result, self.n, self.due, self.owners = result, n, due, owners
        self.framework_items = result.compiled.framework.items()
        self.items: dict[int, Action] = {}
        self.conditions: list[Action] = []

    def item(self, pos: int, kind: str, target: int, tier_id: str | None = None, finding: str = "") -> None:
        """Add an action on the item at `pos`, or merge the reason into the item's action."""
        compiled = self.result.compiled
        code = int(self.result.inspection.levels[self.n, pos])
        ids = compiled.level_ids[pos]
        before = self.items.get(pos)
        if before is not None:
            kind = min(kind, before.kind, key=KINDS.index)
            target = min(target, ids.index(before.target_level or ids[-1]))
            tier_id, finding = tier_id or before.tier_id, finding or before.finding
        domain_id = compiled.domain_ids[compiled.item_domain[pos]]
        self.items[pos] = Action(
            school_code=str(self.result.schools[self.n]),
            kind=kind,
            owner=_owner(domain_id, self.owners),
            due=self.due,
            item_id=compiled.item_ids[pos],
            domain_id=domain_id,
            clause=self.framework_items[pos].clause,
            current_level=ids[code] if code >= 0 else None,
            target_level=ids[target],
            tier_id=tier_id,
            finding=finding,
        )

    def actions(self) -> list[Action]:
        """Item actions, most serious kind first, then in framework order; then the conditions."""
        ordered = sorted(self.items.items(), key=lambda pair: (KINDS.index(pair[1].kind), pair[0]))
        return [action for _, action in ordered] + self.conditions


def _finding_target(result: DistrictResult, n: int, pos: int) -> int | None:
    """One level above the inspection level; the lowest level when unrated; None at the best level or N/A."""
    code = int(result.inspection.levels[n, pos])
    if code == UNRATED:
        return int(result.compiled.n_levels[pos]) - 1
    return code - 1 if code > 0 else None


def _tier_conditions(plan: _Plan, k: int) -> None:
    """Failed vetoes, domain minimums and score minimum of tier k."""
    result, n = plan.result, plan.n
    view, compiled = result.inspection, result.compiled
    tier = compiled.framework.tiers[k]
    outcome = view.tiers
    for v, veto in enumerate(tier.vetoes):
        if not outcome.veto_ok[k][n, v]:
            pos = compiled.item_position[veto.item]
            plan.item(pos, "veto", compiled.level_index(veto.item, veto.min_level), tier.id)
    school = str(result.schools[n])
    for d, domain_id in enumerate(compiled.domain_ids):
        if not outcome.domain_ok[n, k, d]:
            plan.conditions.append(
                Action(
                    school,
                    "domain",
                    _owner(domain_id, plan.owners),
                    plan.due,
                    domain_id=domain_id,
                    current_value=float(view.domain_pct[n, d]),
                    target_value=tier.domain_min_pct,
                    tier_id=tier.id,
                )
            )
    if not outcome.score_ok[n, k]:
        plan.conditions.append(
            Action(
                school,
                "score",
                DEFAULT_OWNER,
                plan.due,
                current_value=float(view.score_100[n]),
                target_value=tier.min_score,
                tier_id=tier.id,
            )
        )


def action_plan(
    result: DistrictResult,
    school_code: str,
    due: date,
    findings: Mapping[str, str] | None = None,
    owners: Mapping[str, str] = OWNER_BY_DOMAIN,
) -> list[Action]:
    """A school's actions from its inspection result (empty without inspection ratings); see the module rules."""
    n = result.row(school_code)
    view = result.inspection
    if not view.present[n]:
        return []
    plan = _Plan(result, n, due, owners)
    target = int(view.tier_index[n]) + 1
    if target < len(result.compiled.framework.tiers):
        _tier_conditions(plan, target)
        path = improvement_path(view, n)
        for r in path.raises if path is not None else ():
            pos = result.compiled.item_position[r.item_id]
            plan.item(pos, "raise", result.compiled.level_index(r.item_id, r.to_level), path.tier_id)
    for item_id, text in (findings or {}).items():
        pos = result.compiled.item_position.get(item_id)
        target_code = None if pos is None else _finding_target(result, n, pos)
        if text.strip() and pos is not None and target_code is not None:
            plan.item(pos, "finding", target_code, finding=text.strip())
    return plan.actions()


FINDING_END = "。；;.，, "
"""Trailing punctuation taken off each finding before findings are joined."""


def findings_of(ratings: pd.DataFrame, school_code: str, lang: str = "zh") -> dict[str, str]:
    """Item → finding of one school: the lead's consensus finding, else the inspectors' findings joined."""
    if "finding" not in ratings.columns:
        return {}
    rows = ratings[
        (ratings["school_code"].astype(str) == school_code) & (ratings["finding"].astype(str).str.strip() != "")
    ]
    out: dict[str, str] = {}
    for role in ("consensus", "inspector"):
        mine = rows[rows["role"].astype(str) == role]
        for item_id, group in mine.groupby(mine["item_id"].astype(str), sort=False):
            texts = dict.fromkeys(text.strip().rstrip(FINDING_END) for text in group["finding"].astype(str))
            out.setdefault(str(item_id), t("bureau.finding_sep", lang).join(texts))
    return out


def _level_word(level: str | None, lang: str) -> str:
    return level if level is not None else t("level.unrated", lang)


def action_text(action: Action, framework: Framework, lang: str = "zh") -> str:
    """The action in one sentence (the finding appended), with titles from `framework` where it has them."""
    tier = {x.id: x.name.get(lang) for x in framework.tiers}.get(action.tier_id or "", "")
    if action.kind in ("domain", "score"):
        domains = {d.id: f"{d.id} {d.title.get(lang)}" for d in framework.domains}
        current, target = _fmt(action.current_value), _fmt(action.target_value)
        domain = domains.get(action.domain_id or "", "")
        return t(f"bureau.action.{action.kind}", lang, domain=domain, tier=tier, current=current, target=target)
    titles = {item.id: f"{item.id} {item.title.get(lang)}" for item in framework.items()}
    text = t(
        f"bureau.action.{action.kind}",
        lang,
        item=titles.get(action.item_id or "", action.item_id),
        tier=tier,
        finding=action.finding,
        current=_level_word(action.current_level, lang),
        target=action.target_level,
    )
    if action.finding and action.kind != "finding":
        text += t("bureau.finding_sep", lang) + action.finding
    return text


def _fmt(x: float | None) -> str:
    return "—" if x is None or np.isnan(x) else f"{x:.1f}"


def plan_frame(actions: list[Action], framework: Framework, lang: str = "zh") -> pd.DataFrame:
    """One row per action for tables: ids, clause, levels, owner and kind in words, due date, the sentence."""
    rows = [
        {
            "school_code": a.school_code,
            "kind": a.kind,
            "kind_label": t(f"bureau.kind.{a.kind}", lang),
            "item_id": a.item_id or "",
            "domain_id": a.domain_id or "",
            "clause": a.clause,
            "current": a.current_level if a.current_level is not None else _fmt(a.current_value),
            "target": a.target_level if a.target_level is not None else _fmt(a.target_value),
            "owner": t(f"bureau.owner.{a.owner}", lang),
            "due": a.due,
            "action": action_text(a, framework, lang),
        }
        for a in actions
    ]
    columns = [
        "school_code",
        "kind",
        "kind_label",
        "item_id",
        "domain_id",
        "clause",
        "current",
        "target",
        "owner",
        "due",
        "action",
    ]
    return pd.DataFrame(rows, columns=columns)


def action_met(action: Action, result: DistrictResult) -> tuple[str | float | None, bool | None]:
    """Where the school stands now on one action (level or value) and whether it is met (None: unknown)."""
    if action.school_code not in result.schools:
        return None, None
    n = result.row(action.school_code)
    view = result.inspection
    if not view.present[n]:
        return None, None
    if action.kind == "score":
        now = float(view.score_100[n])
        return now, bool(now >= (action.target_value or 0) - EPS)
    if action.kind == "domain":
        if action.domain_id not in result.compiled.domain_ids:
            return None, None
        now = float(view.domain_pct[n, result.compiled.domain_ids.index(action.domain_id)])
        return (None, None) if np.isnan(now) else (now, bool(now >= (action.target_value or 0) - EPS))
    return _item_met(action, result, n)


def _item_met(action: Action, result: DistrictResult, n: int) -> tuple[str | None, bool | None]:
    compiled = result.compiled
    pos = compiled.item_position.get(action.item_id or "")
    if pos is None:
        return None, None
    ids = compiled.level_ids[pos]
    code = int(result.inspection.levels[n, pos])
    now = ids[code] if code >= 0 else None
    if action.target_level not in ids or (code < 0 and code != UNRATED):
        return now, None
    return now, bool(code >= 0 and code <= ids.index(action.target_level))


def plan_progress(actions: list[Action], result: DistrictResult) -> pd.DataFrame:
    """The plan against the next cycle's result: each action with `now` (level or value) and `met`."""
    rows = []
    for a in actions:
        now, met = action_met(a, result)
        rows.append(
            {
                "school_code": a.school_code,
                "kind": a.kind,
                "item_id": a.item_id or "",
                "domain_id": a.domain_id or "",
                "target": a.target_level or a.target_value,
                "now": now,
                "met": met,
            }
        )
    return pd.DataFrame(rows, columns=["school_code", "kind", "item_id", "domain_id", "target", "now", "met"])
