"""What every command shares: the language option, input-error reporting and all-or-nothing output files."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from i18n.catalog import t
from i18n.problems import InputError, Problem

P = ParamSpec("P")
R = TypeVar("R")

ROOT = Path(__file__).resolve().parent.parent
# The bundled framework and the demo district, named here so that starting the CLI imports neither the
# criteria models nor the data (criteria.DEFAULT_FRAMEWORK is the same file; a test holds them equal).
DEFAULT_FRAMEWORK = ROOT / "criteria" / "frameworks" / "changning-2025.yaml"
DEMO_DIR = ROOT / "sample_data" / "demo"

EXIT_INVALID = 2
EXIT_UNEXPECTED = 1

LangOption = Annotated[str, typer.Option("--lang", help="Language of messages: zh or en", envvar="XINYU_LANG")]


def default_lang() -> str:
    """The configured language (XINYU_LANG or the `.env` file, default zh).

    XINYU_LANG itself reaches a command as its --lang option; without a `.env` file there is nothing
    else to read, and the settings layer (pydantic-settings, 0.05 s) is not loaded.
    """
    if not os.environ.get("XINYU_LANG") and not Path(".env").is_file():
        return "zh"
    from settings import get_settings

    return get_settings().lang


OUTPUT_PARAMETERS = frozenset({"out", "out_dir", "facts_out"})
log = logging.getLogger("xinyu.cli")


def input_files(kwargs: dict[str, object]) -> list[Path]:
    """The files a command was given to read: its path arguments other than outputs, that exist."""
    found = []
    for name, value in kwargs.items():
        if name in OUTPUT_PARAMETERS or not isinstance(value, Path):
            continue
        if value.is_file() and value not in found:
            found.append(value)
    return found


def error_log_path() -> Path:
    """Where unexpected failures are logged with their traceback: `<data_dir>/logs/errors.log`."""
    from settings import get_settings  # imported when needed, so that the CLI starts at once

    return Path(get_settings().data_dir) / "logs" / "errors.log"


def log_unexpected(error: BaseException, command: str) -> None:
    """The traceback of an unexpected failure, appended to the error log (never shown to the user)."""
    text = "".join(traceback.format_exception(error))
    try:
        path = error_log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now(UTC).isoformat()} {command}\n{text}")
    except OSError:
        log.debug("could not write the error log", exc_info=error)


def _database_failure(error: BaseException) -> bool:
    """Whether the failure is the database's (unreachable, full), not the input file's."""
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(error, SQLAlchemyError)


def reports_input_errors(func: Callable[P, R]) -> Callable[P, R]:
    """The guard at every command's door: InputError as every problem on stderr and exit code 2.

    Anything else unexpected is logged with its traceback (`error_log_path`) and never shown: a command
    that was given files to read says which file could not be read and exits 2 (nothing was written:
    outputs go through `atomic_output`); one without input files exits 1 with a general message.
    """

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        lang = str(kwargs.get("lang") or default_lang())
        try:
            return func(*args, **kwargs)
        except InputError as error:
            print(error.render(lang), file=sys.stderr)
            raise typer.Exit(EXIT_INVALID) from None
        except typer.Exit:
            raise
        except Exception as error:  # the last line of defence: words, never a traceback
            log_unexpected(error, func.__name__)
            files = [] if _database_failure(error) else input_files(dict(kwargs))
            if files:
                for path in files:
                    print(Problem("security.unreadable", file=path.name).render(lang), file=sys.stderr)
                raise typer.Exit(EXIT_INVALID) from None
            print(t("security.unexpected", lang), file=sys.stderr)
            raise typer.Exit(EXIT_UNEXPECTED) from None

    return wrapper


def file_mode() -> int:
    """The permissions a new file gets from the user's umask (0o644 under the usual 022), as `open` would give."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` that replaces it only when the block succeeds: never a partial file.

    The file gets the usual permissions of the umask: mkstemp alone makes it 0600, unreadable by the others
    a report or a result is written for.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.fchmod(fd, file_mode())
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
