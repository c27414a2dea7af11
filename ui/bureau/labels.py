"""Words for what the bureau's tables show: tiers, stages, ownership, domains, yes/no, and column headers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from criteria import Framework, Stage
from i18n import t
from scoring.compare import NO_TIER
from scoring.facts import STAGE_LABELS
from store.records import Ownership, Status
from ui import state
from ui.text import tr

NOT_ASSESSED = "not_assessed"


def catalog_words(prefix: str) -> Callable[[str], str]:
    """A widget's `format_func`: `prefix + value` from the catalog, in the language of this run."""
    lang = state.lang()
    return lambda value: t(f"{prefix}{value}", lang)


def tier_word(framework: Framework, tier_id: str, lang: str) -> str:
    """A tier id (`none`, `not_assessed`, '' for no ratings, or a framework tier) in words."""
    if tier_id == NO_TIER:
        return tr("tier.none")
    if tier_id in (NOT_ASSESSED, ""):
        return tr("bureau.tier.not_assessed")
    names = {t.id: t.name.get(lang) for t in framework.tiers}
    return names.get(tier_id, tier_id)


def tier_words(framework: Framework, tier_ids: Iterable[str], lang: str) -> list[str]:
    """Tier ids in words."""
    return [tier_word(framework, str(t), lang) for t in tier_ids]


def stage_word(stage: Stage | str, lang: str) -> str:
    """A stage in words."""
    zh, en = STAGE_LABELS[Stage(stage)]
    return en if lang == "en" else zh


def stages_text(stages: str, lang: str) -> str:
    """`primary;junior` in words."""
    parts = [s for s in str(stages).split(";") if s in Stage.__members__.values()]
    return tr("bureau.list_sep").join(stage_word(s, lang) for s in parts) or str(stages)


def ownership_word(value: str) -> str:
    """Ownership (public or private) in words; '' stays ''."""
    return tr(f"bureau.ownership.{value}") if value in Ownership.__members__.values() else str(value)


def status_word(status: Status | str) -> str:
    """An assessment status in words."""
    return tr(f"store.status.{Status(status).value}")


def domain_titles(framework: Framework, lang: str) -> dict[str, str]:
    """Domain id → `A1 组织管理`."""
    return {d.id: f"{d.id} {d.title.get(lang)}" for d in framework.domains}


def item_titles(framework: Framework, lang: str) -> dict[str, str]:
    """Item id → its title."""
    return {i.id: i.title.get(lang) for i in framework.items()}


def yes_no(value: object) -> str:
    """True → 是, False → 否, None/NaN → —."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "—"
    return tr("app.yes") if bool(value) else tr("app.no")


def met_word(value: object) -> str:
    """Met / not met / unknown."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return tr("bureau.met.unknown")
    return tr("bureau.met.yes") if bool(value) else tr("bureau.met.no")


def headers(frame: pd.DataFrame, keys: Mapping[str, str]) -> pd.DataFrame:
    """The frame's columns renamed to catalog words (`keys`: column → catalog key), others unchanged."""
    return frame.rename(columns={c: tr(k) for c, k in keys.items() if c in frame.columns})
