"""The offline self-assessment (or inspection) template of one school and cycle, as an Excel workbook.

Sheets: a guide; the items that apply, with clause, points and level descriptors, a level dropdown
and a text column per item (computed items shown read-only); for the school, a facts sheet with
validated cells; and a very hidden sheet naming the school, cycle, framework version and hash, role
and rater. Every sheet is protected except the input cells, and the workbook structure is locked.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from criteria.models import Framework, QuantitativeItem, Stage
from i18n.catalog import t
from reports.template_layout import (
    FACT_COLUMNS,
    FORMAT_VERSION,
    META_SHEET,
    Filled,
    Item,
    TemplateIdentity,
    applicable_items,
    item_columns,
    level_choices,
)
from reports.xlsx_style import close, fit_row, new_workbook, print_setup
from scoring.facts import FACT_FIELDS, FactField
from scoring.metrics import METRICS

GUIDE_WIDTH = 90  # characters: fits a portrait A4 page at about 95 %
WIDTHS = {"item_id": 10, "domain": 14, "title": 30, "clause": 12, "points": 6, "guide": 60, "level": 9, "text": 40}
WIDTHS |= {"self_level": 10, "self_account": 36, "evidence": 36}
PROTECT = {"format_columns": True, "format_rows": True, "select_locked_cells": True, "select_unlocked_cells": True}
Styles = dict[str, Format]
_WORKBOOK_PR = re.compile(rb"(<workbookPr[^>]*/>)")


def write_template(
    framework: Framework,
    identity: TemplateIdentity,
    school_name: str,
    stages: Sequence[Stage],
    lang: str = "zh",
    *,
    facts: Mapping[str, float] | None = None,
    prefill: Mapping[str, Filled] | None = None,
    school_view: Mapping[str, Filled] | None = None,
    versions: Mapping[str, str] | None = None,
) -> bytes:
    """The template as .xlsx bytes.

    `prefill` fills in levels already given; `school_view` shows the school's own ratings to an inspector.
    `versions` (e.g. `assessment_version`, `rating_versions`) go into the hidden sheet, so that an upload
    can tell an edit made online after the export (`TemplateImport.versions`).
    """
    items = applicable_items(framework, stages)
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    fmts = _formats(book)
    guide = book.add_worksheet(t("template.sheet.guide", lang))
    item_sheet = book.add_worksheet(t("template.sheet.items", lang))
    fact_sheet = book.add_worksheet(t("template.sheet.facts", lang)) if identity.role == "self" else None
    meta = book.add_worksheet(META_SHEET)
    _guide(guide, identity, school_name, lang, fmts)
    _items(item_sheet, framework, items, identity, lang, fmts, prefill or {}, school_view or {})
    if fact_sheet is not None:
        _facts(fact_sheet, lang, fmts, facts or {})
    names = {"items_sheet": item_sheet.get_name(), "facts_sheet": fact_sheet.get_name() if fact_sheet else ""}
    names |= {f"version.{k}": str(v) for k, v in (versions or {}).items()}
    _meta(meta, identity, school_name, stages, lang, names)
    item_sheet.activate()
    return lock_structure(close(book, buffer))


def lock_structure(data: bytes) -> bytes:
    """The same workbook with its structure locked (no sheet added, removed, renamed or unhidden)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/workbook.xml":
                content = _WORKBOOK_PR.sub(rb'\1<workbookProtection lockStructure="1"/>', content, count=1)
            target.writestr(info, content)
    return out.getvalue()


def _formats(book: Workbook) -> Styles:
    base = {"valign": "top", "font_size": 10, "text_wrap": True}
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "header": book.add_format({**base, "bold": True, "bg_color": "#D9E2F3", "border": 1}),
        "locked": book.add_format(base),
        "input": book.add_format({**base, "locked": False, "bg_color": "#FFF2CC", "border": 1}),
        "computed": book.add_format({**base, "bg_color": "#EDEDED", "italic": True}),
    }


def _guide(sheet: Worksheet, identity: TemplateIdentity, school_name: str, lang: str, fmts: Styles) -> None:
    title = t(f"template.title.{identity.role}", lang, school=school_name, cycle=identity.cycle)
    sheet.write_string(0, 0, title, fmts["title"])
    lines = [
        t("template.guide.identity", lang, code=identity.school_code, version=identity.framework_version),
        *(t(f"template.guide.{n}", lang) for n in ("levels", "text", "computed", "facts", "ids", "upload")),
    ]
    if identity.role == "inspector":
        lines.insert(1, t("template.guide.inspector", lang, rater=identity.rater))
    for row, line in enumerate(lines, start=2):
        sheet.write_string(row, 0, line, fmts["locked"])
        fit_row(sheet, row, [(line, GUIDE_WIDTH)])
    sheet.set_column(0, 0, GUIDE_WIDTH)
    # portrait, one page wide: the instructions wrap inside the column and print whole
    print_setup(sheet, landscape=False, title=sheet_title(identity), lang=lang, header_rows=0)
    sheet.protect("", PROTECT)


def sheet_title(identity: TemplateIdentity) -> str:
    """The printed header of the template's sheets: school code and cycle."""
    return f"{identity.school_code} {identity.cycle}"


def evidence_guide(item: Item, lang: str) -> str:
    """What to bring or attach for an item, one a line, required ones marked: `· 学校发展规划…（必备）`."""
    lines = [
        f"· {e.title.get(lang)}{t('template.evidence.required' if e.required else 'template.evidence.optional', lang)}"
        for e in item.evidence
    ]
    if item.verify_by:
        ways = ("、" if lang != "en" else ", ").join(t(f"template.verify.{v}", lang) for v in item.verify_by)
        lines.append(t("template.evidence.verify", lang, ways=ways))
    return "\n".join(lines)


def _items(
    sheet: Worksheet,
    framework: Framework,
    items: list[Item],
    identity: TemplateIdentity,
    lang: str,
    fmts: Styles,
    prefill: Mapping[str, Filled],
    school_view: Mapping[str, Filled],
) -> None:
    columns = item_columns(identity.role)
    for c, name in enumerate(columns):
        sheet.write_string(0, c, header_label(name, identity.role, lang), fmts["header"])
        sheet.set_column(c, c, WIDTHS[name])
    domain_of = framework.domain_of()
    domains = {d.id: f"{d.id} {d.title.get(lang)}" for d in framework.domains}
    for row, item in enumerate(items, start=1):
        values = {
            "item_id": item.id,
            "domain": domains[domain_of[item.id]],
            "title": item.title.get(lang),
            "clause": item.clause,
            "guide": level_guide(item, lang),
            "evidence": evidence_guide(item, lang),
            "self_level": school_view.get(item.id, Filled("")).level,
            "self_account": school_view.get(item.id, Filled("")).text,
        }
        for c, name in enumerate(columns):
            if name in values:
                sheet.write_string(row, c, values[name], fmts["locked"])
        sheet.write_number(row, columns.index("points"), item.points, fmts["locked"])
        filled = prefill.get(item.id)
        _inputs(sheet, row, item, columns, lang, fmts, filled)
        texts = [(values[c], WIDTHS[c]) for c in ("title", "guide", "self_account", "evidence") if c in columns]
        fit_row(sheet, row, [*texts, (filled.text if filled else "", WIDTHS["text"])])
    print_setup(sheet, title=sheet_title(identity), lang=lang)
    sheet.freeze_panes(1, 1)
    sheet.protect("", PROTECT)


def header_label(column: str, role: str, lang: str) -> str:
    """The header of an item column (the text column is the school's account or the inspector's finding)."""
    return t(f"template.col.text.{role}" if column == "text" else f"template.col.{column}", lang)


def _inputs(
    sheet: Worksheet, row: int, item: Item, columns: Sequence[str], lang: str, fmts: Styles, filled: Filled | None
) -> None:
    """The level dropdown and the text cell of one item, or the read-only note of a computed item."""
    level, text = columns.index("level"), columns.index("text")
    if isinstance(item, QuantitativeItem):
        metric = METRICS[item.rule.metric]
        note = t("template.computed", lang, metric=metric.en if lang == "en" else metric.zh)
        sheet.write_string(row, level, note, fmts["computed"])
        sheet.write_blank(row, text, None, fmts["computed"])
        return
    sheet.write_string(row, level, filled.level if filled else "", fmts["input"])
    sheet.write_string(row, text, filled.text if filled else "", fmts["input"])
    choices = level_choices(item)
    sheet.data_validation(
        row, level, row, level,
        {"validate": "list", "source": choices, "error_title": t("template.dv.title", lang),
         "error_message": t("template.dv.level", lang, choices=", ".join(choices))},
    )  # fmt: skip


def level_guide(item: Item, lang: str) -> str:
    """The levels of an item with what each looks like, one a line: `A 完全达到：…`."""
    sep = ": " if lang == "en" else "："
    lines = []
    for lv in item.levels:
        what = f"{sep}{lv.descriptor.get(lang)}" if lv.descriptor else ""
        lines.append(f"{lv.id} {lv.label.get(lang)}{what}")
    if item.allow_na:
        lines.append(f"NA {t('level.na', lang)}")
    return "\n".join(lines)


def _facts(sheet: Worksheet, lang: str, fmts: Styles, facts: Mapping[str, float]) -> None:
    for c, name in enumerate(FACT_COLUMNS):
        sheet.write_string(0, c, t(f"template.fact.{name}", lang), fmts["header"])
    for row, fact in enumerate(FACT_FIELDS, start=1):
        sheet.write_string(row, 0, fact.name, fmts["locked"])
        sheet.write_string(row, 1, fact.en if lang == "en" else fact.zh, fmts["locked"])
        sheet.write_string(row, 3, fact_rule(fact, lang), fmts["locked"])
        _fact_value(sheet, row, fact, lang, fmts["input"], facts.get(fact.name))
        fit_row(sheet, row, [(fact.en if lang == "en" else fact.zh, 60), (fact_rule(fact, lang), 30)])
    for c, width in enumerate((22, 60, 14, 30)):
        sheet.set_column(c, c, width)
    print_setup(sheet, title=t("template.sheet.facts", lang), lang=lang)
    sheet.freeze_panes(1, 0)
    sheet.protect("", PROTECT)


def _fact_value(sheet: Worksheet, row: int, fact: FactField, lang: str, fmt: Format, value: float | None) -> None:
    """The value cell of one fact: pre-filled when known, validated by kind and bounds."""
    if fact.kind == "bool":
        words = [t("template.yes", lang), t("template.no", lang)]
        shown = "" if value is None else words[0] if value else words[1]
        sheet.write_string(row, 2, shown, fmt)
        rule = {"validate": "list", "source": words}
    else:
        if value is None:
            sheet.write_blank(row, 2, None, fmt)
        else:
            sheet.write_number(row, 2, value, fmt)
        top = fact.maximum if fact.maximum is not None else 1e9
        low, high = (int(fact.minimum), int(top)) if fact.kind == "int" else (fact.minimum, top)
        kind = "integer" if fact.kind == "int" else "decimal"
        rule = {"validate": kind, "criteria": "between", "minimum": low, "maximum": high}
    rule |= {"error_title": t("template.dv.title", lang), "error_message": fact_rule(fact, lang)}
    sheet.data_validation(row, 2, row, 2, rule)


def fact_rule(fact: FactField, lang: str) -> str:
    """What a fact's cell takes, in words: `不少于 1 的整数`, `0 到 13 之间的整数` (never `1 到 ∞`)."""
    if fact.kind == "bool":
        return t("template.rule.bool", lang)
    if fact.maximum is None:
        return t(f"template.rule.{fact.kind}.at_least", lang, min=f"{fact.minimum:g}")
    return t(f"template.rule.{fact.kind}", lang, min=f"{fact.minimum:g}", max=f"{fact.maximum:g}")


def _meta(
    sheet: Worksheet,
    identity: TemplateIdentity,
    school_name: str,
    stages: Sequence[Stage],
    lang: str,
    names: dict[str, str],
) -> None:
    values = {
        "format": FORMAT_VERSION,
        "school_code": identity.school_code,
        "school_name": school_name,
        "stages": ";".join(s.value for s in stages),
        "cycle": identity.cycle,
        "framework_id": identity.framework_id,
        "framework_version": identity.framework_version,
        "framework_hash": identity.framework_hash,
        "role": identity.role,
        "rater": identity.rater,
        "lang": lang,
        **names,
    }
    for row, (key, value) in enumerate(values.items()):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, value)
    sheet.very_hidden()
    sheet.protect("", PROTECT)
