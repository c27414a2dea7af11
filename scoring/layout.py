"""The columns of the facts and ratings files (the CSV and Parquet doors and the store's frames)."""

from __future__ import annotations

SCHOOL_COLUMNS = ("school_code", "school_name", "stages")
OPTIONAL_SCHOOL_COLUMNS = ("street", "ownership")
RATING_COLUMNS = ("school_code", "item_id", "rater", "role", "level")
OPTIONAL_RATING_COLUMNS = ("account", "finding")
ROLES = ("self", "inspector", "consensus")
HEADER_LINES = 1
