"""Helpers of the store tests: the small world every test starts from, complete facts, snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Engine, text

from store.engine import make_engine
from store.models import Base
from store.records import SYSTEM, RaterRole, RatingEdit, Role, User
from store.services import Services

DATA = Path(__file__).parent / "data"
FRAMEWORK = DATA / "store_mini.yaml"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse 1"

FACTS: dict[str, float] = {
    "students": 500,
    "grades": 5,
    "campuses": 1,
    "staff": 50,
    "psych_fulltime": 1,
    "psych_parttime": 1,
    "mentors": 30,
    "course_stages": 1,
    "career_course_hours": 0,
    "grades_theme_meeting": 5,
    "grades_life_activity": 5,
    "screening_target": 200,
    "screening_done": 200,
    "student_files": 150,
    "parent_school": 1,
    "parent_sessions": 4,
    "room_area_m2": 50.5,
    "room_function_areas": 3,
    "room_open_hours": 12,
}


def facts_row(code: str, stages: str, **changes: object) -> dict[str, object]:
    """A row of a facts CSV: the school columns and FACTS (whole numbers written without '.0')."""
    row: dict[str, object] = {"school_code": code, "school_name": f"{code}学校", "stages": stages}
    row |= {"street": "新泾镇", "ownership": "public"} | FACTS | changes
    return {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in row.items()}


SELF_A = [RatingEdit("i1", "A", "做得很好"), RatingEdit("i2", "Y", "有"), RatingEdit("i3", "B", "基本做到")]
ROLES = ("school_a", "school_b", "inspector", "lead", "other_inspector", "bureau", "admin", "system")


@dataclass(frozen=True)
class Db:
    """Where a test's database is: backend, URL and (PostgreSQL) schema."""

    backend: str
    url: str
    schema: str | None

    def engine(self) -> Engine:
        """A new engine on this database."""
        return make_engine(self.url, schema=self.schema)

    @property
    def full_url(self) -> str:
        """A URL that carries the schema too (for the CLI and subprocesses)."""
        return f"{self.url}?options=-csearch_path%3D{self.schema}" if self.schema else self.url


@dataclass(frozen=True)
class World:
    """Framework, cycle, school A (primary) and B (junior), and one account per role.

    The inspector and the lead are assigned to A; the other inspector leads B.
    """

    sv: Services
    version_id: int
    cycle_id: int
    school_a: int
    school_b: int
    assessment_a: int
    assessment_b: int
    users: dict[str, User]

    def actor(self, role: str) -> User:
        """The account of a role of ROLES."""
        return SYSTEM if role == "system" else self.users[role]

    def version_a(self) -> int:
        """The current version of A's assessment."""
        return self.sv.assessments.get(SYSTEM, self.assessment_a).version

    def fill_a(self) -> None:
        """Complete facts and self ratings of A, as its school."""
        me = self.users["school_a"]
        self.sv.assessments.save_facts(me, self.assessment_a, FACTS, self.version_a())
        self.sv.ratings.save(me, self.assessment_a, RaterRole.SELF, SELF_A)

    def submit_a(self) -> None:
        """Fill and submit A."""
        self.fill_a()
        self.sv.assessments.submit(self.users["school_a"], self.assessment_a, self.version_a())

    def inspect_a(self, level: str = "B") -> None:
        """Ratings of every applicable item of A by the inspector."""
        edits = [RatingEdit("i1", level), RatingEdit("i2", "Y"), RatingEdit("i3", "A")]
        self.sv.ratings.save(self.users["inspector"], self.assessment_a, RaterRole.INSPECTOR, edits)


def build_world(sv: Services) -> World:
    """Create the world through the services, as the local operator."""
    version = sv.frameworks.add(SYSTEM, FRAMEWORK.read_text(encoding="utf-8"), "store_mini.yaml", activate=True)
    a = sv.schools.save(SYSTEM, "A001", "甲小学", ["primary"], "华阳路街道", "public", 1)
    b = sv.schools.save(SYSTEM, "B001", "乙中学", ["junior"], "新华路街道", "private", 2)
    cycle = sv.cycles.create(SYSTEM, "2025学年", "2025-2026", version.id)
    users = {
        "school_a": sv.accounts.add_user(SYSTEM, "school_a", Role.SCHOOL, PASSWORD, "甲小学", a.id, False),
        "school_b": sv.accounts.add_user(SYSTEM, "school_b", Role.SCHOOL, PASSWORD, "乙中学", b.id, False),
        "inspector": sv.accounts.add_user(SYSTEM, "inspector", Role.INSPECTOR, PASSWORD, "督学一", None, False),
        "lead": sv.accounts.add_user(SYSTEM, "lead", Role.INSPECTOR, PASSWORD, "组长", None, False),
        "other_inspector": sv.accounts.add_user(SYSTEM, "other", Role.INSPECTOR, PASSWORD, "督学二", None, False),
        "bureau": sv.accounts.add_user(SYSTEM, "bureau", Role.BUREAU, PASSWORD, "督导室", None, False),
        "admin": sv.accounts.add_user(SYSTEM, "admin", Role.ADMIN, PASSWORD, "管理员", None, False),
    }
    sv.cycles.assign(SYSTEM, cycle.id, a.id, users["inspector"].id)
    sv.cycles.assign(SYSTEM, cycle.id, a.id, users["lead"].id, lead=True)
    sv.cycles.assign(SYSTEM, cycle.id, b.id, users["other_inspector"].id, lead=True)
    assessment_a = sv.assessments.find(SYSTEM, cycle.id, a.id).id
    assessment_b = sv.assessments.find(SYSTEM, cycle.id, b.id).id
    return World(sv, version.id, cycle.id, a.id, b.id, assessment_a, assessment_b, users)


Rows = dict[str, list[dict[str, Any]]]


def table_rows(engine: Engine) -> Rows:
    """Every row of every table, as dicts, in primary-key order (PostgreSQL returns rows in no set order)."""
    with engine.connect() as conn:
        return {
            t.name: [dict(r._mapping) for r in conn.execute(t.select().order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }


def restore(engine: Engine, rows: Rows) -> None:
    """Put saved rows into an empty database in one transaction (PostgreSQL sequences set past them)."""
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if rows[table.name]:
                conn.execute(table.insert(), rows[table.name])
        if engine.dialect.name == "postgresql":
            for table in Base.metadata.sorted_tables:
                if "id" in table.c and rows[table.name]:
                    top = max(r["id"] for r in rows[table.name])
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), {top})"))


NOTES = ("refused:", "export.", "evidence.download", "signin", "signout", "backup")


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to show that a refused call wrote nothing.

    The audit log's notes of events that change nothing (a refusal, an export, a download, a sign-in)
    are left out: since issue 11 a refused call is logged, and a test of it asserts that entry itself.
    """
    with engine.connect() as conn:
        return {
            table.name: sorted(
                (
                    tuple(row)
                    for row in conn.execute(table.select())
                    if table.name != "audit_log" or not row._mapping["action"].startswith(NOTES)
                ),
                key=repr,
            )
            for table in Base.metadata.sorted_tables
        }


def count(engine: Engine, table: str) -> int:
    """Rows in a table."""
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
