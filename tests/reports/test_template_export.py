"""The offline template read back: applicable items, dropdowns, validated facts, locks and hidden identity."""

from __future__ import annotations

import io

import openpyxl
import pytest

from criteria import QuantitativeItem, Stage
from reports.template_export import write_template
from reports.template_layout import Filled, TemplateIdentity, applicable_items, level_choices
from scoring.facts import FACT_FIELDS


@pytest.fixture(scope="module")
def school_template(framework):
    identity = TemplateIdentity.of(framework, "CN001", "2025学年")
    facts = {f.name: 1.0 for f in FACT_FIELDS} | {"students": 860, "room_area_m2": 51.6, "parent_school": 1.0}
    data = write_template(framework, identity, "长宁区华阳路第一小学", [Stage.PRIMARY], facts=facts)
    return openpyxl.load_workbook(io.BytesIO(data)), identity


def test_sheets_and_hidden_identity(school_template, framework):
    book, identity = school_template
    assert book.sheetnames == ["填写说明", "逐项评价", "学校基本数据", "meta"]
    assert book["meta"].sheet_state == "veryHidden"
    meta = {row[0]: row[1] for row in book["meta"].iter_rows(values_only=True)}
    assert meta["school_code"] == "CN001"
    assert meta["cycle"] == "2025学年"
    assert meta["framework_version"] == framework.version
    assert meta["framework_hash"] == identity.framework_hash and len(identity.framework_hash) == 64
    assert meta["role"] == "self" and meta["stages"] == "primary"


def test_structure_is_locked(school_template):
    book, _ = school_template
    assert book.security.lockStructure
    for name in ("填写说明", "逐项评价", "学校基本数据", "meta"):
        assert book[name].protection.sheet
    items = book["逐项评价"]
    assert items["A2"].protection.locked and items["F2"].protection.locked
    assert not items["G2"].protection.locked and not items["H2"].protection.locked


def test_items_are_the_applicable_ones_with_descriptors_and_dropdowns(school_template, framework):
    book, _ = school_template
    sheet = book["逐项评价"]
    expected = applicable_items(framework, [Stage.PRIMARY])
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [item.id for item in expected]
    assert len(expected) < len(framework.items())  # the vocational course is not for a primary school
    lists = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"}
    for row, item in enumerate(expected, start=2):
        guide = sheet.cell(row, 6).value
        if isinstance(item, QuantitativeItem):
            assert sheet.cell(row, 7).value.startswith("自动计算：")
            assert sheet.cell(row, 7).protection.locked
            assert f"G{row}" not in lists
        else:
            assert lists[f"G{row}"] == '"' + ",".join(level_choices(item)) + '"'
            assert not sheet.cell(row, 7).protection.locked
        for level in item.levels:
            assert f"{level.id} {level.label.zh}" in guide
            if level.descriptor:
                assert level.descriptor.zh in guide


def test_facts_sheet_is_prefilled_and_validated(school_template):
    book, _ = school_template
    sheet = book["学校基本数据"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == [f.name for f in FACT_FIELDS]
    assert rows["students"][2] == 860 and rows["room_area_m2"][2] == 51.6 and rows["parent_school"][2] == "是"
    rules = {str(dv.sqref): (dv.type, dv.formula1, dv.formula2) for dv in sheet.data_validations.dataValidation}
    line = {f.name: n for n, f in enumerate(FACT_FIELDS, start=2)}
    assert rules[f"C{line['students']}"] == ("whole", "1", "1000000000")
    assert rules[f"C{line['grades']}"] == ("whole", "1", "13")
    assert rules[f"C{line['room_area_m2']}"][0] == "decimal"
    assert rules[f"C{line['parent_school']}"][:2] == ("list", '"是,否"')
    assert not sheet[f"C{line['students']}"].protection.locked


def test_inspector_template_shows_the_school_beside_and_has_no_facts(framework):
    identity = TemplateIdentity.of(framework, "CN001", "2025学年", "inspector", "insp01")
    beside = {"A1.1.1": Filled("B", "=已完成")}
    own = {"A1.1.1": Filled("C", "台账不全")}
    data = write_template(framework, identity, "学校", [Stage.PRIMARY], prefill=own, school_view=beside)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["填写说明", "逐项评价", "meta"]
    sheet = book["逐项评价"]
    assert [c.value for c in sheet[1]][6:] == [
        "等级",
        "督导发现",
        "学校自评等级",
        "学校自述",
        "佐证材料（需准备或上传）",
    ]
    assert [c.value for c in sheet[2]][6:10] == ["C", "台账不全", "B", "=已完成"]
    assert sheet["J2"].data_type == "s" and sheet["J2"].protection.locked


def test_english_template(framework):
    identity = TemplateIdentity.of(framework, "CN001", "2025")
    book = openpyxl.load_workbook(io.BytesIO(write_template(framework, identity, "School", [Stage.JUNIOR], "en")))
    assert book.sheetnames == ["Guide", "Items", "School facts", "meta"]
    assert [c.value for c in book["Items"][1]][:3] == ["Item id", "Domain", "Item"]


def test_template_prints_whole_and_says_what_evidence_to_bring(framework):
    """Every sheet has a print setup (the guide portrait, one page wide), bounds are words, evidence per item."""
    import zipfile

    from reports.template_export import fact_rule
    from scoring.facts import FACT_FIELDS

    identity = TemplateIdentity.of(framework, "CN001", "2025学年")
    data = write_template(framework, identity, "甲小学", [Stage.PRIMARY], "zh")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = {n: archive.read(n).decode("utf-8") for n in sheets}
    visible = [x for x in xml.values() if "第 &amp;P 页" in x]
    assert len(visible) == 3, "guide, items and facts print with a page footer"
    assert all('fitToWidth="1"' in x or "fitToPage" in x for x in visible)
    rules = [fact_rule(f, "zh") for f in FACT_FIELDS]
    assert "不少于 1 的整数" in rules and not any("∞" in r for r in rules)
    book = openpyxl.load_workbook(io.BytesIO(data))
    items = book[book.sheetnames[1]]
    header = [c.value for c in items[1]]
    evidence = header.index("佐证材料（需准备或上传）")
    first = framework.items()[0]
    cell = items.cell(row=2, column=evidence + 1).value
    assert first.evidence[0].title.zh in cell and "（必备）" in cell and "核查方式：" in cell
