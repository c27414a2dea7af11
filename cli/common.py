"""What every command shares: the language option, input-error reporting and all-or-nothing output files."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from i18n.problems import InputError

P = ParamSpec("P")
R = TypeVar("R")

ROOT = Path(__file__).resolve().parent.parent
# The bundled framework and the demo district, named here so that starting the CLI imports neither the
# criteria models nor the data (criteria.DEFAULT_FRAMEWORK is the same file; a test holds them equal).
DEFAULT_FRAMEWORK = ROOT / "criteria" / "frameworks" / "changning-2024.yaml"
DEMO_DIR = ROOT / "sample_data" / "demo"

EXIT_INVALID = 2
EXIT_UNEXPECTED = 1

LangOption = Annotated[str, typer.Option("--lang", help="Language of messages: zh or en", envvar="XINYU_LANG")]


def default_lang() -> str:
    """The configured language (XINYU_LANG, default zh)."""
    from settings import get_settings

    return get_settings().lang


def reports_input_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn InputError into every problem on stderr and exit code 2; anything else unexpected into exit 1."""

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
        except Exception as error:  # the last line of defence: say what happened, exit 1
            print(f"{type(error).__name__}: {error}", file=sys.stderr)
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
