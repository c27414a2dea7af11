"""The scoring commands on good and bad files: exit codes, messages, and no partial output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from cli.main import app

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "sample_data" / "demo"
MINI = ROOT / "tests" / "data" / "mini.yaml"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_validate_bundled_framework():
    result = run("validate", "--lang", "en")
    assert result.exit_code == 0
    assert "Framework is valid" in result.output
    assert "Standard school: score ≥ 75" in result.output


def test_validate_bad_framework_lists_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        MINI.read_text(encoding="utf-8").replace("points: 4", "points: 5").replace("fraction: 0.5", "fraction: 1.5"),
        encoding="utf-8",
    )
    result = run("validate", str(bad), "--lang", "en")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert "bad.yaml total_points: item points must add up to total_points 10, found 11" in lines
    assert any("levels[1].fraction: fraction must be within [0, 1], found 1.5" in line for line in lines)


def test_score_demo_writes_every_school(tmp_path):
    out = tmp_path / "scores.csv"
    result = run("score", "--out", str(out), "--lang", "en")
    assert result.exit_code == 0, result.stderr
    frame = pd.read_csv(out, encoding="utf-8-sig")
    facts = pd.read_csv(DEMO / "facts.csv")
    assert list(frame["school_code"]) == list(facts["school_code"])
    assert set(frame["inspection_tier"].dropna()) <= {"none", "standard", "model"}
    assert frame["self_score"].between(0, 100).all()


def test_score_json(tmp_path):
    result = run("score", "--format", "json")
    rows = json.loads(result.stdout)
    assert len(rows) == 40
    assert {"school_code", "self_score", "inspection_tier", "reasons"} <= set(rows[0])


def test_bad_ratings_exit_2_and_write_nothing(tmp_path):
    ratings = pd.read_csv(DEMO / "ratings.csv", dtype=str, keep_default_na=False)
    ratings.loc[3, "level"] = "Q"
    ratings.loc[7, "school_code"] = "NOPE"
    bad = tmp_path / "ratings.csv"
    ratings.to_csv(bad, index=False)
    out = tmp_path / "scores.csv"
    result = run("score", "--ratings", str(bad), "--out", str(out), "--lang", "en")
    assert result.exit_code == 2
    assert "ratings.csv row 9 column 'school_code': no school with code NOPE" in result.stderr
    assert "ratings.csv row 5 column 'level': item" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_bad_facts_keep_an_existing_output_untouched(tmp_path):
    facts = pd.read_csv(DEMO / "facts.csv", dtype=str, keep_default_na=False)
    facts.loc[0, "students"] = "-5"
    bad = tmp_path / "facts.csv"
    facts.to_csv(bad, index=False)
    out = tmp_path / "scores.csv"
    out.write_text("previous", encoding="utf-8")
    result = run("score", "--facts", str(bad), "--out", str(out))
    assert result.exit_code == 2
    assert "facts.csv 第 2 行 “students”列: 应为 1 到 ∞ 之间的整数，实际为“-5”" in result.stderr
    assert out.read_text(encoding="utf-8") == "previous"


def test_explain_traces_a_school():
    result = run("explain", "--school", "CN005", "--lang", "en")
    assert result.exit_code == 0
    assert "School CN005" in result.output
    assert "[Inspection] earned" in result.output
    assert "median of" in result.output


def test_explain_unknown_school():
    result = run("explain", "--school", "XX999", "--lang", "en")
    assert result.exit_code == 2
    assert "no school with code XX999" in result.stderr


def test_explain_json_matches_score():
    trace = json.loads(run("explain", "--school", "CN001", "--format", "json").stdout)
    scores = json.loads(run("score", "--format", "json").stdout)
    row = next(r for r in scores if r["school_code"] == "CN001")
    assert round(trace["inspection"]["score_100"], 1) == row["inspection_score"]


def test_generate_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("generate", "--schools", "30", "--seed", "7", "--out", str(a)).exit_code == 0
    assert run("generate", "--schools", "30", "--seed", "7", "--out", str(b)).exit_code == 0
    for name in ("facts.csv", "ratings.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    scored = run("score", "--facts", str(a / "facts.csv"), "--ratings", str(a / "ratings.csv"), "--format", "json")
    assert len(json.loads(scored.stdout)) == 30


def test_process_exit_codes(tmp_path):
    """Through a real process: 0 on a valid file, 2 on an invalid one with the file named."""
    command = [sys.executable, "-m", "cli.main"]
    ok = subprocess.run([*command, "validate"], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0
    bad = tmp_path / "x.yaml"
    bad.write_text("schema_version: 2\n", encoding="utf-8")
    failed = subprocess.run([*command, "validate", str(bad), "--lang", "en"], capture_output=True, text=True, cwd=ROOT)
    assert failed.returncode == 2
    assert "x.yaml schema_version: expected one of 1, found 2" in failed.stderr


def test_framework_export_and_validate_the_workbook(tmp_path):
    out = tmp_path / "fw.xlsx"
    assert run("framework", "export", "--out", str(out)).exit_code == 0
    result = run("validate", str(out), "--lang", "en")
    assert result.exit_code == 0
    assert "38 items, 100 points" in result.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    failed = run("validate", str(broken), "--lang", "en")
    assert failed.exit_code == 2
    assert failed.stderr.startswith("broken.xlsx")
