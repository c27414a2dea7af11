"""The report and template commands on good and bad input: files that open, exit 2 and no file on problems."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from cli import report_cmds

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    report_cmds.register(app)
    app.command("noop")(lambda: None)  # a second command, so that the first is addressed by name
    return app


def run(app, *args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_report_docx_and_xlsx(app, tmp_path, weak_school, result):
    n = result.row(weak_school)
    score = f"{result.inspection.score_100[n]:.1f}"
    out = tmp_path / "r.docx"
    done = run(
        app, "report", "--school", weak_school, "--out", str(out), "--cycle", "2025学年", "--visit-date", "2025-11-03"
    )
    assert done.exit_code == 0, done.stderr
    text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert f"总分 {score} 分，低于达标线 75 分" in text and "2025年11月3日" in text
    out = tmp_path / "r.xlsx"
    assert run(app, "report", "--school", weak_school, "--format", "xlsx", "--out", str(out)).exit_code == 0
    pairs = {r[0]: r[1] for r in openpyxl.load_workbook(out)["概要"].iter_rows(values_only=True) if r[0]}
    assert pairs["督导得分"] == pytest.approx(result.inspection.score_100[n])


def test_report_pack_and_feedback(app, tmp_path, weak_school):
    out = tmp_path / "pack.zip"
    assert run(app, "report", "--school", weak_school, "--kind", "pack", "--out", str(out)).exit_code == 0
    assert len(zipfile.ZipFile(out).namelist()) == 4
    out = tmp_path / "feedback.docx"
    assert run(app, "report", "--school", weak_school, "--kind", "feedback", "--out", str(out)).exit_code == 0
    assert docx.Document(out).sections[0].header.paragraphs[0].text.startswith("初步结果")


def test_bad_report_input_exits_2_and_writes_nothing(app, tmp_path):
    out = tmp_path / "r.docx"
    done = run(app, "report", "--school", "NOPE", "--out", str(out), "--lang", "en")
    assert done.exit_code == 2
    assert "no school with code NOPE" in done.stderr
    done = run(app, "report", "--school", "CN001", "--kind", "self", "--format", "xlsx", "--out", str(out))
    assert done.exit_code == 2 and "Excel 格式只用于督导评估报告" in done.stderr
    done = run(app, "report", "--school", "CN001", "--visit-date", "3 Nov", "--out", str(out))
    assert done.exit_code == 2 and "日期应为 YYYY-MM-DD，实际为“3 Nov”" in done.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_report_all_and_district_workbook(app, tmp_path, result):
    out = tmp_path / "all.zip"
    assert run(app, "report-all", "--kind", "xlsx", "--out", str(out)).exit_code == 0
    assert len(zipfile.ZipFile(out).namelist()) == len(result.schools)
    targets = tmp_path / "targets.csv"
    targets.write_text("clause,name,target,current,met\n二(1),专职心理教师配备率,100,92.5,0\n", encoding="utf-8")
    out = tmp_path / "district.xlsx"
    assert run(app, "district-workbook", "--out", str(out), "--targets", str(targets)).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book["区目标"]["D2"].value == 92.5 and book["区目标"]["E2"].value == "未达成"
    assert book["学校得分"].max_row == len(result.schools) + 1


def test_template_export_fill_import(app, tmp_path, demo):
    _, ratings, _ = demo
    code = "CN005"
    template = tmp_path / "t.xlsx"
    done = run(app, "template", "export", "--school", code, "--cycle", "2025学年", "--out", str(template),
               "--prefill", "sample_data/demo/ratings.csv")  # fmt: skip
    assert done.exit_code == 0, done.stderr
    out, facts_out = tmp_path / "ratings.csv", tmp_path / "facts.csv"
    done = run(app, "template", "import", str(template), "--school", code, "--cycle", "2025学年", "--out", str(out),
               "--facts-out", str(facts_out))  # fmt: skip
    assert done.exit_code == 0, done.stderr
    got = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    own = ratings[(ratings["school_code"] == code) & (ratings["role"] == "self")]
    assert dict(zip(got["item_id"], got["level"], strict=True)) == dict(zip(own["item_id"], own["level"], strict=True))
    assert dict(zip(got["item_id"], got["account"], strict=True)) == dict(
        zip(own["item_id"], own["account"], strict=True)
    )
    facts = pd.read_csv(facts_out, dtype=str, encoding="utf-8-sig")
    expected = pd.read_csv("sample_data/demo/facts.csv", dtype=str).set_index("school_code").loc[code]
    assert facts.iloc[0]["students"] == expected["students"]
    assert float(facts.iloc[0]["room_area_m2"]) == float(expected["room_area_m2"])


def test_template_import_of_a_bad_file_lists_problems_and_writes_nothing(app, tmp_path):
    template = tmp_path / "t.xlsx"
    assert (
        run(app, "template", "export", "--school", "CN001", "--cycle", "2025学年", "--out", str(template)).exit_code
        == 0
    )
    book = openpyxl.load_workbook(template)
    book["逐项评价"]["G2"] = "Q"
    book.save(template)
    out = tmp_path / "ratings.csv"
    done = run(app, "template", "import", str(template), "--school", "CN001", "--cycle", "2024学年", "--out", str(out))
    assert done.exit_code == 2
    assert done.stderr.strip() == "t.xlsx: 此模板属于评估周期“2025学年”，不是“2024学年”"
    done = run(app, "template", "import", str(template), "--school", "CN001", "--cycle", "2025学年", "--out", str(out))
    assert done.exit_code == 2
    lines = done.stderr.strip().splitlines()
    assert lines[0] == "t.xlsx 工作表“逐项评价” 第 2 行 “G（等级）”列: 项目 A1.1.1 没有等级“Q”，可选：A, B, C, D"
    assert len(lines) > 10  # every empty level is listed too
    assert not out.exists()


def test_inspector_template_needs_the_rater(app, tmp_path):
    out = tmp_path / "t.xlsx"
    done = run(
        app, "template", "export", "--school", "CN001", "--cycle", "2025学年", "--role", "inspector", "--out", str(out)
    )
    assert done.exit_code == 2 and "--rater" in done.stderr and not out.exists()
    done = run(app, "template", "export", "--school", "CN001", "--cycle", "2025学年", "--role", "inspector",
               "--rater", "insp01", "--prefill", "sample_data/demo/ratings.csv", "--out", str(out))  # fmt: skip
    assert done.exit_code == 0
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["逐项评价"]
    assert sheet["I1"].value == "学校自评等级" and sheet["I2"].value


def test_district_workbook_computes_the_plans_targets_by_default(app, tmp_path, demo):
    from scoring.targets import district_targets

    facts, _, result = demo
    out = tmp_path / "d.xlsx"
    done = run(app, "district-workbook", "--out", str(out))
    assert done.exit_code == 0, done.stderr
    rows = list(openpyxl.load_workbook(out)["区目标"].iter_rows(min_row=2, values_only=True))
    expected = district_targets(facts, result)
    assert [r[1] for r in rows] == [s.target.label("zh") for s in expected]
    measured = [(r[3], s.value) for r, s in zip(rows, expected, strict=True) if s.value is not None]
    assert measured and all(abs(shown - round(value, 1)) < 1e-9 for shown, value in measured)


def test_report_as_pdf_and_refused_for_a_school_never_inspected(app, tmp_path, result):
    import shutil

    from testkit import need

    absent = next(code for code in result.schools if not result.inspection.present[result.row(code)])
    out = tmp_path / "none.docx"
    done = run(app, "report", "--school", absent, "--out", str(out))
    assert done.exit_code != 0 and "尚未督导" in done.stderr and not out.exists()
    done = run(app, "report", "--school", absent, "--kind", "self", "--out", str(out))
    assert done.exit_code == 0 and out.exists()
    need(shutil.which("soffice"), "LibreOffice is missing: apt-get install -y libreoffice-writer-nogui")
    pdf = tmp_path / "r.pdf"
    done = run(app, "report", "--school", "CN038", "--format", "pdf", "--report-date", "2025-06-01", "--out", str(pdf))
    assert done.exit_code == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
