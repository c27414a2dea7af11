"""Every label the bureau core builds from a key exists in Chinese and English."""

from __future__ import annotations

from criteria.diff import KINDS as DIFF_KINDS
from i18n.catalog import MESSAGES
from scoring.followup import KINDS as ACTION_KINDS
from scoring.followup import OWNER_BY_DOMAIN, OWNER_ROLES
from scoring.targets import TARGETS


def test_built_keys_are_in_the_catalog_in_both_languages():
    keys = [f"bureau.diff.{k}" for k in DIFF_KINDS]
    keys += [f"bureau.kind.{k}" for k in ACTION_KINDS] + [f"bureau.action.{k}" for k in ACTION_KINDS]
    keys += [f"bureau.owner.{r}" for r in OWNER_ROLES]
    keys += [f"bureau.target.{x.id}" for x in TARGETS] + [f"bureau.source.{x.source}" for x in TARGETS]
    keys += [f"bureau.unit.{x.unit}" for x in TARGETS] + [f"bureau.goal.{x.comparison}" for x in TARGETS]
    missing = [k for k in keys if not (MESSAGES.get(k, {}).get("zh") and MESSAGES[k].get("en"))]
    assert missing == []
    assert set(OWNER_BY_DOMAIN.values()) <= set(OWNER_ROLES)
