"""On-site overrides from a CSV file on the command line: applied to the inspection, bad rows located."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()
REASON = "辅导室设于图书馆内独立隔间，现场核查面积 42 平方米"


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_an_override_lifts_cn038s_veto_and_explain_says_why(tmp_path: Path):
    csv = tmp_path / "overrides.csv"
    csv.write_text(f"school_code,item_id,level,reason,by\nCN038,A2.1.1,C,{REASON},王立群\n", encoding="utf-8")
    plain = json.loads(run("score", "--format", "json").stdout)
    overridden = json.loads(run("score", "--format", "json", "--overrides", str(csv)).stdout)
    before = next(r for r in plain if r["school_code"] == "CN038")
    after = next(r for r in overridden if r["school_code"] == "CN038")
    assert (before["inspection_tier"], after["inspection_tier"]) == ("none", "standard")
    assert after["self_tier"] == before["self_tier"]  # the school's own view keeps the facts
    text = run("explain", "--school", "CN038", "--overrides", str(csv)).stdout
    assert f"督导组现场改定为 C（按基本数据计算为 D），理由：{REASON}（王立群）" in text


def test_bad_override_rows_are_located_and_nothing_is_written(tmp_path: Path):
    csv = tmp_path / "overrides.csv"
    csv.write_text(
        "school_code,item_id,level,reason\nCN038,A2.1.1,C,\nCN038,A1.1.1,A,有理由\nCN999,A2.1.1,Z,有理由\n",
        encoding="utf-8",
    )
    out = tmp_path / "scores.csv"
    result = run("score", "--overrides", str(csv), "--out", str(out), "--lang", "zh")
    assert result.exit_code == 2
    errors = result.stderr
    assert "overrides.csv 第 2 行 “reason”列" in errors and "现场改定须写明理由" in errors
    assert "overrides.csv 第 3 行 “item_id”列" in errors and "不是按基本数据计算的项目" in errors
    assert "overrides.csv 第 4 行 “school_code”列" in errors and "overrides.csv 第 4 行 “level”列" in errors
    assert not out.exists()
