"""Accounts: argon2 hashes, one answer for every failed log-in, lockout, password changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from storekit import FAST_HASHER, PASSWORD, World, build_world

from i18n.problems import InputError
from store.errors import LoginFailed, PasswordChangeRequired, PermissionDenied
from store.models import UserRow
from store.records import SYSTEM, RaterRole, RatingEdit, Role
from store.services import Services


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clocked(engine: Engine, tmp_path: Path) -> tuple[World, Clock]:
    clock = Clock()
    sv = Services(
        engine, evidence_dir=tmp_path / "ev", hasher=FAST_HASHER, lockout_failures=3, lockout_minutes=10, clock=clock
    )
    return build_world(sv), clock


def _failure(sv: Services, username: str, password: str) -> LoginFailed:
    with pytest.raises(LoginFailed) as failed:
        sv.accounts.authenticate(username, password)
    return failed.value


def test_passwords_are_argon2id_hashes(world: World, engine: Engine) -> None:
    with Session(engine) as session:
        hashes = session.scalars(select(UserRow.password_hash)).all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in h for h in hashes)


def test_log_in_with_the_right_password(world: World) -> None:
    user = world.sv.accounts.authenticate(" School_A ", PASSWORD)
    assert user.username == "school_a" and user.role == Role.SCHOOL and user.school_id == world.school_a


def test_wrong_password_and_unknown_user_get_the_same_answer(world: World) -> None:
    wrong = _failure(world.sv, "school_a", "not the password")
    unknown = _failure(world.sv, "nobody", "not the password")
    assert type(wrong) is type(unknown)
    assert wrong.render("zh") == unknown.render("zh") and wrong.render("en") == unknown.render("en")


def test_repeated_failures_lock_the_account_for_a_while(clocked: tuple[World, Clock]) -> None:
    world, clock = clocked
    sv = world.sv
    for _ in range(3):
        _failure(sv, "inspector", "wrong password")
    locked = _failure(sv, "inspector", PASSWORD)  # right password, but locked: the same answer
    assert locked.render("en") == _failure(sv, "nobody", "x").render("en")
    assert any(e.action == "user.locked" for e in sv.audit.entries(SYSTEM, entity="user"))
    clock.now += timedelta(minutes=9)
    _failure(sv, "inspector", PASSWORD)
    clock.now += timedelta(minutes=2)
    assert sv.accounts.authenticate("inspector", PASSWORD).username == "inspector"


def test_success_resets_the_failure_count(clocked: tuple[World, Clock]) -> None:
    world, _ = clocked
    for _ in range(2):
        _failure(world.sv, "lead", "wrong password")
    world.sv.accounts.authenticate("lead", PASSWORD)
    for _ in range(2):
        _failure(world.sv, "lead", "wrong password")
    assert world.sv.accounts.authenticate("lead", PASSWORD).username == "lead"


def test_admin_lifts_a_lock_by_setting_a_password(clocked: tuple[World, Clock]) -> None:
    world, _ = clocked
    for _ in range(3):
        _failure(world.sv, "lead", "wrong password")
    world.sv.accounts.set_password(world.users["admin"], world.users["lead"].id, "Brand new pass")
    user = world.sv.accounts.authenticate("lead", "Brand new pass")
    assert user.must_change_password


def test_disabled_account_cannot_log_in(world: World) -> None:
    world.sv.accounts.set_active(world.users["admin"], world.users["bureau"].id, False)
    assert _failure(world.sv, "bureau", PASSWORD).render("en") == _failure(world.sv, "x", "y").render("en")
    world.sv.accounts.set_active(world.users["admin"], world.users["bureau"].id, True)
    world.sv.accounts.authenticate("bureau", PASSWORD)


def test_change_own_password_needs_the_old_one(world: World) -> None:
    me = world.users["school_b"]
    with pytest.raises(InputError) as wrong:
        world.sv.accounts.change_own_password(me, "not it", "A fresh password")
    assert wrong.value.problems[0].key == "store.old_password_wrong"
    world.sv.accounts.change_own_password(me, PASSWORD, "A fresh password")
    assert not world.sv.accounts.authenticate("school_b", "A fresh password").must_change_password
    _failure(world.sv, "school_b", PASSWORD)


def test_new_accounts_are_checked(world: World) -> None:
    admin = world.users["admin"]
    with pytest.raises(InputError) as bad:
        world.sv.accounts.add_user(admin, "bad name!", Role.SCHOOL, "short")
    keys = {p.key for p in bad.value.problems}
    assert keys == {"store.bad_username", "store.password_short", "accounts.password_kinds", "store.school_link"}
    with pytest.raises(InputError) as taken:
        world.sv.accounts.add_user(admin, "LEAD", Role.INSPECTOR, PASSWORD)
    assert taken.value.problems[0].key == "store.username_taken"
    assert "lead" in taken.value.render("en")


def test_an_account_that_must_change_its_password_may_do_nothing_else(world: World) -> None:
    sv, admin = world.sv, world.users["admin"]
    sv.accounts.set_password(admin, world.users["school_a"].id, "Handed out 1", must_change=True)
    me = sv.accounts.authenticate("school_a", "Handed out 1")
    assert me.must_change_password
    assert sv.accounts.me(me) == me and sv.accounts.by_username(me, "School_A") == me  # its own account
    refused = [
        lambda: sv.cycles.list_cycles(me),
        lambda: sv.cycles.current(me),
        lambda: sv.assessments.get(me, world.assessment_a),
        lambda: sv.ratings.save(me, world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "A")]),
        lambda: sv.frames.facts_frame(me, world.cycle_id),
        lambda: sv.accounts.by_username(me, "lead"),
    ]
    for call in refused:
        with pytest.raises(PasswordChangeRequired) as denied:
            call()
        assert "修改初始密码" in denied.value.render("zh") and "change your initial password" in denied.value.render(
            "en"
        )
    assert sv.ratings.list_ratings(SYSTEM, world.assessment_a) == []
    changed = sv.accounts.change_own_password(me, "Handed out 1", "My own passphrase")
    assert not changed.must_change_password
    assert sv.assessments.get(changed, world.assessment_a).id == world.assessment_a


def test_a_password_reset_ends_the_other_sessions(world: World) -> None:
    sv, admin = world.sv, world.users["admin"]
    tablet = sv.accounts.authenticate("inspector", PASSWORD)  # two sessions of one account
    laptop = sv.accounts.authenticate("inspector", PASSWORD)
    mine = sv.accounts.change_own_password(laptop, PASSWORD, "A new passphrase")
    assert sv.accounts.me(mine) == mine  # the session that changed it goes on with the record returned
    for old in (tablet, laptop):
        with pytest.raises(PermissionDenied) as ended:
            sv.accounts.me(old)  # what the app asks on every run
        assert ended.value.key == "store.session_invalid" and "sign in again" in ended.value.render("en")
    sv.accounts.set_password(admin, mine.id, "Reset by admin 1", must_change=False)
    with pytest.raises(PermissionDenied):
        sv.assessments.get(mine, world.assessment_a)
    fresh = sv.accounts.authenticate("inspector", "Reset by admin 1")
    assert sv.assessments.get(fresh, world.assessment_a).id == world.assessment_a
    assert sv.accounts.me(admin) == admin  # the admin's own session is not touched


def test_a_disabled_account_enabled_again_does_not_bring_old_sessions_back(world: World) -> None:
    sv, admin = world.sv, world.users["admin"]
    old = sv.accounts.authenticate("lead", PASSWORD)
    sv.accounts.set_active(admin, old.id, False)
    sv.accounts.set_active(admin, old.id, True)
    with pytest.raises(PermissionDenied):
        sv.accounts.me(old)
    assert sv.accounts.me(sv.accounts.authenticate("lead", PASSWORD)).username == "lead"
