"""Commands over files: school reports, the district workbook, and the offline template (export and import)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from cli.common import DEFAULT_FRAMEWORK, DEMO_DIR, LangOption, atomic_output, default_lang, reports_input_errors
from i18n.catalog import t
from i18n.problems import InputError, Problem

if TYPE_CHECKING:  # the report layer is imported by the commands that use it, not when the CLI starts
    import pandas as pd

    from criteria import Framework
    from reports.batch import Kind
    from reports.context import ReportContext
    from reports.district_frames import TargetRow
    from reports.template_layout import Filled, Role, TemplateIdentity

FrameworkOption = Annotated[Path, typer.Option("--framework", "-f", help="Framework YAML (default: the bundled one)")]
FactsOption = Annotated[Path, typer.Option("--facts", help="Facts CSV (default: the demo district)")]
RatingsOption = Annotated[Path, typer.Option("--ratings", help="Ratings CSV (default: the demo district)")]
AssignmentsOption = Annotated[
    Path, typer.Option("--assignments", help="Assignments CSV: school_code, inspector, lead (default: the demo)")
]
SchoolOption = Annotated[str, typer.Option("--school", help="School code")]
CycleOption = Annotated[str, typer.Option("--cycle", help="Cycle name, e.g. 2025学年")]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="Output file")]
RoleOption = Annotated[Literal["self", "inspector"], typer.Option("--role", help="self or inspector")]
RaterOption = Annotated[str, typer.Option("--rater", help="Rater id (an inspector's own id; default school-CODE)")]

template_app = typer.Typer(
    help="离线模板 / Offline template: export and import", no_args_is_help=True, rich_markup_mode=None
)


def register(app: typer.Typer) -> None:
    """Add the report and template commands to the main app."""
    app.command("report")(report)
    app.command("report-all")(report_all)
    app.command("district-workbook")(district)
    template_app.command("export")(template_export)
    template_app.command("import")(template_import)
    app.add_typer(template_app, name="template")


def _inputs(framework: Path, facts: Path, ratings: Path) -> tuple[Framework, pd.DataFrame, pd.DataFrame]:
    from criteria import load_framework
    from scoring import read_facts, read_ratings

    fw = load_framework(framework)
    facts_frame = read_facts(facts)
    return fw, facts_frame, read_ratings(ratings, fw, facts_frame.index)


def _dates(texts: list[str]) -> tuple[date, ...]:
    problems, days = [], []
    for text in texts:
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            problems.append(Problem("report.cli.bad_date", {"found": text}, column="--visit-date"))
    if problems:
        raise InputError(problems)
    return tuple(days)


ASSIGNMENT_COLUMNS = ("school_code", "inspector", "lead")
LEAD_VALUES = ("", "0", "1", "true", "false")


def _read_assignments(path: Path) -> pd.DataFrame:
    """The assignments CSV (school_code, inspector, lead), or InputError naming every missing column."""
    from scoring.inputs import read_csv_text

    frame = read_csv_text(path)
    missing = [c for c in ASSIGNMENT_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            [Problem("security.missing_column", {"expected": c}, file=path.name, row=1, column=c) for c in missing]
        )
    problems = []
    for line, row in enumerate(frame[list(ASSIGNMENT_COLUMNS)].itertuples(index=False), start=2):
        for column, value in zip(ASSIGNMENT_COLUMNS, row, strict=True):
            value = str(value).strip()
            if column != "lead" and not value:
                problems.append(Problem("security.empty_cell", file=path.name, row=line, column=column))
            elif column == "lead" and value.lower() not in LEAD_VALUES:
                params = {"found": value, "expected": "1, 0"}
                problems.append(Problem("security.lead_value", params, file=path.name, row=line, column=column))
    if problems:
        raise InputError(problems)
    return frame


def _report_date(text: str) -> date:
    """The report date given, else today (a file-based run has no finalization date)."""
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError([Problem("documents.cli.bad_report_date", {"found": text}, column="--report-date")]) from None


def inspector_names(assignments: Path, teams: pd.DataFrame | None) -> dict[str, str]:
    """Display names of the inspectors: a `name` column of the assignments CSV, else the demo's names."""
    if teams is not None and "name" in teams.columns:
        return dict(zip(teams["inspector"].astype(str), teams["name"].astype(str), strict=True))
    if assignments.resolve() == (DEMO_DIR / "assignments.csv").resolve():
        from sample_data.demo import DEMO_INSPECTORS

        return dict(DEMO_INSPECTORS)
    return {}


def _contexts(
    framework: Path,
    facts: Path,
    ratings: Path,
    assignments: Path,
    cycle: str,
    final: bool,
    days: tuple[date, ...],
    only: str | None = None,
    issued: date | None = None,
) -> list[ReportContext]:
    """A report context for every school of the facts file (or only one)."""
    from reports.context import ReportContext, notes_by_school, team_from_assignments
    from scoring import score_district

    fw, facts_frame, ratings_frame = _inputs(framework, facts, ratings)
    if only is not None and only not in facts_frame.index:
        raise InputError([Problem("input.unknown_school", {"found": only}, column="--school")])
    teams = _read_assignments(assignments) if assignments.exists() else None  # every input checked first
    result = score_district(fw, facts_frame, ratings_frame)
    names = inspector_names(assignments, teams)
    notes = notes_by_school(ratings_frame if only is None else ratings_frame[ratings_frame["school_code"] == only])
    codes = [only] if only is not None else [str(code) for code in result.schools]
    return [
        ReportContext(
            result,
            code,
            cycle,
            team=team_from_assignments(teams, code, names) if teams is not None else (),
            visit_dates=days,
            notes=notes.get(code, {}),
            issued=issued or date.today(),
            final=final,
        )
        for code in codes
    ]


def _check_kind(kind: str, format: str) -> Kind:
    if kind == "inspection":
        return "xlsx" if format == "xlsx" else "docx"
    if format == "xlsx":
        raise InputError([Problem("report.cli.xlsx_kind", {"found": kind}, column="--format")])
    if format == "pdf" and kind == "pack":
        raise InputError([Problem("documents.cli.pdf_kind", {"found": kind}, column="--format")])
    return kind  # type: ignore[return-value]


@reports_input_errors
def report(
    school: SchoolOption,
    out: OutOption,
    format: Annotated[
        Literal["docx", "xlsx", "pdf"],
        typer.Option("--format", help="docx, xlsx (inspection only) or pdf (rendered by LibreOffice)"),
    ] = "docx",
    kind: Annotated[
        Literal["inspection", "self", "feedback", "plan", "pack"],
        typer.Option(
            "--kind", help="inspection report, self-assessment report, on-site feedback, action plan, or the pack"
        ),
    ] = "inspection",
    cycle: Annotated[str, typer.Option("--cycle", help="Cycle name shown on the report")] = "",
    visit_date: Annotated[list[str] | None, typer.Option("--visit-date", help="Visit date YYYY-MM-DD")] = None,
    report_date: Annotated[
        str, typer.Option("--report-date", help="Date of the report YYYY-MM-DD (default: today)")
    ] = "",
    provisional: Annotated[bool, typer.Option("--provisional", help="The inspection is not finalized")] = False,
    framework: FrameworkOption = DEFAULT_FRAMEWORK,
    facts: FactsOption = DEMO_DIR / "facts.csv",
    ratings: RatingsOption = DEMO_DIR / "ratings.csv",
    assignments: AssignmentsOption = DEMO_DIR / "assignments.csv",
    lang: LangOption = "",
) -> None:
    """One school's inspection report (Word, PDF or Excel), self-assessment report, feedback, action plan or pack.

    A school never inspected gets no inspection report, feedback, plan or pack: the command says so.
    """
    from reports.batch import report_bytes

    lang = lang or default_lang()
    chosen = _check_kind(kind, format)
    days = _dates(visit_date or [])
    issued = _report_date(report_date)
    (ctx,) = _contexts(framework, facts, ratings, assignments, cycle, not provisional, days, only=school, issued=issued)
    data, _ = report_bytes(ctx, chosen, lang, pdf=format == "pdf")
    with atomic_output(out) as tmp:
        tmp.write_bytes(data)
    typer.echo(t("report.cli.written", lang, path=str(out), size=len(data)), err=True)


@reports_input_errors
def report_all(
    out: OutOption,
    kind: Annotated[
        Literal["docx", "xlsx", "self", "feedback", "plan", "pack"],
        typer.Option("--kind", help="docx or xlsx inspection report, self, feedback, plan, or pack"),
    ] = "docx",
    cycle: Annotated[str, typer.Option("--cycle", help="Cycle name shown on the reports")] = "",
    provisional: Annotated[bool, typer.Option("--provisional", help="The inspections are not finalized")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Word documents rendered to PDF by LibreOffice")] = False,
    report_date: Annotated[
        str, typer.Option("--report-date", help="Date of the reports YYYY-MM-DD (default: today)")
    ] = "",
    framework: FrameworkOption = DEFAULT_FRAMEWORK,
    facts: FactsOption = DEMO_DIR / "facts.csv",
    ratings: RatingsOption = DEMO_DIR / "ratings.csv",
    assignments: AssignmentsOption = DEMO_DIR / "assignments.csv",
    lang: LangOption = "",
) -> None:
    """Every school's report in one zip."""
    from reports.batch import reports_zip

    lang = lang or default_lang()
    issued = _report_date(report_date)
    contexts = _contexts(framework, facts, ratings, assignments, cycle, not provisional, (), issued=issued)
    with typer.progressbar(length=len(contexts), label=t("report.cli.progress", lang), file=sys.stderr) as bar:
        data = reports_zip(contexts, kind, lang, progress=lambda done, total: bar.update(1), pdf=pdf)
    from reports.batch import SELF_KINDS
    from reports.inspection_docx import inspected

    skipped = 0 if kind in SELF_KINDS else sum(1 for ctx in contexts if not inspected(ctx))
    if skipped:
        typer.echo(t("documents.skipped", lang, n=skipped), err=True)
    with atomic_output(out) as tmp:
        tmp.write_bytes(data)
    typer.echo(t("report.cli.written", lang, path=str(out), size=len(data)), err=True)


def read_targets(path: Path) -> list[TargetRow]:
    """District targets from a CSV with columns clause, name, target, current, met (1/0 or empty)."""
    from reports.district_frames import TargetRow
    from scoring.inputs import read_csv_text

    frame = read_csv_text(path)
    missing = [c for c in ("clause", "name", "target", "current", "met") if c not in frame.columns]
    if missing:
        raise InputError([Problem("input.missing_column", {"expected": c}, file=path.name, column=c) for c in missing])
    met = {"1": True, "true": True, "0": False, "false": False}
    return [
        TargetRow(r.clause, r.name, _number(r.target), _number(r.current), met.get(str(r.met).strip().lower()))
        for r in frame.itertuples()
    ]


def _number(text: str) -> str | float:
    try:
        return float(text)
    except ValueError:
        return text


@reports_input_errors
def district(
    out: OutOption,
    cycle: Annotated[str, typer.Option("--cycle", help="Cycle name shown in the workbook")] = "",
    targets: Annotated[
        Path | None,
        typer.Option("--targets", help="District targets CSV (default: the plan's targets computed from the facts)"),
    ] = None,
    framework: FrameworkOption = DEFAULT_FRAMEWORK,
    facts: FactsOption = DEMO_DIR / "facts.csv",
    ratings: RatingsOption = DEMO_DIR / "ratings.csv",
    lang: LangOption = "",
) -> None:
    """The district workbook: schools × domains, tiers, ranking, targets and inspector agreement."""
    from reports.content import district_name
    from reports.district_frames import agreement_tables, target_rows_of
    from reports.district_xlsx import district_workbook
    from scoring import score_district
    from scoring.targets import district_targets

    lang = lang or default_lang()
    fw, facts_frame, ratings_frame = _inputs(framework, facts, ratings)
    result = score_district(fw, facts_frame, ratings_frame)
    # the same core as the bureau's targets page; figures only the bureau enters show as not entered
    rows = read_targets(targets) if targets else target_rows_of(district_targets(facts_frame, result), lang)
    data = district_workbook(
        result, lang, cycle=cycle, district=district_name(lang), agreement=agreement_tables(result), targets=rows
    )
    with atomic_output(out) as tmp:
        tmp.write_bytes(data)
    typer.echo(t("report.cli.written", lang, path=str(out), size=len(data)), err=True)


def _identity(fw: Framework, school: str, cycle: str, role: Role, rater: str) -> TemplateIdentity:
    from criteria import framework_hash
    from reports.template_layout import TemplateIdentity

    if role == "inspector" and not rater:
        raise InputError([Problem("report.cli.rater_needed", {}, column="--rater")])
    return TemplateIdentity(school, cycle, fw.id, fw.version, framework_hash(fw), role, rater or f"school-{school}")


def _filled(ratings: pd.DataFrame, school: str, role: str, rater: str | None) -> dict[str, Filled]:
    from reports.template_layout import Filled

    rows = ratings[(ratings["school_code"] == school) & (ratings["role"] == role)]
    if rater is not None:
        rows = rows[rows["rater"] == rater]
    text = "account" if role == "self" else "finding"
    return {r.item_id: Filled(r.level, getattr(r, text)) for r in rows.itertuples()}


@reports_input_errors
def template_export(
    school: SchoolOption,
    cycle: CycleOption,
    out: OutOption,
    role: RoleOption = "self",
    rater: RaterOption = "",
    prefill: Annotated[
        Path | None, typer.Option("--prefill", help="Ratings CSV to pre-fill from (and, for an inspector, show)")
    ] = None,
    framework: FrameworkOption = DEFAULT_FRAMEWORK,
    facts: FactsOption = DEMO_DIR / "facts.csv",
    lang: LangOption = "",
) -> None:
    """Write the offline template of one school and cycle."""
    from criteria import load_framework
    from reports.template_export import write_template
    from scoring import read_facts, read_ratings
    from scoring.facts import FACT_FIELDS
    from scoring.inputs import parse_stages

    lang = lang or default_lang()
    fw = load_framework(framework)
    facts_frame = read_facts(facts)
    if school not in facts_frame.index:
        raise InputError([Problem("input.unknown_school", {"found": school}, column="--school")])
    identity = _identity(fw, school, cycle, role, rater)
    row = facts_frame.loc[school]
    own, beside = {}, {}
    if prefill is not None:
        ratings = read_ratings(prefill, fw, facts_frame.index)
        own = _filled(ratings, school, role, identity.rater if role == "inspector" else None)
        beside = _filled(ratings, school, "self", None) if role == "inspector" else {}
    data = write_template(
        fw,
        identity,
        str(row["school_name"]),
        parse_stages(str(row["stages"])) or (),
        lang,
        facts={f.name: float(row[f.name]) for f in FACT_FIELDS},
        prefill=own,
        school_view=beside,
    )
    with atomic_output(out) as tmp:
        tmp.write_bytes(data)
    typer.echo(t("report.cli.written", lang, path=str(out), size=len(data)), err=True)


@reports_input_errors
def template_import(
    file: Annotated[Path, typer.Argument(help="The filled template (.xlsx)")],
    school: SchoolOption,
    cycle: CycleOption,
    out: OutOption,
    role: RoleOption = "self",
    rater: RaterOption = "",
    facts_out: Annotated[Path | None, typer.Option("--facts-out", help="Write the facts row as CSV too")] = None,
    framework: FrameworkOption = DEFAULT_FRAMEWORK,
    lang: LangOption = "",
) -> None:
    """Check a filled template and write its ratings (and facts) as CSV; nothing is written on any problem."""
    import pandas as pd

    from criteria import load_framework
    from reports.template_import import read_template
    from scoring.facts import FACT_FIELDS

    lang = lang or default_lang()
    fw = load_framework(framework)
    identity = _identity(fw, school, cycle, role, rater)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(
            [Problem("file.unreadable", {"found": error.strerror or str(error)}, file=file.name)]
        ) from None
    imported = read_template(data, identity, fw, lang, file=file.name)
    with atomic_output(out) as tmp:
        imported.ratings.to_csv(tmp, index=False, encoding="utf-8-sig")
    if facts_out is not None and imported.facts is not None:
        row = {"school_code": school, "school_name": imported.school_name, "stages": imported.stages}
        row |= {f.name: _fact_text(imported.facts[f.name], f.kind) for f in FACT_FIELDS}
        with atomic_output(facts_out) as tmp:
            pd.DataFrame([row]).to_csv(tmp, index=False, encoding="utf-8-sig")
    typer.echo(t("cli.written", lang, path=str(out), rows=len(imported.ratings)), err=True)


def _fact_text(value: float, kind: str) -> str:
    return f"{value:g}" if kind == "float" else str(int(value))
