"""Accounts in bulk with printed slips, the password policy (等保 2.0 level 2) and server-side sessions."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy import Engine
from storekit import FAST_HASHER, PASSWORD, World, build_world, count

from i18n.problems import InputError
from reports.credential_slips import slips_docx, slips_xlsx
from store.errors import LoginFailed, PermissionDenied
from store.passwords import PasswordPolicy, generate_password, kinds_of, password_problems
from store.records import SYSTEM, Role
from store.services import Services

GOOD = (
    "username,display_name,role,school_code,phone,email\n"
    "zhang01,张督学,督学,,13800000000,zhang@example.cn\n"
    "b001-2,乙中学心理室,school,b001,,\n"
    "office,督导室,bureau,,,\n"
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "accounts.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_an_accounts_file_creates_every_account_with_a_one_time_password(world: World, tmp_path: Path) -> None:
    sv, admin = world.sv, world.users["admin"]
    made = sv.bulk_accounts.import_accounts(admin, _csv(tmp_path, GOOD))
    assert [(c.username, c.role) for c in made] == [
        ("zhang01", Role.INSPECTOR),
        ("b001-2", Role.SCHOOL),
        ("office", Role.BUREAU),
    ]
    assert made[1].school_name == "乙中学"
    for credential in made:
        assert not password_problems(credential.password, username=credential.username)
        user = sv.accounts.authenticate(credential.username, credential.password)
        assert user.must_change_password
    logged = sv.audit.entries(admin, entity="user")
    assert {e.action for e in logged} >= {"user.add", "user.import"}
    assert not any(c.password in repr(e) for e in logged for c in made), "no password in the audit log"


def test_a_bad_accounts_file_lists_every_bad_row_and_creates_nothing(
    world: World, tmp_path: Path, engine: Engine
) -> None:
    before = count(engine, "users")
    bad = (
        "username,display_name,role,school_code,phone,email\n"
        "ok01,好账户,inspector,,,\n"
        "bad name!,名字,inspector,,,\n"
        "lead,重名,inspector,,,\n"
        "x1,学校,school,,,\n"
        "x2,学校,school,Z999,,\n"
        "x3,某人,boss,,,\n"
        "x4,某人,inspector,A001,,\n"
        "ok01,重复,inspector,,abc,not-mail\n"
    )
    with pytest.raises(InputError) as error:
        world.sv.bulk_accounts.import_accounts(world.users["admin"], _csv(tmp_path, bad))
    where = {(p.row, p.column, p.key) for p in error.value.problems}
    assert where == {
        (3, "username", "store.bad_username"),
        (4, "username", "store.username_taken"),
        (5, "school_code", "accounts.school_needed"),
        (6, "school_code", "input.unknown_school"),
        (7, "role", "input.bad_role"),
        (8, "school_code", "accounts.school_only"),
        (9, "username", "accounts.duplicate_username"),
        (9, "phone", "accounts.bad_phone"),
        (9, "email", "accounts.bad_email"),
    }
    assert all(p.file == "accounts.csv" for p in error.value.problems)
    assert count(engine, "users") == before


def test_an_accounts_workbook_is_read_in_normal_mode(world: World, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["username", "display_name", "role", "school_code"])
    sheet.append(["wang02", "王督学", "inspector", None])
    sheet.append(["a001-2", "", "学校", "A001"])
    path = tmp_path / "accounts.xlsx"
    book.save(path)
    made = world.sv.bulk_accounts.import_accounts(world.users["admin"], path)
    assert [c.username for c in made] == ["wang02", "a001-2"]
    assert made[1].display_name == "甲小学"  # a school account without a name takes its school's
    with pytest.raises(InputError) as broken:
        world.sv.bulk_accounts.import_accounts(world.users["admin"], b"PK\x03\x04 not a zip", file="x.xlsx")
    assert broken.value.problems[0].file == "x.xlsx"


def test_only_an_admin_creates_accounts_in_bulk(world: World, tmp_path: Path) -> None:
    for role in ("bureau", "school_a", "inspector"):
        with pytest.raises(PermissionDenied):
            world.sv.bulk_accounts.import_accounts(world.users[role], _csv(tmp_path, GOOD))
        with pytest.raises(PermissionDenied):
            world.sv.bulk_accounts.for_schools_without_account(world.users[role])


def test_every_school_without_an_account_gets_one_once(world: World) -> None:
    sv, admin = world.sv, world.users["admin"]
    sv.schools.save(SYSTEM, "C001", "丙小学", ["primary"])
    sv.schools.save(SYSTEM, "D001", "丁中学", ["junior"])
    made = sv.bulk_accounts.for_schools_without_account(admin)
    assert [(c.username, c.school_name) for c in made] == [("c001", "丙小学"), ("d001", "丁中学")]
    assert sv.bulk_accounts.for_schools_without_account(admin) == []


def test_a_reset_gives_a_new_slip_and_ends_the_sessions(world: World) -> None:
    sv, admin = world.sv, world.users["admin"]
    school = sv.accounts.authenticate("school_a", PASSWORD)
    credential = sv.bulk_accounts.reset_password(admin, school.id)
    assert credential.username == "school_a" and credential.school_name == "甲小学"
    with pytest.raises(PermissionDenied):
        sv.accounts.me(school)
    with pytest.raises(LoginFailed):
        sv.accounts.authenticate("school_a", PASSWORD)
    assert sv.accounts.authenticate("school_a", credential.password).must_change_password


def test_the_slips_read_back(world: World, tmp_path: Path) -> None:
    made = world.sv.bulk_accounts.import_accounts(world.users["admin"], _csv(tmp_path, GOOD))
    url = "https://xinyu.example.edu.cn"
    doc = Document(io.BytesIO(slips_docx(made, url)))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert len(doc.tables) == len(made) and text.count("首次登录请修改密码") == len(made)
    for c in made:
        assert c.username in text and c.password in text
    assert text.count(url) == len(made)
    sheet = openpyxl.load_workbook(io.BytesIO(slips_xlsx(made, url))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
        (url, c.username, c.password, "首次登录请修改密码") for c in made
    ]


def test_the_password_policy() -> None:
    assert {p.key for p in password_problems("abcdefgh")} == {"accounts.password_kinds"}
    assert {p.key for p in password_problems("Zhang-2025x", username="zhang")} == {"accounts.password_username"}
    assert password_problems("Good pass 1") == []
    strict = PasswordPolicy(min_length=12, min_kinds=4)
    for _ in range(50):
        made = generate_password(policy=strict)
        assert len(made) >= 12 and kinds_of(made) == 4 and not password_problems(made, policy=strict)


def test_the_last_five_passwords_may_not_come_back(world: World) -> None:
    sv = world.sv
    me = sv.accounts.authenticate("school_b", PASSWORD)
    with pytest.raises(InputError) as same:
        sv.accounts.change_own_password(me, PASSWORD, PASSWORD)
    assert same.value.problems[0].key == "accounts.password_reused"
    current = PASSWORD
    for n in range(5):
        me = sv.accounts.change_own_password(me, current, f"Rotation {n}x")
        current = f"Rotation {n}x"
    with pytest.raises(InputError):
        sv.accounts.change_own_password(me, current, "Rotation 1x")
    me = sv.accounts.change_own_password(me, current, PASSWORD)  # six changes ago: allowed again
    with pytest.raises(InputError):
        sv.accounts.set_password(world.users["admin"], me.id, "Rotation 4x")


@pytest.fixture
def clocked(engine: Engine, tmp_path: Path) -> tuple[World, Clock]:
    clock = Clock()
    sv = Services(engine, evidence_dir=tmp_path / "ev", hasher=FAST_HASHER, clock=clock, session_idle_minutes=30)
    return build_world(sv), clock


def test_an_old_password_must_be_changed_and_failures_are_told(clocked: tuple[World, Clock]) -> None:
    world, clock = clocked
    sv = world.sv
    first = sv.accounts.sign_in("inspector", PASSWORD)
    assert first.previous_login_at is None and first.failures_since == 0
    clock.now += timedelta(hours=1)
    for _ in range(2):
        with pytest.raises(LoginFailed):
            sv.accounts.sign_in("inspector", "Wrong pass 1")
    again = sv.accounts.sign_in("inspector", PASSWORD)
    assert again.previous_login_at == datetime(2025, 9, 1, 8, 0, tzinfo=UTC) and again.failures_since == 2
    assert not again.password_expired
    clock.now += timedelta(days=181)
    late = sv.accounts.sign_in("inspector", PASSWORD)
    assert late.password_expired and late.user.must_change_password and late.failures_since == 0


def test_sessions_resume_end_and_follow_the_account(clocked: tuple[World, Clock]) -> None:
    world, clock = clocked
    sv = world.sv
    me = sv.accounts.authenticate("school_a", PASSWORD)
    opened = sv.sessions.open(me)
    cookie = sv.sessions.claim(opened.handoff)
    assert cookie and sv.sessions.claim(opened.handoff) is None, "a hand-off code works once"
    assert sv.sessions.resume(cookie).user.id == me.id  # a reload, a second tab, another server
    assert sv.sessions.resume(cookie[:-2] + "xx") is None, "a forged signature is refused"
    assert sv.sessions.check(opened.id, me) is not None
    clock.now += timedelta(minutes=31)
    assert sv.sessions.resume(cookie) is None, "idle too long"
    # a new session; a password change elsewhere ends it, a change here carries it on
    me = sv.accounts.authenticate("school_a", PASSWORD)
    here, there = sv.sessions.open(me), sv.sessions.open(me)
    cookie_here, cookie_there = sv.sessions.claim(here.handoff), sv.sessions.claim(there.handoff)
    changed = sv.accounts.change_own_password(me, PASSWORD, "Changed here 1")
    sv.sessions.follow(here.id, changed)
    assert sv.sessions.resume(cookie_here).user.id == me.id
    assert sv.sessions.resume(cookie_there) is None
    sv.accounts.set_active(world.users["admin"], me.id, False)
    assert sv.sessions.resume(cookie_here) is None, "a disabled account ends every session"
    # a sign-out ends it for good; an expired hand-off is refused
    lead = sv.accounts.authenticate("lead", PASSWORD)
    late = sv.sessions.open(lead)
    clock.now += timedelta(minutes=2)
    assert sv.sessions.claim(late.handoff) is None
    mine = sv.sessions.open(lead)
    value = sv.sessions.claim(mine.handoff)
    sv.sessions.end(mine.id)
    assert sv.sessions.resume(value) is None and sv.sessions.check(mine.id, lead) is None
