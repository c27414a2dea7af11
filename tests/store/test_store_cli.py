"""The database commands, through the Typer app, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
import typer
from storekit import Db
from typer.testing import CliRunner, Result

from cli.store_cmds import register
from settings import get_settings
from store.demo import DEMO_PASSWORD_ENV, demo_cycle_names

Invoke = Callable[..., Result]


@pytest.fixture
def run(db: Db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Invoke]:
    app = typer.Typer()
    register(app)
    monkeypatch.setenv("DATABASE_URL", db.full_url)
    monkeypatch.setenv("XINYU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XINYU_LANG", "zh")
    monkeypatch.setenv(DEMO_PASSWORD_ENV, "demo-pass-2025")  # one hash instead of one per demo account
    get_settings.cache_clear()

    def invoke(*args: str, stdin: str | None = None) -> Result:
        get_settings.cache_clear()
        return CliRunner().invoke(app, list(args), input=stdin)

    yield invoke
    get_settings.cache_clear()


def test_user_commands(run: Invoke) -> None:
    run("db", "upgrade")
    added = run("user", "add", "newbie", "--role", "inspector", "--name", "新督学")
    assert added.exit_code == 0, added.output
    password = added.output.strip().splitlines()[-1].split("：")[-1]
    assert len(password) == 12
    listed = run("user", "list")
    assert "newbie\tinspector\t新督学\t\t启用" in listed.output
    changed = run("user", "passwd", "newbie", "--password-stdin", stdin="A long new password\n")
    assert changed.exit_code == 0, changed.output
    disabled = run("user", "disable", "newbie")
    assert disabled.exit_code == 0 and "停用" in disabled.output
    assert "newbie\tinspector\t新督学\t\t停用" in run("user", "list").output
    no_school = run("user", "add", "s1", "--role", "school", "--lang", "en")
    assert no_school.exit_code == 2 and "school account needs its school" in no_school.output
    bad_role = run("user", "add", "s1", "--role", "king")
    assert bad_role.exit_code == 2


def test_demo_imports_exports_and_acting_as_an_account(run: Invoke, tmp_path: Path) -> None:
    upgraded = run("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert "0011" in upgraded.output
    loaded = run("demo", "--lang", "en")
    assert loaded.exit_code == 0, loaded.output
    assert "40 schools" in loaded.output and "XINYU_DEMO_PASSWORD" in loaded.output
    past, _current = demo_cycle_names(datetime.now(UTC).date())  # last year's: mostly finalized
    again = run("demo")
    assert again.exit_code == 0 and "未载入" in again.output
    out = tmp_path / "out"
    exported = run("export", "--cycle", past, "--out", str(out))
    assert exported.exit_code == 0, exported.output
    facts = pd.read_csv(out / "facts.csv", dtype=str, encoding="utf-8-sig")
    assert len(facts) == 40
    again = run("ratings", "import", str(out / "ratings.csv"), "--cycle", past)
    assert again.exit_code == 0, again.output
    assert "新增 0，更新 0" in again.output  # unchanged rows of finalized assessments are fine
    assert run("export", "--cycle", past, "--out", str(out)).exit_code == 2  # the files exist
    denied = run("export", "--cycle", past, "--out", str(tmp_path / "o2"), "--as", "cn001", "--lang", "en")
    assert denied.exit_code == 2 and "not allowed" in denied.output
    bad = tmp_path / "bad.csv"
    bad.write_text("school_code,school_name,stages\nX1,学校,primary\n,无代码,primary\nX3,学校,大学\n", encoding="utf-8")
    refused = run("schools", "import", str(bad))
    assert refused.exit_code == 2
    assert "第 3 行" in refused.output and "第 4 行" in refused.output
    good = tmp_path / "good.csv"
    good.write_text("school_code,school_name,stages,ownership\nX1,新学校,小学,民办\n", encoding="utf-8")
    imported = run("schools", "import", str(good), "--cycle", past)
    assert imported.exit_code == 0 and "新增 1" in imported.output


def test_an_infinite_number_is_bad_input_with_exit_code_2(run: Invoke, tmp_path: Path) -> None:
    bad = tmp_path / "schools.csv"
    bad.write_text("school_code,school_name,stages,campuses\nX1,学校,primary,inf\n", encoding="utf-8")
    refused = run("schools", "import", str(bad), "--lang", "en")
    assert refused.exit_code == 2, refused.output
    assert "row 2" in refused.output and "campuses" in refused.output


def test_accounts_in_bulk_with_slips(run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    import openpyxl
    from docx import Document

    monkeypatch.setenv("XINYU_APP_URL", "https://xinyu.example.cn")
    run("db", "upgrade")
    assert run("schools", "import", str(_register(tmp_path))).exit_code == 0
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("username,display_name,role,school_code\nli01,李督学,inspector,\nbad!,x,inspector,\n")
    refused = run("user", "import", str(accounts), "--slips", str(tmp_path / "slips.docx"))
    assert refused.exit_code == 2 and "第 3 行" in refused.output and not (tmp_path / "slips.docx").exists()
    accounts.write_text("username,display_name,role,school_code\nli01,李督学,inspector,\n")
    done = run("user", "import", str(accounts), "--slips", str(tmp_path / "slips.docx"))
    assert done.exit_code == 0, done.output
    doc = Document(tmp_path / "slips.docx")
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "li01" in cells and "https://xinyu.example.cn" in cells
    password = cells[cells.index("初始密码") + 1]
    assert password not in done.output, "the initial password is on the slip only"
    schools = run("user", "for-schools", "--slips", str(tmp_path / "schools.xlsx"))
    assert schools.exit_code == 0, schools.output
    rows = list(openpyxl.load_workbook(io.BytesIO((tmp_path / "schools.xlsx").read_bytes())).active.values)[1:]
    assert [r[2] for r in rows] == ["t001", "t002"]
    again = run("user", "reset", "li01", "--slips", str(tmp_path / "slips.docx"))
    assert again.exit_code == 2 and "不会覆盖" in again.output
    reset = run("user", "reset", "li01", "--slips", str(tmp_path / "reset.xlsx"))
    assert reset.exit_code == 0, reset.output
    new = list(openpyxl.load_workbook(tmp_path / "reset.xlsx").active.values)[1]
    assert new[2] == "li01" and new[3] != password


def _register(tmp_path: Path) -> Path:
    path = tmp_path / "register.csv"
    path.write_text("school_code,school_name,stages\nT001,试点一小,primary\nT002,试点二中,junior\n", encoding="utf-8")
    return path
