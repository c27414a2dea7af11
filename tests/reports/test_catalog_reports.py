"""The catalog entries of the reports: every key used exists, in Chinese and English, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

from i18n.catalog import MESSAGES
from i18n.messages_reports import MESSAGES as REPORTS

ROOT = Path(__file__).resolve().parents[2]
OTHERS = {"framework_xlsx.py"}  # in reports/, but another area's (its keys are fw.*)
SOURCES = [*sorted(p for p in (ROOT / "reports").glob("*.py") if p.name not in OTHERS), ROOT / "cli" / "report_cmds.py"]
LITERAL = re.compile(r"""\bt\(\s*["']([a-z_.]+)["']""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_keys_are_prefixed_and_bilingual_with_the_same_placeholders():
    for key, entry in REPORTS.items():
        assert key.startswith(("report.", "template.")), key
        assert entry.get("zh") and entry.get("en"), key
        assert _fields(entry["zh"]) == _fields(entry["en"]), key


def test_every_literal_key_in_the_sources_exists():
    used = {key for path in SOURCES for key in LITERAL.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 50
    assert sorted(used - MESSAGES.keys()) == []
