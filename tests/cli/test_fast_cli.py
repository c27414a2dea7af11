"""The fast CLI: what `score` imports, Parquet in and out, and the permissions of output files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli.common import DEFAULT_FRAMEWORK, DEMO_DIR
from cli.main import app, file_command_names
from cli.output import csv_text

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("store", "reports", "sqlalchemy", "alembic", "openpyxl", "docx", "argon2", "streamlit", "psycopg", "ui")
runner = CliRunner()


def imported_modules(*args: str) -> set[str]:
    """Every module (dotted name) a real `xinyu` process imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cli.main", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def imported_by(*args: str) -> set[str]:
    """Top-level packages a real `xinyu` process imports (python -X importtime -m cli.main ...)."""
    return {name.split(".")[0] for name in imported_modules(*args)}


def test_score_never_imports_the_database_or_report_layers_nor_pandas(tmp_path):
    packages = imported_by("score", "--out", str(tmp_path / "scores.csv"))
    assert {"scoring", "numpy", "pyarrow"} <= packages
    assert packages.isdisjoint({*HEAVY, "pandas"}), sorted(packages & {*HEAVY, "pandas"})


def test_score_loads_neither_the_settings_layer_nor_rich(tmp_path):
    modules = imported_modules("score", "--out", str(tmp_path / "scores.csv"))
    assert {"scoring.engine", "scoring.checks", "scoring.columnar"} <= modules
    unused = {"settings", "pydantic_settings", "rich", "pyarrow.compute"}  # (kernels are called by name)
    assert modules.isdisjoint(unused), sorted(modules & unused)


def test_score_help_imports_nothing_but_the_command_line():
    packages = imported_by("score", "--help")
    # (typer itself loads pydantic for its help; our layers and the data libraries stay out)
    assert packages.isdisjoint({*HEAVY, "pandas", "numpy", "pyarrow", "yaml", "scoring", "criteria", "settings"})


def test_the_full_app_still_has_every_command():
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert file_command_names() < names and {"db", "user", "schools", "ratings", "export", "demo"} <= names
    assert DEFAULT_FRAMEWORK.exists() and DEMO_DIR.joinpath("facts.csv").exists()
    from criteria import DEFAULT_FRAMEWORK as bundled

    assert bundled == DEFAULT_FRAMEWORK


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_output_files_get_the_umask_permissions(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        out = tmp_path / "scores.csv"
        assert runner.invoke(app, ["score", "--out", str(out)]).exit_code == 0
        workbook = tmp_path / "fw.xlsx"
        assert runner.invoke(app, ["framework", "export", "--out", str(workbook)]).exit_code == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == mode
    assert workbook.stat().st_mode & 0o777 == mode


def demo_as_parquet(folder: Path) -> tuple[Path, Path]:
    """The demo district as Parquet: facts with numbers as numbers, ratings as text."""
    facts = pd.read_csv(DEMO_DIR / "facts.csv", encoding="utf-8-sig", keep_default_na=False)
    ratings = pd.read_csv(DEMO_DIR / "ratings.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    facts.to_parquet(folder / "facts.parquet", index=False)
    ratings.astype("category").to_parquet(folder / "ratings.parquet", index=False)  # dictionary-encoded
    return folder / "facts.parquet", folder / "ratings.parquet"


def test_parquet_in_and_out_give_the_csv_results(tmp_path):
    facts, ratings = demo_as_parquet(tmp_path)
    from_csv = runner.invoke(app, ["score"])
    assert from_csv.exit_code == 0
    out = tmp_path / "scores.parquet"
    done = runner.invoke(
        app, ["score", "--facts", str(facts), "--ratings", str(ratings), "--format", "parquet", "--out", str(out)]
    )
    assert done.exit_code == 0, done.stderr
    got = pd.read_parquet(out)
    assert csv_text(got) == from_csv.stdout  # the same table, typed: numbers as numbers
    assert got["inspection_score"].dtype == "float64" and got["self_unrated"].dtype == "int64"


def test_bad_parquet_rows_are_located_and_parquet_needs_an_output(tmp_path):
    facts, ratings = demo_as_parquet(tmp_path)
    frame = pd.read_parquet(facts)
    frame.loc[2, "grades"] = 14
    frame.to_parquet(facts, index=False)
    done = runner.invoke(app, ["score", "--facts", str(facts), "--ratings", str(ratings), "--lang", "en"])
    assert done.exit_code == 2
    assert (
        done.stderr.strip() == "facts.parquet row 3 column 'grades': expected a whole number from 1 to 13, found '14'"
    )
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    done = runner.invoke(app, ["score", "--facts", str(broken), "--lang", "en"])
    assert done.exit_code == 2 and done.stderr.startswith("broken.parquet: cannot read the Parquet file")
    done = runner.invoke(app, ["score", "--format", "parquet", "--lang", "en"])
    assert done.exit_code == 2 and "the Parquet format needs an output file (--out)" in done.stderr


def test_the_result_file_is_the_printed_table_with_a_byte_order_mark(tmp_path):
    """Written from arrow's memory in two parts (header, lines): the same bytes as the table printed, BOM first."""
    printed = runner.invoke(app, ["score"])
    assert printed.exit_code == 0
    out = tmp_path / "scores.csv"
    assert runner.invoke(app, ["score", "--out", str(out)]).exit_code == 0
    data = out.read_bytes()
    assert data == b"\xef\xbb\xbf" + printed.stdout.encode("utf-8")
    frame = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert len(frame) == printed.stdout.count("\n") - 1 and frame.columns[0] == "school_code"
