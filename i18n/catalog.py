"""Look-up of user-facing text by key; every message the toolkit shows comes from here."""

from __future__ import annotations

from typing import Literal

from i18n import messages, messages_app, messages_bureau, messages_guide, messages_reports, messages_store

MESSAGES: dict[str, dict[str, str]] = {}
for _module in (messages, messages_store, messages_app, messages_reports, messages_bureau, messages_guide):
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
