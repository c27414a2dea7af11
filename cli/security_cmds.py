"""`xinyu backup`, `xinyu restore` and `xinyu audit archive`: nothing lost, and the audit log kept as the law asks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import LangOption, default_lang, reports_input_errors
from cli.store_cmds import AsOption, _actor, _services, reports_store_errors
from i18n.catalog import t
from settings import get_settings
from store.engine import make_engine


def register(app: typer.Typer) -> None:
    """Add backup, restore and the audit group to the main app."""
    app.command("backup")(backup)
    app.command("restore")(restore)
    audit = typer.Typer(help="Audit log", no_args_is_help=True, rich_markup_mode=None)
    audit.command("archive")(audit_archive)
    app.add_typer(audit, name="audit")


@reports_input_errors
@reports_store_errors
def backup(
    out: Annotated[Path, typer.Option("--out", "-o", help="Backup file to write (.zip)")],
    as_user: AsOption = "",
    lang: LangOption = "",
) -> None:
    """Back up the database and the evidence store into one file (consistent while others write)."""
    from store.backup import backup as run

    lang = lang or default_lang()
    with _services() as services:
        summary = run(services, _actor(services, as_user), out)
    typer.echo(
        t(
            "security.backup.written",
            lang,
            tables=len(summary.rows),
            rows=summary.total_rows,
            files=summary.files,
            path=str(out),
        ),
    )


@reports_input_errors
@reports_store_errors
def restore(
    file: Annotated[Path, typer.Argument(help="Backup file written by `xinyu backup`")],
    lang: LangOption = "",
) -> None:
    """Restore a backup into an empty database and evidence folder (the settings' ones); every hash is checked."""
    from store.backup import restore as run

    lang = lang or default_lang()
    settings = get_settings()
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        summary = run(engine, settings.evidence_dir, file)
    finally:
        engine.dispose()
    typer.echo(
        t("security.backup.restored", lang, tables=len(summary.rows), rows=summary.total_rows, files=summary.files)
    )


@reports_input_errors
@reports_store_errors
def audit_archive(
    out: Annotated[Path, typer.Option("--out", "-o", help="Archive file to write (JSON Lines; never overwritten)")],
    days: Annotated[
        int, typer.Option("--days", help="Keep this many days in the log (default: XINYU_AUDIT_RETENTION_DAYS)")
    ] = 0,
    as_user: AsOption = "",
    lang: LangOption = "",
) -> None:
    """Archive audit entries older than the retention period to a file, then remove them from the log."""
    lang = lang or default_lang()
    retention = days or get_settings().audit_retention_days
    with _services() as services:
        result = services.audit.archive(_actor(services, as_user), out, retention)
    before = result.before.strftime("%Y-%m-%d %H:%M UTC")
    if result.entries == 0:
        typer.echo(t("security.audit.nothing_to_archive", lang, before=before))
        return
    typer.echo(t("security.audit.archived", lang, n=result.entries, before=before, path=str(out)))
