"""The bureau pages' words: every key they use is in the catalog in both languages, and every bureau entry
is used somewhere (the pages, or the core that builds keys such as `bureau.diff.<kind>`)."""

from __future__ import annotations

import re

from appkit import ROOT

from i18n.catalog import MESSAGES
from i18n.messages_bureau import MESSAGES as BUREAU_MESSAGES

LITERAL = re.compile(r"""\b(?:tr|t|Problem|catalog_words)\(\s*"(bureau\.[a-z0-9_.]+)\"""")
ANY = re.compile(r"""["'](bureau\.[a-z0-9_.]+)["']""")
PREFIX = re.compile(r"""(?:\btr\(\s*f|\bt\(\s*f|catalog_words\()"(bureau\.[a-z0-9_.]+)(?:\{|")""")


def sources(*globs: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for g in globs for p in sorted(ROOT.glob(g)))


def test_every_key_of_the_bureau_pages_is_in_both_languages():
    text = sources("ui/bureau/*.py", "ui/pages/bureau_*.py")
    used = {k for k in LITERAL.findall(text) if not k.endswith(".")}  # `catalog_words("x.")` is a prefix
    assert len(used) > 150
    assert sorted(k for k in used if not (MESSAGES.get(k, {}).get("zh") and MESSAGES[k].get("en"))) == []
    for prefix in PREFIX.findall(text):
        assert any(k.startswith(prefix) for k in MESSAGES), prefix


def test_every_bureau_entry_is_used():
    text = sources("ui/**/*.py", "scoring/*.py", "criteria/*.py", "reports/*.py", "jobs/*.py")  # jobs: issue 13
    used = set(ANY.findall(text))
    prefixes = set(PREFIX.findall(text))
    unused = [k for k in BUREAU_MESSAGES if k not in used and not any(k.startswith(p) for p in prefixes)]
    assert unused == []
