"""Bad input that the widgets themselves cannot produce (a tampered session, a level the item does not
have) still gets a message in the user's language, writes nothing and shows no stack trace.
"""

from __future__ import annotations

from appkit import current_cycle, goto, messages, signed_in
from streamlit.testing.v1 import AppTest

from store.records import SYSTEM, RaterRole


def save_level(level: str, lang: str) -> None:
    """Runs inside AppTest: save `level` for CN004's item A5.1.2 through the page's own save callback."""
    import streamlit as st

    from store.records import RaterRole
    from ui import autosave, state
    from ui.context import build
    from ui.services import services, settings
    from ui.widgets import guarded, show_flashes

    sv = services()
    user = sv.accounts.authenticate("cn004", "demo-pass-123")
    state.sign_in(user)
    state.set_lang(lang)
    ctx = build(sv, settings(), user)
    assert ctx.cycle is not None and user.school_id is not None
    a = sv.assessments.find(user, ctx.cycle.id, user.school_id)
    st.session_state[autosave.widget_key(RaterRole.SELF, "level", a.id, "A5.1.2")] = level
    guarded(autosave.save_item)(ctx, a.id, RaterRole.SELF, "A5.1.2")
    show_flashes()


def self_levels(sv) -> dict[str, str]:
    cycle = current_cycle(sv)
    a = sv.assessments.find(SYSTEM, cycle.id, sv.schools.by_code(SYSTEM, "CN004").id)
    return {r.item_id: r.level for r in sv.ratings.list_ratings(SYSTEM, a.id) if r.role == RaterRole.SELF}


def test_a_level_the_item_does_not_have_is_refused_in_words(data_dir, sv):
    before = self_levels(sv)
    at = AppTest.from_function(save_level, args=("Z", "zh"), default_timeout=30).run()
    assert not at.exception
    assert messages(at, "error") == ["项目 A5.1.2 没有等级“Z”，可选：A, B, C, D"]
    at = AppTest.from_function(save_level, args=("NA", "en"), default_timeout=30).run()
    assert messages(at, "error") == ["item A5.1.2 cannot be marked not applicable (NA)"]
    assert self_levels(sv) == before


def test_a_change_sent_by_an_idle_session_is_not_saved(data_dir, sv):
    at = goto(signed_in("cn004"), "school_walk.py")
    before = self_levels(sv)
    at.session_state["app.last_activity"] = 0.0
    at.radio(key=next(r.key for r in at.radio if r.key.endswith(".A1.1.1"))).set_value("D").run()
    assert self_levels(sv) == before
    assert at.text_input(key="login.username")
