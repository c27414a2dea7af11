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
from settings import get_settings

P = ParamSpec("P")
R = TypeVar("R")

EXIT_INVALID = 2
EXIT_UNEXPECTED = 1

LangOption = Annotated[str, typer.Option("--lang", help="Language of messages: zh or en", envvar="XINYU_LANG")]


def default_lang() -> str:
    """The configured language (XINYU_LANG, default zh)."""
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


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` that replaces it only when the block succeeds: never a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
