"""The words of jobs and storage: both languages, every entry used, every key used in the code defined."""

from __future__ import annotations

import re
from pathlib import Path

from i18n.catalog import MESSAGES
from i18n.messages_scale import MESSAGES as SCALE

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"""["']((?:jobs|storage)\.[a-z0-9_.]+)["']""")
PREFIX = re.compile(r"""f["']((?:jobs|storage)\.[a-z0-9_.]+)\{""")


def code() -> str:
    globs = ("jobs/*.py", "store/*.py", "store/storage/*.py", "cli/*.py", "ui/**/*.py")
    return "\n".join(p.read_text(encoding="utf-8") for g in globs for p in sorted(ROOT.glob(g)))


def test_every_entry_has_both_languages():
    assert all(entry.get("zh") and entry.get("en") for entry in SCALE.values())


def test_every_entry_is_used_and_every_key_used_exists():
    text = code()
    used, prefixes = set(KEY.findall(text)), set(PREFIX.findall(text))
    assert [k for k in SCALE if k not in used and not any(k.startswith(p) for p in prefixes)] == []
    functions = {"jobs.worker.run"}  # RQ's name of the function it calls, not a catalog key
    assert sorted(k for k in used - functions if k not in MESSAGES and not k.endswith(".")) == []
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in SCALE), prefix
