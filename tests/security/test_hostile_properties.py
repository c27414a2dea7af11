"""Properties over generated input: the parsers behind the doors raise InputError and nothing else.

Hypothesis generates text and bytes (random, and shaped like YAML, CSV and zips); every outcome must be
a framework / a frame, or an InputError whose problems name the file. Pure functions: fast enough for CI.
"""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria.loader import parse_framework_text
from i18n.problems import InputError
from reports.framework_xlsx import framework_from_xlsx
from scoring.inputs import read_facts
from store.evidence_files import is_macro_enabled, safe_name, sniff

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YAML_BITS = st.sampled_from(
    [
        "id: x\n",
        "total_points: 100\n",
        "domains:\n",
        "  - ",
        "&a ",
        "*a ",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "- ",
        "!!str ",
        "9" * 40,
        "\x00",
        "\t",
        "\n",
        "'",
        '"',
        "<<: *a\n",
        "tiers: []\n",
        "名称: 值\n",
        "\u202e",
        "1e999",
        ".nan",
    ]
)


def only_input_errors(fn, *args, file: str) -> None:
    try:
        fn(*args)
    except InputError as error:
        assert error.problems
        assert all(p.file in (file, None) for p in error.problems), error.render("en")
        assert error.render("zh") and error.render("en")


@FAST
@given(st.lists(YAML_BITS, max_size=60).map("".join))
def test_yaml_shaped_text_gives_a_framework_or_located_problems(text: str) -> None:
    only_input_errors(parse_framework_text, text, "f.yaml", file="f.yaml")


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes_as_yaml(data: bytes) -> None:
    only_input_errors(parse_framework_text, data, "f.yaml", file="f.yaml")


@FAST
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=8), max_size=12))
def test_csv_shaped_text_as_facts(rows: list[list[str]]) -> None:
    import pandas as pd

    header = ["school_code", "school_name", "stages", "students"]
    frame = pd.DataFrame([(r + [""] * 4)[:4] for r in rows], columns=header, dtype=str)
    only_input_errors(read_facts, frame, "facts.csv", file="facts.csv")


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


PART_NAMES = st.sampled_from(
    [
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/sharedStrings.xml",
        "word/document.xml",
        "xl/vbaProject.bin",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(PART_NAMES, st.binary(max_size=300) | st.sampled_from([b"", b"<a/>", b"<x><y>"]), max_size=6))
def test_zips_of_random_parts_as_a_framework_workbook(parts: dict[str, bytes]) -> None:
    only_input_errors(framework_from_xlsx, _zip(parts), "fw.xlsx", file="fw.xlsx")


@FAST
@given(st.binary(max_size=600), st.text(max_size=40))
def test_evidence_checks_never_raise(data: bytes, name: str) -> None:
    kind = sniff(data)
    assert kind in (None, "pdf", "jpeg", "png", "docx", "xlsx", "pptx")
    assert isinstance(is_macro_enabled(data), bool)
    shown = safe_name(name, kind or "pdf")
    assert shown and "/" not in shown and not any(c in shown for c in "\u202e\u2066\u200b\ufeff")
