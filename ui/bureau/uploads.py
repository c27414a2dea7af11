"""Files the bureau uploads, read into what the service layer takes: assignment CSVs and framework versions.

Nothing is stored here: a file that cannot be read raises `InputError` naming the file and what is
wrong, and the page shows every problem. The store checks the content again when it writes.
"""

from __future__ import annotations

import math
from pathlib import PurePath

import pandas as pd
import yaml

from criteria import Framework, parse_framework_text
from i18n.problems import InputError, Problem, reading
from reports.framework_xlsx import framework_from_xlsx
from scoring.inputs import read_csv_text

MB = 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
XLSX_SUFFIX = ".xlsx"


def widget_limit(max_mb: float) -> int:
    """The uploader's own limit in whole megabytes (at least 1; `check_size` holds the exact one)."""
    return max(1, math.ceil(max_mb))


def check_size(data: bytes, name: str, max_mb: float) -> None:
    """InputError when the file is larger than the upload limit."""
    if len(data) > max_mb * MB:
        raise InputError([Problem("bureau.upload.too_large", {"max": f"{max_mb:g}"}, file=name)])


def csv_frame(data: bytes, name: str) -> pd.DataFrame:
    """A CSV upload as text cells (no type guessing), header names stripped, in any encoding of the CSV doors."""
    with reading(name):
        return read_csv_text(data, name)


def framework_upload(data: bytes, name: str) -> tuple[Framework, str]:
    """A framework from YAML or a workbook of the same shape, fully validated, and the YAML text to store.

    A workbook is stored as the YAML of the framework it holds (same content, same hash).
    """
    with reading(name):
        return _framework_upload(data, name)


def _framework_upload(data: bytes, name: str) -> tuple[Framework, str]:
    suffix = PurePath(name).suffix.lower()
    if suffix in YAML_SUFFIXES:
        framework = parse_framework_text(data, name)
        return framework, data.decode("utf-8-sig")
    if suffix == XLSX_SUFFIX:
        framework = framework_from_xlsx(data, name)
        return framework, framework_yaml(framework)
    raise InputError([Problem("bureau.upload.kind", {"found": suffix or name}, file=name)])


def framework_yaml(framework: Framework) -> str:
    """The framework as YAML text that loads back to the same framework."""
    data = framework.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
