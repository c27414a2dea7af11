"""Criteria frameworks as data: models, loading with full validation, and the bundled frameworks."""

from criteria.loader import (
    DEFAULT_FRAMEWORK,
    FRAMEWORKS_DIR,
    PREVIOUS_FRAMEWORKS,
    framework_hash,
    load_framework,
    parse_framework,
    parse_framework_text,
)
from criteria.models import (
    NA,
    CheckItem,
    Domain,
    Framework,
    Indicator,
    Level,
    QuantitativeItem,
    RubricItem,
    Stage,
    Tier,
)

__all__ = [
    "DEFAULT_FRAMEWORK",
    "FRAMEWORKS_DIR",
    "NA",
    "PREVIOUS_FRAMEWORKS",
    "CheckItem",
    "Domain",
    "Framework",
    "Indicator",
    "Level",
    "QuantitativeItem",
    "RubricItem",
    "Stage",
    "Tier",
    "framework_hash",
    "load_framework",
    "parse_framework",
    "parse_framework_text",
]
