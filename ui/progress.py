"""Progress as the pages count it: items rated and evidence attached per domain, and what a submission lacks.

Pure functions over the framework and the records the store returned (no Streamlit, no database).
The store checks the same completeness again when the school submits; this module only lists it
beforehand (see the final notes of issue 4: a store method `submit_blockers` would own it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from criteria import Framework, QuantitativeItem, Stage
from criteria.models import CheckItem, RubricItem
from scoring.facts import FACT_FIELDS, FactField

AnyItem = RubricItem | QuantitativeItem | CheckItem


@dataclass(frozen=True)
class DomainProgress:
    """One domain: items to rate and rated, items asking for evidence and those with a file attached."""

    domain_id: str
    title: str
    to_rate: int
    rated: int
    asked: int
    attached: int


@dataclass(frozen=True)
class Missing:
    """What a submission still lacks: facts not given, applicable items not rated."""

    facts: tuple[FactField, ...]
    items: tuple[AnyItem, ...]

    def __bool__(self) -> bool:
        """True while anything is missing."""
        return bool(self.facts or self.items)


def stages_of(codes: Iterable[str]) -> frozenset[Stage]:
    """The school's stages from their codes."""
    return frozenset(Stage(s) for s in codes if s in Stage.__members__.values())


def applies(item: AnyItem, stages: Collection[Stage]) -> bool:
    """Whether the item applies to a school of these stages."""
    return bool(set(stages) & set(item.applies_to))


def rateable(item: AnyItem, stages: Collection[Stage]) -> bool:
    """Whether a rater picks a level for the item here (applicable and not computed from facts)."""
    return applies(item, stages) and not isinstance(item, QuantitativeItem)


def asks_evidence(item: AnyItem) -> bool:
    """Whether the item asks for at least one required piece of evidence."""
    return any(e.required for e in item.evidence)


def domain_progress(
    framework: Framework,
    stages: Collection[Stage],
    rated: Collection[str],
    with_files: Collection[str],
    lang: str = "zh",
) -> list[DomainProgress]:
    """Items rated and evidence attached, per domain, counting only what applies to the school."""
    out = []
    for domain in framework.domains:
        items = [i for ind in domain.indicators for i in ind.items if applies(i, stages)]
        to_rate = [i for i in items if not isinstance(i, QuantitativeItem)]
        asked = [i for i in items if asks_evidence(i)]
        out.append(
            DomainProgress(
                domain.id,
                domain.title.get(lang),
                len(to_rate),
                sum(i.id in rated for i in to_rate),
                len(asked),
                sum(i.id in with_files for i in asked),
            )
        )
    return out


def missing(
    framework: Framework, stages: Collection[Stage], facts: Mapping[str, float], rated: Collection[str]
) -> Missing:
    """Facts not yet given and applicable items not yet rated."""
    return Missing(
        tuple(f for f in FACT_FIELDS if f.name not in facts),
        tuple(i for i in framework.items() if rateable(i, stages) and i.id not in rated),
    )
