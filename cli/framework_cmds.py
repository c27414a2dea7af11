"""`xinyu framework …`: a framework as a workbook, for editing in Excel and uploading back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import DEFAULT_FRAMEWORK, LangOption, atomic_output, default_lang, reports_input_errors
from i18n.catalog import t

group = typer.Typer(help="Criteria frameworks as Excel workbooks", no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    """Add the `framework` group to the main app."""
    app.add_typer(group, name="framework")


@group.command("export")
@reports_input_errors
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="Workbook to write (.xlsx)")],
    framework: Annotated[Path, typer.Argument(help="Framework YAML or workbook")] = DEFAULT_FRAMEWORK,
    lang: LangOption = "",
) -> None:
    """Write a framework as a workbook of the same shape as the YAML (framework, tiers, vetoes, items, levels, ...)."""
    from reports.framework_xlsx import framework_to_xlsx, load_framework_file

    data = framework_to_xlsx(load_framework_file(framework))
    with atomic_output(out) as tmp:
        tmp.write_bytes(data)
    typer.echo(t("cli.written_file", lang or default_lang(), path=str(out)), err=True)
