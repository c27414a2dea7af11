"""A cycle's facts and ratings written as the CSV files the scoring CLI reads (bureau, local operator)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from i18n.problems import InputError, Problem
from scoring.facts import FACT_FIELDS
from scoring.inputs import OPTIONAL_RATING_COLUMNS, OPTIONAL_SCHOOL_COLUMNS, RATING_COLUMNS, SCHOOL_COLUMNS
from store.context import Area
from store.csv_cells import escape_frame
from store.cycles import cycle_row
from store.facts_check import fact_text
from store.frames import cycle_assessments, ratings_of
from store.policy import READ_ALL, acting, require
from store.records import User

EXPORT = "store.action.export_data"
FACTS_FILE = "facts.csv"
RATINGS_FILE = "ratings.csv"
ENCODING = "utf-8-sig"  # with a BOM, so that Excel shows Chinese correctly; read_csv_text accepts it
FACTS_TEXT_COLUMNS = (*SCHOOL_COLUMNS, *OPTIONAL_SCHOOL_COLUMNS)
RATINGS_TEXT_COLUMNS = (*RATING_COLUMNS, *OPTIONAL_RATING_COLUMNS)


class Exports(Area):
    """Exports of a cycle."""

    def cycle_frames(self, actor: User, cycle_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The facts CSV and the ratings CSV of a cycle, as text frames (not escaped: see `write_csv`)."""

        def read(session: Session) -> tuple[pd.DataFrame, pd.DataFrame]:
            me = acting(session, actor)
            require(me, READ_ALL, EXPORT)
            facts = facts_text(cycle_assessments(session, me, cycle_id, None))
            framework = self.ctx.frameworks.cycle(session, cycle_row(session, cycle_id))
            ratings = ratings_of(session, me, cycle_id, None, framework).astype(str)
            order = ["school_code", "item_id", "role", "rater"]
            return facts, ratings.sort_values(order, kind="stable").reset_index(drop=True)

        return self.ctx.read(read)

    def cycle_csv(self, actor: User, cycle_id: int, out_dir: Path, overwrite: bool = False) -> tuple[Path, Path]:
        """Write a cycle's facts.csv and ratings.csv into `out_dir` (kept if present, unless `overwrite`).

        Text that a spreadsheet would run as a formula is written with a leading quote (see
        `store.csv_cells`); the store's imports remove it again.
        """
        out_dir = Path(out_dir)
        targets = (out_dir / FACTS_FILE, out_dir / RATINGS_FILE)
        if not overwrite and (existing := [p for p in targets if p.exists()]):
            raise InputError([Problem("file.exists", {"found": str(p)}, file=p.name) for p in existing])
        facts, ratings = self.cycle_frames(actor, cycle_id)
        out_dir.mkdir(parents=True, exist_ok=True)
        write_csv(escape_frame(facts, FACTS_TEXT_COLUMNS), targets[0])
        write_csv(escape_frame(ratings, RATINGS_TEXT_COLUMNS), targets[1])
        self.ctx.note(actor, "export.csv", "cycle", cycle_id, cycle_id=cycle_id, after={"dir": str(out_dir)})
        return targets


def facts_text(rows: Sequence[Any]) -> pd.DataFrame:
    """The facts CSV frame from (code, name, street, ownership, stages, facts) rows; missing facts empty."""
    columns = (*SCHOOL_COLUMNS, *OPTIONAL_SCHOOL_COLUMNS, *(f.name for f in FACT_FIELDS))
    records = [
        {
            "school_code": code,
            "school_name": name,
            "stages": stages,
            "street": street,
            "ownership": ownership,
            **{f.name: fact_text(f.name, (facts or {}).get(f.name)) for f in FACT_FIELDS},
        }
        for code, name, street, ownership, stages, facts in rows
    ]
    return pd.DataFrame(records, columns=list(columns), dtype="str")


def write_csv(frame: pd.DataFrame, target: Path) -> None:
    """Write a CSV atomically (a reader never sees half a file), as it is: escape user text first."""
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    mask = os.umask(0)
    os.umask(mask)
    os.fchmod(fd, 0o666 & ~mask)  # the usual permissions of the umask, not mkstemp's 0600
    try:
        with os.fdopen(fd, "w", encoding=ENCODING, newline="") as out:
            frame.to_csv(out, index=False, lineterminator="\r\n")  # CRLF: a cell with a lone CR gets quoted too
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
