"""Look-up of user-facing text by key; every message the toolkit shows comes from here."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Literal

import i18n

# Every module i18n/messages*.py is one layer's part of the catalog (found by name, so that a new layer
# adds a file and nothing else); a key defined twice is an error at import.
_MODULES = sorted(m.name for m in pkgutil.iter_modules(i18n.__path__) if m.name.startswith("messages"))
MESSAGES: dict[str, dict[str, str]] = {}
for _module in (importlib.import_module(f"i18n.{name}") for name in _MODULES):
    _clash = MESSAGES.keys() & _module.MESSAGES.keys()
    if _clash:
        raise RuntimeError(f"catalog keys defined twice: {sorted(_clash)}")
    MESSAGES.update(_module.MESSAGES)

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"


def t(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """The text for `key` in `lang` (Chinese when the language or the key's English is missing)."""
    entry = MESSAGES.get(key)
    if entry is None:
        raise KeyError(f"no catalog entry {key!r}")
    template = entry.get(lang) or entry["zh"]
    return template.format(**params) if params else template
