"""Navigation limited by role: the table itself, every page reachable for its roles, others never."""

from __future__ import annotations

import pytest
from appkit import ROOT, current_cycle, goto, login, messages, signed_in, texts

from i18n.catalog import MESSAGES
from store.records import ACCOUNT_ROLES, Role
from ui import nav

ROLE_USERS = {Role.SCHOOL: "cn004", Role.INSPECTOR: "insp08", Role.BUREAU: "bureau", Role.ADMIN: "admin"}


def test_every_page_of_the_table_exists_and_is_named_in_both_languages():
    for spec in (*nav.PAGES, nav.LOGIN):
        assert (ROOT / spec.path).is_file(), spec.path
        assert set(MESSAGES[spec.title]) == {"zh", "en"}
    assert len({p.key for p in nav.PAGES}) == len(nav.PAGES)


def test_each_role_gets_its_own_pages_only():
    keys = {role: [p.key for p in nav.pages_for(role, leads=True)] for role in ACCOUNT_ROLES}
    assert keys[Role.SCHOOL] == ["home", "facts", "walk", "submit", "me"]
    assert keys[Role.INSPECTOR] == ["schools", "rate", "lead", "calibrate", "review", "me"]
    assert keys[Role.BUREAU][0] == "district" and keys[Role.BUREAU][-1] == "me"  # the bureau's pages slot in between
    assert not {"home", "facts", "walk", "submit", "schools", "rate", "lead", "accounts"} & set(keys[Role.BUREAU])
    assert keys[Role.ADMIN] == ["accounts", "audit", "me"]
    assert [p.key for p in nav.pages_for(Role.INSPECTOR, leads=False)] == [
        "schools",
        "rate",
        "calibrate",
        "review",
        "me",
    ]
    assert [p.key for p in nav.pages_for(None)] == ["login"]
    assert [p.key for p in nav.pages_for(Role.SCHOOL, must_change_password=True)] == ["me"]


def test_the_hidden_pages_are_all_the_others():
    visible = nav.pages_for(Role.SCHOOL)
    hidden = {p.key for p in nav.hidden_for(visible)}
    assert {"schools", "rate", "lead", "district", "accounts", "login"} <= hidden
    assert not hidden & {p.key for p in visible}
    assert hidden | {p.key for p in visible} == {p.key for p in (*nav.PAGES, nav.LOGIN)}


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_every_page_of_a_role_opens_without_error_and_no_other_page_can(data_dir, role):
    at = signed_in(ROLE_USERS[role])
    mine = nav.pages_for(role, leads=True)
    for spec in mine:
        at = goto(at, spec.file)
        assert not at.exception, (spec.key, at.exception)
        assert not [m for m in messages(at, "error") if "还有" not in m], (spec.key, messages(at, "error"))
        assert at.title[0].value == MESSAGES[spec.title]["zh"] or spec.key == "home"
    for spec in nav.PAGES:
        if spec not in mine:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(str(spec.path))


def test_an_inspector_who_leads_no_school_has_no_lead_page(data_dir, sv):
    from store.records import SYSTEM

    cycle = current_cycle(sv)
    insp = sv.accounts.by_username(SYSTEM, "insp08")
    for a in sv.cycles.assignments(SYSTEM, cycle.id):
        if a.inspector_id == insp.id and a.lead:
            sv.cycles.assign(SYSTEM, cycle.id, a.school_id, insp.id, lead=False)
    at = signed_in("insp08")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("ui/pages/inspector_lead.py")


def test_the_url_of_a_page_the_user_may_not_use_shows_a_refusal(data_dir):
    at = goto(signed_in("insp08"), "inspector_lead.py")  # the browser is on /lead
    at.session_state["app.last_activity"] = 0.0  # the inspector walks away; the session times out
    at.run()
    at = login(at, "cn004")  # a school leader signs in on the same tablet, still on /lead
    assert "您的账户不能使用“组长认定”页面" in messages(at, "warning")[0]
    assert "各督学评定" not in texts(at)
    at.button(key="denied.home").click().run()
    assert at.title[0].value == "长宁区周家桥小学"
