"""Chinese by default, English at the switch, every string from the catalog in both languages."""

from __future__ import annotations

import re

from appkit import ROOT, goto, login, messages, new_app, texts

from i18n.catalog import MESSAGES

LITERAL_KEY = re.compile(r"""\b(?:tr|t|Problem)\(\s*"([a-z0-9_.]+)\"""")
ANY_APP_KEY = re.compile(r"""["'](app\.[a-z0-9_.]+)["']""")
FORMATTED_KEY = re.compile(r"""\btr\(\s*f"([a-z0-9_.]+)\{""")


BUREAU_PAGES = "bureau_"  # the bureau's pages (issue 6) keep their keys in messages_bureau, tested there


def ui_sources() -> list[str]:
    """The app's shell and the pages of schools, inspectors and admins."""
    files = [ROOT / "app.py", *sorted((ROOT / "ui").glob("*.py")), *sorted((ROOT / "ui" / "pages").glob("*.py"))]
    return [p.read_text(encoding="utf-8") for p in files if not p.name.startswith(BUREAU_PAGES)]


def test_every_key_the_app_uses_is_in_the_catalog_in_both_languages():
    used = {key for text in ui_sources() for key in LITERAL_KEY.findall(text)}
    assert len(used) > 130  # the pattern finds the keys (a broken pattern would find none)
    missing = sorted(k for k in used if k not in MESSAGES)
    assert missing == []
    prefixes = {p for text in ui_sources() for p in FORMATTED_KEY.findall(text)}
    assert {"app.role.", "app.lang.", "store.status."} <= prefixes
    assert all(any(key.startswith(p) for key in MESSAGES) for p in prefixes)
    for key, entry in MESSAGES.items():
        if key.startswith("app."):
            assert entry.get("zh") and entry.get("en"), key


def test_every_app_entry_of_the_catalog_is_used():
    from i18n.messages_app import MESSAGES as APP_MESSAGES

    files = [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py"))]  # the bureau's pages may use app keys too
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    used = set(ANY_APP_KEY.findall(text))
    prefixes = set(FORMATTED_KEY.findall(text))
    unused = [k for k in APP_MESSAGES if k not in used and not any(k.startswith(p) for p in prefixes)]
    assert unused == []


def test_chinese_by_default_and_english_at_the_switch(data_dir):
    at = new_app()
    assert at.title[0].value == "学校心理健康教育工作评估"
    at.radio(key="app.lang_widget").set_value("en").run()
    assert at.title[0].value == "School mental-health self-assessment and inspection"
    at = login(at, "cn004")
    assert [m.label for m in at.metric][:3] == ["School year", "Self-assessment deadline", "Status"]
    assert [m.value for m in at.metric][2] == "draft"
    assert "score 70.9 is below 75.0" in texts(at)  # 70.3 under framework 2024.1
    at = goto(at, "school_submit.py")
    assert "9 things are still missing" in messages(at, "error")[0]
    at.radio(key="app.lang_widget").set_value("zh").run()
    assert "还有 9 项未完成" in messages(at, "error")[0]


def test_the_district_name_is_configurable_in_both_languages(data_dir, monkeypatch):
    from settings import get_settings

    monkeypatch.setenv("XINYU_DISTRICT_NAME", "测试区")
    monkeypatch.setenv("XINYU_DISTRICT_NAME_EN", "Test District")
    get_settings.cache_clear()
    at = new_app()
    assert at.caption[0].value == "测试区 · 学校心理健康教育工作评估"
    at.radio(key="app.lang_widget").set_value("en").run()
    assert at.caption[0].value == "Test District · School mental-health self-assessment and inspection"


def test_the_language_survives_a_log_out(data_dir):
    at = new_app()
    at.radio(key="app.lang_widget").set_value("en").run()
    at = login(at, "cn004", "wrong password")
    assert messages(at, "error")[0].startswith("Wrong user name or password.")
    at = login(at, "cn004")
    at.button(key="app.logout").click().run()
    assert at.title[0].value == "School mental-health self-assessment and inspection"
