"""Pydantic models of a criteria framework: tiers, domains, indicators, items, levels and rules.

The models check shape and types only; the rules that span the whole framework (unique ids, point
sums, level order, references) live in `criteria.validation`, so that every problem is reported at
once with its path.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class Stage(StrEnum):
    """School stages an item can apply to; a nine-year or complete school carries several."""

    PRIMARY = "primary"
    JUNIOR = "junior"
    SENIOR = "senior"
    VOCATIONAL = "vocational"
    SPECIAL = "special"


ALL_STAGES: tuple[Stage, ...] = tuple(Stage)

NA = "NA"
"""The level id a rater uses for 'not applicable' where the item allows it."""


class Strict(BaseModel):
    """Frozen, strict base: unknown fields are errors, instances never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Text(Strict):
    """A label in Chinese (required) and English (optional)."""

    zh: Annotated[str, Field(min_length=1)]
    en: str | None = None

    def get(self, lang: str) -> str:
        """The label in `lang`, falling back to Chinese."""
        return (self.en if lang == "en" else None) or self.zh


class Level(Strict):
    """One rubric level: a label, what it looks like, and the share of the item's points it earns."""

    id: Annotated[str, Field(min_length=1, max_length=16)]
    label: Text
    descriptor: Text | None = None
    fraction: float
    action: Text | None = None
    """What a school does to reach this level, where it differs from the item's `action`."""


class EvidenceRequirement(Strict):
    """A piece of evidence the school is asked to attach to an item."""

    id: Annotated[str, Field(min_length=1)]
    title: Text
    required: bool = True


class Threshold(Strict):
    """Level reached when the metric is at least (or, for 'lower is better', at most) `bound`."""

    level: str
    bound: float | None = None


class QuantitativeRule(Strict):
    """Maps a named metric of school facts to a level; the last threshold is the fallback (no bound)."""

    metric: str
    direction: Literal["higher", "lower"] = "higher"
    thresholds: list[Threshold]
    params: dict[str, float] = Field(default_factory=dict)


class _ItemBase(Strict):
    id: Annotated[str, Field(min_length=1, max_length=32)]
    title: Text
    clause: Annotated[str, Field(min_length=1)]
    source: str | None = None
    points: float
    applies_to: list[Annotated[Stage, Field(strict=False)]] = Field(default_factory=lambda: list(ALL_STAGES))
    allow_na: bool = False
    verify_by: list[Literal["documents", "interview", "observation", "facts"]] = Field(default_factory=list)
    evidence: list[EvidenceRequirement] = Field(default_factory=list)
    guidance: Text | None = None
    action: Text | None = None
    """What a school does to raise the item, in inspectors' words: the recommendation a report gives."""


class RubricItem(_ItemBase):
    """Rated by picking one of ordered levels, best first."""

    method: Literal["rubric"]
    levels: list[Level]


class QuantitativeItem(_ItemBase):
    """Scored from school facts through a registered metric and thresholds."""

    method: Literal["quantitative"]
    levels: list[Level]
    rule: QuantitativeRule


CHECK_LEVELS: tuple[Level, ...] = (
    Level(id="Y", label=Text(zh="是", en="Yes"), fraction=1.0),
    Level(id="N", label=Text(zh="否", en="No"), fraction=0.0),
)


class CheckItem(_ItemBase):
    """Yes or no; earns all of its points or none."""

    method: Literal["check"]

    @property
    def levels(self) -> list[Level]:
        """The two fixed levels of a check."""
        return list(CHECK_LEVELS)


Item = Annotated[RubricItem | QuantitativeItem | CheckItem, Field(discriminator="method")]


class Indicator(Strict):
    """Second-level indicator (B level) grouping items."""

    id: Annotated[str, Field(min_length=1)]
    title: Text
    items: list[Item]


class Domain(Strict):
    """First-level indicator (A level): scored and reported on its own."""

    id: Annotated[str, Field(min_length=1)]
    title: Text
    indicators: list[Indicator]


class Veto(Strict):
    """A must-pass item: the tier needs at least `min_level` on it."""

    item: str
    min_level: str


class Tier(Strict):
    """A result tier (standard school, model school), reached when all of its conditions hold."""

    id: Annotated[str, Field(min_length=1)]
    name: Text
    min_score: float
    domain_min_pct: float | None = None
    vetoes: list[Veto] = Field(default_factory=list)
    note: Text | None = None


class Framework(Strict):
    """A versioned criteria framework: what is assessed, how each item scores, and the tiers."""

    schema_version: Literal[1]
    id: Annotated[str, Field(min_length=1)]
    version: Annotated[str, Field(min_length=1)]
    name: Text
    issuer: Text | None = None
    basis: list[str] = Field(default_factory=list)
    total_points: float
    tiers: list[Tier]
    domains: list[Domain]
    notes: list[Text] = Field(default_factory=list)

    def items(self) -> list[RubricItem | QuantitativeItem | CheckItem]:
        """Every item, in framework order."""
        return [item for d in self.domains for ind in d.indicators for item in ind.items]

    def item(self, item_id: str) -> RubricItem | QuantitativeItem | CheckItem:
        """The item with this id (KeyError when there is none)."""
        for candidate in self.items():
            if candidate.id == item_id:
                return candidate
        raise KeyError(item_id)

    def domain_of(self) -> dict[str, str]:
        """Item id → domain id."""
        return {item.id: d.id for d in self.domains for ind in d.indicators for item in ind.items}

    def tier(self, tier_id: str) -> Tier:
        """The tier with this id (KeyError when there is none)."""
        for tier in self.tiers:
            if tier.id == tier_id:
                return tier
        raise KeyError(tier_id)
