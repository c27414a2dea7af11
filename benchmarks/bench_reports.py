"""Benchmark: one school's Word and Excel report, the feedback and the pack, the district workbook, the template.

Targets (issue 5): each school report under 0.5 s, the district workbook of 2,000 schools under 10 s,
the import of a filled template under 1 s. Times are the best of `--repeats` runs (wall clock); the
district workbook is also timed end to end (scoring, agreement and workbook from checked frames).
Issue 9: each Word document in the official layout still under 0.5 s; its PDF through LibreOffice is
timed separately (a fresh soffice process each time, best of two; skipped with --no-pdf).

    python benchmarks/bench_reports.py --schools 2000 --repeats 5
    python benchmarks/bench_reports.py --documents-only   # the per-document rows only, in ms (warm)
"""

from __future__ import annotations

import argparse
import io
import platform
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl

from criteria import load_framework
from reports.action_plan_docx import action_plan_docx
from reports.batch import reports_zip
from reports.context import ReportContext, TeamMember, notes_by_school
from reports.district_frames import agreement_tables
from reports.district_xlsx import district_workbook
from reports.feedback_docx import feedback_docx
from reports.inspection_docx import inspection_report_docx
from reports.pack import inspection_pack
from reports.pdf import docx_to_pdf, pdf_available
from reports.school_xlsx import school_report_xlsx
from reports.self_docx import self_report_docx
from reports.template_export import write_template
from reports.template_import import read_template
from reports.template_layout import TemplateIdentity, applicable_items, level_choices
from sample_data.generator import generate_district
from scoring import read_facts, read_ratings, score_district
from scoring.facts import FACT_FIELDS
from scoring.inputs import parse_stages

DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo"


def best_of(repeats: int, func: Callable[[], object]) -> tuple[float, object]:
    """Smallest wall time of `repeats` calls, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def demo_contexts() -> list[ReportContext]:
    """Every demo school, the one with the most failed conditions (the longest report) first."""
    fw = load_framework()
    facts = read_facts(DEMO / "facts.csv")
    ratings = read_ratings(DEMO / "ratings.csv", fw, facts.index)
    result = score_district(fw, facts, ratings)
    inspected = [c for c in result.schools if result.inspection.present[result.row(c)]]
    longest = max(inspected, key=lambda c: len(result.reasons(c, "inspection")))
    team = (TeamMember("王立群", True), TeamMember("李慧敏"), TeamMember("张建国"))
    notes = notes_by_school(ratings)
    codes = [longest, *(str(c) for c in result.schools if c != longest)]
    days = (date(2025, 11, 3), date(2025, 11, 4))
    return [
        ReportContext(
            result, c, "2025学年", team=team, visit_dates=days, notes=notes.get(c, {}), issued=date(2025, 11, 20)
        )
        for c in codes
    ]


def filled_template(ctx: ReportContext) -> tuple[bytes, TemplateIdentity]:
    """A template of the school filled in with openpyxl, as a school would."""
    fw = ctx.framework
    identity = TemplateIdentity.of(fw, ctx.school_code, ctx.cycle)
    row = ctx.result.facts.loc[ctx.school_code]
    stages = parse_stages(str(row["stages"])) or ()
    facts = {f.name: float(row[f.name]) for f in FACT_FIELDS}
    book = openpyxl.load_workbook(io.BytesIO(write_template(fw, identity, ctx.school_name, stages, facts=facts)))
    sheet = book["逐项评价"]
    choices = {item.id: level_choices(item) for item in applicable_items(fw, stages)}
    for r in range(2, sheet.max_row + 1):
        item_id = sheet.cell(r, 1).value
        if choices.get(item_id):
            sheet.cell(r, 7).value = choices[item_id][0]
            sheet.cell(r, 8).value = "已落实，台账齐全，详见附件。"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), identity


WORD = (
    ("Word inspection report (.docx)", inspection_report_docx),
    ("Word self-assessment report (.docx)", self_report_docx),
    ("On-site feedback (.docx)", feedback_docx),
    ("Action plan (.docx)", action_plan_docx),
)


def document_rows(ctx: ReportContext, repeats: int, pdf: bool) -> list[tuple[str, float, str]]:
    """The four Word documents in the official layout (warm: one run first), and separately their PDF."""
    rows = []
    for name, writer in WORD:
        writer(ctx, "zh")  # the base document and the table prototypes are built once per process
        seconds, data = best_of(repeats, lambda writer=writer: writer(ctx, "zh"))
        rows.append((name, seconds, f"{len(data) / 1024:.0f} KB"))
        if pdf:
            t_pdf, out = best_of(min(repeats, 2), lambda data=data: docx_to_pdf(data))
            pages = out.count(b"/Type/Page") - out.count(b"/Type/Pages")
            rows.append(("  its PDF (LibreOffice, separately)", t_pdf, f"{len(out) / 1024:.0f} KB, {pages} pages"))
    return rows


def school_rows(ctx: ReportContext, repeats: int) -> list[tuple[str, float, str]]:
    """Per-school workbooks, the pack and the template import: time and size."""
    rows = []
    for name, writer in (
        ("Excel inspection report (.xlsx)", school_report_xlsx),
        ("Inspection pack (.zip, 4 documents)", inspection_pack),
    ):
        seconds, data = best_of(repeats, lambda writer=writer: writer(ctx, "zh"))
        rows.append((name, seconds, f"{len(data) / 1024:.0f} KB"))
    data, identity = filled_template(ctx)
    fw = ctx.framework
    seconds, imported = best_of(repeats, lambda: read_template(data, identity, fw))
    rows.append(("Import of a filled template", seconds, f"{len(imported.ratings)} ratings"))
    return rows


def district_rows(n_schools: int, repeats: int) -> list[tuple[str, float, str]]:
    """The district workbook alone, and end to end from checked frames."""
    fw = load_framework()
    district = generate_district(n_schools, seed=2025, framework=fw)
    facts = read_facts(district.facts.astype(str))
    ratings = read_ratings(district.ratings.astype(str), fw, facts.index)

    def end_to_end() -> bytes:
        result = score_district(fw, facts, ratings)
        return district_workbook(result, cycle="2025学年", agreement=agreement_tables(result))

    result = score_district(fw, facts, ratings)
    tables = agreement_tables(result)
    t_book, data = best_of(repeats, lambda: district_workbook(result, cycle="2025学年", agreement=tables))
    t_all, _ = best_of(max(1, repeats // 2), end_to_end)
    size = f"{len(data) / 1024:.0f} KB, {len(ratings)} ratings"
    return [
        (f"District workbook, {n_schools} schools (writing)", t_book, size),
        (f"District workbook, {n_schools} schools (score + agreement + writing)", t_all, ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF conversions")
    parser.add_argument("--documents-only", action="store_true", help="only the Word documents (and PDFs)")
    parser.add_argument("--smoke", action="store_true", help="a tiny district, one run (CI runs this)")
    args = parser.parse_args()
    if args.smoke:
        args.schools, args.repeats = 20, 1
    contexts = demo_contexts()
    if args.smoke:
        contexts = contexts[:3]  # the zip of three schools exercises the same code as forty
    pdf = not (args.no_pdf or args.smoke) and pdf_available()  # the smoke run skips LibreOffice (seconds a file)
    rows = document_rows(contexts[0], args.repeats, pdf=pdf)
    if args.documents_only:
        _print(rows, args.repeats, ms=True)
        return
    rows += school_rows(contexts[0], args.repeats)
    seconds, data = best_of(1, lambda: reports_zip(contexts, "docx"))
    rows.append((f"Word reports of all {len(contexts)} demo schools in one zip", seconds, f"{len(data) / 1024:.0f} KB"))
    rows += district_rows(args.schools, args.repeats)
    _print(rows, args.repeats)


def _print(rows: list[tuple[str, float, str]], repeats: int, ms: bool = False) -> None:
    """A Markdown table of the rows, in seconds (or milliseconds: the documents alone)."""
    print(f"Python {platform.python_version()} on {platform.machine()}, best of {repeats}\n")
    print(f"| what | {'ms' if ms else 'seconds'} | size |")
    print("| --- | ---: | --- |")
    for name, seconds, size in rows:
        print(f"| {name} | {seconds * 1000:.1f} | {size} |" if ms else f"| {name} | {seconds:.3f} | {size} |")


if __name__ == "__main__":
    main()
