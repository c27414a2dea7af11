"""Chinese files as Chinese users make them: every CSV door reads UTF-8 (with or without BOM), GB18030/GBK
and UTF-16 (Excel's "Unicode text", tab-separated); a file it cannot read is refused naming what was found.

The facts and ratings doors are read twice here: by the columnar path (files) and by the text path
(`read_csv_text`, which the store's imports and the app's uploads use), and through the CLI.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli.main import app
from i18n.problems import InputError
from i18n.text_files import decode_table
from scoring.inputs import read_csv_text, read_facts, read_ratings
from testkit import facts_rows

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"
RARE = "㵘"  # a character GB18030 has and GBK has not (a four-byte sequence in GB18030)
ENCODINGS = {  # as Excel and WPS save a sheet in China: name → (codec, separator)
    "utf-8": ("utf-8", ","),
    "utf-8-bom": ("utf-8-sig", ","),
    "gbk": ("gbk", ","),
    "gb18030": ("gb18030", ","),
    "utf-16": ("utf-16", "\t"),  # Excel's "Unicode text": a BOM, little-endian, tabs
    "utf-16-be": ("utf-16-be", "\t"),  # no BOM: recognised by the zero bytes of the ASCII header
}
FOUND = {"utf-8": "UTF-8", "utf-8-bom": "UTF-8", "gbk": "GB18030", "gb18030": "GB18030"}


def csv_bytes(frame: pd.DataFrame, encoding: str) -> bytes:
    codec, sep = ENCODINGS[encoding]
    text = frame.to_csv(index=False, sep=sep, lineterminator="\r\n")
    if encoding == "utf-16-be":
        return text.encode("utf-16-be")
    return text.encode(codec)


def chinese_facts(encoding: str) -> pd.DataFrame:
    raw = facts_rows(("S1", "小学"), ("S2", "初中;高中"))
    raw["school_name"] = ["长宁区第一小学", "长宁区仙霞高级中学" + ("" if encoding == "gbk" else RARE)]
    raw["street"] = ["华阳路街道", "新华路街道"]
    raw["parent_school"] = ["是", "否"]
    return raw


def rendered(call, lang: str = "en") -> list[str]:
    with pytest.raises(InputError) as err:
        call()
    return [p.render(lang) for p in err.value.problems]


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_facts_in_every_encoding_read_as_in_utf8(tmp_path, encoding):
    raw = chinese_facts(encoding)
    expected = read_facts(raw)
    path = tmp_path / "facts.csv"
    path.write_bytes(csv_bytes(raw, encoding))
    pd.testing.assert_frame_equal(read_facts(path), expected)  # the columnar path
    pd.testing.assert_frame_equal(read_facts(read_csv_text(path), file="facts.csv"), expected)  # the text path
    assert read_facts(path).loc["S2", "school_name"] == raw.loc[1, "school_name"]


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_bad_facts_in_every_encoding_are_located_as_in_utf8(tmp_path, encoding):
    raw = chinese_facts(encoding)
    raw.loc[1, "students"] = "很多"
    raw.loc[0, "stages"] = "幼儿园"
    path = tmp_path / "facts.csv"
    path.write_bytes(csv_bytes(raw, encoding))
    assert rendered(lambda: read_facts(path), "zh") == [
        "facts.csv 第 2 行 “stages”列: 学段应为 primary, junior, senior, vocational, special"
        "（可用中文，多个学段用分号隔开），实际为“幼儿园”",
        "facts.csv 第 3 行 “students”列: 应为 1 到 ∞ 之间的整数，实际为“很多”",
    ]
    assert rendered(lambda: read_facts(read_csv_text(path), file="facts.csv"), "zh") == rendered(
        lambda: read_facts(path), "zh"
    )


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_ratings_in_every_encoding(tmp_path, encoding, mini, make_facts):
    facts = make_facts(("S1", "primary"))
    rows = pd.DataFrame(
        [
            ("S1", "i1", "张老师", "self", "A", "每学期有总结。", ""),
            ("S1", "i1", "李督学", "inspector", "B", "", "材料不全，需补充"),
            ("S1", "i2", "李督学", "inspector", "坏", "", ""),
        ],
        columns=["school_code", "item_id", "rater", "role", "level", "account", "finding"],
    )
    path = tmp_path / "ratings.csv"
    path.write_bytes(csv_bytes(rows.iloc[:2], encoding))
    read = read_ratings(path, mini, facts.index)
    assert list(read["rater"].astype(str)) == ["张老师", "李督学"]
    assert list(read["finding"]) == ["", "材料不全，需补充"]
    assert list(read_ratings(path, mini, facts.index, texts=False)["finding"].astype(str)) == ["", ""]
    path.write_bytes(csv_bytes(rows, encoding))
    assert rendered(lambda: read_ratings(path, mini, facts.index), "zh") == [
        "ratings.csv 第 4 行 “level”列: 项目 i2 没有等级“坏”，可选：Y, N"
    ]


def test_cli_scores_a_gbk_district_as_its_utf8_twin(tmp_path):
    demo = ROOT / "sample_data" / "demo"
    for name in ("facts.csv", "ratings.csv"):
        text = (demo / name).read_text(encoding="utf-8-sig")
        (tmp_path / f"gbk-{name}").write_bytes(text.encode("gb18030"))
        (tmp_path / f"utf16-{name}").write_bytes(
            pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
            .to_csv(index=False, sep="\t")
            .encode("utf-16")
        )
    runner = CliRunner()
    outputs = []
    for prefix in ("", "gbk-", "utf16-"):
        folder = demo if not prefix else tmp_path
        args = [
            "score",
            "--facts",
            str(folder / f"{prefix}facts.csv"),
            "--ratings",
            str(folder / f"{prefix}ratings.csv"),
        ]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert "示范校" in outputs[0] or "达标校" in outputs[0]


def test_cli_names_the_encoding_it_found(tmp_path):
    demo = ROOT / "sample_data" / "demo"
    facts = tmp_path / "facts.csv"
    facts.write_bytes((demo / "facts.csv").read_bytes() + "S999,坏".encode() + b"\xfa\n")
    result = CliRunner().invoke(app, ["score", "--facts", str(facts), "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr.startswith("facts.csv: cannot read the file: it is UTF-8, but line 42 has damaged bytes (FA)")
    assert not list(tmp_path.glob("*.csv.*"))


def test_decoding_rule():
    assert decode_table("a,b\n学校,1\n".encode()).encoding == "UTF-8"
    assert decode_table(codecs.BOM_UTF8 + "a,b\n学,1\n".encode()).text == "a,b\n学,1\n"
    assert decode_table("a,b\n长宁区第一小学,1\n".encode("gbk")).encoding == "GB18030"
    assert decode_table(f"a,b\n{RARE},1\n".encode("gb18030")).text == f"a,b\n{RARE},1\n"
    decoded = decode_table("a\tb\r\n学\t1\r\n".encode("utf-16"))
    assert (decoded.encoding, decoded.delimiter, decoded.text) == ("UTF-16", "\t", "a\tb\r\n学\t1\r\n")
    assert decode_table("a\tb\n学\t1\n".encode("utf-16-le")).encoding == "UTF-16"
    assert decode_table("a,b\n学,1\n".encode("utf-32")).encoding == "UTF-32"
    assert decode_table("name,x\nJosé,1\n".encode()).encoding == "UTF-8"  # valid UTF-8 is never GBK


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a,b\n" + ("长宁区学校" * 10).encode() + b"\xe5\n", "it is UTF-8, but line 2 has damaged bytes (E5)"),
        (b"a,b\n1,2\n\x81\x20\xff\n", "it is neither UTF-8 nor GB18030 (GBK) text (line 3: 81)"),
        (
            codecs.BOM_UTF8 + b"a,b\n\xff\n",
            "it is marked as UTF-8 at its start, but line 2 has bytes that are not UTF-8 (FF)",
        ),
        (codecs.BOM_UTF16_LE + "a\tb\n".encode("utf-16-le") + b"\x00\xd8", "it is marked as UTF-16 at its start"),
        (b"PK\x03\x04rest of a zip", "this is an Excel (or WPS) workbook, not a CSV file"),
        (b"\xd0\xcf\x11\xe0rest", "this is an old Excel workbook (.xls), not a CSV file"),
        (
            "学校代码;学校名称\n".encode("gbk"),
            "read as GB18030, its first line has no columns separated by commas or tabs",
        ),
    ],
)
def test_unreadable_files_name_what_was_found(tmp_path, data, message):
    path = tmp_path / "facts.csv"
    path.write_bytes(data)
    for call in (lambda: read_facts(path), lambda: read_csv_text(path)):
        (line,) = rendered(call)
        assert line.startswith(f"facts.csv: cannot read the file: {message}"), line
    (zh,) = rendered(lambda: read_facts(path), "zh")
    assert zh.startswith("facts.csv: 无法读取文件：")


def test_upload_bytes_are_read_by_the_same_rule():
    data = "school_code,inspector,lead\nS1,张三,是\n".encode("gbk")
    frame = read_csv_text(data, "分配.csv")
    assert frame.to_dict("records") == [{"school_code": "S1", "inspector": "张三", "lead": "是"}]
    (line,) = rendered(lambda: read_csv_text(b"PK\x03\x04", "分配.csv"))
    assert line.startswith("分配.csv: cannot read the file: this is an Excel")
