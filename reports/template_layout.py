"""The offline template's layout, shared by the exporter and the importer: sheets, columns, hidden identity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from criteria.loader import framework_hash
from criteria.models import NA, CheckItem, Framework, QuantitativeItem, RubricItem, Stage

FORMAT_VERSION = "1"
META_SHEET = "meta"
Role = Literal["self", "inspector"]
ROLES: tuple[Role, ...] = ("self", "inspector")

ITEM_COLUMNS: tuple[str, ...] = ("item_id", "domain", "title", "clause", "points", "guide", "level", "text")
INSPECTOR_EXTRA: tuple[str, ...] = ("self_level", "self_account")
EVIDENCE_COLUMN = "evidence"
"""What to bring or attach per item: the last column (read-only), so that the input columns keep their place."""
FACT_COLUMNS: tuple[str, ...] = ("key", "label", "value", "rule")
HEADER_ROW = 0  # zero-based: the header is Excel row 1, data start at row 2

META_KEYS: tuple[str, ...] = (
    "format", "school_code", "school_name", "stages", "cycle", "framework_id", "framework_version",
    "framework_hash", "role", "rater", "lang", "items_sheet", "facts_sheet",
)  # fmt: skip

Item = RubricItem | QuantitativeItem | CheckItem


@dataclass(frozen=True)
class TemplateIdentity:
    """Whose template it is: the school, the cycle, the framework version and content, the role and rater."""

    school_code: str
    cycle: str
    framework_id: str
    framework_version: str
    framework_hash: str
    role: Role = "self"
    rater: str = ""

    @classmethod
    def of(
        cls, framework: Framework, school_code: str, cycle: str, role: Role = "self", rater: str = ""
    ) -> TemplateIdentity:
        """The identity of a template of `framework` for a school, cycle, role and rater."""
        return cls(school_code, cycle, framework.id, framework.version, framework_hash(framework), role, rater)


@dataclass(frozen=True)
class Filled:
    """A level and a text already given for an item (to pre-fill a template, or to show beside it)."""

    level: str
    text: str = ""


def item_columns(role: Role) -> tuple[str, ...]:
    """The columns of the item sheet for a role (an inspector also sees the school's own level and account)."""
    return ITEM_COLUMNS + (INSPECTOR_EXTRA if role == "inspector" else ()) + (EVIDENCE_COLUMN,)


def column_letter(index: int) -> str:
    """Excel column letter of a zero-based column index (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def applicable_items(framework: Framework, stages: Sequence[Stage]) -> list[Item]:
    """The items that apply to a school of these stages, in framework order."""
    return [item for item in framework.items() if any(s in item.applies_to for s in stages)]


def level_choices(item: Item) -> list[str]:
    """The level ids a rater may pick for an item (NA where the item allows it); none for a computed item."""
    if isinstance(item, QuantitativeItem):
        return []
    return [lv.id for lv in item.levels] + ([NA] if item.allow_na else [])
