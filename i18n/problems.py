"""Problems found in user input: where (file, sheet, row, column or field path) and what, in the user's language.

Every validator in the toolkit collects `Problem`s instead of stopping at the first one, and raises an
`InputError` carrying all of them; callers render them with `render(lang)`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from i18n.catalog import t


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with its location and a catalog key for the message."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    path: str | None = None

    def where(self, lang: str = "zh") -> str:
        """The location in words, e.g. `facts.csv 第 3 行 students 列`."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(t("where.sheet", lang, sheet=self.sheet))
        if self.row is not None:
            parts.append(t("where.row", lang, row=self.row))
        if self.column:
            parts.append(t("where.column", lang, column=self.column))
        if self.path:
            parts.append(self.path)
        return " ".join(parts)

    def message(self, lang: str = "zh") -> str:
        """What is wrong, without the location."""
        return t(self.key, lang, **self.params)

    def render(self, lang: str = "zh") -> str:
        """Location and message on one line."""
        where = self.where(lang)
        return f"{where}: {self.message(lang)}" if where else self.message(lang)


class InputError(Exception):
    """Raised with every problem found in an input; nothing of that input has been stored or written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self.render("en"))

    def render(self, lang: str = "zh") -> str:
        """All problems, one per line."""
        return "\n".join(p.render(lang) for p in self.problems)


def located(problems: Iterable[Problem], **where: Any) -> list[Problem]:
    """The same problems with location fields (file, sheet, ...) filled where they are empty."""
    out = []
    for p in problems:
        fields = {k: v for k, v in where.items() if getattr(p, k) is None}
        out.append(Problem(**{**p.__dict__, **fields}))
    return out


@contextmanager
def reading(file: str, passthrough: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
    """The guard at a door that takes a file: an unexpected failure becomes "this file could not be read".

    InputError (and the `passthrough` errors, e.g. the store's refusals, which have words of their own)
    go on as they are; anything else is logged with its traceback and raised as an InputError naming
    the file, so that no parser corner reaches the user as a traceback. The door must write nothing
    before the block ends.
    """
    try:
        yield
    except InputError:
        raise
    except passthrough:
        raise
    except Exception as error:
        logging.getLogger("xinyu.input").error("the file %r could not be read", file, exc_info=error)
        raise InputError([Problem("security.unreadable", file=file)]) from None
