"""Commands over files: validate a framework, score a district, explain a school, generate a district."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from cli.common import (
    DEFAULT_FRAMEWORK,
    DEMO_DIR,
    LangOption,
    atomic_output,
    default_lang,
    reports_input_errors,
)
from i18n.catalog import t
from i18n.problems import InputError, Problem

if TYPE_CHECKING:  # imported by the commands that use them, so that the CLI starts at once
    from criteria import Framework
    from scoring.engine import DistrictResult
    from scoring.school_facts import SchoolFacts

FrameworkOption = Annotated[Path, typer.Option("--framework", "-f", help="Framework YAML (default: the bundled one)")]
FactsOption = Annotated[
    Path,
    typer.Option("--facts", help="Facts CSV or .parquet, one row per school (default: the demo district)"),
]
RatingsOption = Annotated[
    Path, typer.Option("--ratings", help="Ratings CSV or .parquet, long format (default: the demo district)")
]
OverridesOption = Annotated[
    Path | None,
    typer.Option("--overrides", help="On-site overrides CSV: school_code, item_id, level, reason[, by]"),
]


def register(app: typer.Typer) -> None:
    """Add the file-based commands to the main app."""
    app.command("validate")(validate)
    app.command("score")(score)
    app.command("explain")(explain_school)
    app.command("generate")(generate)


@reports_input_errors
def validate(
    framework: Annotated[Path, typer.Argument(help="Framework YAML or workbook (.xlsx) to check")] = DEFAULT_FRAMEWORK,
    lang: LangOption = "",
) -> None:
    """Check a framework file (YAML or .xlsx) and list every problem; print a summary when it is valid."""
    from reports.framework_xlsx import load_framework_file

    lang = lang or default_lang()
    fw = load_framework_file(framework)
    typer.echo(framework_summary(fw, lang))


def framework_summary(fw: Framework, lang: str) -> str:
    """Name, version, size, points per stage and tiers of a valid framework."""
    from criteria import Stage

    items = fw.items()
    lines = [
        t("cli.valid", lang, name=fw.name.get(lang), id=fw.id, version=fw.version),
        t("cli.size", lang, domains=len(fw.domains), items=len(items), points=f"{fw.total_points:g}"),
    ]
    for stage in Stage:
        applicable = [i for i in items if stage in i.applies_to]
        lines.append(
            t(
                "cli.stage_items",
                lang,
                stage=stage.value,
                items=len(applicable),
                points=f"{sum(i.points for i in applicable):g}",
            )
        )
    for tier in fw.tiers:
        vetoes = ", ".join(f"{v.item}≥{v.min_level}" for v in tier.vetoes) or "—"
        minimum = "—" if tier.domain_min_pct is None else f"{tier.domain_min_pct:g}%"
        lines.append(
            t(
                "cli.tier",
                lang,
                tier=tier.name.get(lang),
                score=f"{tier.min_score:g}",
                domain=minimum,
                vetoes=vetoes,
            )
        )
    return "\n".join(lines)


def _score(
    framework: Path,
    facts: Path,
    ratings: Path,
    require_complete: bool = False,
    overrides: Path | None = None,
) -> DistrictResult:
    """Framework, facts and ratings checked, then scored (account and finding are not read: scoring never uses them).

    Read and checked as arrays (`scoring.checks`), never as frames: pandas is loaded only for overrides.
    The ratings file is read on another thread (pyarrow's parser lets go of the interpreter) while this
    one loads the framework and the facts; its problems still come after those of the facts.
    """
    from concurrent.futures import ThreadPoolExecutor

    from scoring.columnar import rating_columns  # (numpy and the reader only: the thread starts at once)

    with ThreadPoolExecutor(max_workers=1) as reader:
        read = reader.submit(rating_columns, ratings, None, False)
        fw, table = _framework_and_facts(framework, facts)
        columns = read.result()
        del read  # (the future holds the columns too: they are freed once checked, before scoring)
    from scoring.checks import ratings_of_columns

    checked = [ratings_of_columns(columns, fw, table.positions, ratings.name, False)]
    del columns
    found = None
    if overrides is not None:
        from scoring.inputs import read_overrides

        found = read_overrides(overrides, fw, table.positions)
    from scoring.engine import score_district

    # the checked ratings handed over, not kept here: scoring frees them once encoded
    return score_district(fw, table, checked.pop(), require_complete=require_complete, overrides=found)


def _framework_and_facts(framework: Path, facts: Path) -> tuple[Framework, SchoolFacts]:
    """The framework and the checked facts (what the ratings' checks need)."""
    from criteria import load_framework
    from scoring.checks import load_facts

    return load_framework(framework), load_facts(facts)


@reports_input_errors
def score(
    framework: FrameworkOption = DEFAULT_FRAMEWORK,
    facts: FactsOption = DEMO_DIR / "facts.csv",
    ratings: RatingsOption = DEMO_DIR / "ratings.csv",
    format: Annotated[
        Literal["csv", "json", "parquet"], typer.Option("--format", help="csv, json or parquet (needs --out)")
    ] = "csv",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (default: standard output)")] = None,
    require_complete: Annotated[
        bool, typer.Option("--require-complete", help="Unrated applicable items are errors")
    ] = False,
    overrides: OverridesOption = None,
    lang: LangOption = "",
) -> None:
    """Score every school: self and inspection scores, tiers, domain percentages, gaps and failed conditions."""
    lang = lang or default_lang()
    if format == "parquet" and out is None:
        raise InputError([Problem("fast.parquet.needs_out", {}, column="--out")])
    result = _score(framework, facts, ratings, require_complete, overrides=overrides)
    table = {"school_code": result.table.codes, **result.columns(lang, arrow_text=format != "json")}
    if out is None:
        typer.echo(_result_text(table, format), nl=False)
        return
    with atomic_output(out) as tmp:
        if format == "parquet":
            import pyarrow.parquet as pq

            from cli.output import arrow_table

            pq.write_table(arrow_table(table), tmp)
        elif format == "csv":  # with a byte-order mark so that Excel opens the Chinese text correctly
            from cli.output import write_csv

            write_csv(tmp, table, prefix=codecs.BOM_UTF8)
        else:
            tmp.write_text(_result_text(table, format), encoding="utf-8")
    typer.echo(t("cli.written", lang, path=str(out), rows=len(result.table)), err=True)


def _result_text(table: dict[str, object], format: str) -> str:
    """The result table as CSV text, or as JSON records (written by pandas, as always)."""
    if format == "csv":
        from cli.output import csv_text

        return csv_text(table)
    import pandas as pd

    return pd.DataFrame(table).to_json(orient="records", force_ascii=False, indent=1)


@reports_input_errors
def explain_school(
    school: Annotated[str, typer.Option("--school", help="School code")],
    framework: FrameworkOption = DEFAULT_FRAMEWORK,
    facts: FactsOption = DEMO_DIR / "facts.csv",
    ratings: RatingsOption = DEMO_DIR / "ratings.csv",
    format: Annotated[Literal["text", "json"], typer.Option("--format", help="text or json")] = "text",
    overrides: OverridesOption = None,
    lang: LangOption = "",
) -> None:
    """Trace one school's scores to every item, rater, level and rule, with the improvement path."""
    from scoring.explain import explain, render_explain

    lang = lang or default_lang()
    result = _score(framework, facts, ratings, overrides=overrides)
    if school not in result.schools:
        raise InputError([Problem("input.unknown_school", {"found": school}, column="--school")])
    trace = explain(result, school, lang)
    typer.echo(render_explain(trace, lang) if format == "text" else json.dumps(trace, ensure_ascii=False, indent=1))


@reports_input_errors
def generate(
    schools: Annotated[int, typer.Option("--schools", min=1, max=100_000, help="How many schools")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for facts.csv, ratings.csv, assignments.csv")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same district")] = 1,
    lang: LangOption = "",
) -> None:
    """Write a synthetic district of any size, deterministic for a seed."""
    from sample_data.generator import main as generate_main

    generate_main(schools=schools, seed=seed, out=out)
    typer.echo(t("cli.generated", lang or default_lang(), schools=schools, path=str(out)), err=True)
