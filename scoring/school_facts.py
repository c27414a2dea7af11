"""Checked school facts as arrays, one row per school: what the engine reads, without pandas.

`scoring.checks.check_facts` builds it from a file's columns; a facts frame (the `read_facts` shape,
as the store and the pages hold it) converts with `SchoolFacts.of`. `frame()` gives that frame back,
column for column as `read_facts` has always returned it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from scoring.facts import FACT_FIELDS
from scoring.metrics import STAGE_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

TEXT_COLUMNS = ("school_name", "street", "ownership", "stages")


@dataclass(frozen=True, eq=False)
class SchoolFacts:
    """School codes in row order and every column as an array: text (object), stage flags (bool), facts (float)."""

    codes: np.ndarray  # [schools] object array of school codes
    columns: dict[str, np.ndarray]
    absent: frozenset[str] = frozenset()  # optional text columns the source did not have (all '')

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    @cached_property
    def positions(self) -> dict[str, int]:
        """School code → row."""
        return {code: n for n, code in enumerate(self.codes.tolist())}

    @cached_property
    def stage_flags(self) -> np.ndarray:
        """[schools, stages] which stages each school has."""
        return np.column_stack([self.columns[col] for col in STAGE_COLUMNS.values()]).astype(bool)

    @staticmethod
    def of(facts: pd.DataFrame | SchoolFacts) -> SchoolFacts:
        """A facts frame (indexed by school code) as arrays; facts not given (or absent) are NaN."""
        if isinstance(facts, SchoolFacts):
            return facts
        rows = len(facts)
        columns: dict[str, np.ndarray] = {}
        for name in TEXT_COLUMNS:
            columns[name] = facts[name].to_numpy(dtype=object) if name in facts else np.full(rows, "", dtype=object)
        for col in STAGE_COLUMNS.values():
            columns[col] = facts[col].to_numpy(dtype=bool) if col in facts else np.zeros(rows, dtype=bool)
        for fact in FACT_FIELDS:
            present = fact.name in facts
            values = facts[fact.name].to_numpy(dtype="float64", na_value=np.nan) if present else np.full(rows, np.nan)
            columns[fact.name] = values
        return SchoolFacts(np.asarray(facts.index, dtype=object), columns)

    def frame(self) -> pd.DataFrame:
        """The `read_facts` frame: indexed by school code; name, street, ownership, stages, stage flags, facts."""
        import pandas as pd

        out = pd.DataFrame(index=pd.Index(pd.Series(self.codes, dtype="str"), name="school_code"))
        for name in ("school_name", "street", "ownership"):
            out[name] = "" if name in self.absent else self.columns[name]
        out["stages"] = self.columns["stages"].tolist()  # lists, as before: the same column types for an empty file
        for col in STAGE_COLUMNS.values():
            out[col] = self.columns[col].tolist()
        for fact in FACT_FIELDS:
            out[fact.name] = self.columns[fact.name]
        return out
