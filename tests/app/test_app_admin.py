"""Admin: account management (the bureau's pages are tested with issue 6; every page opens: test_app_navigation)."""

from __future__ import annotations

from appkit import messages, signed_in

from store.records import SYSTEM


def test_the_admin_adds_disables_and_resets_accounts(data_dir, sv):
    at = signed_in("admin")
    assert len(at.dataframe[0].value) == 50
    at.text_input(key="accounts.add.username").input("bad name!")
    at.text_input(key="accounts.add.password").input("short")
    at.selectbox(key="accounts.add.role").set_value("inspector")
    at.button(key="accounts.add.send").click().run()
    errors = messages(at, "error")
    assert len(errors) == 1  # every problem in one box
    assert "用户名: 用户名应为 1 到 64 个字母" in errors[0] and "密码: 密码至少需要 8 个字符" in errors[0]
    assert len(sv.accounts.list_users(SYSTEM)) == 50
    at.text_input(key="accounts.add.username").input("insp09")
    at.text_input(key="accounts.add.name").input("新督学")
    at.text_input(key="accounts.add.password").input("A long enough one")
    at.button(key="accounts.add.send").click().run()
    assert messages(at, "success") == ["已创建账户 insp09。"]
    new = sv.accounts.by_username(SYSTEM, "insp09")
    at.button(key="accounts.disable").click().run()
    assert messages(at, "error") == ["请先选择一个账户"]
    at.selectbox(key="accounts.pick").set_value(new.id)
    at.button(key="accounts.disable").click().run()
    assert not sv.accounts.by_username(SYSTEM, "insp09").active
