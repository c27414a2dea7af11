"""Every door that takes a file, fed a generated corpus of hostile files: no traceback, exit 2 with the
file named at the start of every message line (or, for a file that happens to be valid, exit 0 with a
complete output), and nothing written on refusal: no output file, no change in the database.

Doors: framework YAML (`validate`, `framework export`, the bureau's upload), framework workbook
(`validate`, the bureau's upload), facts CSV and ratings CSV (`score`), register CSV (`schools import`,
database), assignments CSV (`report --assignments`), template xlsx (`template import`). The evidence
door is in tests/store/test_store_hostile_evidence.py (it needs the store).
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner, Result

sys.path.insert(0, str(Path(__file__).parent))
from corpus import Case, csv_cases, wps_dimension, xlsx_cases, yaml_cases

from cli.main import app
from criteria import DEFAULT_FRAMEWORK, load_framework
from i18n.problems import InputError
from reports.framework_xlsx import framework_from_xlsx, framework_to_xlsx
from reports.template_export import write_template
from reports.template_layout import TemplateIdentity
from settings import get_settings
from ui.bureau.uploads import framework_upload

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo"
MIN_CASES = 30
OTHER_INPUTS = ("facts.csv", "ratings.csv", "changning-2024.yaml")
runner = CliRunner()


def seeded(name: str) -> random.Random:
    return random.Random(hashlib.sha256(name.encode()).digest())


def run(*args: str) -> Result:
    return runner.invoke(app, ["--help"] if not args else list(args))


def assert_refused_or_done(result: Result, file: str, outputs: list[Path]) -> str:
    """Exit 2 with every message line starting with the file's name and no output, or exit 0 with the output."""
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    if result.exit_code == 0:
        assert all(p.exists() and p.stat().st_size > 0 for p in outputs)
        return "accepted"
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith(" ")]
    assert lines, "a refusal says why"
    # the message's place: the file comes first (or the other input it contradicts, e.g. ratings of no school)
    assert lines[0].startswith((file, *OTHER_INPUTS)), lines
    assert not any(p.exists() for p in outputs), "a refused file writes nothing"
    leftovers = [p for p in outputs[0].parent.iterdir() if p.name.startswith(".")] if outputs else []
    assert not leftovers, leftovers  # no temporary file left behind either
    return "refused"


def feed(
    tmp_path: Path,
    cases: list[Case],
    suffix: str,
    invoke: Callable[[Path, Path], Result],
    out_suffix: str,
    writes: bool = True,
) -> dict[str, int]:
    """Run every case through a door; the outcome counts."""
    assert len(cases) >= MIN_CASES, len(cases)
    counts = {"accepted": 0, "refused": 0}
    for n, (name, data) in enumerate(cases):
        path = tmp_path / f"in_{n}_{name}{suffix}"
        path.write_bytes(data)
        out = tmp_path / "out" / f"result_{n}{out_suffix}"
        out.parent.mkdir(exist_ok=True)
        try:
            outcome = assert_refused_or_done(invoke(path, out), path.name, [out] if writes else [])
            assert writes or not any(out.parent.iterdir()), "a check writes nothing"
            counts[outcome] += 1
        except AssertionError as error:
            raise AssertionError(f"case {name}: {error}") from None
    return counts


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XINYU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XINYU_LOAD_DEMO", "0")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("XINYU_LANG", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_framework_yaml_validate(tmp_path: Path) -> None:
    cases = yaml_cases(DEFAULT_FRAMEWORK.read_bytes(), seeded("yaml"))
    counts = feed(tmp_path, cases, ".yaml", lambda p, out: run("validate", str(p)), ".txt", writes=False)
    assert counts["refused"] >= len(cases) - 2  # the valid framework with tabs or the like may pass


def test_framework_yaml_export_writes_nothing_on_refusal(tmp_path: Path) -> None:
    cases = yaml_cases(DEFAULT_FRAMEWORK.read_bytes(), seeded("yaml-export"))
    feed(tmp_path, cases, ".yaml", lambda p, out: run("framework", "export", str(p), "--out", str(out)), ".xlsx")


def test_the_billion_laughs_is_refused_fast_and_named(tmp_path: Path) -> None:
    (_, data) = next(c for c in yaml_cases(DEFAULT_FRAMEWORK.read_bytes(), seeded("x")) if c[0] == "billion_laughs")
    path = tmp_path / "laughs.yaml"
    path.write_bytes(data)
    result = run("validate", str(path), "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith("laughs.yaml row ") and "too many YAML aliases" in result.stderr
    path.write_text("id: x\ntotal_points: " + "9" * 5000 + "\n")
    result = run("validate", str(path), "--lang", "en")
    assert result.exit_code == 2 and "number too long (5000 digits, at most 30)" in result.stderr


def test_framework_workbook_validate(tmp_path: Path) -> None:
    valid = framework_to_xlsx(load_framework())
    cases = xlsx_cases(valid, seeded("fw-xlsx"))
    counts = feed(tmp_path, cases, ".xlsx", lambda p, out: run("validate", str(p)), ".txt", writes=False)
    assert counts["refused"] >= len(cases) - 3


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/workbook.xml"])
@pytest.mark.parametrize("content", [b"", b"garbage"])
def test_garbage_styles_or_workbook_xml_is_a_located_message(tmp_path: Path, part: str, content: bytes) -> None:
    from corpus import rewrite

    path = tmp_path / "broken.xlsx"
    path.write_bytes(rewrite(framework_to_xlsx(load_framework()), lambda n, b: content if n == part else b))
    result = run("validate", str(path), "--lang", "en")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("broken.xlsx: the workbook cannot be read")


def test_a_workbook_saved_by_wps_with_dimension_a1_is_read_whole(tmp_path: Path) -> None:
    fw = load_framework()
    wps = wps_dimension(framework_to_xlsx(fw))
    assert b'<dimension ref="A1:A1"/>' in __import__("zipfile").ZipFile(__import__("io").BytesIO(wps)).read(
        "xl/worksheets/sheet1.xml"
    )
    assert framework_from_xlsx(wps, "wps.xlsx") == fw
    path = tmp_path / "wps.xlsx"
    path.write_bytes(wps)
    result = run("validate", str(path), "--lang", "en")
    assert result.exit_code == 0 and f"{len(fw.items())} items" in result.output


def test_facts_csv_score(tmp_path: Path) -> None:
    cases = csv_cases((DEMO / "facts.csv").read_bytes(), seeded("facts"), ("school_code", "stages", "students"))
    feed(tmp_path, cases, ".csv", lambda p, out: run("score", "--facts", str(p), "--out", str(out)), ".csv")


def test_ratings_csv_score(tmp_path: Path) -> None:
    cases = csv_cases((DEMO / "ratings.csv").read_bytes(), seeded("ratings"), ("school_code", "item_id", "level"))
    feed(tmp_path, cases, ".csv", lambda p, out: run("score", "--ratings", str(p), "--out", str(out)), ".csv")


def test_assignments_csv_report(tmp_path: Path) -> None:
    cases = csv_cases((DEMO / "assignments.csv").read_bytes(), seeded("assign"), ("school_code", "inspector", "lead"))
    # one school's facts and ratings: a valid assignments file then builds a small report quickly
    facts, ratings = tmp_path / "facts.csv", tmp_path / "ratings.csv"
    for source, target in ((DEMO / "facts.csv", facts), (DEMO / "ratings.csv", ratings)):
        lines = source.read_text(encoding="utf-8-sig").splitlines()
        target.write_text("\n".join([lines[0], *(x for x in lines[1:] if x.startswith("CN001,"))]) + "\n", "utf-8")
    inputs = ("--facts", str(facts), "--ratings", str(ratings))
    feed(
        tmp_path,
        cases,
        ".csv",
        lambda p, out: run("report", "--school", "CN001", *inputs, "--assignments", str(p), "--out", str(out)),
        ".docx",
    )


def test_assignments_without_the_lead_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "teams.csv"
    path.write_text("school_code,inspector\nCN001,insp01\n", encoding="utf-8")
    out = tmp_path / "r.docx"
    result = run("report", "--school", "CN001", "--assignments", str(path), "--out", str(out), "--lang", "en")
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.strip() == "teams.csv row 1 column 'lead': column missing: lead"


def template_bytes() -> bytes:
    fw = load_framework()
    identity = TemplateIdentity.of(fw, "CN001", "2025学年", "self")
    return write_template(fw, identity, "长宁区华阳路第一小学", tuple(fw.items()[0].applies_to[:1]), "zh")


def test_template_import(tmp_path: Path) -> None:
    cases = xlsx_cases(template_bytes(), seeded("template"))
    args = ("--school", "CN001", "--cycle", "2025学年")
    counts = feed(
        tmp_path, cases, ".xlsx", lambda p, out: run("template", "import", str(p), *args, "--out", str(out)), ".csv"
    )
    assert counts["accepted"] <= 2


def db_state(data_dir: Path) -> dict[str, list[tuple]]:
    engine = create_engine(f"sqlite:///{data_dir / 'xinyu.sqlite3'}")
    with engine.connect() as conn:
        tables = [r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))]
        state = {t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr) for t in tables}
    engine.dispose()
    return state


def test_register_csv_import_changes_nothing_on_refusal(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    valid = DEMO / "facts.csv"
    assert run("schools", "import", str(valid)).exit_code == 0
    cases = csv_cases(valid.read_bytes(), seeded("register"), ("school_code", "school_name", "stages"))
    assert len(cases) >= MIN_CASES
    refused = 0
    for n, (name, data) in enumerate(cases):
        before = db_state(data_dir)
        path = tmp_path / f"reg_{n}_{name}.csv"
        path.write_bytes(data)
        result = run("schools", "import", str(path))
        outcome = assert_refused_or_done(result, path.name, [])
        if outcome == "refused":
            refused += 1
            assert db_state(data_dir) == before, f"case {name} changed the database"
    assert refused >= len(cases) - 8  # a header alone, or text the register takes as it is, imports


@pytest.mark.parametrize("door", ["yaml", "xlsx"])
def test_the_bureaus_framework_upload_refuses_in_words(door: str) -> None:
    if door == "yaml":
        cases, name = yaml_cases(DEFAULT_FRAMEWORK.read_bytes(), seeded("up-yaml")), "upload.yaml"
    else:
        cases, name = xlsx_cases(framework_to_xlsx(load_framework()), seeded("up-xlsx")), "upload.xlsx"
    for label, data in cases:
        try:
            framework_upload(data, name)
        except InputError as error:
            assert error.problems and all(p.file == name or p.file is None for p in error.problems), label
            assert error.render("zh")
