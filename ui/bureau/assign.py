"""The bulk-assignment form's choices as the rows of an assignments import (school_code, inspector, lead).

The store imports them all or nothing and checks every school and inspector; this module only turns
the form's choices into rows and says, in words, what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from i18n.problems import InputError, Problem
from store.records import Assignment


def chosen_codes(facts: pd.DataFrame, schools: Iterable[str], streets: Iterable[str]) -> list[str]:
    """The schools picked one by one, then every school of the streets picked, each once."""
    in_streets = facts.index[facts["street"].isin(list(streets))]
    return list(dict.fromkeys([*schools, *in_streets]))


def assignment_rows(
    codes: list[str], inspectors: list[str], lead: str | None, assigned: Iterable[Assignment]
) -> pd.DataFrame:
    """Every school × inspector (the lead one of them); without a lead, pairs already assigned are left as they are.

    InputError when no school or no inspector is chosen.
    """
    team = list(dict.fromkeys([*inspectors, *([lead] if lead else [])]))
    missing = (("bureau.assign.no_schools", not codes), ("bureau.assign.no_inspectors", not team))
    if problems := [Problem(key) for key, empty in missing if empty]:
        raise InputError(problems)
    rows = [(code, name, "1" if name == lead else "0") for code in codes for name in team]
    if not lead:
        existing = {(a.school_code, a.inspector) for a in assigned}
        rows = [r for r in rows if (r[0], r[1]) not in existing]
    return pd.DataFrame(rows, columns=["school_code", "inspector", "lead"])
