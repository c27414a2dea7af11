"""CSV imports (all or nothing, every bad row listed), the scoring frames and the CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from storekit import FACTS, FRAMEWORK, World, count, facts_row, snapshot

from criteria import load_framework
from i18n.problems import InputError
from scoring.inputs import read_csv_text, read_facts, read_ratings
from store.csv_cells import escape_cell, unescape_cell, unescape_frame
from store.errors import ConflictError
from store.records import SYSTEM, RaterRole, RatingEdit, Status

FW = load_framework(FRAMEWORK)


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8")
    return path


RATINGS = [
    ("A001", "i1", "school-A001", "self", "A", "做到了", ""),
    ("A001", "i2", "school-A001", "self", "Y", "", ""),
    ("A001", "i3", "school-A001", "self", "NA", "", ""),
    ("A001", "i1", "inspector", "inspector", "B", "", "材料不全"),
    ("A001", "i1", "lead", "inspector", "C", "", ""),
    ("A001", "i1", "lead", "consensus", "B", "", "=合议"),
    ("B001", "i1", "school-B001", "self", "C", "+2 场讲座", ""),
]
COLUMNS = ["school_code", "item_id", "rater", "role", "level", "account", "finding"]


def ratings_file(tmp_path: Path, rows: list[tuple[str, ...]] = RATINGS) -> Path:
    return write(tmp_path / "ratings.csv", [dict(zip(COLUMNS, r, strict=True)) for r in rows])


def sort(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in one order and categories as text: the same ratings compare equal whatever their order."""
    text = frame.astype({c: "str" for c in frame.columns})
    return text.sort_values(list(text.columns)).reset_index(drop=True)


def test_register_import_adds_and_updates(world: World, tmp_path: Path) -> None:
    path = write(
        tmp_path / "schools.csv",
        [
            {"school_code": "C001", "school_name": "丙小学", "stages": "小学", "ownership": "民办", "campuses": 2},
            {
                "school_code": "A001",
                "school_name": "甲小学（新名）",
                "stages": "primary;junior",
                "ownership": "",
                "campuses": "",
            },
        ],
    )
    result = world.sv.imports.schools(world.users["bureau"], path)
    assert (result.rows, result.created, result.updated) == (2, 1, 1)
    schools = {s.code: s for s in world.sv.schools.list_schools(SYSTEM)}
    assert schools["C001"].stages == ("primary",) and schools["C001"].ownership == "private"
    assert schools["C001"].campuses == 2
    assert schools["A001"].name == "甲小学（新名）" and schools["A001"].stages == ("primary", "junior")


def test_a_register_with_bad_rows_imports_nothing_and_lists_every_bad_row(world: World, tmp_path: Path) -> None:
    path = write(
        tmp_path / "schools.csv",
        [
            {"school_code": "C001", "school_name": "好学校", "stages": "primary", "ownership": "public", "campuses": 1},
            {"school_code": "", "school_name": "无代码", "stages": "primary", "ownership": "", "campuses": ""},
            {"school_code": "C001", "school_name": "重复", "stages": "primary", "ownership": "", "campuses": ""},
            {"school_code": "C003", "school_name": "", "stages": "university", "ownership": "公立", "campuses": "1.5"},
        ],
    )
    before = snapshot(world.sv.engine)
    with pytest.raises(InputError) as bad:
        world.sv.imports.schools(world.users["bureau"], path)
    where = sorted((p.row, p.column, p.key) for p in bad.value.problems)
    assert where == [
        (3, "school_code", "input.empty"),
        (4, "school_code", "input.duplicate_school"),
        (5, "campuses", "input.bad_int"),
        (5, "ownership", "store.bad_ownership"),
        (5, "school_name", "store.bad_text"),
        (5, "stages", "input.bad_stages"),
    ]
    assert all(p.file == "schools.csv" for p in bad.value.problems)
    assert "第 5 行" in bad.value.render("zh") and "row 5" in bad.value.render("en")
    assert snapshot(world.sv.engine) == before


def test_unknown_and_missing_columns(world: World, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", [{"code": "C001", "school_name": "x", "stages": "primary"}])
    with pytest.raises(InputError) as bad:
        world.sv.imports.schools(world.users["bureau"], path)
    assert sorted(p.key for p in bad.value.problems) == ["input.missing_column", "input.unknown_column"]


def test_facts_csv_into_a_cycle(world: World, tmp_path: Path) -> None:
    path = write(tmp_path / "facts.csv", [facts_row("A001", "primary"), facts_row("C001", "senior", students=900)])
    result = world.sv.imports.schools(world.users["bureau"], path, cycle_id=world.cycle_id)
    assert (result.created, result.updated) == (1, 1)
    frame = world.sv.frames.facts_frame(world.users["bureau"], world.cycle_id)
    expected = read_facts(path)
    pd.testing.assert_frame_equal(frame.loc[expected.index], expected)
    assert frame.loc["B001", "students"] != frame.loc["B001", "students"]  # B's facts are not given yet: NaN


def test_a_facts_csv_with_bad_rows_imports_nothing(world: World, tmp_path: Path) -> None:
    rows = [
        facts_row("A001", "primary"),
        facts_row("C001", "senior", students="many", ownership="公立"),
        facts_row("C002", "senior", psych_fulltime=999),
    ]
    path = write(tmp_path / "facts.csv", rows)
    before = snapshot(world.sv.engine)
    with pytest.raises(InputError) as bad:
        world.sv.imports.schools(world.users["bureau"], path, cycle_id=world.cycle_id)
    where = sorted((p.row, p.column) for p in bad.value.problems)
    assert where == [(3, "ownership"), (3, "students"), (4, "psych_fulltime")]
    assert snapshot(world.sv.engine) == before


def test_ratings_import_round_trips_through_frames_and_export(world: World, tmp_path: Path) -> None:
    sv, bureau = world.sv, world.users["bureau"]
    facts_path = write(
        tmp_path / "facts.csv", [facts_row("A001", "primary"), facts_row("B001", "junior", ownership="private")]
    )
    sv.imports.schools(bureau, facts_path, cycle_id=world.cycle_id)
    path = ratings_file(tmp_path)
    result = sv.imports.ratings(bureau, world.cycle_id, path)
    assert (result.rows, result.created, result.updated) == (len(RATINGS), len(RATINGS), 0)
    frame = sv.frames.ratings_frame(bureau, world.cycle_id)
    expected = read_ratings(path, FW, ["A001", "B001"])
    assert list(frame.columns) == list(expected.columns)
    assert all(type(frame[c].dtype) is type(expected[c].dtype) for c in frame.columns)
    pd.testing.assert_frame_equal(sort(frame), sort(expected))
    out = tmp_path / "out"
    facts_csv, ratings_csv = sv.exports.cycle_csv(bureau, world.cycle_id, out)
    assert facts_csv.read_bytes().startswith(b"\xef\xbb\xbf")
    pd.testing.assert_frame_equal(read_facts(facts_csv), sv.frames.facts_frame(bureau, world.cycle_id))
    exported = unescape_frame(read_csv_text(ratings_csv))  # cells that look like formulas carry a quote
    pd.testing.assert_frame_equal(sort(read_ratings(exported, FW, ["A001", "B001"])), sort(frame))
    assert "'=合议" in ratings_csv.read_text(encoding="utf-8-sig")
    with pytest.raises(InputError) as exists:
        sv.exports.cycle_csv(bureau, world.cycle_id, out)
    assert exists.value.problems[0].key == "file.exists"
    sv.exports.cycle_csv(bureau, world.cycle_id, out, overwrite=True)


def test_ratings_rater_links_to_the_inspector_account(world: World, tmp_path: Path) -> None:
    world.sv.imports.ratings(SYSTEM, world.cycle_id, ratings_file(tmp_path))
    own = world.sv.ratings.list_ratings(world.users["inspector"], world.assessment_a)
    assert ("inspector", "inspector", "B") in {(r.role.value, r.rater, r.level) for r in own}
    assert all(r.rater != "lead" or r.role == RaterRole.CONSENSUS for r in own)


def test_a_ratings_csv_with_bad_rows_imports_nothing_and_lists_every_bad_row(world: World, tmp_path: Path) -> None:
    rows = [
        *RATINGS,
        ("Z999", "i1", "x", "self", "A", "", ""),
        ("A001", "i9", "x", "inspector", "A", "", ""),
        ("A001", "i4", "x", "inspector", "A", "", ""),
        ("A001", "i1", "x", "boss", "A", "", ""),
        ("A001", "i1", "y", "inspector", "Q", "", ""),
        ("A001", "i1", "inspector", "inspector", "A", "", ""),
    ]
    before = snapshot(world.sv.engine)
    with pytest.raises(InputError) as bad:
        world.sv.imports.ratings(world.users["bureau"], world.cycle_id, ratings_file(tmp_path, rows))
    where = sorted((p.row, p.column or "", p.key) for p in bad.value.problems)
    assert where == [
        (9, "school_code", "input.unknown_school"),
        (10, "item_id", "input.unknown_item"),
        (10, "rater", "store.unassigned_rater"),
        (11, "level", "input.computed_item"),
        (11, "rater", "store.unassigned_rater"),
        (12, "role", "input.bad_role"),
        (13, "level", "input.unknown_level"),
        (13, "rater", "store.unassigned_rater"),
        (14, "", "input.duplicate_rating"),
    ]
    assert snapshot(world.sv.engine) == before


def test_ratings_of_a_finalized_assessment_are_refused_by_line(world: World, tmp_path: Path) -> None:
    world.submit_a()
    world.inspect_a()
    world.sv.assessments.finalize(world.users["lead"], world.assessment_a, world.version_a())
    before = snapshot(world.sv.engine)
    with pytest.raises(InputError) as bad:
        world.sv.imports.ratings(SYSTEM, world.cycle_id, ratings_file(tmp_path))
    assert {(p.row, p.key) for p in bad.value.problems} == {(n, "store.import_finalized") for n in range(2, 8)}
    assert snapshot(world.sv.engine) == before


def test_a_second_import_changes_only_what_differs_and_audits_it(world: World, tmp_path: Path) -> None:
    sv = world.sv
    sv.imports.ratings(SYSTEM, world.cycle_id, ratings_file(tmp_path))
    version = world.version_a()
    changed = [*RATINGS[:3], ("A001", "i1", "inspector", "inspector", "C", "", "再看"), *RATINGS[4:]]
    result = sv.imports.ratings(SYSTEM, world.cycle_id, ratings_file(tmp_path, changed))
    assert (result.rows, result.created, result.updated) == (len(RATINGS), 0, 1)
    assert world.version_a() == version + 1
    entry = sv.audit.entries(SYSTEM, entity="assessment", action_prefix="ratings.import")[0]
    assert entry.after == {"i1:inspector:inspector": {"level": "C", "account": "", "finding": "再看"}}
    assert entry.before == {"i1:inspector:inspector": {"level": "B", "account": "", "finding": "材料不全"}}


def test_the_import_takes_no_stale_edit_afterwards(world: World, tmp_path: Path) -> None:
    """A page holding a rating read before an import gets a conflict, not a silent overwrite."""
    sv, school = world.sv, world.users["school_a"]
    (mine,) = sv.ratings.save(school, world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "C")])
    sv.imports.ratings(SYSTEM, world.cycle_id, ratings_file(tmp_path))
    with pytest.raises(ConflictError) as conflict:
        sv.ratings.save(
            school, world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "B", expected_version=mine.version)]
        )
    assert conflict.value.who == "system"


def test_assignments_import(world: World, tmp_path: Path) -> None:
    path = write(
        tmp_path / "assignments.csv",
        [
            {"school_code": "B001", "inspector": "Inspector", "lead": "0"},
            {"school_code": "B001", "inspector": "lead", "lead": "1"},
        ],
    )
    world.sv.imports.assignments(world.users["bureau"], world.cycle_id, path)
    mine = world.sv.cycles.assignments(world.users["lead"], world.cycle_id)
    assert {(a.school_code, a.lead) for a in mine} == {("A001", True), ("B001", True)}
    bad = write(
        tmp_path / "bad.csv",
        [
            {"school_code": "Z", "inspector": "bureau", "lead": "maybe"},
            {"school_code": "A001", "inspector": "other", "lead": "1"},
        ],
    )
    with pytest.raises(InputError) as wrong:
        world.sv.imports.assignments(world.users["bureau"], world.cycle_id, bad)
    assert sorted((p.row, p.column) for p in wrong.value.problems) == [
        (2, "inspector"),
        (2, "lead"),
        (2, "school_code"),
    ]
    assert count(world.sv.engine, "assignments") == 5


def test_statuses_survive_imports(world: World, tmp_path: Path) -> None:
    world.submit_a()
    world.sv.imports.ratings(SYSTEM, world.cycle_id, ratings_file(tmp_path))
    assert world.sv.assessments.get(SYSTEM, world.assessment_a).status == Status.SUBMITTED


@pytest.mark.parametrize("cell", ["inf", "-inf", "Infinity", "1e999"])
def test_an_infinite_number_in_a_register_or_facts_csv_is_refused_by_line(
    world: World, tmp_path: Path, cell: str
) -> None:
    before = snapshot(world.sv.engine)
    register = write(
        tmp_path / "schools.csv", [{"school_code": "C001", "school_name": "丙", "stages": "primary", "campuses": cell}]
    )
    with pytest.raises(InputError) as bad:
        world.sv.schools.save(world.users["bureau"], "C002", "丁", ["primary"], campuses=float(cell))  # type: ignore[arg-type]
    assert [(p.column, p.key) for p in bad.value.problems] == [("campuses", "input.bad_int")]
    with pytest.raises(InputError) as bad:
        world.sv.imports.schools(world.users["bureau"], register)
    assert [(p.row, p.column, p.key) for p in bad.value.problems] == [(2, "campuses", "input.bad_int")]
    facts = write(tmp_path / "facts.csv", [facts_row("C003", "primary", room_area_m2=cell, staff=cell)])
    with pytest.raises(InputError) as bad:
        world.sv.imports.schools(world.users["bureau"], facts, cycle_id=world.cycle_id)
    found = sorted((p.row, p.column, p.key) for p in bad.value.problems)
    assert found == [(2, "room_area_m2", "store.fact_not_finite"), (2, "staff", "store.fact_not_finite")]
    assert snapshot(world.sv.engine) == before


def test_an_inspector_written_in_another_case_is_one_inspector(world: World, tmp_path: Path) -> None:
    sv = world.sv
    sv.imports.ratings(SYSTEM, world.cycle_id, ratings_file(tmp_path))
    again = [
        ("A001", "i1", " Inspector ", "inspector", "C", "", "复核"),
        ("A001", "i2", "INSPECTOR", "inspector", "Y", "", ""),
        ("A001", "i2", "Lead", "consensus", "Y", "", ""),
    ]
    result = sv.imports.ratings(SYSTEM, world.cycle_id, ratings_file(tmp_path, again))
    assert (result.created, result.updated) == (2, 1)
    ratings = sv.ratings.list_ratings(SYSTEM, world.assessment_a)
    inspector = sorted((r.item_id, r.rater, r.level) for r in ratings if r.role == RaterRole.INSPECTOR)
    assert inspector == [("i1", "inspector", "C"), ("i1", "lead", "C"), ("i2", "inspector", "Y")]
    consensus = [(r.item_id, r.rater) for r in ratings if r.role == RaterRole.CONSENSUS]
    assert sorted(consensus) == [("i1", "lead"), ("i2", "lead")]
    frame = sv.frames.ratings_frame(world.users["inspector"], world.cycle_id)
    mine = frame[(frame["role"] == "inspector") & (frame["rater"] == "inspector")]
    assert len(mine) == 2  # the inspector's own ratings are found as theirs (linked to the account)


def test_a_rater_who_is_no_inspector_of_the_school_is_refused_by_line(world: World, tmp_path: Path) -> None:
    rows = [
        ("A001", "i1", "school-a", "self", "A", "", ""),  # a school's rater is free text
        ("A001", "i1", "other", "inspector", "B", "", ""),  # an inspector, but of school B
        ("B001", "i1", "Other", "inspector", "B", "", ""),
        ("B001", "i1", "bureau", "consensus", "B", "", ""),  # an account, but no inspector of B
        ("A001", "i2", "insp99", "inspector", "Y", "", ""),  # no account at all
    ]
    before = snapshot(world.sv.engine)
    with pytest.raises(InputError) as bad:
        world.sv.imports.ratings(world.users["bureau"], world.cycle_id, ratings_file(tmp_path, rows))
    found = [(p.row, p.column, p.key, p.params["found"]) for p in bad.value.problems]
    assert found == [
        (3, "rater", "store.unassigned_rater", "other"),
        (5, "rater", "store.unassigned_rater", "bureau"),
        (6, "rater", "store.unassigned_rater", "insp99"),
    ]
    assert "ratings.csv" in bad.value.render("en") and "第 3 行" in bad.value.render("zh")
    assert snapshot(world.sv.engine) == before


TRICKY = [
    "=1+1",
    "+2 场讲座",
    "-3",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
    "'=已加引号",
    "''+两个引号",
    "'引号",
    "普通",
    "",
    "a=b",
]


@pytest.mark.parametrize("text", TRICKY)
def test_cells_are_escaped_and_unescaped_exactly(text: str) -> None:
    escaped = escape_cell(text)
    assert unescape_cell(escaped) == text
    assert escaped[:1] not in tuple("=+-@\t\r")  # nothing a spreadsheet would run as a formula


def test_an_export_is_safe_for_excel_and_imports_back_exactly(world: World, tmp_path: Path) -> None:
    sv, bureau = world.sv, world.users["bureau"]
    sv.schools.save(bureau, "B001", '=HYPERLINK("http://x.invalid","乙")', ["junior"], "-新华路", "private", 1)
    sv.assessments.save_facts(world.users["school_a"], world.assessment_a, FACTS, world.version_a())
    sv.assessments.save_facts(world.users["school_b"], world.assessment_b, FACTS, 1)
    school = [RatingEdit("i1", "A", TRICKY[0], finding=TRICKY[1]), RatingEdit("i2", "Y", TRICKY[2], finding=TRICKY[3])]
    school.append(RatingEdit("i3", "B", TRICKY[4] + TRICKY[5], finding=TRICKY[6]))
    sv.ratings.save(world.users["school_a"], world.assessment_a, RaterRole.SELF, school)
    inspector = [RatingEdit("i1", "B", TRICKY[7], finding=TRICKY[8]), RatingEdit("i2", "N", TRICKY[11])]
    sv.ratings.save(world.users["inspector"], world.assessment_a, RaterRole.INSPECTOR, inspector)
    before = snapshot(sv.engine)
    facts_csv, ratings_csv = sv.exports.cycle_csv(bureau, world.cycle_id, tmp_path / "out")
    cells: list[str] = []
    for path in (facts_csv, ratings_csv):
        with path.open(encoding="utf-8-sig", newline="") as f:
            cells += [cell for row in csv.reader(f) for cell in row]
    assert not [c for c in cells if c[:1] in tuple("=+@\t\r") or (c[:1] == "-" and not c[1:].isdigit())]
    written = {"'" + t for t in TRICKY[:4]} | {"'" + TRICKY[4] + TRICKY[5], "'" + TRICKY[6], "'" + TRICKY[7]}
    written |= {TRICKY[8], TRICKY[11], "'" + '=HYPERLINK("http://x.invalid","乙")', "'-新华路"}
    assert written <= set(cells)
    result = sv.imports.ratings(bureau, world.cycle_id, ratings_csv)
    assert (result.created, result.updated) == (0, 0)
    assert sv.imports.schools(bureau, facts_csv, cycle_id=world.cycle_id).updated == 0
    assert snapshot(sv.engine) == before  # every text came back exactly: nothing to change
    assert sv.schools.by_code(bureau, "B001").name.startswith("=HYPERLINK")
