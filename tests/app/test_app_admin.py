"""Admin: account management (the bureau's pages are tested with issue 6; every page opens: test_app_navigation)."""

from __future__ import annotations

from appkit import messages, signed_in, texts

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


def test_the_admin_imports_accounts_and_gets_the_slips_once(data_dir, sv):
    at = signed_in("admin")
    bad = "username,display_name,role,school_code\nnew01,新督学,inspector,\nx,学校,school,ZZ9\n".encode()
    at.file_uploader(key="accounts.bulk.file.0").set_value(("accounts.csv", bad, "text/csv"))
    at.button(key="accounts.bulk.import").click().run()
    errors = messages(at, "error")
    assert len(errors) == 1 and "第 3 行" in errors[0] and "school_code" in errors[0]
    assert "accounts.slips" not in at.session_state
    good = "username,display_name,role,school_code\nnew01,新督学,督学,\n".encode("utf-8-sig")
    at.file_uploader(key="accounts.bulk.file.0").set_value(("accounts.csv", good, "text/csv"))
    at.button(key="accounts.bulk.import").click().run()
    _, made = at.session_state["accounts.slips"]
    assert [c.username for c in made] == ["new01"]
    assert made[0].password not in texts(at), "the password is in the slips only, never on the page"
    assert at.download_button(key="accounts.slips.docx") and at.download_button(key="accounts.slips.xlsx")
    assert sv.accounts.authenticate("new01", made[0].password).must_change_password
    at.button(key="accounts.slips.done").click().run()
    assert "accounts.slips" not in at.session_state
    assert not at.get("download_button")


def test_the_admin_picks_a_school_by_name_and_resets_a_password(data_dir, sv):
    sv.schools.save(SYSTEM, "CN041", "新开小学", ["primary"])
    at = signed_in("admin")
    at.button(key="accounts.bulk.schools").click().run()
    _, made = at.session_state["accounts.slips"]
    assert [(c.username, c.school_name) for c in made] == [("cn041", "新开小学")]
    box = at.selectbox(key="accounts.add.school")
    assert "新开小学（CN041）" in box.options  # a name and its code, never an internal number
    user = sv.accounts.by_username(SYSTEM, "cn041")
    at.selectbox(key="accounts.pick").set_value(user.id)
    at.button(key="accounts.reset").click().run()
    _, again = at.session_state["accounts.slips"]
    assert again[0].username == "cn041" and again[0].password != made[0].password
    assert sv.accounts.authenticate("cn041", again[0].password).must_change_password
