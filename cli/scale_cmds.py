"""Commands of a larger deployment: `xinyu worker` (runs jobs from the queue), `xinyu storage copy` (local → bucket)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from cli.common import EXIT_INVALID, LangOption, default_lang, reports_input_errors
from i18n.catalog import t
from settings import get_settings
from store.models import EvidenceFileRow
from store.storage import Storage, key_for, open_storage, sha256_of, sha_of_key
from store.storage.local import LocalStorage


def register(app: typer.Typer) -> None:
    """Add the worker and storage commands to the main app."""
    app.command("worker")(worker)
    storage = typer.Typer(help="Evidence and generated files", no_args_is_help=True, rich_markup_mode=None)
    storage.command("copy")(storage_copy)
    app.add_typer(storage, name="storage")


def worker(
    burst: Annotated[bool, typer.Option("--burst", help="Stop when the queue is empty")] = False,
) -> None:
    """Run jobs from the queue (XINYU_BROKER_URL) until stopped; take up jobs a killed worker left."""
    import logging

    from jobs.worker import main

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    main(burst=burst)


@reports_input_errors
def storage_copy(
    source: Annotated[
        Path | None, typer.Argument(help="The local store to copy (default: the data folder, XINYU_DATA_DIR)")
    ] = None,
    lang: LangOption = "",
) -> None:
    """Copy a local store (evidence/, results/) into the configured storage (XINYU_STORAGE_URL), checking every hash."""
    lang = lang or default_lang()
    settings = get_settings()
    folder = Path(source) if source is not None else settings.data_dir
    if not folder.is_dir():
        print(t("storage.copy.no_source", lang, path=folder), file=sys.stderr)
        raise typer.Exit(EXIT_INVALID)
    try:
        target = open_storage(settings)
    except ValueError as error:
        print(t("storage.bad_url", lang, found=str(error)), file=sys.stderr)
        raise typer.Exit(EXIT_INVALID) from None
    if isinstance(target, LocalStorage) and target.root.resolve() == folder.resolve():
        print(t("storage.copy.same", lang), file=sys.stderr)
        raise typer.Exit(EXIT_INVALID)
    copied, skipped, problems = copy_store(LocalStorage(folder), target, lang)
    problems += missing_evidence(settings, target, lang)
    for line in problems:
        print(line, file=sys.stderr)
    print(t("storage.copy.done", lang, n=copied, target=target.describe(), skipped=skipped))
    if problems:
        raise typer.Exit(EXIT_INVALID)


def copy_store(source: LocalStorage, target: Storage, lang: str) -> tuple[int, int, list[str]]:
    """Copy every content-hash object; each source file, and each copy read back, is checked against its name."""
    copied = skipped = 0
    problems: list[str] = []
    for key in source.keys(""):
        sha = sha_of_key(key)
        if sha is None:  # the SQLite file, logs, anything not named by its hash
            continue
        found, size = sha256_of(source.chunks(key))
        if found != sha:
            problems.append(t("storage.copy.bad_hash", lang, key=key, found=found))
            continue
        if target.size(key) == size and sha256_of(target.chunks(key))[0] == sha:
            skipped += 1
            continue
        with source.path(key).open("rb") as stream:
            target.put(key, stream)
        if sha256_of(target.chunks(key))[0] != sha:
            problems.append(t("storage.copy.bad_copy", lang, key=key))
            continue
        copied += 1
    return copied, skipped, problems


def missing_evidence(settings, target: Storage, lang: str) -> list[str]:
    """Evidence files the database knows of that the target storage does not hold."""
    from store.bootstrap import open_services

    services = open_services(settings)
    try:
        with services.engine.connect() as conn:
            shas = list(conn.scalars(select(EvidenceFileRow.sha256)))
    finally:
        services.close()
    return [t("storage.copy.missing", lang, sha=sha) for sha in shas if target.size(key_for("evidence", sha)) is None]
