"""Messages at the field: a refused save says, under each input it concerns, what was expected.

A form callback that gets an `InputError` keeps each problem under the field it names (`keep`), then
re-raises it so that the page's message box says the save did not happen (nothing is ever refused in
silence). The form draws `show(form, field)` right under each input on the next run; a save that goes
through forgets them (`clear`).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from i18n.problems import InputError, Problem
from ui import state
from ui.text import plain, problem_line

ERRORS = "guide.field_errors"
"""Session bucket: form key → field → the messages to show under that field."""


def keep(
    form: str,
    error: InputError,
    field_of: Callable[[Problem], str | None],
    lang: str,
    words: Callable[[Problem, str], str] = problem_line,
) -> None:
    """Remember the error's problems under their fields (problems naming no field stay at the top only)."""
    fields: dict[str, list[str]] = {}
    for problem in error.problems:
        name = field_of(problem)
        if name is not None:
            fields.setdefault(name, []).append(words(problem, lang))
    state.bucket(ERRORS)[form] = fields


def clear(form: str) -> None:
    """Forget the form's field messages (after a save that went through)."""
    state.bucket(ERRORS).pop(form, None)


def messages(form: str, field: str) -> list[str]:
    """The messages kept for one field of a form."""
    return list(state.bucket(ERRORS).get(form, {}).get(field, []))


def show(form: str, field: str) -> None:
    """Draw the messages kept for one field, right under it."""
    for line in messages(form, field):
        st.error(plain(line), icon=":material/error:")


def field_of_fact(problem: Problem) -> str | None:
    """The fact a problem of the facts check is about (its column, else its path)."""
    return problem.column or problem.path
