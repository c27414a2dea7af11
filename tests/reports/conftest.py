"""The demo district scored once, report contexts built from it, and readers of generated files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pandas as pd
import pytest

from criteria import Framework, load_framework
from reports.context import EvidenceFile, ItemNotes, ReportContext, TeamMember, notes_from_ratings
from scoring import read_facts, read_ratings, score_district
from scoring.engine import DistrictResult

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "sample_data" / "demo"
HOSTILE = (
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "=1+1",
    "http://evil.example/x",
)


@pytest.fixture(scope="session")
def framework() -> Framework:
    return load_framework()


@pytest.fixture(scope="session")
def demo(framework) -> tuple[pd.DataFrame, pd.DataFrame, DistrictResult]:
    """Checked demo facts and ratings, and their scores."""
    facts = read_facts(DEMO / "facts.csv")
    ratings = read_ratings(DEMO / "ratings.csv", framework, facts.index)
    return facts, ratings, score_district(framework, facts, ratings)


@pytest.fixture(scope="session")
def result(demo) -> DistrictResult:
    return demo[2]


def _failed_count(result: DistrictResult, code: str) -> int:
    return len(result.reasons(code, "inspection")) if result.inspection.present[result.row(code)] else -1


@pytest.fixture(scope="session")
def weak_school(result) -> str:
    """An inspected school with the most failed conditions (so every section has content)."""
    return max(result.schools, key=lambda code: _failed_count(result, code))


@pytest.fixture(scope="session")
def make_ctx(demo) -> Callable[..., ReportContext]:
    """A report context for a demo school with a team, dates, the notes of the ratings file and evidence."""
    _, ratings, result = demo

    def build(code: str, **overrides: object) -> ReportContext:
        fields: dict[str, object] = {
            "team": (TeamMember("王立群", lead=True), TeamMember("李慧敏")),
            "visit_dates": (date(2025, 11, 4), date(2025, 11, 3)),
            "notes": notes_from_ratings(ratings, code),
            "issued": date(2025, 11, 20),
            "district": "长宁区",
        }
        return ReportContext(result, code, "2025学年", **(fields | overrides))

    return build


@pytest.fixture
def with_evidence(make_ctx, framework) -> Callable[[str], ReportContext]:
    """A context whose first items carry evidence: one accepted, one insufficient, one not checked."""

    def build(code: str) -> ReportContext:
        base = make_ctx(code)
        ids = [item.id for item in framework.items() if item.method != "quantitative"][:3]
        notes = dict(base.notes)
        for item_id, verdict in zip(ids, (True, False, None), strict=True):
            notes[item_id] = ItemNotes(notes.get(item_id, ItemNotes()).account, "核查记录", verdict)
        files = (
            EvidenceFile("发展规划.pdf", "a" * 64, 204_800, (ids[0],), True),
            EvidenceFile("=cmd|' /C calc'!A0.docx", "b" * 64, 1024, (ids[1], ids[2]), False),
        )
        return make_ctx(code, notes=notes, evidence=files)

    return build


def docx_text(data: bytes) -> str:
    """Every paragraph of a .docx, body and tables, one a line."""
    doc = docx.Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def xlsx_sheet_rows(data: bytes, sheet: str) -> list[tuple]:
    """The values of a sheet of an .xlsx, row by row."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return list(book[sheet].iter_rows(values_only=True))


def zip_part(data: bytes, name: str) -> bytes:
    """One part of a zip (a .docx, .xlsx or pack)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def one_decimal(x: float) -> str:
    return "—" if np.isnan(x) else f"{x:.1f}"


@pytest.fixture(scope="session")
def kit() -> object:
    """The readers above, for the test modules (helpers in a conftest are not importable by name)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        docx_text=docx_text,
        xlsx_sheet_rows=xlsx_sheet_rows,
        zip_part=zip_part,
        one_decimal=one_decimal,
        HOSTILE=HOSTILE,
    )
