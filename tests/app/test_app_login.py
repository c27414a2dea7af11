"""Log-in against the stored accounts, lockout, idle timeout, log-out, disabled accounts, first password."""

from __future__ import annotations

from appkit import PASSWORD, goto, login, messages, new_app, signed_in, texts

from store.records import SYSTEM


def test_login_opens_the_home_page_of_the_role(data_dir):
    at = signed_in("cn004")
    assert at.title[0].value == "长宁区周家桥小学"
    assert "草稿" in [m.value for m in at.metric]
    at = signed_in("insp08")
    assert at.title[0].value == "我的学校"


def test_wrong_password_is_refused_and_repeated_failures_lock_the_account(data_dir, sv):
    at = new_app()
    for _ in range(5):
        at = login(at, "cn004", "wrong password")
        assert "用户名或密码错误" in messages(at, "error")[0]
        assert "app.user" not in at.session_state
    at = login(at, "cn004", PASSWORD)  # the right password, but the account is locked now
    assert "用户名或密码错误" in messages(at, "error")[0]
    assert "app.user" not in at.session_state
    assert [e.action for e in sv.audit.entries(SYSTEM, action_prefix="user.locked")] == ["user.locked"]


def test_the_password_never_stays_in_the_session(data_dir):
    at = signed_in("cn004")
    assert "login.password" not in at.session_state


def test_an_idle_session_is_signed_out(data_dir):
    at = signed_in("cn004")
    at.session_state["app.last_activity"] = 0.0  # long ago
    at.run()
    assert "超过 30 分钟没有操作" in messages(at, "info")[0]
    assert at.text_input(key="login.username")  # back on the log-in page


def test_logout_forgets_the_user_and_returns_to_the_start(data_dir):
    at = goto(signed_in("cn004"), "school_walk.py")
    at.button(key="app.logout").click().run()
    assert "app.user" not in at.session_state
    assert at.text_input(key="login.username")
    at = login(at, "insp08")
    assert at.title[0].value == "我的学校"  # the home page of the new user, not the walk


def test_a_disabled_account_is_signed_out_at_once(data_dir, sv):
    at = signed_in("cn004")
    sv.accounts.set_active(SYSTEM, sv.accounts.by_username(SYSTEM, "cn004").id, False)
    at.run()
    assert "账户已停用或已变更" in messages(at, "warning")[0]
    assert at.text_input(key="login.username")


def test_a_handed_out_password_must_be_changed_before_anything_else(data_dir, sv):
    me = sv.accounts.by_username(SYSTEM, "cn004")
    sv.accounts.set_password(SYSTEM, me.id, "handed-out-1", must_change=True)
    at = signed_in("cn004", "handed-out-1")
    assert at.title[0].value == "我的账户"
    assert "请先修改初始密码" in texts(at)
    at.text_input(key="me.old").input("handed-out-1")
    at.text_input(key="me.new").input("My own passphrase")
    at.text_input(key="me.again").input("my own passphrase typo")
    at.button(key="me.change").click().run()
    assert "两次输入的新密码不一致" in messages(at, "error")[0]
    at.text_input(key="me.old").input("handed-out-1")
    at.text_input(key="me.new").input("My own passphrase")
    at.text_input(key="me.again").input("My own passphrase")
    at.button(key="me.change").click().run()
    assert "密码已修改" in messages(at, "success")[0]
    at = signed_in("cn004", "My own passphrase")
    assert at.title[0].value == "长宁区周家桥小学"


def test_after_signing_in_the_last_sign_in_and_the_failures_since_are_shown(data_dir, sv):
    def told(at) -> str:
        return "\n".join(str(e.value) for e in at.toast) + texts(at)

    at = login(new_app(), "cn005", "Wrong pass 1")
    at = login(at, "cn005")
    assert "这是该账户的首次登录；此前登录失败 1 次。" in told(at)
    again = signed_in("cn005")
    assert "上次登录：" in told(again) and "此后登录失败 0 次" in told(again)
