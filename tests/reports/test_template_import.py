"""The importer against a corpus of bad templates (one per problem, each with its message), and round trips.

Bad templates are made from a good filled one with openpyxl, plus a few crafted archives.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria import Framework, Stage
from i18n.problems import InputError
from reports.template_export import write_template
from reports.template_import import read_template
from reports.template_layout import TemplateIdentity, applicable_items, level_choices
from reports.zip_guard import MB, Limits
from scoring import read_ratings
from scoring.facts import FACT_FIELDS

CODE, NAME, CYCLE = "CN001", "长宁区华阳路第一小学", "2025学年"
STAGES = [Stage.PRIMARY]
LIMITS = Limits(max_bytes=10 * MB)


@pytest.fixture(scope="module")
def school_facts(demo) -> dict[str, float]:
    facts = demo[0]
    return {f.name: float(facts.loc[CODE, f.name]) for f in FACT_FIELDS}


@pytest.fixture(scope="module")
def identity(framework) -> TemplateIdentity:
    return TemplateIdentity.of(framework, CODE, CYCLE)


def rated(framework: Framework) -> list:
    return [item for item in applicable_items(framework, STAGES) if level_choices(item)]


def fill(data: bytes, levels: dict[str, str], texts: dict[str, str], edit: Callable | None = None) -> bytes:
    """The template with levels and texts typed in (text kept as text), and any further edit, saved again."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["逐项评价"]
    for row in range(2, sheet.max_row + 1):
        item_id = sheet.cell(row, 1).value
        if item_id in levels:
            sheet.cell(row, 7).value = levels[item_id]
            cell = sheet.cell(row, 8)
            cell.value = texts.get(item_id, "")
            cell.data_type = "s"
    if edit is not None:
        edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def blank(framework, identity, school_facts) -> bytes:
    return write_template(framework, identity, NAME, STAGES, facts=school_facts)


@pytest.fixture(scope="module")
def good_levels(framework) -> dict[str, str]:
    return {item.id: level_choices(item)[k % 2] for k, item in enumerate(rated(framework))}


@pytest.fixture(scope="module")
def make(blank, good_levels) -> Callable[..., bytes]:
    def build(edit: Callable | None = None) -> bytes:
        return fill(blank, good_levels, {k: f"说明{k}" for k in good_levels}, edit)

    return build


def problems_of(data: bytes, expected: TemplateIdentity, framework: Framework, lang: str = "zh", **kw) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_template(data, expected, framework, lang, file="filled.xlsx", limits=kw.get("limits", LIMITS))
    return caught.value.render(lang).splitlines()


def row_of(book: openpyxl.Workbook, sheet: str, key: str) -> int:
    return next(row for row in range(2, book[sheet].max_row + 1) if book[sheet].cell(row, 1).value == key)


# --------------------------------------------------------------------------- the good template


def test_defusedxml_protects_openpyxl():
    assert openpyxl.DEFUSEDXML is True


def test_good_template_imports_ratings_and_facts(make, identity, framework, good_levels, school_facts):
    imported = read_template(make(), identity, framework, limits=LIMITS)
    frame = imported.ratings
    assert list(frame.columns) == ["school_code", "item_id", "rater", "role", "level", "account", "finding"]
    assert dict(zip(frame["item_id"], frame["level"], strict=True)) == good_levels
    assert set(frame["role"]) == {"self"} and set(frame["rater"]) == {f"school-{CODE}"}
    assert frame.loc[frame["item_id"] == "A1.1.1", "account"].item() == "说明A1.1.1"
    read_ratings(frame, framework, [CODE])  # the shape read_ratings takes
    assert imported.facts == pytest.approx(school_facts)


# --------------------------------------------------------------------------- the corpus: identity


def test_wrong_school(framework, school_facts, good_levels, identity):
    other = TemplateIdentity.of(framework, "CN002", CYCLE)
    data = fill(write_template(framework, other, NAME, STAGES, facts=school_facts), good_levels, {})
    assert problems_of(data, identity, framework) == ["filled.xlsx: 此模板属于学校 CN002，不是 CN001"]
    assert problems_of(data, identity, framework, "en") == [
        "filled.xlsx: this template belongs to school CN002, not CN001"
    ]


def test_wrong_cycle(framework, school_facts, good_levels, identity):
    other = TemplateIdentity.of(framework, CODE, "2024学年")
    data = fill(write_template(framework, other, NAME, STAGES, facts=school_facts), good_levels, {})
    assert problems_of(data, identity, framework) == ["filled.xlsx: 此模板属于评估周期“2024学年”，不是“2025学年”"]


def test_wrong_framework_version(framework, school_facts, good_levels, identity):
    newer = framework.model_copy(update={"version": "2026.1"})
    data = write_template(newer, TemplateIdentity.of(newer, CODE, CYCLE), NAME, STAGES, facts=school_facts)
    assert problems_of(fill(data, good_levels, {}), identity, framework) == [
        f"filled.xlsx: 此模板使用指标版本 2026.1，本周期使用版本 {framework.version}，请重新下载模板"
    ]


def test_framework_changed_under_the_same_version(framework, school_facts, good_levels, identity):
    changed = framework.model_copy(update={"total_points": 100.0, "notes": []})
    assert TemplateIdentity.of(changed, CODE, CYCLE).framework_hash != identity.framework_hash
    data = write_template(changed, TemplateIdentity.of(changed, CODE, CYCLE), NAME, STAGES, facts=school_facts)
    assert problems_of(fill(data, good_levels, {}), identity, framework) == [
        "filled.xlsx: 导出后评估指标内容已变更（校验值不同），请重新下载模板"
    ]


def test_school_template_is_not_an_inspectors(make, framework, identity):
    inspector = TemplateIdentity.of(framework, CODE, CYCLE, "inspector", "insp01")
    assert problems_of(make(), inspector, framework) == ["filled.xlsx: 此模板用于学校自评，不是督导评价"]
    assert problems_of(make(), inspector, framework, "en") == [
        "filled.xlsx: this template is for the school's self-assessment, not an inspector's rating"
    ]


def test_inspector_imports_only_their_own_template(framework, good_levels):
    theirs = TemplateIdentity.of(framework, CODE, CYCLE, "inspector", "insp02")
    mine = TemplateIdentity.of(framework, CODE, CYCLE, "inspector", "insp01")
    data = fill(write_template(framework, theirs, NAME, STAGES), good_levels, {})
    assert problems_of(data, mine, framework) == ["filled.xlsx: 此模板属于督导 insp02；您（insp01）只能导入本人的评级"]


def test_missing_identity(make, identity, framework):
    def drop(book):
        del book["meta"]

    assert problems_of(make(drop), identity, framework) == [
        "filled.xlsx: 不是本系统导出的模板（缺少模板信息），请重新下载模板后填写"
    ]


# --------------------------------------------------------------------------- the corpus: rows and cells


def test_item_id_edited(make, identity, framework):
    def edit(book):
        book["逐项评价"]["A2"] = "A1.1.9"

    assert problems_of(make(edit), identity, framework) == [
        "filled.xlsx 工作表“逐项评价” 第 2 行 “A（项目编号）”列: 项目编号“A1.1.9”不在本模板中（项目编号不可修改）",
        "filled.xlsx 工作表“逐项评价”: 缺少项目 A1.1.1（行被删除或项目编号被修改）",
    ]


def test_item_row_removed(make, identity, framework):
    def edit(book):
        book["逐项评价"].delete_rows(3)

    assert problems_of(make(edit), identity, framework) == [
        "filled.xlsx 工作表“逐项评价”: 缺少项目 A1.1.2（行被删除或项目编号被修改）"
    ]


def test_item_id_emptied(make, identity, framework):
    def edit(book):
        book["逐项评价"]["A3"] = None

    assert problems_of(make(edit), identity, framework) == [
        "filled.xlsx 工作表“逐项评价” 第 3 行 “A（项目编号）”列: 项目编号为空（请勿修改或删除项目编号）",
        "filled.xlsx 工作表“逐项评价”: 缺少项目 A1.1.2（行被删除或项目编号被修改）",
    ]


def test_level_not_in_the_list(make, identity, framework):
    def edit(book):
        book["逐项评价"]["G2"] = "E"

    assert problems_of(make(edit), identity, framework) == [
        "filled.xlsx 工作表“逐项评价” 第 2 行 “G（等级）”列: 项目 A1.1.1 没有等级“E”，可选：A, B, C, D"
    ]
    assert problems_of(make(edit), identity, framework, "en") == [
        "filled.xlsx sheet '逐项评价' row 2 column 'G（Level）': item A1.1.1 has no level 'E'; choose from A, B, C, D"
    ]


def test_not_applicable_where_the_item_does_not_allow_it(make, identity, framework):
    def edit(book):
        book["逐项评价"]["G2"] = "NA"

    assert problems_of(make(edit), identity, framework) == [
        "filled.xlsx 工作表“逐项评价” 第 2 行 “G（等级）”列: 项目 A1.1.1 没有等级“NA”，可选：A, B, C, D"
    ]


def test_required_item_left_empty(make, identity, framework):
    def edit(book):
        book["逐项评价"]["G3"] = None

    assert problems_of(make(edit), identity, framework) == [
        "filled.xlsx 工作表“逐项评价” 第 3 行 “G（等级）”列: 项目 A1.1.2 尚未选择等级"
    ]


def test_duplicate_row(make, identity, framework):
    def edit(book):
        sheet = book["逐项评价"]
        last = sheet.max_row + 1
        for col in range(1, 9):
            sheet.cell(last, col).value = sheet.cell(2, col).value
        book.last = last

    book_rows = openpyxl.load_workbook(io.BytesIO(make()))["逐项评价"].max_row
    assert problems_of(make(edit), identity, framework) == [
        f"filled.xlsx 工作表“逐项评价” 第 {book_rows + 1} 行 “A（项目编号）”列: 项目 A1.1.1 重复出现（第一次在第 2 行）"
    ]


def test_header_changed(make, identity, framework):
    def edit(book):
        book["逐项评价"]["G1"] = "我的等级"

    assert problems_of(make(edit), identity, framework) == [
        "filled.xlsx 工作表“逐项评价” 第 1 行 “G（等级）”列: 表头应为“等级”，实际为“我的等级”（请勿移动、插入或改名列）"
    ]


def test_text_in_a_number_cell(make, identity, framework):
    book = openpyxl.load_workbook(io.BytesIO(make()))
    line = row_of(book, "学校基本数据", "students")

    def edit(book):
        book["学校基本数据"][f"C{line}"] = "八百六十"

    assert problems_of(make(edit), identity, framework) == [
        f"filled.xlsx 工作表“学校基本数据” 第 {line} 行 “C（填写值）”列: 应为 1 到 ∞ 之间的整数，实际为“八百六十”"
    ]


def test_fact_above_its_pair(make, identity, framework):
    book = openpyxl.load_workbook(io.BytesIO(make()))
    line = row_of(book, "学校基本数据", "screening_done")
    target = book["学校基本数据"][f"C{row_of(book, '学校基本数据', 'screening_target')}"].value

    def edit(book):
        book["学校基本数据"][f"C{line}"] = target + 5

    (message,) = problems_of(make(edit), identity, framework)
    assert message.startswith(f"filled.xlsx 工作表“学校基本数据” 第 {line} 行 “C（填写值）”列: ")
    assert "不能多于" in message and f"{target + 5:g} > {target:g}" in message


def test_fact_left_empty_and_fact_repeated(make, identity, framework):
    book = openpyxl.load_workbook(io.BytesIO(make()))
    grades = row_of(book, "学校基本数据", "grades")

    def edit(book):
        sheet = book["学校基本数据"]
        sheet[f"C{grades}"] = None
        last = sheet.max_row + 1
        sheet[f"A{last}"], sheet[f"C{last}"] = "staff", 50

    last = book["学校基本数据"].max_row + 1
    staff = row_of(book, "学校基本数据", "staff")
    assert problems_of(make(edit), identity, framework) == [
        f"filled.xlsx 工作表“学校基本数据” 第 {grades} 行 “C（填写值）”列: 不能为空",
        f"filled.xlsx 工作表“学校基本数据” 第 {last} 行 “A（数据代码）”列: 数据项 staff 重复（第一次在第 {staff} 行）",
    ]


def test_every_problem_listed_at_once(make, identity, framework):
    book = openpyxl.load_workbook(io.BytesIO(make()))
    students = row_of(book, "学校基本数据", "students")

    def edit(book):
        book["逐项评价"]["G2"] = "Z"
        book["逐项评价"]["G3"] = None
        book["学校基本数据"][f"C{students}"] = "很多"

    lines = problems_of(make(edit), identity, framework)
    assert [re.search(r"第 (\d+) 行", line).group(1) for line in lines] == ["2", "3", str(students)]


# --------------------------------------------------------------------------- the corpus: files


def test_not_a_zip(identity, framework):
    assert problems_of(b"name,level\nA1.1.1,A\n", identity, framework) == [
        "filled.xlsx: 不是 Excel 工作簿（.xlsx）文件"
    ]


def test_a_zip_that_is_not_a_workbook(identity, framework):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("report.docx", b"hello")
    assert problems_of(out.getvalue(), identity, framework) == [
        "filled.xlsx: 压缩包中没有 Excel 工作簿（缺少 [Content_Types].xml, xl/workbook.xml）"
    ]


def test_a_broken_workbook(identity, framework):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all")
    (line,) = problems_of(out.getvalue(), identity, framework)
    assert line.startswith("filled.xlsx: 无法读取该工作簿（")


def test_too_large(make, identity, framework):
    data = make()
    lines = problems_of(data, identity, framework, limits=Limits(max_bytes=MB // 100))
    assert lines == [f"filled.xlsx: 文件过大：{len(data) / MB:.1f} MB，上限为 0.0 MB"]


def test_expands_beyond_the_limit(identity, framework):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            chunk = b"\0" * MB
            for _ in range(60):
                part.write(chunk)
    data = out.getvalue()
    assert len(data) < MB // 10  # small on the wire
    assert problems_of(data, identity, framework) == [
        "filled.xlsx: 文件解压后达 60.0 MB，超过上限 50.0 MB，已拒绝（可能是恶意文件）"
    ]


def test_too_many_entries(identity, framework):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(1001):
            archive.writestr(f"xl/media/{n}.txt", b"")
    assert problems_of(out.getvalue(), identity, framework) == [
        "filled.xlsx: 文件包含 1001 个部件，超过上限 1000，已拒绝"
    ]


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def hostile(data: bytes) -> bytes:
    """The workbook with an entity-expansion payload before the item sheet's XML."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                body = content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content
                assert b"<v>" in body
                content = LAUGHS + body.replace(b"<v>", b"<v>&lol3;", 1)
            target.writestr(info, content)
    return out.getvalue()


def test_hostile_xml_is_refused(make, identity, framework):
    data = hostile(make())
    assert problems_of(data, identity, framework) == [
        "filled.xlsx: 文件中的 xl/worksheets/sheet2.xml 含有不允许的 XML 声明（DOCTYPE/ENTITY），已拒绝"
    ]


def test_openpyxl_itself_refuses_the_payload(make):
    """The second line of defence: even unscreened, openpyxl parses sheets with defusedxml."""
    with pytest.raises(ValueError) as caught:
        openpyxl.load_workbook(io.BytesIO(hostile(make())))
    assert isinstance(caught.value.__cause__ or caught.value.__context__, DefusedXmlException)


# --------------------------------------------------------------------------- round trips


TEXT = st.one_of(
    st.sampled_from(["", "=SUM(A1:A9)", "+1", "-1", "@cmd", "已完成，详见附件", "http://example.org"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40),
).map(str.strip)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_export_fill_import_gives_exactly_what_was_filled(data, blank, framework, identity):
    items = rated(framework)
    levels = {item.id: data.draw(st.sampled_from(level_choices(item)), label=item.id) for item in items}
    texts = {item.id: data.draw(TEXT, label=f"text {item.id}") for item in items}
    imported = read_template(fill(blank, levels, texts), identity, framework, limits=LIMITS)
    got = imported.ratings.set_index("item_id")
    assert got["level"].to_dict() == levels
    assert got["account"].to_dict() == texts
    assert (got["finding"] == "").all()


def test_inspector_rates_offline(framework, good_levels):
    mine = TemplateIdentity.of(framework, CODE, CYCLE, "inspector", "insp01")
    data = write_template(framework, mine, NAME, STAGES)
    findings = {k: "现场查看" for k in good_levels}
    imported = read_template(fill(data, good_levels, findings), mine, framework, limits=LIMITS)
    frame = imported.ratings
    assert imported.facts is None
    assert set(frame["role"]) == {"inspector"} and set(frame["rater"]) == {"insp01"}
    assert (frame["finding"] == "现场查看").all() and (frame["account"] == "").all()
    assert dict(zip(frame["item_id"], frame["level"], strict=True)) == good_levels


def test_lowercase_level_is_read_as_the_level(make, identity, framework):
    def edit(book):
        book["逐项评价"]["G2"] = "b"

    frame = read_template(make(edit), identity, framework, limits=LIMITS).ratings
    assert frame.loc[frame["item_id"] == "A1.1.1", "level"].item() == "B"


def test_import_writes_nothing_it_returns_nothing(make, identity, framework):
    """All or nothing: a bad row means no ratings at all, not the good rows."""

    def edit(book):
        book["逐项评价"]["G2"] = "Z"

    with pytest.raises(InputError) as caught:
        read_template(make(edit), identity, framework, limits=LIMITS)
    assert len(caught.value.problems) == 1
