"""Text in the session's language, and every error the service layer raises turned into words.

Messages are shown as plain text: user input inside them (a school code from the URL, a file name)
is escaped so that it can never be read as Markdown or HTML.
"""

from __future__ import annotations

import logging
import re

from i18n import t
from i18n.problems import InputError, Problem
from scoring.facts import FACTS
from store.errors import StoreError
from ui import state

log = logging.getLogger("xinyu.app")
PATH_LABELS = {
    "note": "app.lead.note",
    "username": "app.col.username",
    "password": "app.col.password",
    "old_password": "app.account.old",
    "new_password": "app.account.new",
    "role": "app.col.role",
    "school": "accounts.page.school",
}
SELF_DESCRIBED = {"level"}  # their messages name the item already
MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def tr(key: str, /, **params: object) -> str:
    """The catalog text for `key` in the session's language."""
    return t(key, state.lang(), **params)


def plain(text: str) -> str:
    """Text shown literally (Markdown characters escaped)."""
    return MARKDOWN.sub(r"\\\1", text)


def problem_line(problem: Problem, lang: str) -> str:
    """One problem, located by the field's label when it is a school fact."""
    field = problem.column or problem.path
    if field in SELF_DESCRIBED:
        return problem.message(lang)
    if field in FACTS:
        fact, message = FACTS[field], problem.message(lang)
        label = fact.zh if lang == "zh" else fact.en
        return message if label in message else f"{label}: {message}"
    if field in PATH_LABELS and not (problem.file or problem.sheet or problem.row):
        return f"{t(PATH_LABELS[field], lang)}: {problem.message(lang)}"
    return problem.render(lang)


def error_lines(error: BaseException, lang: str | None = None) -> list[str]:
    """What went wrong, in the user's language, one line per problem; never a stack trace."""
    lang = lang or state.lang()
    if isinstance(error, InputError):
        return [problem_line(p, lang) for p in error.problems]
    if isinstance(error, StoreError):
        return [error.render(lang)]
    log.exception("unexpected error in the app", exc_info=error)
    return [t("app.error.unexpected", lang)]
