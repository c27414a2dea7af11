"""The store's CSV doors (register, facts, ratings, assignments; the CLI; the app's upload) read GBK/GB18030 and
UTF-16 files as Excel saves them in China, list bad rows as for UTF-8, and name the encoding they found when a
file cannot be read; nothing is written on any problem.
"""

from __future__ import annotations

import pandas as pd
import pytest
import typer
from storekit import World, count, facts_row, snapshot
from typer.testing import CliRunner

from cli.store_cmds import register
from i18n.problems import InputError
from settings import get_settings
from store.records import SYSTEM
from ui.bureau.uploads import csv_frame

EXCEL = {"gbk": ("gbk", ","), "gb18030": ("gb18030", ","), "utf-16": ("utf-16", "\t")}


def excel_bytes(rows: list[dict[str, object]], encoding: str) -> bytes:
    codec, sep = EXCEL[encoding]
    return pd.DataFrame(rows).to_csv(index=False, sep=sep, lineterminator="\r\n").encode(codec)


def problems(call) -> list[str]:
    with pytest.raises(InputError) as bad:
        call()
    return [p.render("zh") for p in bad.value.problems]


REGISTER = [
    {
        "school_code": "C001",
        "school_name": "长宁区天山第一小学",
        "stages": "小学",
        "ownership": "公办",
        "street": "天山路街道",
    },
    {
        "school_code": "C002",
        "school_name": "长宁区㵘泾中学",
        "stages": "初中;高中",
        "ownership": "民办",
        "street": "新泾镇",
    },
]


@pytest.mark.parametrize("encoding", list(EXCEL))
def test_register_in_excel_encodings(world: World, tmp_path, encoding) -> None:
    rows = REGISTER if encoding != "gbk" else [REGISTER[0]]  # GBK has no 㵘
    path = tmp_path / "学校名册.csv"
    path.write_bytes(excel_bytes(rows, encoding))
    result = world.sv.imports.schools(world.users["bureau"], path)
    assert result.created == len(rows)
    schools = {s.code: s for s in world.sv.schools.list_schools(SYSTEM)}
    assert [schools[r["school_code"]].name for r in rows] == [r["school_name"] for r in rows]
    assert schools["C001"].street == "天山路街道" and schools["C001"].stages == ("primary",)


@pytest.mark.parametrize("encoding", list(EXCEL))
def test_bad_register_rows_are_located_in_every_encoding(world: World, tmp_path, encoding) -> None:
    rows = [REGISTER[0], {**REGISTER[0], "school_code": "C009", "stages": "幼儿园", "ownership": "公立"}]
    path = tmp_path / "schools.csv"
    path.write_bytes(excel_bytes(rows, encoding))
    before = snapshot(world.sv.engine)
    assert problems(lambda: world.sv.imports.schools(world.users["bureau"], path)) == [
        "schools.csv 第 3 行 “stages”列: 学段应为 primary, junior, senior, vocational, special"
        "（可用中文，多个学段用分号隔开），实际为“幼儿园”",
        "schools.csv 第 3 行 “ownership”列: " + problems_text_ownership(),
    ]
    assert snapshot(world.sv.engine) == before


def problems_text_ownership() -> str:
    from i18n.catalog import t

    return t("store.bad_ownership", "zh", found="公立")


def test_facts_into_a_cycle_from_utf16(world: World, tmp_path) -> None:
    rows = [
        facts_row("A001", "primary", school_name="甲小学"),
        facts_row("C001", "senior", school_name="长宁区丙高级中学"),
    ]
    path = tmp_path / "facts.txt"
    path.write_bytes(excel_bytes(rows, "utf-16"))
    world.sv.imports.schools(world.users["bureau"], path, cycle_id=world.cycle_id)
    frame = world.sv.frames.facts_frame(world.users["bureau"], world.cycle_id)
    assert frame.loc["C001", "school_name"] == "长宁区丙高级中学" and frame.loc["C001", "students"] > 0


@pytest.mark.parametrize("encoding", list(EXCEL))
def test_ratings_import_in_excel_encodings(world: World, tmp_path, encoding) -> None:
    rows = [
        {
            "school_code": "A001",
            "item_id": "i1",
            "rater": "school-A001",
            "role": "self",
            "level": "A",
            "account": "每学期有总结，材料齐全",
            "finding": "",
        },
        {
            "school_code": "A001",
            "item_id": "i1",
            "rater": "inspector",
            "role": "inspector",
            "level": "B",
            "account": "",
            "finding": "材料不全，需补充",
        },
    ]
    path = tmp_path / "ratings.csv"
    path.write_bytes(excel_bytes(rows, encoding))
    world.sv.imports.ratings(SYSTEM, world.cycle_id, path)
    frame = world.sv.frames.ratings_frame(world.users["bureau"], world.cycle_id)
    assert set(frame["finding"]) >= {"材料不全，需补充"} and set(frame["account"]) >= {"每学期有总结，材料齐全"}
    bad = [{**rows[1], "rater": "张督学"}]
    path.write_bytes(excel_bytes(bad, encoding))
    before = count(world.sv.engine, "ratings")
    (line,) = problems(lambda: world.sv.imports.ratings(SYSTEM, world.cycle_id, path))
    assert line.startswith("ratings.csv 第 2 行 “rater”列:") and "张督学" in line
    assert count(world.sv.engine, "ratings") == before


@pytest.mark.parametrize("encoding", list(EXCEL))
def test_assignments_from_a_file_and_from_an_upload(world: World, tmp_path, encoding) -> None:
    rows = [{"school_code": "B001", "inspector": "lead", "lead": "是"}]
    data = excel_bytes(rows, encoding)
    world.sv.imports.assignments(world.users["bureau"], world.cycle_id, csv_frame(data, "分配.csv"), file="分配.csv")
    world.sv.imports.assignments(world.users["bureau"], world.cycle_id, data, file="分配.csv")  # bytes: the same rule
    mine = world.sv.cycles.assignments(world.users["lead"], world.cycle_id)
    assert ("B001", True) in {(a.school_code, a.lead) for a in mine}
    bad = excel_bytes([{"school_code": "B001", "inspector": "lead", "lead": "也许"}], encoding)
    assert problems(
        lambda: world.sv.imports.assignments(world.users["bureau"], world.cycle_id, bad, file="分配.csv")
    ) == ["分配.csv 第 2 行 “lead”列: 应为 是/否（或 1/0），实际为“也许”"]


def test_unreadable_files_name_the_encoding_and_write_nothing(world: World, tmp_path) -> None:
    damaged = tmp_path / "schools.csv"
    good = pd.DataFrame(REGISTER * 10).to_csv(index=False).encode("utf-8")
    damaged.write_bytes(good + b"C099,\xe9\x95\xbf\xff,primary,,\n")
    before = snapshot(world.sv.engine)
    (line,) = problems(lambda: world.sv.imports.schools(world.users["bureau"], damaged))
    assert line.startswith("schools.csv: 无法读取文件：文件是 UTF-8 编码，但第 22 行有损坏的字节（FF）")
    workbook = tmp_path / "schools.xlsx.csv"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 30)
    (line,) = problems(lambda: world.sv.imports.schools(world.users["bureau"], workbook))
    assert "这是 Excel（或 WPS）工作簿，不是 CSV 文件" in line
    assert snapshot(world.sv.engine) == before


def test_cli_imports_a_gbk_register(db, tmp_path, monkeypatch) -> None:
    app = typer.Typer()
    register(app)
    monkeypatch.setenv("DATABASE_URL", db.full_url)
    monkeypatch.setenv("XINYU_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    path = tmp_path / "名册.csv"
    path.write_bytes(excel_bytes([REGISTER[0]], "gbk"))
    try:
        result = CliRunner().invoke(app, ["schools", "import", str(path), "--lang", "zh"])
        assert result.exit_code == 0, result.output
        path.write_bytes(excel_bytes([{**REGISTER[0], "stages": "大学"}], "gbk"))
        bad = CliRunner().invoke(app, ["schools", "import", str(path), "--lang", "en"])
        assert bad.exit_code == 2
        assert "名册.csv row 2 column 'stages'" in bad.output and "'大学'" in bad.output
    finally:
        get_settings.cache_clear()
